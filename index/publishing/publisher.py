"""What to post where, exactly once: new articles to subscribed channels, and scheduled digests.

The publisher knows nothing of Discord. It talks to a `Sender` (the Discord cog's, or the
terminal's for `archive-bot watch`) and keeps every decision in the `Ledger`. Every ledger call
runs in a worker thread: the event loop that carries the bot's gateway heartbeat never waits
for SQLite.

1. Poll and 2. ingest: `index.publishing.polling` (each source on its own timer; what is new,
   corrected or already seen; warnings once per outage).
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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol

from articles.sources import FeedFetch, fetch_feed
from index.publishing.deliveries import Delivery, OutboxMessage, Subscription, new_nonce
from index.publishing.digest import Digest, build_digest
from index.publishing.feeds import Item, SourceState
from index.publishing.ledger import Ledger
from index.publishing.polling import WARN_AFTER_FAILURES, ArticleStore, Polling, PollReport
from index.publishing.posts import Notice, Post, split_for_channel, summary_notice
from index.publishing.schedules import Schedule, ScheduleRow, due_slot
from index.publishing.why import WhyReport, why

log = logging.getLogger(__name__)

CROSSPOSTS_PER_HOUR = 10
DigestBuilder = Callable[[datetime, datetime, str | None], Digest]


class DeliveryFailed(Exception):
    """The sender could not deliver. `permanent`: retrying cannot help (no channel, no access)."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


class NotPublishing(Exception):
    """This process no longer holds the publishing lease: it stops before sending anything."""


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
class Overview:
    """What `/subscriptions` shows: a server's subscriptions, the sources, the digests."""

    subscriptions: list[Subscription]
    sources: list[SourceState]
    schedules: list[ScheduleRow]


class Publisher(Polling):
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
        super().__init__(ledger, archive=archive, now=now, interval_s=interval_s,
                         min_interval_s=min_interval_s, timeout=timeout, warn_after=warn_after, fetch=fetch)
        self.schedules = ledger.schedules
        self.sender = sender
        self.limit = limit_per_run
        self.edit_window = edit_window
        self.may_send = may_send

    def _check_lease(self) -> None:
        if not self.may_send():
            raise NotPublishing("the publishing lease is no longer held")

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
