"""The maintainer's reindex: bring the index in line with the article folders.

Incremental: a file whose size and modification time are unchanged is not read; one whose bytes
hash the same is not parsed; a changed file replaces its articles; a vanished file takes its
articles with it. A file that cannot be read or parsed is reported and skipped, and what was
indexed from it before stays. Every folder is listed before anything changes: one that cannot
be listed stops the run, since its files would otherwise look deleted.
An index written with another version of the tokenizer is first rebuilt from its stored text.
The whole run is one SQLite transaction: readers see the old index until it commits, and a run
that dies midway leaves the old index exactly as it was.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from articles.parse import MAX_FILE_BYTES, ParseError, parse_bytes, too_large
from articles.sources import FolderError, archive_files
from index.indexer import Indexer, bulk_indexing
from index.results import ReindexReport

__all__ = ["ReindexError", "archive_files", "reindex"]

Progress = Callable[[int, int, str], None]


class ReindexError(RuntimeError):
    """Nothing was changed (a folder cannot be listed, a file cannot be indexed); one line."""


def reindex(
    indexer: Indexer,
    dirs: list[Path],
    *,
    full: bool = False,
    progress: Progress | None = None,
    on_wait: Callable[[], None] | None = None,
) -> ReindexReport:
    """`on_wait` is called once if another writer holds the database; the run waits for it."""
    started = time.perf_counter()
    store = indexer.store
    missing = [str(d) for d in dirs if not Path(d).is_dir()]
    if missing:
        raise ReindexError(f"no such folder: {', '.join(missing)}")
    roots = [Path(d).resolve() for d in dirs]
    try:
        work = [(root, path) for root in roots for path in archive_files(root)]
    except FolderError as exc:
        raise ReindexError(f"{exc}; nothing was changed") from None
    report = ReindexReport()
    with bulk_indexing(), store.transaction(on_wait=on_wait):
        if full:
            indexer.clear()
        indexer.ensure_current()
        known = {str(root): store.known_files(str(root)) for root in roots}
        for done, (root, path) in enumerate(work):
            if progress:
                progress(done, len(work), str(path))
            rel = path.relative_to(root).as_posix()
            outcome = _index_file(indexer, root, path, rel, known[str(root)].pop(rel, None))
            if isinstance(outcome, str):
                report.failed.append((str(path), outcome))
            elif outcome is None:
                report.unchanged += 1
            elif outcome:
                report.updated += 1
            else:
                report.added += 1
        for root_key, gone in known.items():
            for rel in gone:
                for num in store.articles_from_file(str(Path(root_key) / rel)):
                    indexer.remove(num)
                store.forget_file(root_key, rel)
                report.removed += 1
        indexer.flush()
        store.set_meta("last_reindex", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    if progress:
        progress(len(work), len(work), "")
    report.seconds = time.perf_counter() - started
    return report


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def _index_file(
    indexer: Indexer, root: Path, path: Path, rel: str, known: tuple[int, int, str] | None
) -> bool | str | None:
    """Index one file: None if unchanged, True if it replaced earlier articles, False if new,
    or the one-line reason it was skipped."""
    try:
        st = path.stat()
        if known and known[0] == st.st_size and known[1] == st.st_mtime_ns:
            return None
        if st.st_size > MAX_FILE_BYTES:
            return too_large(st.st_size)
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    digest = hashlib.sha256(data).hexdigest()
    store = indexer.store
    if known and known[2] == digest:
        store.record_file(str(root), rel, st.st_size, st.st_mtime_ns, digest)
        return None
    try:
        articles = parse_bytes(data, path.name)
    except ParseError as exc:
        return str(exc)
    except RecursionError:
        return "cannot parse: nested too deeply"
    except Exception as exc:  # a parser bug must cost one file, not the reindex
        return f"cannot parse ({type(exc).__name__}: {_one_line(exc)})"
    source_file = str(path)
    try:
        for num in store.articles_from_file(source_file):
            indexer.remove(num)
        for article in articles:
            article.source_path = rel if len(articles) == 1 else f"{rel}#{article.id}"
            indexer.add(article, source_file=source_file)
    except sqlite3.Error:
        raise
    except Exception as exc:  # half-indexed: only rolling back the run is safe
        raise ReindexError(
            f"cannot index {path} ({type(exc).__name__}: {_one_line(exc)}); nothing was changed"
        ) from exc
    store.record_file(str(root), rel, st.st_size, st.st_mtime_ns, digest)
    return known is not None
