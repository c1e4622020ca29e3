"""Helpers for index tests: archive-format files written for the tests, and small inverted
indexes built from token lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.archive import Archive
from index.postings import InvertedIndex
from index.store import Store


def archive_text(title: str, paragraphs: list[str], *, categories: str = "Mars",
                 url: str | None = None, published: str | None = None,
                 author: str = "Ada Quill") -> str:
    header = ""
    if url:
        header += f"URL: {url}\n"
    if published:
        header += f"Published: {published}\n"
    body = "\n\n".join(paragraphs)
    return (
        f"{header}Categories: {categories}\n\n{title}\n\n{body}\n\n{author}\n\n"
        f"{author.split()[0]} writes about planetary science for this site.\n\n"
        "Recent Posts\n\nAnother Story\n\nA teaser for it…\n\n2 days ago\n"
    )


def write_article(folder: Path, name: str, title: str, paragraphs: list[str], **kw) -> Path:
    path = folder / name
    path.write_text(archive_text(title, paragraphs, **kw), encoding="utf-8")
    return path


def reindexed_archive(root: Path, articles: list[tuple[str, str, list[str], dict]]) -> Archive:
    """A real archive under `root` holding these (file name, title, paragraphs, header fields)
    articles, reindexed from their folder as a maintainer would."""
    folder = root / "articles"
    folder.mkdir()
    for name, title, paragraphs, fields in articles:
        write_article(folder, name, title, paragraphs, **fields)
    archive = Archive(root / "archive.db", [folder])
    archive.reindex()
    return archive


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "articles"
    d.mkdir()
    return d


def build_index(path, corpus: list[list[str]], groups: list[int] | None = None, batches: int = 1):
    """A "para" index of `corpus` (document i+1 holds corpus[i], in article groups[i]), flushed
    in `batches` transactions: (store, index)."""
    store = Store(path)
    index = InvertedIndex(store, "para")
    step = max(1, len(corpus) // batches)
    for start in range(0, len(corpus), step):
        with store.transaction():
            for doc in range(start, min(start + step, len(corpus))):
                index.add(doc + 1, corpus[doc], groups[doc] if groups else 0)
            index.flush()
    return store, index
