"""The maintainer's reindex: bring the index in line with the article folders.

Incremental: a file whose size and modification time are unchanged is not read; one whose bytes
hash the same is not parsed; a changed file replaces its articles; a vanished file takes its
articles with it. A bad file is reported and skipped, and what was indexed from it before stays.
An index written with another version of the tokenizer is first rebuilt from its stored text.
The whole run is one SQLite transaction: readers see the old index until it commits, and a run
that dies midway leaves the old index exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from articles.parse import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, ParseError, parse_bytes, too_large
from index.indexer import Indexer, bulk_indexing
from index.results import ReindexReport

Progress = Callable[[int, int, str], None]


class ReindexError(RuntimeError):
    """Nothing could be done (no such folder, database not writable)."""


def archive_files(root: Path) -> list[Path]:
    """Article files under a folder, in a stable order; hidden files and folders are skipped."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(Path(dirpath) / name)
    return found


def reindex(
    indexer: Indexer, dirs: list[Path], *, full: bool = False, progress: Progress | None = None
) -> ReindexReport:
    started = time.perf_counter()
    store = indexer.store
    missing = [str(d) for d in dirs if not Path(d).is_dir()]
    if missing:
        raise ReindexError(f"no such folder: {', '.join(missing)}")
    roots = [Path(d).resolve() for d in dirs]
    work = [(root, path) for root in roots for path in archive_files(root)]
    report = ReindexReport()
    with bulk_indexing(), store.transaction():
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
    source_file = str(path)
    for num in store.articles_from_file(source_file):
        indexer.remove(num)
    for article in articles:
        article.source_path = rel if len(articles) == 1 else f"{rel}#{article.id}"
        indexer.add(article, source_file=source_file)
    store.record_file(str(root), rel, st.st_size, st.st_mtime_ns, digest)
    return known is not None
