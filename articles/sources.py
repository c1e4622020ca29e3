"""Where new articles come from: feeds fetched over HTTP, and files that appear in a folder.

Folders are listed whole or not at all: a folder that cannot be read raises `FolderError`,
because a file missing from a listing would be taken for a deleted article.

Fetching is polite: a conditional GET (ETag, Last-Modified) so an unchanged feed costs the site a
304, a User-Agent that names the bot, a timeout, and a size cap. Every failure (HTTP error,
timeout, refused connection, a body that is not a feed) comes back as a `FeedFetch` with an
error, never as an exception: the caller decides on backoff and warnings.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from articles.errors import ParseError
from articles.feeds import read_feed
from articles.model import Article
from articles.parse import SUPPORTED_SUFFIXES, parse_file

USER_AGENT = "archive-bot/0.1 (feed reader; polls politely with conditional requests)"
MAX_FEED_BYTES = 10 * 1024 * 1024
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"


@dataclass
class FeedFetch:
    """One poll of a feed. `status` is the HTTP status (None when no answer came back)."""

    url: str
    status: int | None
    articles: list[Article] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    title: str | None = None  # the feed's own title

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch_feed(
    url: str, *, etag: str | None = None, last_modified: str | None = None, timeout: float = 20.0
) -> FeedFetch:
    """GET a feed (conditionally when validators are known) and parse its entries."""
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
            new_etag = response.headers.get("ETag")
            new_modified = response.headers.get("Last-Modified")
            data = response.read(MAX_FEED_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return FeedFetch(url, 304, etag=etag, last_modified=last_modified)
        return FeedFetch(url, exc.code, error=f"HTTP {exc.code} {exc.reason}".strip())
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return FeedFetch(url, None, error=f"cannot fetch: {reason}")
    if len(data) > MAX_FEED_BYTES:
        return FeedFetch(url, status, error=f"feed larger than {MAX_FEED_BYTES // (1024 * 1024)} MB")
    try:
        title, articles = read_feed(data, base_url=url)
    except ParseError as exc:
        return FeedFetch(url, status, error=f"not a feed: {exc}")
    return FeedFetch(url, status, articles, etag=new_etag, last_modified=new_modified, title=title)


class FolderError(OSError):
    """A folder (or one inside it) cannot be listed; the message names it and says why."""


def archive_files(root: Path) -> list[Path]:
    """Article files under a folder, in a stable order; hidden files and folders are skipped.

    Raises `FolderError` when the folder or any folder below it cannot be listed.
    """

    def fail(exc: OSError) -> None:
        raise FolderError(f"cannot list {exc.filename or root}: {exc.strerror or exc}") from exc

    if not Path(root).is_dir():
        raise FolderError(f"no such folder: {root}")
    found = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=fail):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(Path(dirpath) / name)
    return found


FileStamp = tuple[int, int]
"""(size, mtime_ns): a file whose stamp is unchanged is not read again."""


@dataclass
class FolderScan:
    """What changed in a folder since the last scan; `stamps` is the new snapshot to keep."""

    stamps: dict[str, FileStamp]
    articles: list[Article] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def scan_folder(root: Path, files: Iterable[Path], known: dict[str, FileStamp]) -> FolderScan:
    """Parse the files (under `root`) that are new or changed compared with `known` stamps.

    A file that cannot be parsed is reported in `failed`; its stamp is kept, so it is read
    again only once it changes.
    """
    scan = FolderScan(stamps={})
    for path in files:
        rel = path.relative_to(root).as_posix()
        try:
            st = path.stat()
        except OSError:
            continue
        stamp = (st.st_size, st.st_mtime_ns)
        scan.stamps[rel] = stamp
        if known.get(rel) == stamp:
            continue
        scan.changed.append(rel)
        try:
            scan.articles.extend(parse_file(path, root=root))
        except ParseError as exc:
            scan.failed.append((rel, str(exc)))
    return scan
