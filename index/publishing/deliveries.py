"""Who gets what, and what was sent: subscriptions, one delivery per article and channel, the
outbox for every other message, and announcement crossposts.

Every decision that must survive a crash is written before the Discord call it guards: a
delivery goes `queued -> sending` (with a nonce) before the message is sent and `sending -> sent`
after, so a delivery found in `sending` at start-up is one whose message may or may not exist, and
is resolved by its nonce, never re-sent blindly. Other messages (summaries, warnings, digests)
go through `pub_outbox` the same way.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from index.publishing.db import LedgerDB, iso, parse_iso
from index.publishing.feeds import ITEM_COLS, Item, item_from_row
from index.store import first_row


@dataclass(frozen=True)
class Subscription:
    """Which new articles a channel gets from `feed` (a source's address; every source when
    None): any of `categories` (all when empty), and any of `keywords` (all when empty);
    `role_id` is mentioned in each post when set. A channel may take several feeds, each with
    its own filters; for a feed it names, that subscription rules over its all-feeds one."""

    channel_id: int
    guild_id: int | None = None
    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    role_id: int | None = None
    announce: bool = False
    created_at: datetime | None = None
    feed: str | None = None

    def takes(self, source: str | None) -> bool:
        return self.feed is None or self.feed == source


@dataclass
class Delivery:
    article_id: str
    channel_id: int
    state: str
    reason: str | None
    nonce: str | None
    message_id: int | None
    post_hash: str | None
    queued_at: datetime
    sent_at: datetime | None


@dataclass
class OutboxMessage:
    id: int
    channel_id: int
    kind: str
    payload: dict
    nonce: str
    state: str
    message_id: int | None


def new_nonce() -> str:
    """20 characters: a message part appends "-N" and stays within Discord's 25."""
    return secrets.token_hex(10)


_DELIVERY_COLS = ("article_id, channel_id, state, reason, nonce, message_id, post_hash, queued_at, "
                  "sent_at")


def _delivery(row: tuple) -> Delivery:
    aid, cid, state, reason, nonce, mid, post_hash, queued_at, sent_at = row
    return Delivery(aid, cid, state, reason, nonce, mid, post_hash, parse_iso(queued_at),
                    parse_iso(sent_at))


_SUBSCRIPTION_COLS = "channel_id, guild_id, categories, keywords, role_id, announce, created_at, feed"


def _subscription(row: tuple) -> Subscription:
    cid, gid, cats, words, role, announce, created, feed = row
    return Subscription(cid, gid, tuple(json.loads(cats)), tuple(json.loads(words)), role,
                        bool(announce), parse_iso(created), feed or None)


def _prefixed(cols: str, prefix: str) -> str:
    return ", ".join(f"{prefix}.{c.strip()}" for c in cols.split(","))


class Deliveries:
    def __init__(self, db: LedgerDB) -> None:
        self.db = db

    # -- subscriptions ------------------------------------------------------------------------

    def subscribe(self, sub: Subscription, now: datetime) -> bool:
        """Add or replace a channel's subscription to a feed (or to all); True when it replaced one."""
        with self.db.transaction() as c:
            existed = first_row(c.execute("SELECT 1 FROM pub_subscriptions WHERE channel_id = ? AND feed = ?",
                                          (sub.channel_id, sub.feed or "")))
            c.execute(
                f"INSERT OR REPLACE INTO pub_subscriptions ({_SUBSCRIPTION_COLS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (sub.channel_id, sub.guild_id, json.dumps(list(sub.categories)),
                 json.dumps(list(sub.keywords)), sub.role_id, int(sub.announce),
                 iso(sub.created_at or now), sub.feed or ""),
            )
        return existed is not None

    def unsubscribe(self, channel_id: int, feed: str | None = None) -> int:
        """Stop a channel's posts (from one feed, or all); posts still queued for it that no
        remaining subscription takes are dropped with it. Returns how many were removed."""
        with self.db.transaction() as c:
            if feed is None:
                gone = c.execute("DELETE FROM pub_subscriptions WHERE channel_id = ?", (channel_id,)).rowcount
            else:
                gone = c.execute("DELETE FROM pub_subscriptions WHERE channel_id = ? AND feed = ?",
                                 (channel_id, feed)).rowcount
            left = self.channel_subscriptions(channel_id)
            queued = c.execute(
                "SELECT d.article_id, i.source FROM pub_deliveries d JOIN pub_items i "
                "ON i.article_id = d.article_id WHERE d.channel_id = ? AND d.state = 'queued'",
                (channel_id,)).fetchall()
            c.executemany("DELETE FROM pub_deliveries WHERE article_id = ? AND channel_id = ?",
                          [(aid, channel_id) for aid, source in queued
                           if not any(s.takes(source) for s in left)])
        return gone

    def drop_source(self, source: str) -> int:
        """A removed source: the subscriptions bound to it go, with posts still queued from it.
        Returns how many subscriptions went."""
        with self.db.transaction() as c:
            gone = c.execute("DELETE FROM pub_subscriptions WHERE feed = ?", (source,)).rowcount
            c.execute("DELETE FROM pub_deliveries WHERE state = 'queued' AND article_id IN "
                      "(SELECT article_id FROM pub_items WHERE source = ?)", (source,))
        return gone

    def subscriptions(self, guild_id: int | None = None) -> list[Subscription]:
        sql = f"SELECT {_SUBSCRIPTION_COLS} FROM pub_subscriptions"
        if guild_id is None:
            return [_subscription(r) for r in self.db.all(sql + " ORDER BY channel_id, feed")]
        return [_subscription(r) for r in
                self.db.all(sql + " WHERE guild_id = ? ORDER BY channel_id, feed", (guild_id,))]

    def channel_subscriptions(self, channel_id: int) -> list[Subscription]:
        return [_subscription(r) for r in self.db.all(
            f"SELECT {_SUBSCRIPTION_COLS} FROM pub_subscriptions WHERE channel_id = ? ORDER BY feed",
            (channel_id,))]

    def subscription_for(self, channel_id: int, source: str | None) -> Subscription | None:
        """The subscription that decides what a channel does with an article from `source`:
        the one naming that feed, else the channel's all-feeds one."""
        subs = self.channel_subscriptions(channel_id)
        return (next((s for s in subs if s.feed is not None and s.feed == source), None)
                or next((s for s in subs if s.feed is None), None))

    def subscription(self, channel_id: int) -> Subscription | None:
        """The channel's all-feeds subscription, else its first one."""
        subs = self.channel_subscriptions(channel_id)
        return next((s for s in subs if s.feed is None), subs[0] if subs else None)

    def channels_taking(self, source: str) -> list[int]:
        """Channels that get articles from `source` (bound to it, or to every source)."""
        return [r[0] for r in self.db.all(
            "SELECT DISTINCT channel_id FROM pub_subscriptions WHERE feed = '' OR feed = ? "
            "ORDER BY channel_id", (source,))]

    # -- deliveries ---------------------------------------------------------------------------

    def add_delivery(self, article_id: str, channel_id: int, *, state: str, reason: str | None,
                     now: datetime) -> None:
        """Decide once what an article means for a channel ('queued' or 'filtered')."""
        with self.db.transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO pub_deliveries (article_id, channel_id, state, reason, queued_at) "
                "VALUES (?, ?, ?, ?, ?)", (article_id, channel_id, state, reason, iso(now)),
            )

    def deliveries(self, *, article_id: str | None = None, channel_id: int | None = None,
                   state: str | None = None) -> list[Delivery]:
        where, params = [], []
        for column, value in (("article_id", article_id), ("channel_id", channel_id), ("state", state)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = f"SELECT {_DELIVERY_COLS} FROM pub_deliveries"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [_delivery(r) for r in self.db.all(sql + " ORDER BY queued_at, article_id", params)]

    def queued_channels(self) -> list[int]:
        return [r[0] for r in self.db.all(
            "SELECT DISTINCT channel_id FROM pub_deliveries WHERE state = 'queued' ORDER BY channel_id")]

    def queued_items(self, channel_id: int) -> list[Item]:
        """A channel's waiting articles, oldest first (by publication, else when first seen)."""
        rows = self.db.all(
            f"SELECT {_prefixed(ITEM_COLS, 'i')} "
            "FROM pub_deliveries d JOIN pub_items i ON i.article_id = d.article_id "
            "WHERE d.channel_id = ? AND d.state = 'queued' "
            "ORDER BY COALESCE(i.published, i.first_seen), i.seq", (channel_id,),
        )
        return [item_from_row(r) for r in rows]

    def claim(self, article_id: str, channel_id: int, *, nonce: str, post_hash: str) -> bool:
        """queued -> sending, recording the nonce the message will carry and the version of the
        post it shows. False when the delivery is not queued (someone else has it)."""
        with self.db.transaction() as c:
            return c.execute(
                "UPDATE pub_deliveries SET state = 'sending', nonce = ?, post_hash = ? "
                "WHERE article_id = ? AND channel_id = ? AND state = 'queued'",
                (nonce, post_hash, article_id, channel_id),
            ).rowcount == 1

    def mark_sent(self, article_id: str, channel_id: int, *, message_id: int, now: datetime) -> None:
        with self.db.transaction() as c:
            c.execute(
                "UPDATE pub_deliveries SET state = 'sent', message_id = ?, sent_at = ? "
                "WHERE article_id = ? AND channel_id = ?",
                (message_id, iso(now), article_id, channel_id),
            )

    def mark_failed(self, article_id: str, channel_id: int, reason: str) -> None:
        """A delivery Discord refused for good (unknown channel, no permission): not retried."""
        with self.db.transaction() as c:
            c.execute("UPDATE pub_deliveries SET state = 'failed', reason = ? "
                      "WHERE article_id = ? AND channel_id = ?", (reason, article_id, channel_id))

    def stale_deliveries(self, sent_since: datetime | None = None) -> list[tuple[Delivery, Item]]:
        """Posts sent since `sent_since` whose article was corrected after: their messages need
        an edit. (Older posts are left as they are.)"""
        rows = self.db.all(
            f"SELECT {_prefixed(_DELIVERY_COLS, 'd')}, {_prefixed(ITEM_COLS, 'i')} "
            "FROM pub_deliveries d JOIN pub_items i "
            "ON i.article_id = d.article_id WHERE d.state = 'sent' AND d.sent_at >= ? "
            "AND d.message_id IS NOT NULL AND d.post_hash IS NOT i.post_hash ORDER BY d.sent_at",
            (iso(sent_since) if sent_since else "",),
        )
        n = len(_DELIVERY_COLS.split(","))
        return [(_delivery(r[:n]), item_from_row(r[n:])) for r in rows]

    def mark_edited(self, article_id: str, channel_id: int, post_hash: str, now: datetime) -> None:
        with self.db.transaction() as c:
            c.execute("UPDATE pub_deliveries SET post_hash = ?, edited_at = ? "
                      "WHERE article_id = ? AND channel_id = ?",
                      (post_hash, iso(now), article_id, channel_id))

    def summarise(self, channel_id: int, article_ids: list[str], payload: dict, nonce: str,
                  now: datetime) -> OutboxMessage:
        """Queued articles over a run's limit: marked summarised, and one outbox message for all."""
        with self.db.transaction() as c:
            c.executemany(
                "UPDATE pub_deliveries SET state = 'summarised', nonce = ?, sent_at = ? "
                "WHERE article_id = ? AND channel_id = ? AND state = 'queued'",
                [(nonce, iso(now), aid, channel_id) for aid in article_ids],
            )
            return self.enqueue(channel_id, "summary", payload, nonce, now)

    # -- outbox: other messages, sent exactly once --------------------------------------------

    def enqueue(self, channel_id: int, kind: str, payload: dict, nonce: str,
                now: datetime) -> OutboxMessage:
        with self.db.transaction() as c:
            cur = c.execute(
                "INSERT INTO pub_outbox (channel_id, kind, payload, nonce, state, created_at) "
                "VALUES (?, ?, ?, ?, 'sending', ?)",
                (channel_id, kind, json.dumps(payload), nonce, iso(now)),
            )
        return OutboxMessage(cur.lastrowid, channel_id, kind, payload, nonce, "sending", None)

    def outbox(self, *, state: str | None = "sending", channel_id: int | None = None,
               kind: str | None = None) -> list[OutboxMessage]:
        where, params = [], []
        for column, value in (("state", state), ("channel_id", channel_id), ("kind", kind)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = "SELECT id, channel_id, kind, payload, nonce, state, message_id FROM pub_outbox"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [OutboxMessage(i, cid, k, json.loads(p), n, s, m)
                for i, cid, k, p, n, s, m in self.db.all(sql + " ORDER BY id", params)]

    def outbox_sent(self, message_id: int, outbox_id: int, now: datetime) -> None:
        with self.db.transaction() as c:
            c.execute("UPDATE pub_outbox SET state = 'sent', message_id = ?, sent_at = ? WHERE id = ?",
                      (message_id, iso(now), outbox_id))

    # -- crossposts (announcement channels) ---------------------------------------------------

    def queue_crosspost(self, channel_id: int, message_id: int, now: datetime) -> None:
        with self.db.transaction() as c:
            c.execute("INSERT OR IGNORE INTO pub_crossposts (channel_id, message_id, queued_at) "
                      "VALUES (?, ?, ?)", (channel_id, message_id, iso(now)))

    def waiting_crossposts(self) -> list[tuple[int, int]]:
        return [(c, m) for c, m in self.db.all(
            "SELECT channel_id, message_id FROM pub_crossposts WHERE done_at IS NULL "
            "ORDER BY queued_at, message_id")]

    def crossposts_since(self, channel_id: int, since: datetime) -> int:
        return self.db.one("SELECT COUNT(*) FROM pub_crossposts WHERE channel_id = ? AND done_at >= ?",
                           (channel_id, iso(since)))[0]

    def crosspost_done(self, channel_id: int, message_id: int, now: datetime) -> None:
        with self.db.transaction() as c:
            c.execute("UPDATE pub_crossposts SET done_at = ? WHERE channel_id = ? AND message_id = ?",
                      (iso(now), channel_id, message_id))
