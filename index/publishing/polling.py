"""Reading sources, for the `Publisher`: feeds fetched (a few at once), article folders followed
through the archive's own reindex (the one folder watcher), and what they served recorded once:
new articles indexed and queued for the channels that take them, corrections noted, the rest
ignored. Each source has its own timer, the next poll counted from the start of the previous
one; failures back off and warn each channel taking the source once per outage.

Every ledger call runs in a worker thread: the event loop never waits for SQLite.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from articles.model import Article
from articles.sources import FeedFetch
from index.archive import ReindexBusyError
from index.publishing.deliveries import new_nonce
from index.publishing.feeds import SourceState, identity_keys
from index.publishing.ledger import Ledger
from index.publishing.posts import CORRECTED, Notice, Post, filter_reason
from index.results import ReindexReport

log = logging.getLogger(__name__)

WARN_AFTER_FAILURES = 3
MAX_BACKOFF = timedelta(hours=6)
FETCHES_AT_ONCE = 4
FOLLOW_BATCH = 200

T = TypeVar("T")


class FeedRefused(ValueError):
    """A feed a moderator asked for cannot be added; the message says why, in one line."""


class ArticleStore(Protocol):
    """What the publisher needs of the archive (`index.archive.Archive` provides it)."""

    article_dirs: list[Path]

    def add_article(self, article: Article) -> str: ...

    def reindex(self) -> ReindexReport: ...

    def articles_after(self, num: int, limit: int = 200) -> list[tuple[int, str | None, Article]]: ...

    def last_article_num(self) -> int: ...


@dataclass
class Change:
    """A known article that came back different. `fields` name what changed (title, link,
    teaser, author, thumbnail, categories, text); `corrected`: its posts are edited."""

    article_id: str
    title: str
    was: str
    fields: list[str]
    corrected: bool


@dataclass
class PollReport:
    source: str
    error: str | None = None
    not_modified: bool = False
    primed: int = 0
    new: list[str] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    failed_files: list[tuple[str, str]] = field(default_factory=list)
    recovered: bool = False
    started: datetime | None = None
    next_poll: datetime | None = None


@dataclass
class FeedAdded:
    source: SourceState
    primed: int
    existed: bool


@dataclass
class FeedRemoved:
    source: SourceState
    subscriptions: int


def backoff(interval_s: float, failures: int) -> timedelta:
    """Delay before the next poll after `failures` failures in a row: doubling, capped."""
    cap = max(timedelta(seconds=interval_s), MAX_BACKOFF)
    return min(timedelta(seconds=interval_s) * 2 ** max(0, failures - 1), cap)


def check_feed_url(url: str) -> str:
    """The address as given, if it can be a feed's (http or https, with a host); else
    `FeedRefused` saying what is wrong."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port out of range)
    except ValueError as exc:
        raise FeedRefused(f"{url!r} is not a web address ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedRefused(f"{url!r} is not a web address: a feed's address starts with http:// or "
                          "https:// (e.g. https://example.org/feed.xml)")
    return url


def _as_known(article: Article, article_id: str) -> Article:
    """The article under the id it was first seen with, so re-indexing replaces that entry."""
    if article.id == article_id:
        return article
    if article_id.startswith("guid:"):
        return replace(article, guid=article_id[5:])
    return replace(article, guid=None)


def _under(root: Path, source_file: str | None) -> bool:
    return source_file is not None and Path(source_file).is_relative_to(root)


def _older(path: str, moment: float | None) -> bool:
    """Whether a file was last changed before `moment` (file time; a vanished file is not)."""
    try:
        return moment is not None and Path(path).stat().st_mtime < moment
    except OSError:
        return False


def _file_clock() -> float:
    """Now, as the clock that stamps files tells it. Files are stamped from a coarse clock that
    runs a few milliseconds behind `time.time()`: a file written right after a first look taken
    with `time.time()` could look older than it and never be posted."""
    with tempfile.TemporaryFile() as f:
        return os.fstat(f.fileno()).st_mtime


class Polling:
    """The publisher's half that reads sources (`Publisher` is the other, and builds on it)."""

    def __init__(self, ledger: Ledger, *, archive: ArticleStore | None, now: Callable[[], datetime],
                 interval_s: float, min_interval_s: float, timeout: float, warn_after: int,
                 fetch: Callable[..., FeedFetch]) -> None:
        self.ledger = ledger
        self.feeds = ledger.feeds
        self.deliveries = ledger.deliveries
        self.archive = archive
        self.now = now
        self.interval_s = interval_s
        self.min_interval_s = min_interval_s
        self.timeout = timeout
        self.warn_after = warn_after
        self.fetch = fetch
        self._ingesting = threading.Lock()

    @staticmethod
    async def _db(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """A ledger (or archive) call, in a worker thread."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    # -- sources ------------------------------------------------------------------------------

    def _interval(self, interval_s: float | None) -> float:
        return max(self.min_interval_s, interval_s or self.interval_s)

    def register_feed(self, url: str, interval_s: float | None = None) -> bool:
        """A feed from the settings (FEEDS): polled from now on, unless a moderator removed it.
        Blocking (call it from a worker thread in the bot); False when it stays removed."""
        return self.feeds.add_source(url, "feed", self._interval(interval_s), self.now())

    def register_folder(self, root: Path, interval_s: float | None = None) -> None:
        """An article folder (ARCHIVE_DIRS), followed through the archive. Blocking."""
        self.feeds.add_source(f"folder:{Path(root).resolve()}", "folder", self._interval(interval_s),
                              self.now())

    async def seed(self, feeds: Iterable[str], folders: Iterable[Path]) -> None:
        """Register the configured sources (at start-up)."""
        def register() -> None:
            for url in feeds:
                if not self.register_feed(url):
                    log.info("FEEDS lists %s, which a moderator removed with /feed remove; "
                             "/feed add brings it back", url)
            for folder in folders:
                self.register_folder(folder)
        await self._db(register)

    async def add_feed(self, url: str, *, interval_s: float | None = None,
                       added_by: int | None = None, added_in: int | None = None) -> FeedAdded:
        """A moderator's `/feed add`: read the feed once to check it, name it by its title, and
        mark what it holds now as seen (those articles are not posted). `FeedRefused` when the
        address is not a web address or does not serve a feed."""
        url = check_feed_url(url)
        existing = await self._db(self.feeds.source, url)
        started = self.now()
        fetched = await asyncio.to_thread(self.fetch, url, timeout=self.timeout)
        if not fetched.ok:
            raise FeedRefused(f"{url} cannot be read: {fetched.error}")
        interval = self._interval(interval_s)
        await self._db(self.feeds.add_source, url, "feed", interval, started, origin="discord",
                       title=fetched.title, added_by=added_by, added_in=added_in)
        state = await self._db(self.feeds.source, url)
        report = PollReport(url, started=started)
        if state.primed_at is None:
            await self.ingest(state, fetched.articles, report)
        await self._db(self.feeds.poll_succeeded, url, etag=fetched.etag, last_modified=fetched.last_modified,
                       now=started, next_poll=started + timedelta(seconds=interval), title=fetched.title)
        return FeedAdded(await self._db(self.feeds.source, url), report.primed, existing is not None)

    async def remove_feed(self, url: str, *, guild_id: int | None = None) -> FeedRemoved | None:
        """A moderator's `/feed remove`: polling stops, the subscriptions bound to the feed go
        (channels taking every feed keep their subscription). From a server (`guild_id`), only a
        feed added from that server: others' feeds and the settings' are not one server's to drop
        (`FeedRefused` says so). None when no such feed."""
        def remove() -> FeedRemoved | None:
            with self.ledger.transaction():
                state = self.feeds.source(url)
                if state is None or state.kind != "feed":
                    return None
                if guild_id is not None and state.origin != "discord":
                    raise FeedRefused(f"{state.name} comes from FEEDS in the bot's settings: the bot's "
                                      "operator removes it there")
                if guild_id is not None and state.added_in != guild_id:
                    raise FeedRefused(f"{state.name} was added from another server: only there can it "
                                      "be removed")
                self.feeds.remove_source(url, self.now())
                return FeedRemoved(state, self.deliveries.drop_source(url))
        return await self._db(remove)

    async def sources(self) -> list[SourceState]:
        return await self._db(self.feeds.sources)

    async def next_due(self) -> datetime | None:
        return await self._db(self.feeds.next_due)

    # -- polling ------------------------------------------------------------------------------

    async def poll_due(self, *, poll_all: bool = False) -> list[PollReport]:
        """Poll every source that is due (or every source): feeds a few at once, so one slow
        feed does not hold the others up."""
        states = await self._db(self.feeds.sources if poll_all else self.feeds.due_sources,
                                *(() if poll_all else (self.now(),)))
        gate = asyncio.Semaphore(FETCHES_AT_ONCE)

        async def one(state: SourceState) -> PollReport:
            async with gate:
                return await self.poll(state)

        feeds = [s for s in states if s.kind == "feed"]
        folders = [s for s in states if s.kind == "folder"]
        reports = list(await asyncio.gather(*(one(s) for s in feeds)))
        if folders:
            reports += await self._poll_folders(folders)
        return reports

    async def poll(self, state: SourceState) -> PollReport:
        if state.kind == "folder":
            return (await self._poll_folders([state]))[0]
        started = self.now()
        report = PollReport(state.url, started=started)
        fetched = await asyncio.to_thread(self.fetch, state.url, etag=state.etag,
                                          last_modified=state.last_modified, timeout=self.timeout)
        if not fetched.ok:
            report.error = fetched.error
            await self._db(self._failed, state, fetched.error or "failed", report)
            return report
        report.not_modified = fetched.not_modified
        if not fetched.not_modified:
            await self.ingest(state, fetched.articles, report)
        await self._db(self._succeeded, state, report, etag=fetched.etag,
                       last_modified=fetched.last_modified, title=fetched.title)
        return report

    def _succeeded(self, state: SourceState, report: PollReport, *, etag: str | None = None,
                   last_modified: str | None = None, title: str | None = None) -> None:
        report.next_poll = report.started + timedelta(seconds=state.interval_s)
        with self.ledger.transaction():
            report.recovered = self.feeds.poll_succeeded(
                state.url, etag=etag, last_modified=last_modified, now=report.started,
                next_poll=report.next_poll, title=title)
            if report.recovered:
                log.info("source %s works again", state.url)
                name = title or state.name
                self._notify(state.url, "recovered", f"The feed {name} ({state.url}) works again; "
                             "its new articles will be posted as usual.")

    def _failed(self, state: SourceState, error: str, report: PollReport) -> None:
        report.next_poll = report.started + backoff(state.interval_s, state.failures + 1)
        with self.ledger.transaction():
            failures, warn = self.feeds.poll_failed(state.url, error, now=report.started,
                                                    next_poll=report.next_poll, warn_after=self.warn_after)
            log.warning("source %s failed (%d in a row): %s", state.url, failures, error)
            if warn:
                what = "folder" if state.kind == "folder" else "feed"
                where = state.url.removeprefix("folder:")
                self._notify(state.url, "warning", f"The {what} {state.name} ({where}) "
                             f"has failed {failures} times in a row ({error}). New articles from it "
                             "will be posted once it works again.")

    def _notify(self, source: str, kind: str, text: str) -> None:
        """Queue one notice for each channel taking `source` (sent by the next delivery run)."""
        for channel_id in self.deliveries.channels_taking(source):
            self.deliveries.enqueue(channel_id, kind, Notice(kind, text).to_json(), new_nonce(), self.now())

    async def _poll_folders(self, states: list[SourceState]) -> list[PollReport]:
        """Bring the index up to date with the folders (the archive's reindex: one watcher for
        both), then follow what it stored. A reindex already running (a maintainer's) is left
        to finish: what it stores is followed on a later poll. The first look at a folder only
        marks what the archive holds from it as seen, and reindexes nothing: building the index
        stays the maintainers' (and start-up's) call."""
        started = self.now()
        reports = [PollReport(s.url, started=started) for s in states]
        readable = []
        for state, report in zip(states, reports, strict=True):
            root = Path(state.url.removeprefix("folder:"))
            if self.archive is None or not root.is_dir():
                report.error = f"no such folder: {root}" if self.archive else "no archive to follow"
                await self._db(self._failed, state, report.error, report)
            else:
                readable.append((state, report, root))
        reindexed = None
        if any(state.primed_at is not None for state, _, _ in readable):
            try:
                reindexed = await asyncio.to_thread(self.archive.reindex)
            except ReindexBusyError:
                log.info("a reindex is running: what it stores is followed on the next poll")
            except (sqlite3.Error, OSError, RuntimeError) as exc:  # the archive's own errors too
                log.warning("the article folders could not be reindexed: %s", exc)
                for state, report, _ in readable:
                    report.error = str(exc)
                    await self._db(self._failed, state, report.error, report)
                return reports
        for state, report, root in readable:
            if reindexed is not None:
                report.failed_files = [(p, why_) for p, why_ in reindexed.failed
                                       if Path(p).is_relative_to(root)]
            await self._db(self._follow_folder, state, root, report)
            await self._db(self._succeeded, state, report)
        return reports

    def _follow_folder(self, state: SourceState, root: Path, report: PollReport) -> None:
        """Ingest the articles the archive stored from this folder since the last look. An
        article from a file that was already in the folder at the first look (older than it) is
        not news either: it was simply indexed late."""
        priming = state.primed_at is None
        if state.cursor is None and not priming:  # followed before through file stamps of its own
            self.feeds.set_cursor(state.url, self.archive.last_article_num())
            return
        cursor = state.cursor or 0
        while True:
            batch = self.archive.articles_after(cursor, FOLLOW_BATCH)
            if not batch:
                break
            mine = [(path, article) for _, path, article in batch if _under(root, path)]
            news = [a for path, a in mine if not priming and not _older(path, state.first_look)]
            seen = [a for path, a in mine if priming or _older(path, state.first_look)]
            self._ingest(state, seen, report, index=False, priming=True)
            self._ingest(state, news, report, index=False, priming=False)
            cursor = batch[-1][0]
            self.feeds.set_cursor(state.url, cursor)
        if priming:
            self.feeds.set_cursor(state.url, cursor, first_look=_file_clock())
            self.feeds.mark_primed(state.url, report.primed, self.now())

    # -- ingest -------------------------------------------------------------------------------

    async def ingest(self, state: SourceState, articles: list[Article],
                     report: PollReport | None = None) -> PollReport:
        """Record what a feed served: new articles are indexed and queued, corrected ones
        updated (their recent posts are edited on the next delivery run), the rest ignored."""
        report = report or PollReport(state.url, started=self.now())
        priming = state.primed_at is None
        await self._db(self._ingest, state, articles, report, index=True, priming=priming)
        if priming:
            await self._db(self.feeds.mark_primed, state.url, report.primed, self.now())
            log.info("first read of %s: %d existing articles marked seen, not posted",
                     state.url, report.primed)
        return report

    def _ingest(self, state: SourceState, articles: list[Article], report: PollReport, *,
                index: bool, priming: bool) -> None:
        with self._ingesting:  # feeds fetched together may serve the same article: one at a time
            self._ingest_all(state, articles, report, index=index, priming=priming)

    def _ingest_all(self, state: SourceState, articles: list[Article], report: PollReport, *,
                    index: bool, priming: bool) -> None:
        now = self.now()
        add = self.archive.add_article if (index and self.archive is not None) else None
        for article in articles:
            keys = identity_keys(article)
            known = self.feeds.known_article(keys)
            post = Post.of(article)
            if known is None:
                if add is not None:
                    add(article)
                with self.ledger.transaction():
                    self.feeds.add_identities(article.id, keys)
                    fresh = self.feeds.record_item(article.id, source=state.url, title=article.title,
                                                   url=article.url, published=article.published,
                                                   post=post.to_json(), post_hash=post.shown_hash,
                                                   baseline=priming, now=now)
                    if fresh and not priming:
                        self._queue(article, state.url, now)
                if not fresh:
                    report.unchanged += 1
                elif priming:
                    report.primed += 1
                else:
                    report.new.append(article.id)
                continue
            text_changed = self.feeds.known_article([f"hash:{article.content_hash}"]) != known
            item = self.feeds.item(known)
            if text_changed and add is not None:
                add(_as_known(article, known))
            fields = post.differences(Post.from_json(item.post)) if item is not None else []
            with self.ledger.transaction():
                self.feeds.add_identities(known, keys)
                if fields:  # an enrichment is kept (a later edit shows it) but changes no hash
                    self.feeds.update_item(known, title=article.title, url=article.url,
                                           post=post.to_json(), post_hash=post.shown_hash)
            if text_changed and "teaser" not in fields:
                fields.append("text")
            if fields:
                report.changed.append(Change(known, article.title, item.title if item else article.title,
                                             fields, any(f in CORRECTED for f in fields)))
            else:
                report.unchanged += 1

    def _queue(self, article: Article, source: str, now: datetime) -> None:
        channels = {s.channel_id for s in self.deliveries.subscriptions() if s.takes(source)}
        for channel_id in sorted(channels):
            sub = self.deliveries.subscription_for(channel_id, source)
            reason = filter_reason(sub, article)
            self.deliveries.add_delivery(article.id, channel_id, state="filtered" if reason else "queued",
                                         reason=reason, now=now)
