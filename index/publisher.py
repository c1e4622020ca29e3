"""What to post where, exactly once: new articles to subscribed channels, and scheduled digests.

The publisher knows nothing of Discord. It talks to a `Sender` (the Discord cog's, or the
terminal's for `archive-bot watch`) and keeps every decision in the `Ledger`:

1. Poll: a due source is fetched; the first good fetch of a source only marks its items seen
   (a new subscription must not flood a channel with a feed's back catalogue). Failures back off;
   the warn-after-th failure in a row queues ONE warning per subscribed channel, the next success
   ONE "recovered" message.
2. Ingest: an article known under any identity (feed id, normalised link, own id, text hash) is
   not new; if what its post shows changed, the posted messages are edited. A new one is indexed
   (answerable at once) and queued for each subscription it matches (or recorded as filtered).
3. Deliver: a delivery is claimed (`sending`, with a fresh nonce) before the send and marked
   `sent` after. At start of each run, deliveries and outbox messages left `sending` are resolved
   by their nonce in the channel first, and only re-sent (with the same nonce, which Discord also
   deduplicates) when no message carries it. Per channel and run at most `limit` posts go out,
   oldest first; the rest are listed in one summary message. Announcement-channel posts are
   crossposted within Discord's 10 per hour per channel; over budget they wait for a later run.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol

from articles.identity import normalise_link
from articles.model import Article
from articles.sources import FeedFetch, fetch_feed, scan_folder
from index.digest import Digest
from index.ledger import (
    Delivery,
    Item,
    Ledger,
    OutboxMessage,
    ScheduleRow,
    SourceState,
    Subscription,
    identity_keys,
)
from index.reindex import archive_files
from index.schedule import Schedule, due_slot
from index.store import parse_iso
from index.tokenize import tokenize

log = logging.getLogger(__name__)

CROSSPOSTS_PER_HOUR = 10
WARN_AFTER_FAILURES = 3
MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class Post:
    """What a channel post of a new article shows; plain data, rendered by the bot."""

    title: str
    url: str | None = None
    author: str | None = None
    categories: tuple[str, ...] = ()
    teaser: str = ""
    published: datetime | None = None
    image: str | None = None
    role_id: int | None = None

    @classmethod
    def of(cls, article: Article) -> Post:
        return cls(article.title, article.url, article.author, tuple(article.categories),
                   article.summary(300), article.published, article.image)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["categories"] = list(self.categories)
        d["published"] = self.published.isoformat() if self.published else None
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Post:
        return cls(**{**d, "categories": tuple(d.get("categories") or ()),
                      "published": parse_iso(d.get("published"))})

    @property
    def shown_hash(self) -> str:
        """Hash of what a reader would notice changing. A re-stamped date or a link that differs
        only by tracking parameters is not a correction."""
        shown = [self.title, normalise_link(self.url) if self.url else None, self.author,
                 list(self.categories), self.teaser, self.image]
        return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Notice:
    """A message that is not an article post: a summary of articles over the run's limit, or a
    broken/recovered source. `items` are (title, url) pairs of a summary."""

    kind: str
    text: str
    items: tuple[tuple[str, str | None], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "items": [list(i) for i in self.items]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Notice:
        return cls(d["kind"], d["text"], tuple((t, u) for t, u in d.get("items") or ()))


class DeliveryFailed(Exception):
    """The sender could not deliver. `permanent`: retrying cannot help (no channel, no access)."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


class Sender(Protocol):
    """How posts reach channels. Every send carries a nonce, by which it can be found again."""

    async def send(self, channel_id: int, message: Post | Notice, nonce: str) -> int: ...

    async def edit(self, channel_id: int, message_id: int, post: Post) -> None: ...

    async def find_by_nonce(self, channel_id: int, nonce: str) -> int | None: ...

    async def crosspost(self, channel_id: int, message_id: int) -> None: ...

    async def send_digest(self, channel_id: int, digest: Digest, nonce: str) -> list[int]:
        """Send a digest's messages; parts already in the channel (by nonce) are not re-sent."""
        ...


@dataclass
class PollReport:
    source: str
    error: str | None = None
    not_modified: bool = False
    primed: int = 0
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed_files: list[tuple[str, str]] = field(default_factory=list)


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


def new_nonce() -> str:
    """20 characters: a digest part appends "-N" and stays within Discord's 25."""
    return secrets.token_hex(10)


def filter_reason(sub: Subscription, article: Article) -> str | None:
    """Why a subscription does not want an article (None: it does)."""
    if sub.categories:
        have = {c.casefold() for c in article.categories}
        if not have & {c.casefold() for c in sub.categories}:
            shown = ", ".join(article.categories) or "none"
            return f"category filter: wants {', '.join(sub.categories)}; the article has {shown}"
    if sub.keywords:
        text = " ".join([article.title, " ".join(article.categories), article.teaser or "",
                         article.body_text])
        words = set(tokenize(text))
        if not any(set(tokenize(k)) and set(tokenize(k)) <= words for k in sub.keywords):
            return f"keyword filter: none of {', '.join(sub.keywords)} is in the article"
    return None


def backoff(interval_s: int, failures: int) -> timedelta:
    """Delay before the next poll after `failures` failures in a row: doubling, capped."""
    cap = max(timedelta(seconds=interval_s), MAX_BACKOFF)
    return min(timedelta(seconds=interval_s) * 2 ** max(0, failures - 1), cap)


def _as_known(article: Article, article_id: str) -> Article:
    """The article under the id it was first seen with, so re-indexing replaces that entry."""
    if article.id == article_id:
        return article
    if article_id.startswith("guid:"):
        return replace(article, guid=article_id[5:])
    return replace(article, guid=None)


class Publisher:
    def __init__(
        self,
        ledger: Ledger,
        sender: Sender,
        *,
        index: Callable[[Article], object] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        limit_per_run: int = 5,
        interval_s: int = 900,
        timeout: float = 20.0,
        warn_after: int = WARN_AFTER_FAILURES,
        fetch: Callable[..., FeedFetch] = fetch_feed,
    ) -> None:
        self.ledger = ledger
        self.sender = sender
        self.index = index
        self.now = now
        self.limit = limit_per_run
        self.interval_s = interval_s
        self.timeout = timeout
        self.warn_after = warn_after
        self.fetch = fetch

    # -- sources ------------------------------------------------------------------------------

    def add_feed(self, url: str, interval_s: int | None = None) -> None:
        self.ledger.add_source(url, "feed", interval_s or self.interval_s, self.now())

    def add_folder(self, root: Path, interval_s: int | None = None) -> None:
        self.ledger.add_source(f"folder:{Path(root).resolve()}", "folder",
                               interval_s or self.interval_s, self.now())

    async def poll_due(self) -> list[PollReport]:
        return [await self.poll(state) for state in self.ledger.due_sources(self.now())]

    async def poll(self, state: SourceState) -> PollReport:
        if state.kind == "folder":
            return await self._poll_folder(state)
        fetched = await asyncio.to_thread(self.fetch, state.url, etag=state.etag,
                                          last_modified=state.last_modified, timeout=self.timeout)
        report = PollReport(state.url)
        now = self.now()
        if not fetched.ok:
            report.error = fetched.error
            self._failed(state, fetched.error or "failed", now)
            return report
        report.not_modified = fetched.not_modified
        if not fetched.not_modified:
            await self.ingest(state, fetched.articles, report)
        with self.ledger.transaction():
            recovered = self.ledger.poll_succeeded(
                state.url, etag=fetched.etag, last_modified=fetched.last_modified, now=now,
                next_poll=now + timedelta(seconds=state.interval_s))
            if recovered:
                log.info("source %s works again", state.url)
                self._notify("recovered", f"The feed {state.url} works again; its new articles "
                             "will be posted as usual.", now)
        return report

    async def _poll_folder(self, state: SourceState) -> PollReport:
        root = Path(state.url.removeprefix("folder:"))
        report = PollReport(state.url)
        now = self.now()
        if not root.is_dir():
            report.error = f"no such folder: {root}"
            self._failed(state, report.error, now)
            return report
        known = self.ledger.file_stamps(state.url)
        try:
            files = archive_files(root)
        except OSError as exc:  # a folder that cannot be listed: its files must not look gone
            report.error = str(exc)
            self._failed(state, report.error, now)
            return report
        scan = await asyncio.to_thread(scan_folder, root, files, known)
        report.failed_files = scan.failed
        await self.ingest(state, scan.articles, report)
        self.ledger.save_file_stamps(state.url, scan.stamps)
        self.ledger.poll_succeeded(state.url, etag=None, last_modified=None, now=now,
                                   next_poll=now + timedelta(seconds=state.interval_s))
        return report

    def _failed(self, state: SourceState, error: str, now: datetime) -> None:
        with self.ledger.transaction():
            failures, warn = self.ledger.poll_failed(
                state.url, error, now=now, next_poll=now + backoff(state.interval_s, state.failures + 1),
                warn_after=self.warn_after)
            log.warning("source %s failed (%d in a row): %s", state.url, failures, error)
            if warn:
                self._notify("warning", f"The feed {state.url} has failed {failures} times in a row "
                             f"({error}). New articles from it will be posted once it works again.",
                             now)

    def _notify(self, kind: str, text: str, now: datetime) -> None:
        """Queue one notice per subscribed channel (sent by the next delivery run)."""
        for sub in self.ledger.subscriptions():
            self.ledger.enqueue(sub.channel_id, kind, Notice(kind, text).to_json(), new_nonce(), now)

    # -- ingest -------------------------------------------------------------------------------

    async def ingest(self, state: SourceState, articles: list[Article],
                     report: PollReport | None = None) -> PollReport:
        """Record what a source served: new articles are indexed and queued, corrected ones
        updated (their posts are edited on the next delivery run), the rest ignored."""
        report = report or PollReport(state.url)
        priming = state.primed_at is None
        now = self.now()
        for article in articles:
            keys = identity_keys(article)
            known = self.ledger.known_article(keys)
            post = Post.of(article)
            if known is None:
                # A folder's existing files are the reindex's job; a feed's first items are not.
                if self.index is not None and not (priming and state.kind == "folder"):
                    await asyncio.to_thread(self.index, article)
                with self.ledger.transaction():
                    self.ledger.add_identities(article.id, keys)
                    self.ledger.record_item(article.id, source=state.url, title=article.title,
                                            url=article.url, published=article.published,
                                            post=post.to_json(), post_hash=post.shown_hash,
                                            baseline=priming, now=now)
                    if not priming:
                        self._queue(article, now)
                if priming:
                    report.primed += 1
                else:
                    report.new.append(article.id)
                continue
            text_changed = self.ledger.known_article([f"hash:{article.content_hash}"]) != known
            item = self.ledger.item(known)
            if text_changed and self.index is not None:
                await asyncio.to_thread(self.index, _as_known(article, known))
            with self.ledger.transaction():
                self.ledger.add_identities(known, keys)
                if item is not None and item.post_hash != post.shown_hash:
                    self.ledger.update_item(known, title=article.title, url=article.url,
                                            post=post.to_json(), post_hash=post.shown_hash)
            if text_changed or (item is not None and item.post_hash != post.shown_hash):
                report.changed.append(known)
            else:
                report.unchanged += 1
        if priming:
            self.ledger.mark_primed(state.url, report.primed, now)
            log.info("first read of %s: %d existing articles marked seen, not posted",
                     state.url, report.primed)
        return report

    def _queue(self, article: Article, now: datetime) -> None:
        for sub in self.ledger.subscriptions():
            reason = filter_reason(sub, article)
            self.ledger.add_delivery(article.id, sub.channel_id, state="filtered" if reason else "queued",
                                     reason=reason, now=now)

    # -- deliver ------------------------------------------------------------------------------

    async def run_once(self) -> RunReport:
        """One cycle: poll what is due, then deliver."""
        polls = await self.poll_due()
        report = await self.deliver()
        report.polls = polls
        return report

    async def deliver(self) -> RunReport:
        report = RunReport()
        await self.recover(report)
        for delivery, item in self.ledger.stale_deliveries():
            await self._edit(delivery, item, report)
        for channel_id in self.ledger.queued_channels():
            sub = self.ledger.subscription(channel_id)
            if sub is None:
                continue
            items = self.ledger.queued_items(channel_id)
            for item in items[: self.limit]:
                await self._send_item(sub, item, report)
            rest = items[self.limit:]
            if rest:
                message = self.ledger.summarise(channel_id, [i.article_id for i in rest],
                                                _summary(rest).to_json(), new_nonce(), self.now())
                report.summarised += len(rest)
                await self._send_outbox(message, report)
        await self.crosspost(report)
        return report

    async def recover(self, report: RunReport | None = None) -> RunReport:
        """Resolve what a crash (or a failed send) left `sending`: found by nonce, or re-sent."""
        report = report or RunReport()
        for d in self.ledger.deliveries(state="sending"):
            sub = self.ledger.subscription(d.channel_id)
            item = self.ledger.item(d.article_id)
            if sub is None or item is None:
                continue
            found = await self.sender.find_by_nonce(d.channel_id, d.nonce)
            if found is not None:
                log.info("delivery of %s to %s was sent before a restart: recorded", d.article_id,
                         d.channel_id)
                self.ledger.mark_sent(d.article_id, d.channel_id, message_id=found, now=self.now())
                report.recovered += 1
                self._after_send(sub, found)
            else:
                await self._send(sub, item, d.nonce, report)
        for message in self.ledger.outbox():
            await self._send_outbox(message, report)
        return report

    async def _send_item(self, sub: Subscription, item: Item, report: RunReport) -> None:
        nonce = new_nonce()
        if self.ledger.claim(item.article_id, sub.channel_id, nonce=nonce, post_hash=item.post_hash):
            await self._send(sub, item, nonce, report)

    async def _send(self, sub: Subscription, item: Item, nonce: str, report: RunReport) -> None:
        post = replace(Post.from_json(item.post), role_id=sub.role_id)
        try:
            message_id = await self.sender.send(sub.channel_id, post, nonce)
        except DeliveryFailed as exc:
            log.warning("cannot post %s to %s: %s", item.article_id, sub.channel_id, exc)
            if exc.permanent:
                self.ledger.mark_failed(item.article_id, sub.channel_id, str(exc))
            return  # a transient failure stays `sending`: the next run resolves it by nonce
        self.ledger.mark_sent(item.article_id, sub.channel_id, message_id=message_id, now=self.now())
        report.posted += 1
        self._after_send(sub, message_id)

    def _after_send(self, sub: Subscription, message_id: int) -> None:
        if sub.announce:
            self.ledger.queue_crosspost(sub.channel_id, message_id, self.now())

    async def _send_outbox(self, message: OutboxMessage, report: RunReport) -> None:
        try:
            if message.kind == "digest":
                ids = await self.sender.send_digest(message.channel_id, Digest.from_json(message.payload),
                                                    message.nonce)
                message_id = ids[0] if ids else 0
                report.digests += 1
            else:
                found = await self.sender.find_by_nonce(message.channel_id, message.nonce)
                message_id = found if found is not None else await self.sender.send(
                    message.channel_id, Notice.from_json(message.payload), message.nonce)
                report.notices += found is None
        except DeliveryFailed as exc:
            log.warning("cannot send a %s to %s: %s", message.kind, message.channel_id, exc)
            if not exc.permanent:
                return
            message_id = 0
        self.ledger.outbox_sent(message_id, message.id, self.now())

    async def _edit(self, delivery: Delivery, item: Item, report: RunReport) -> None:
        sub = self.ledger.subscription(delivery.channel_id)
        post = replace(Post.from_json(item.post), role_id=sub.role_id if sub else None)
        try:
            await self.sender.edit(delivery.channel_id, delivery.message_id, post)
        except DeliveryFailed as exc:
            log.warning("cannot edit the post of %s in %s: %s", item.article_id, delivery.channel_id, exc)
            if not exc.permanent:
                return
        self.ledger.mark_edited(item.article_id, delivery.channel_id, item.post_hash, self.now())
        report.edited += 1

    async def crosspost(self, report: RunReport | None = None) -> RunReport:
        """Publish waiting announcement posts, at most CROSSPOSTS_PER_HOUR per channel per hour."""
        report = report or RunReport()
        for channel_id, message_id in self.ledger.waiting_crossposts():
            now = self.now()
            if self.ledger.crossposts_since(channel_id, now - timedelta(hours=1)) >= CROSSPOSTS_PER_HOUR:
                continue
            try:
                await self.sender.crosspost(channel_id, message_id)
            except DeliveryFailed as exc:
                log.warning("cannot publish message %s in %s: %s", message_id, channel_id, exc)
                if not exc.permanent:
                    continue
            self.ledger.crosspost_done(channel_id, message_id, now)
            report.crossposted += 1
        return report

    # -- scheduled digests --------------------------------------------------------------------

    def schedule_digest(self, channel_id: int, schedule: Schedule, *, guild_id: int | None = None,
                        category: str | None = None) -> datetime:
        """Schedule (or reschedule) a channel's digest; returns when the first one is due. Slots
        already past are not sent; a rescheduled channel keeps the end of its last digest."""
        now = self.now()
        old = next((r for r in self.ledger.schedules() if r.channel_id == channel_id), None)
        self.ledger.set_schedule(ScheduleRow(
            channel_id, guild_id, schedule.frequency, schedule.weekday, schedule.at.strftime("%H:%M"),
            schedule.timezone, category, now, schedule.latest_slot(now), old.last_until if old else None,
        ))
        return schedule.next_slot(now)

    async def run_schedules(self, build: Callable[[datetime, datetime, str | None], Digest]) -> int:
        """Send the digests that are due; returns how many were sent. A slot with nothing new
        since the last digest is marked handled and sends nothing."""
        sent = 0
        for row in self.ledger.schedules():
            schedule = Schedule(row.frequency, time.fromisoformat(row.at_time), row.timezone, row.weekday)
            now = self.now()
            slot = due_slot(schedule, row.last_slot, now)
            if slot is None:
                continue
            since = row.last_until or slot - schedule.period
            digest = await asyncio.to_thread(build, since, slot, row.category)
            message = self.ledger.claim_digest(
                row.channel_id, slot=slot, until=slot, nonce=new_nonce(), now=now,
                payload=digest.to_json() | {"category": row.category} if digest.items else None)
            if message is None:
                log.info("no new articles for the digest of %s due %s", row.channel_id, slot)
                continue
            report = RunReport()
            await self._send_outbox(message, report)
            sent += report.digests
        return sent


def _summary(items: list[Item]) -> Notice:
    """The articles over a run's limit, all listed (the renderer says how many it could show)."""
    text = f"{len(items)} more new articles arrived than are posted one by one:"
    return Notice("summary", text, tuple((i.title, i.url) for i in items))


@dataclass
class WhyReport:
    """What happened to an article: seen (when, from where), and per channel posted, waiting,
    summarised or filtered out (by which rule). `item` is None when no source served it yet."""

    query: str
    item: Item | None
    deliveries: list[Delivery]
    subscriptions: list[Subscription]
    sources: list[SourceState]

    def lines(self, channel: Callable[[int], str] = str,
              when: Callable[[datetime], str] = lambda dt: f"{dt:%Y-%m-%d %H:%M} UTC",
              quote: Callable[[str], str] = str) -> list[str]:
        """Sentences for a moderator; `quote` escapes text that comes from sources."""
        if self.item is None:
            out = [f"Not fetched yet: no source has served an article matching “{quote(self.query)}”."]
            for s in self.sources:
                polled = when(s.last_poll) if s.last_poll else "never"
                state = f"failing ({quote(s.last_error or '')})" if s.failures else "ok"
                out.append(f"Source {quote(s.url)}: last polled {polled}, {state}.")
            return out
        item = self.item
        out = [f"“{quote(item.title)}” was first seen {when(item.first_seen)} "
               f"from {quote(item.source or '?')}."]
        if item.baseline:
            out.append("It was already there when the bot first read that source, so it was "
                       "marked seen and not posted.")
            return out
        by_channel = {d.channel_id: d for d in self.deliveries}
        for cid in dict.fromkeys([*by_channel, *(s.channel_id for s in self.subscriptions)]):
            d = by_channel.get(cid)
            if d is None:
                out.append(f"{channel(cid)}: subscribed after the article was seen.")
            elif d.state == "sent":
                out.append(f"{channel(cid)}: posted {when(d.sent_at)}.")
            elif d.state == "summarised":
                out.append(f"{channel(cid)}: listed in a summary {when(d.sent_at)} "
                           "(more new articles than one run posts).")
            elif d.state == "filtered":
                out.append(f"{channel(cid)}: filtered out by the {quote(d.reason or '')}.")
            elif d.state == "failed":
                out.append(f"{channel(cid)}: could not be posted ({quote(d.reason or '')}).")
            else:
                out.append(f"{channel(cid)}: waiting to be posted.")
        return out


def why(ledger: Ledger, query: str) -> WhyReport:
    """Look an article up by link, feed id or title."""
    q = query.strip()
    keys = [f"guid:{q}"]
    if "://" in q or q.startswith("www."):
        keys.insert(0, f"url:{normalise_link(q)}")
    article_id = ledger.known_article(keys)
    if article_id is None:
        titled = ledger.items_titled(q, 1)
        article_id = titled[0].article_id if titled else None
    item = ledger.item(article_id) if article_id else None
    deliveries = ledger.deliveries(article_id=article_id) if article_id else []
    return WhyReport(q, item, deliveries, ledger.subscriptions(), ledger.sources())
