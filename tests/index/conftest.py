"""Helpers for index tests: archive-format files written for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest


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


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "articles"
    d.mkdir()
    return d
