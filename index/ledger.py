"""Publishing state in SQLite: the one place that knows what was seen, and what was posted where.

It shares the archive's database file. Every decision that must survive a restart or a crash is
written here before the Discord call it guards: a delivery goes `queued -> sending` (with a nonce)
before the message is sent and `sending -> sent` after, so a delivery found in `sending` at
start-up is one whose message may or may not exist, and is resolved by its nonce, never re-sent
blindly. Other messages (summaries, warnings, digests) go through `outbox` the same way.

Times are stored as UTC ISO strings with whole seconds, so they compare as text.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from articles.identity import normalise_link
from articles.model import Article
from index.store import connect, first_row, parse_iso


def ledger_path(db_path: Path) -> Path:
    """The bot's publishing state sits beside the archive (`archive.publishing.db`), so a
    reindex, which holds the archive's write lock for its whole run, never delays a post."""
    return Path(db_path).with_suffix(".publishing.db")


SCHEMA = """
CREATE TABLE IF NOT EXISTS pub_sources (
    url TEXT PRIMARY KEY, kind TEXT NOT NULL, interval_s INTEGER NOT NULL,
    etag TEXT, last_modified TEXT, next_poll TEXT, last_poll TEXT, last_ok TEXT, last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0, warned INTEGER NOT NULL DEFAULT 0,
    primed_at TEXT, primed_count INTEGER
);
CREATE TABLE IF NOT EXISTS pub_files (
    source TEXT NOT NULL, path TEXT NOT NULL, size INTEGER, mtime_ns INTEGER,
    PRIMARY KEY (source, path)
);
CREATE TABLE IF NOT EXISTS pub_identities (key TEXT PRIMARY KEY, article_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pub_items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, article_id TEXT NOT NULL UNIQUE, source TEXT,
    title TEXT NOT NULL, url TEXT, published TEXT, first_seen TEXT NOT NULL,
    baseline INTEGER NOT NULL, post TEXT NOT NULL, post_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pub_subscriptions (
    channel_id INTEGER PRIMARY KEY, guild_id INTEGER, categories TEXT NOT NULL,
    keywords TEXT NOT NULL, role_id INTEGER, announce INTEGER NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pub_deliveries (
    article_id TEXT NOT NULL, channel_id INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT,
    nonce TEXT, message_id INTEGER, post_hash TEXT, queued_at TEXT NOT NULL, sent_at TEXT,
    edited_at TEXT, PRIMARY KEY (article_id, channel_id)
);
CREATE INDEX IF NOT EXISTS pub_deliveries_state ON pub_deliveries (channel_id, state);
CREATE TABLE IF NOT EXISTS pub_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, channel_id INTEGER NOT NULL, kind TEXT NOT NULL,
    payload TEXT NOT NULL, nonce TEXT NOT NULL UNIQUE, state TEXT NOT NULL,
    message_id INTEGER, created_at TEXT NOT NULL, sent_at TEXT
);
CREATE TABLE IF NOT EXISTS pub_crossposts (
    channel_id INTEGER NOT NULL, message_id INTEGER NOT NULL, queued_at TEXT NOT NULL,
    done_at TEXT, PRIMARY KEY (channel_id, message_id)
);
CREATE TABLE IF NOT EXISTS pub_schedules (
    channel_id INTEGER PRIMARY KEY, guild_id INTEGER, frequency TEXT NOT NULL, weekday INTEGER,
    at_time TEXT NOT NULL, timezone TEXT NOT NULL, category TEXT, created_at TEXT NOT NULL,
    last_slot TEXT, last_until TEXT
)
"""



def identity_keys(article: Article) -> list[str]:
    """Every name an article can be recognised by, strongest first: the feed's id, the
    normalised link, its own id (e.g. the file it came from), and the hash of its text."""
    keys = []
    if article.guid:
        keys.append(f"guid:{article.guid}")
    if article.url:
        keys.append(f"url:{normalise_link(article.url)}")
    keys.append(article.id)
    keys.append(f"hash:{article.content_hash}")
    return list(dict.fromkeys(keys))


def iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def ensure_ledger_schema(db: sqlite_utils.Database) -> None:
    """Create the publishing tables when missing (all `IF NOT EXISTS`: safe at every start)."""
    with db.conn:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.conn.execute(statement)


@dataclass
class SourceState:
    url: str
    kind: str
    interval_s: int
    etag: str | None
    last_modified: str | None
    next_poll: datetime | None
    last_poll: datetime | None
    last_ok: datetime | None
    last_error: str | None
    failures: int
    warned: bool
    primed_at: datetime | None
    primed_count: int | None


@dataclass(frozen=True)
class Subscription:
    """Which new articles a channel gets: any of `categories` (all when empty), and any of
    `keywords` (all when empty); `role_id` is mentioned in each post when set."""

    channel_id: int
    guild_id: int | None = None
    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    role_id: int | None = None
    announce: bool = False
    created_at: datetime | None = None


@dataclass
class Item:
    seq: int
    article_id: str
    source: str | None
    title: str
    url: str | None
    published: datetime | None
    first_seen: datetime
    baseline: bool
    post: dict
    post_hash: str


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


@dataclass
class ScheduleRow:
    channel_id: int
    guild_id: int | None
    frequency: str
    weekday: int | None
    at_time: str
    timezone: str
    category: str | None
    created_at: datetime
    last_slot: datetime | None
    last_until: datetime | None


_SOURCE_COLS = ("url, kind, interval_s, etag, last_modified, next_poll, last_poll, last_ok, "
                "last_error, failures, warned, primed_at, primed_count")
_ITEM_COLS = "seq, article_id, source, title, url, published, first_seen, baseline, post, post_hash"
_DELIVERY_COLS = ("article_id, channel_id, state, reason, nonce, message_id, post_hash, queued_at, "
                  "sent_at")
_SCHEDULE_COLS = ("channel_id, guild_id, frequency, weekday, at_time, timezone, category, "
                  "created_at, last_slot, last_until")


def _source(row: tuple) -> SourceState:
    (url, kind, interval, etag, modified, next_poll, last_poll, last_ok, error, failures, warned,
     primed_at, primed_count) = row
    return SourceState(url, kind, interval, etag, modified, parse_iso(next_poll), parse_iso(last_poll),
                       parse_iso(last_ok), error, failures, bool(warned), parse_iso(primed_at),
                       primed_count)


def _item(row: tuple) -> Item:
    seq, aid, source, title, url, published, first_seen, baseline, post, post_hash = row
    return Item(seq, aid, source, title, url, parse_iso(published), parse_iso(first_seen),
                bool(baseline), json.loads(post), post_hash)


def _delivery(row: tuple) -> Delivery:
    aid, cid, state, reason, nonce, mid, post_hash, queued_at, sent_at = row
    return Delivery(aid, cid, state, reason, nonce, mid, post_hash, parse_iso(queued_at),
                    parse_iso(sent_at))


def _subscription(row: tuple) -> Subscription:
    cid, gid, cats, words, role, announce, created = row
    return Subscription(cid, gid, tuple(json.loads(cats)), tuple(json.loads(words)), role,
                        bool(announce), parse_iso(created))


def _schedule(row: tuple) -> ScheduleRow:
    cid, gid, freq, weekday, at, tz, cat, created, last_slot, last_until = row
    return ScheduleRow(cid, gid, freq, weekday, at, tz, cat, parse_iso(created), parse_iso(last_slot),
                       parse_iso(last_until))


class Ledger:
    """Publishing state on its own connection to the archive's database file."""

    def __init__(self, db_path: Path, *, busy_timeout: float = 30.0) -> None:
        """`busy_timeout`: how long a write waits for another writer (a reindex holds the file
        for its whole run). The bot uses a short one: its event loop must not stall, and a write
        that gives up is retried on the next cycle with nothing lost."""
        self.db = connect(Path(db_path))
        self.conn = self.db.conn
        self.conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        self._lock = threading.RLock()
        ensure_ledger_schema(self.db)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing writes (nested calls join the outer transaction)."""
        with self._lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def _one(self, sql: str, params: Iterable = ()) -> tuple | None:
        with self._lock:
            return first_row(self.conn.execute(sql, tuple(params)))

    def _all(self, sql: str, params: Iterable = ()) -> list[tuple]:
        with self._lock:
            return self.conn.execute(sql, tuple(params)).fetchall()

    # -- sources ------------------------------------------------------------------------------

    def add_source(self, url: str, kind: str, interval_s: int, now: datetime) -> None:
        """Register a source (due at once); an existing one keeps its state, takes the interval."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO pub_sources (url, kind, interval_s, next_poll) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET interval_s = excluded.interval_s",
                (url, kind, interval_s, iso(now)),
            )

    def source(self, url: str) -> SourceState | None:
        row = self._one(f"SELECT {_SOURCE_COLS} FROM pub_sources WHERE url = ?", (url,))
        return _source(row) if row else None

    def sources(self) -> list[SourceState]:
        return [_source(r) for r in self._all(f"SELECT {_SOURCE_COLS} FROM pub_sources ORDER BY url")]

    def due_sources(self, now: datetime) -> list[SourceState]:
        rows = self._all(
            f"SELECT {_SOURCE_COLS} FROM pub_sources WHERE next_poll IS NULL OR next_poll <= ? "
            "ORDER BY next_poll", (iso(now),),
        )
        return [_source(r) for r in rows]

    def poll_succeeded(self, url: str, *, etag: str | None, last_modified: str | None,
                       now: datetime, next_poll: datetime) -> bool:
        """Record a good poll; True when the source had been reported broken (now recovered)."""
        with self.transaction() as c:
            row = first_row(c.execute("SELECT warned FROM pub_sources WHERE url = ?", (url,)))
            c.execute(
                "UPDATE pub_sources SET etag = ?, last_modified = ?, last_poll = ?, last_ok = ?, "
                "next_poll = ?, failures = 0, warned = 0, last_error = NULL WHERE url = ?",
                (etag, last_modified, iso(now), iso(now), iso(next_poll), url),
            )
        return bool(row and row[0])

    def poll_failed(self, url: str, error: str, *, now: datetime, next_poll: datetime,
                    warn_after: int) -> tuple[int, bool]:
        """Record a failed poll; returns (consecutive failures, whether to warn now). The warning
        is due exactly once per outage: when failures first reach `warn_after`."""
        with self.transaction() as c:
            c.execute(
                "UPDATE pub_sources SET failures = failures + 1, last_error = ?, last_poll = ?, "
                "next_poll = ? WHERE url = ?", (error, iso(now), iso(next_poll), url),
            )
            failures, warned = first_row(c.execute(
                "SELECT failures, warned FROM pub_sources WHERE url = ?", (url,)
            ))
            warn = failures >= warn_after and not warned
            if warn:
                c.execute("UPDATE pub_sources SET warned = 1 WHERE url = ?", (url,))
        return failures, warn

    def mark_primed(self, url: str, count: int, now: datetime) -> None:
        with self.transaction() as c:
            c.execute("UPDATE pub_sources SET primed_at = ?, primed_count = ? WHERE url = ?",
                      (iso(now), count, url))

    def file_stamps(self, source: str) -> dict[str, tuple[int, int]]:
        rows = self._all("SELECT path, size, mtime_ns FROM pub_files WHERE source = ?", (source,))
        return {path: (size, mtime) for path, size, mtime in rows}

    def save_file_stamps(self, source: str, stamps: dict[str, tuple[int, int]]) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM pub_files WHERE source = ?", (source,))
            c.executemany(
                "INSERT INTO pub_files (source, path, size, mtime_ns) VALUES (?, ?, ?, ?)",
                [(source, path, size, mtime) for path, (size, mtime) in stamps.items()],
            )

    # -- items and their identities -----------------------------------------------------------

    def known_article(self, keys: Iterable[str]) -> str | None:
        """The article id already recorded under any of these identity keys, in key order."""
        for key in keys:
            row = self._one("SELECT article_id FROM pub_identities WHERE key = ?", (key,))
            if row:
                return row[0]
        return None

    def add_identities(self, article_id: str, keys: Iterable[str]) -> None:
        with self.transaction() as c:
            c.executemany("INSERT OR IGNORE INTO pub_identities (key, article_id) VALUES (?, ?)",
                          [(k, article_id) for k in keys])

    def record_item(self, article_id: str, *, source: str | None, title: str, url: str | None,
                    published: datetime | None, post: dict, post_hash: str, baseline: bool,
                    now: datetime) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO pub_items (article_id, source, title, url, published, first_seen, "
                "baseline, post, post_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, source, title, url, iso(published) if published else None, iso(now),
                 int(baseline), json.dumps(post), post_hash),
            )

    def update_item(self, article_id: str, *, title: str, url: str | None, post: dict,
                    post_hash: str) -> None:
        with self.transaction() as c:
            c.execute("UPDATE pub_items SET title = ?, url = ?, post = ?, post_hash = ? "
                      "WHERE article_id = ?", (title, url, json.dumps(post), post_hash, article_id))

    def item(self, article_id: str) -> Item | None:
        row = self._one(f"SELECT {_ITEM_COLS} FROM pub_items WHERE article_id = ?", (article_id,))
        return _item(row) if row else None

    def items_titled(self, text: str, limit: int = 5) -> list[Item]:
        """Items whose title is `text` (any case), else contains it; newest first."""
        rows = self._all(f"SELECT {_ITEM_COLS} FROM pub_items WHERE title = ? COLLATE NOCASE "
                         "ORDER BY seq DESC LIMIT ?", (text.strip(), limit))
        if not rows:
            like = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = self._all(f"SELECT {_ITEM_COLS} FROM pub_items WHERE title LIKE ? ESCAPE '\\' "
                             "ORDER BY seq DESC LIMIT ?", (like, limit))
        return [_item(r) for r in rows]

    def latest_items(self, source: str, limit: int) -> list[Item]:
        """A source's items, newest first by publication (else by when first seen)."""
        rows = self._all(f"SELECT {_ITEM_COLS} FROM pub_items WHERE source = ? "
                         "ORDER BY COALESCE(published, first_seen) DESC, seq DESC LIMIT ?", (source, limit))
        return [_item(r) for r in rows]

    # -- subscriptions ------------------------------------------------------------------------

    def subscribe(self, sub: Subscription, now: datetime) -> bool:
        """Add or replace a channel's subscription; True when it replaced one."""
        with self.transaction() as c:
            existed = first_row(c.execute("SELECT 1 FROM pub_subscriptions WHERE channel_id = ?",
                                (sub.channel_id,)))
            c.execute(
                "INSERT OR REPLACE INTO pub_subscriptions (channel_id, guild_id, categories, keywords, "
                "role_id, announce, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (sub.channel_id, sub.guild_id, json.dumps(list(sub.categories)),
                 json.dumps(list(sub.keywords)), sub.role_id, int(sub.announce),
                 iso(sub.created_at or now)),
            )
        return existed is not None

    def unsubscribe(self, channel_id: int) -> bool:
        """Stop a channel's posts; posts still queued for it are dropped with it."""
        with self.transaction() as c:
            gone = c.execute("DELETE FROM pub_subscriptions WHERE channel_id = ?", (channel_id,)).rowcount
            c.execute("DELETE FROM pub_deliveries WHERE channel_id = ? AND state = 'queued'",
                      (channel_id,))
        return bool(gone)

    def subscriptions(self, guild_id: int | None = None) -> list[Subscription]:
        sql = ("SELECT channel_id, guild_id, categories, keywords, role_id, announce, created_at "
               "FROM pub_subscriptions")
        if guild_id is None:
            return [_subscription(r) for r in self._all(sql + " ORDER BY channel_id")]
        return [_subscription(r) for r in
                self._all(sql + " WHERE guild_id = ? ORDER BY channel_id", (guild_id,))]

    def subscription(self, channel_id: int) -> Subscription | None:
        return next((s for s in self.subscriptions() if s.channel_id == channel_id), None)

    # -- deliveries ---------------------------------------------------------------------------

    def add_delivery(self, article_id: str, channel_id: int, *, state: str, reason: str | None,
                     now: datetime) -> None:
        """Decide once what an article means for a channel ('queued' or 'filtered')."""
        with self.transaction() as c:
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
        return [_delivery(r) for r in self._all(sql + " ORDER BY queued_at, article_id", params)]

    def queued_channels(self) -> list[int]:
        return [r[0] for r in self._all(
            "SELECT DISTINCT channel_id FROM pub_deliveries WHERE state = 'queued' ORDER BY channel_id")]

    def queued_items(self, channel_id: int) -> list[Item]:
        """A channel's waiting articles, oldest first (by publication, else when first seen)."""
        rows = self._all(
            f"SELECT {', '.join('i.' + c.strip() for c in _ITEM_COLS.split(','))} "
            "FROM pub_deliveries d JOIN pub_items i ON i.article_id = d.article_id "
            "WHERE d.channel_id = ? AND d.state = 'queued' "
            "ORDER BY COALESCE(i.published, i.first_seen), i.seq", (channel_id,),
        )
        return [_item(r) for r in rows]

    def claim(self, article_id: str, channel_id: int, *, nonce: str, post_hash: str) -> bool:
        """queued -> sending, recording the nonce the message will carry and the version of the
        post it shows. False when the delivery is not queued (someone else has it)."""
        with self.transaction() as c:
            return c.execute(
                "UPDATE pub_deliveries SET state = 'sending', nonce = ?, post_hash = ? "
                "WHERE article_id = ? AND channel_id = ? AND state = 'queued'",
                (nonce, post_hash, article_id, channel_id),
            ).rowcount == 1

    def mark_sent(self, article_id: str, channel_id: int, *, message_id: int, now: datetime) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE pub_deliveries SET state = 'sent', message_id = ?, sent_at = ? "
                "WHERE article_id = ? AND channel_id = ?",
                (message_id, iso(now), article_id, channel_id),
            )

    def mark_failed(self, article_id: str, channel_id: int, reason: str) -> None:
        """A delivery Discord refused for good (unknown channel, no permission): not retried."""
        with self.transaction() as c:
            c.execute("UPDATE pub_deliveries SET state = 'failed', reason = ? "
                      "WHERE article_id = ? AND channel_id = ?", (reason, article_id, channel_id))

    def stale_deliveries(self) -> list[tuple[Delivery, Item]]:
        """Sent posts whose article was corrected since: their messages need an edit."""
        cols = ", ".join("d." + c.strip() for c in _DELIVERY_COLS.split(","))
        icols = ", ".join("i." + c.strip() for c in _ITEM_COLS.split(","))
        rows = self._all(
            f"SELECT {cols}, {icols} FROM pub_deliveries d JOIN pub_items i "
            "ON i.article_id = d.article_id WHERE d.state = 'sent' AND d.message_id IS NOT NULL "
            "AND d.post_hash IS NOT i.post_hash ORDER BY d.sent_at", (),
        )
        n = len(_DELIVERY_COLS.split(","))
        return [(_delivery(r[:n]), _item(r[n:])) for r in rows]

    def mark_edited(self, article_id: str, channel_id: int, post_hash: str, now: datetime) -> None:
        with self.transaction() as c:
            c.execute("UPDATE pub_deliveries SET post_hash = ?, edited_at = ? "
                      "WHERE article_id = ? AND channel_id = ?",
                      (post_hash, iso(now), article_id, channel_id))

    def summarise(self, channel_id: int, article_ids: list[str], payload: dict, nonce: str,
                  now: datetime) -> OutboxMessage:
        """Queued articles over a run's limit: marked summarised, and one outbox message for all."""
        with self.transaction() as c:
            c.executemany(
                "UPDATE pub_deliveries SET state = 'summarised', nonce = ?, sent_at = ? "
                "WHERE article_id = ? AND channel_id = ? AND state = 'queued'",
                [(nonce, iso(now), aid, channel_id) for aid in article_ids],
            )
            return self.enqueue(channel_id, "summary", payload, nonce, now)

    # -- outbox: other messages, sent exactly once --------------------------------------------

    def enqueue(self, channel_id: int, kind: str, payload: dict, nonce: str,
                now: datetime) -> OutboxMessage:
        with self.transaction() as c:
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
                for i, cid, k, p, n, s, m in self._all(sql + " ORDER BY id", params)]

    def outbox_sent(self, message_id: int, outbox_id: int, now: datetime) -> None:
        with self.transaction() as c:
            c.execute("UPDATE pub_outbox SET state = 'sent', message_id = ?, sent_at = ? WHERE id = ?",
                      (message_id, iso(now), outbox_id))

    # -- crossposts (announcement channels) ---------------------------------------------------

    def queue_crosspost(self, channel_id: int, message_id: int, now: datetime) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO pub_crossposts (channel_id, message_id, queued_at) "
                      "VALUES (?, ?, ?)", (channel_id, message_id, iso(now)))

    def waiting_crossposts(self) -> list[tuple[int, int]]:
        return [(c, m) for c, m in self._all(
            "SELECT channel_id, message_id FROM pub_crossposts WHERE done_at IS NULL "
            "ORDER BY queued_at, message_id")]

    def crossposts_since(self, channel_id: int, since: datetime) -> int:
        return self._one("SELECT COUNT(*) FROM pub_crossposts WHERE channel_id = ? AND done_at >= ?",
                         (channel_id, iso(since)))[0]

    def crosspost_done(self, channel_id: int, message_id: int, now: datetime) -> None:
        with self.transaction() as c:
            c.execute("UPDATE pub_crossposts SET done_at = ? WHERE channel_id = ? AND message_id = ?",
                      (iso(now), channel_id, message_id))

    # -- digest schedules ---------------------------------------------------------------------

    def set_schedule(self, row: ScheduleRow) -> None:
        with self.transaction() as c:
            c.execute(
                f"INSERT OR REPLACE INTO pub_schedules ({_SCHEDULE_COLS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (row.channel_id, row.guild_id, row.frequency, row.weekday, row.at_time, row.timezone,
                 row.category, iso(row.created_at), iso(row.last_slot) if row.last_slot else None,
                 iso(row.last_until) if row.last_until else None),
            )

    def remove_schedule(self, channel_id: int) -> bool:
        with self.transaction() as c:
            return c.execute("DELETE FROM pub_schedules WHERE channel_id = ?", (channel_id,)).rowcount == 1

    def schedules(self, guild_id: int | None = None) -> list[ScheduleRow]:
        sql = f"SELECT {_SCHEDULE_COLS} FROM pub_schedules"
        if guild_id is None:
            return [_schedule(r) for r in self._all(sql + " ORDER BY channel_id")]
        return [_schedule(r) for r in self._all(sql + " WHERE guild_id = ? ORDER BY channel_id", (guild_id,))]

    def claim_digest(self, channel_id: int, *, slot: datetime, until: datetime | None,
                     payload: dict | None, nonce: str, now: datetime) -> OutboxMessage | None:
        """Mark a schedule's slot handled and, when there is something to send, put its digest in
        the outbox, in one transaction: a restart finds the slot done or the digest pending,
        never neither or both. `until` advances only when a digest is sent."""
        with self.transaction() as c:
            c.execute("UPDATE pub_schedules SET last_slot = ? WHERE channel_id = ?",
                      (iso(slot), channel_id))
            if payload is None:
                return None
            c.execute("UPDATE pub_schedules SET last_until = ? WHERE channel_id = ?",
                      (iso(until), channel_id))
            return self.enqueue(channel_id, "digest", payload, nonce, now)
