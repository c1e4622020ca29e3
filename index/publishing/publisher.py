"""What to post where, exactly once: new articles to subscribed channels, and scheduled digests.

The publisher knows nothing of Discord. It talks to a `Sender` (the Discord cog's, or the
terminal's for `archive-bot watch`) and keeps every decision in the `Ledger`. Every ledger call
runs in a worker thread: the event loop that carries the bot's gateway heartbeat never waits
for SQLite.

1. Poll: each source on its own timer, the next poll counted from the start of the previous
   one. A feed is fetched; an article folder is brought up to date by the archive's own
   incremental reindex (the one folder watcher), and the articles that reindex stored are
   followed from the archive. The first good read of a source only marks its items seen (a new
   subscription must not flood a channel with a back catalogue). Failures back off; the
   warn-after-th failure in a row queues ONE warning for each channel taking that source, the
   next success ONE "recovered" message.
2. Ingest: an article known under any identity (feed id, normalised link, own id, text hash) is
   not new. If its title, link or teaser changed (a correction), posts of it sent within the edit
   window are edited; an author or thumbnail added later edits nothing. A new article is indexed
   (answerable at once) and queued for each channel whose subscription takes it (or recorded
   as filtered, with the reason).
3. Deliver: per channel and run, the `limit` newest waiting articles are posted (in date order
   among themselves) and the older ones are listed in one summary that names its range and
   count per source; nothing of the last 48 hours is ever left out of that list. A delivery is
   claimed (`sending`, with a fresh nonce) before the send and marked `sent` after. Deliveries
   and outbox messages left `sending` are resolved by their nonce in the channel first, and only
   re-sent (with the same nonce, which Discord also deduplicates) when no message carries it.
   Announcement-channel posts are crossposted within Discord's 10 per hour per channel.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from articles.model import Article
from articles.sources import FeedFetch, fetch_feed
from index.archive import ReindexBusyError
from index.publishing.deliveries import Delivery, OutboxMessage, Subscription
from index.publishing.digest import Digest, build_digest
from index.publishing.feeds import Item, SourceState, identity_keys
from index.publishing.ledger import Ledger
from index.publishing.posts import CORRECTED, Notice, Post, filter_reason, split_for_channel, summary_notice
from index.publishing.schedules import Schedule, ScheduleRow, due_slot
from index.publishing.why import WhyReport, why
from index.results import ReindexReport

log = logging.getLogger(__name__)

CROSSPOSTS_PER_HOUR = 10
WARN_AFTER_FAILURES = 3
MAX_BACKOFF = timedelta(hours=6)
FETCHES_AT_ONCE = 4
FOLLOW_BATCH = 200

T = TypeVar("T")
DigestBuilder = Callable[[datetime, datetime, str | None], Digest]


class DeliveryFailed(Exception):
    """The sender could not deliver. `permanent`: retrying cannot help (no channel, no access)."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


class NotPublishing(Exception):
    """This process no longer holds the publishing lease: it stops before sending anything."""


class FeedRefused(ValueError):
    """A feed a moderator asked for cannot be added; the message says why, in one line."""


class Sender(Protocol):
    """How messages reach channels. Every send carries a nonce, by which it can be found again."""

    async def send_post(self, channel_id: int, post: Post, nonce: str) -> int: ...

    async def send_notice(self, channel_id: int, notice: Notice, nonce: str) -> list[int]:
        """Send a notice (a long summary may take several messages); parts already in the
        channel (by nonce) are not re-sent."""
        ...

    async def send_digest(self, channel_id: int, digest: Digest, nonce: str) -> list[int]:
        """Send a digest's messages; parts already in the channel (by nonce) are not re-sent."""
        ...

    async def edit_post(self, channel_id: int, message_id: int, post: Post) -> None: ...

    async def find_by_nonce(self, channel_id: int, nonce: str) -> int | None: ...

    async def crosspost(self, channel_id: int, message_id: int) -> None: ...


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
class RunReport:
    polls: list[PollReport] = field(default_factory=list)
    posted: int = 0
    summarised: int = 0
    edited: int = 0
    recovered: int = 0
    crossposted: int = 0
    notices: int = 0
    digests: int = 0


@dataclass
class FeedAdded:
    source: SourceState
    primed: int
    existed: bool


@dataclass
class FeedRemoved:
    source: SourceState
    subscriptions: int


@dataclass
class Overview:
    """What `/subscriptions` shows: a server's subscriptions, the sources, the digests."""

    subscriptions: list[Subscription]
    sources: list[SourceState]
    schedules: list[ScheduleRow]


def new_nonce() -> str:
    """20 characters: a message part appends "-N" and stays within Discord's 25."""
    return secrets.token_hex(10)


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


class Publisher:
    def __init__(
        self,
        ledger: Ledger,
        sender: Sender,
        *,
        archive: ArticleStore | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        limit_per_run: int = 5,
        interval_s: float = 900.0,
        min_interval_s: float = 30.0,
        edit_window: timedelta = timedelta(days=7),
        timeout: float = 20.0,
        warn_after: int = WARN_AFTER_FAILURES,
        fetch: Callable[..., FeedFetch] = fetch_feed,
        may_send: Callable[[], bool] = lambda: True,
    ) -> None:
        self.ledger = ledger
        self.feeds = ledger.feeds
        self.deliveries = ledger.deliveries
        self.schedules = ledger.schedules
        self.sender = sender
        self.archive = archive
        self.now = now
        self.limit = limit_per_run
        self.interval_s = interval_s
        self.min_interval_s = min_interval_s
        self.edit_window = edit_window
        self.timeout = timeout
        self.warn_after = warn_after
        self.fetch = fetch
        self.may_send = may_send
        self._ingesting = threading.Lock()

    @staticmethod
    async def _db(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """A ledger (or archive) call, in a worker thread."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    def _check_lease(self) -> None:
        if not self.may_send():
            raise NotPublishing("the publishing lease is no longer held")

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
                       added_by: int | None = None) -> FeedAdded:
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
                       title=fetched.title, added_by=added_by)
        state = await self._db(self.feeds.source, url)
        report = PollReport(url, started=started)
        if state.primed_at is None:
            await self.ingest(state, fetched.articles, report)
        await self._db(self.feeds.poll_succeeded, url, etag=fetched.etag, last_modified=fetched.last_modified,
                       now=started, next_poll=started + timedelta(seconds=interval), title=fetched.title)
        return FeedAdded(await self._db(self.feeds.source, url), report.primed, existing is not None)

    async def remove_feed(self, url: str) -> FeedRemoved | None:
        """A moderator's `/feed remove`: polling stops, the subscriptions bound to the feed go
        (channels taking every feed keep their subscription). None when no such feed."""
        def remove() -> FeedRemoved | None:
            with self.ledger.transaction():
                state = self.feeds.source(url)
                if state is None or state.kind != "feed":
                    return None
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
            self.feeds.set_cursor(state.url, cursor, first_look=time.time())
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

    # -- deliver ------------------------------------------------------------------------------

    async def cycle(self, *, poll_all: bool = False, build: DigestBuilder | None = None) -> RunReport:
        """One turn: poll what is due (or everything), deliver, send the digests that are due."""
        polls = await self.poll_due(poll_all=poll_all)
        report = await self.deliver()
        report.polls = polls
        report.digests += await self.run_schedules(build)
        return report

    async def run_once(self) -> RunReport:
        """Poll what is due, then deliver."""
        polls = await self.poll_due()
        report = await self.deliver()
        report.polls = polls
        return report

    async def deliver(self) -> RunReport:
        report = RunReport()
        await self.recover(report)
        since = self.now() - self.edit_window
        for delivery, item in await self._db(self.deliveries.stale_deliveries, since):
            await self._edit(delivery, item, report)
        for channel_id in await self._db(self.deliveries.queued_channels):
            summary, posts = await self._db(self._plan, channel_id)
            if summary is not None:
                report.summarised += len(Notice.from_json(summary.payload).items)
                await self._send_outbox(summary, report)
            for sub, item in posts:
                nonce = new_nonce()
                if await self._db(self.deliveries.claim, item.article_id, channel_id, nonce=nonce,
                                  post_hash=item.post_hash):
                    await self._send(sub, item, nonce, report)
        await self.crosspost(report)
        return report

    def _plan(self, channel_id: int) -> tuple[OutboxMessage | None, list[tuple[Subscription, Item]]]:
        """News first: the channel's `limit` newest waiting articles to post, and the older ones
        marked summarised with their summary in the outbox, in one transaction."""
        with self.ledger.transaction():
            posts, rest = split_for_channel(self.deliveries.queued_items(channel_id), self.limit)
            summary = None
            if rest:
                now = self.now()
                names = {s.url: s.name for s in self.feeds.sources()}
                notice = summary_notice(rest, posted=len(posts), names=names, now=now)
                summary = self.deliveries.summarise(channel_id, [i.article_id for i in rest],
                                                    notice.to_json(), new_nonce(), now)
            planned = []
            for item in posts:
                sub = self.deliveries.subscription_for(channel_id, item.source)
                if sub is not None:
                    planned.append((sub, item))
        return summary, planned

    def _pending(self) -> list[tuple[Delivery, Item, Subscription]]:
        out = []
        for d in self.deliveries.deliveries(state="sending"):
            item = self.feeds.item(d.article_id)
            sub = self.deliveries.subscription_for(d.channel_id, item.source) if item else None
            if item is not None and sub is not None:
                out.append((d, item, sub))
        return out

    async def recover(self, report: RunReport | None = None) -> RunReport:
        """Resolve what a crash (or a failed send) left `sending`: found by nonce, or re-sent."""
        report = report or RunReport()
        for d, item, sub in await self._db(self._pending):
            self._check_lease()
            found = await self.sender.find_by_nonce(d.channel_id, d.nonce)
            if found is not None:
                log.info("delivery of %s to %s was sent before a restart: recorded", d.article_id,
                         d.channel_id)
                await self._db(self._sent, sub, item, found)
                report.recovered += 1
            else:
                await self._send(sub, item, d.nonce, report)
        for message in await self._db(self.deliveries.outbox):
            await self._send_outbox(message, report)
        return report

    async def _send(self, sub: Subscription, item: Item, nonce: str, report: RunReport) -> None:
        self._check_lease()
        post = replace(Post.from_json(item.post), role_id=sub.role_id)
        try:
            message_id = await self.sender.send_post(sub.channel_id, post, nonce)
        except DeliveryFailed as exc:
            log.warning("cannot post %s to %s: %s", item.article_id, sub.channel_id, exc)
            if exc.permanent:
                await self._db(self.deliveries.mark_failed, item.article_id, sub.channel_id, str(exc))
            return  # a transient failure stays `sending`: the next run resolves it by nonce
        await self._db(self._sent, sub, item, message_id)
        report.posted += 1

    def _sent(self, sub: Subscription, item: Item, message_id: int) -> None:
        with self.ledger.transaction():
            self.deliveries.mark_sent(item.article_id, sub.channel_id, message_id=message_id, now=self.now())
            if sub.announce:
                self.deliveries.queue_crosspost(sub.channel_id, message_id, self.now())

    async def _send_outbox(self, message: OutboxMessage, report: RunReport) -> None:
        self._check_lease()
        try:
            if message.kind == "digest":
                ids = await self.sender.send_digest(message.channel_id, Digest.from_json(message.payload),
                                                    message.nonce)
                report.digests += 1
            else:
                ids = await self.sender.send_notice(message.channel_id, Notice.from_json(message.payload),
                                                    message.nonce)
                report.notices += 1
            message_id = ids[0] if ids else 0
        except DeliveryFailed as exc:
            log.warning("cannot send a %s to %s: %s", message.kind, message.channel_id, exc)
            if not exc.permanent:
                return
            message_id = 0
        await self._db(self.deliveries.outbox_sent, message_id, message.id, self.now())

    async def _edit(self, delivery: Delivery, item: Item, report: RunReport) -> None:
        self._check_lease()
        sub = await self._db(self.deliveries.subscription_for, delivery.channel_id, item.source)
        post = replace(Post.from_json(item.post), role_id=sub.role_id if sub else None)
        try:
            await self.sender.edit_post(delivery.channel_id, delivery.message_id, post)
        except DeliveryFailed as exc:
            log.warning("cannot edit the post of %s in %s: %s", item.article_id, delivery.channel_id, exc)
            if not exc.permanent:
                return
        await self._db(self.deliveries.mark_edited, item.article_id, delivery.channel_id, item.post_hash,
                       self.now())
        report.edited += 1

    async def crosspost(self, report: RunReport | None = None) -> RunReport:
        """Publish waiting announcement posts, at most CROSSPOSTS_PER_HOUR per channel per hour."""
        report = report or RunReport()
        for channel_id, message_id in await self._db(self.deliveries.waiting_crossposts):
            now = self.now()
            done = await self._db(self.deliveries.crossposts_since, channel_id, now - timedelta(hours=1))
            if done >= CROSSPOSTS_PER_HOUR:
                continue
            self._check_lease()
            try:
                await self.sender.crosspost(channel_id, message_id)
            except DeliveryFailed as exc:
                log.warning("cannot publish message %s in %s: %s", message_id, channel_id, exc)
                if not exc.permanent:
                    continue
            await self._db(self.deliveries.crosspost_done, channel_id, message_id, now)
            report.crossposted += 1
        return report

    # -- what moderators set ------------------------------------------------------------------

    async def subscribe(self, sub: Subscription) -> bool:
        """Add or replace a channel's subscription (to one feed, or to all); True when replaced."""
        return await self._db(self.deliveries.subscribe, sub, self.now())

    async def unsubscribe(self, channel_id: int, feed: str | None = None) -> int:
        return await self._db(self.deliveries.unsubscribe, channel_id, feed)

    async def overview(self, guild_id: int | None = None) -> Overview:
        def read() -> Overview:
            return Overview(self.deliveries.subscriptions(guild_id), self.feeds.sources(),
                            self.schedules.schedules(guild_id))
        return await self._db(read)

    async def why(self, query: str) -> WhyReport:
        return await self._db(why, self.ledger, query)

    # -- digests ------------------------------------------------------------------------------

    async def build_digest(self, since: datetime, until: datetime, category: str | None = None) -> Digest:
        if self.archive is None:
            return Digest(since, until, [], category)
        return await self._db(build_digest, self.archive, since, until, category)

    async def schedule_digest(self, channel_id: int, schedule: Schedule, *, guild_id: int | None = None,
                              category: str | None = None) -> datetime:
        """Schedule (or reschedule) a channel's digest; returns when the first one is due. Slots
        already past are not sent; a rescheduled channel keeps the end of its last digest."""
        def store() -> datetime:
            now = self.now()
            with self.ledger.transaction():
                old = self.schedules.schedule(channel_id)
                self.schedules.set_schedule(ScheduleRow(
                    channel_id, guild_id, schedule.frequency, schedule.weekday, schedule.at.strftime("%H:%M"),
                    schedule.timezone, category, now, schedule.latest_slot(now),
                    old.last_until if old else None,
                ))
            return schedule.next_slot(now)
        return await self._db(store)

    async def unschedule_digest(self, channel_id: int) -> bool:
        return await self._db(self.schedules.remove_schedule, channel_id)

    async def run_schedules(self, build: DigestBuilder | None = None) -> int:
        """Send the digests that are due; returns how many were sent. A slot with nothing new
        since the last digest is marked handled and sends nothing."""
        sent = 0
        for row in await self._db(self.schedules.schedules):
            schedule = row.schedule
            now = self.now()
            slot = due_slot(schedule, row.last_slot, now)
            if slot is None:
                continue
            since = row.last_until or slot - schedule.period
            if build is None:
                digest = await self.build_digest(since, slot, row.category)
            else:
                digest = await asyncio.to_thread(build, since, slot, row.category)
            payload = digest.to_json() | {"category": row.category} if digest.items else None
            message = await self._db(self.schedules.claim_digest, row.channel_id, slot=slot, until=slot,
                                     nonce=new_nonce(), now=now, payload=payload)
            if message is None:
                log.info("no new articles for the digest of %s due %s", row.channel_id, slot)
                continue
            report = RunReport()
            await self._send_outbox(message, report)
            sent += report.digests
        return sent
