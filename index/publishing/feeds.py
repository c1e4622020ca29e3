"""Sources (feeds and article folders) and their state, and what they served: each article once,
under every identity it was seen with. The one place that decides "already seen"."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from articles.identity import normalise_link
from articles.model import Article
from index.publishing.db import LedgerDB, iso, maybe_iso, parse_iso
from index.store import first_row


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


@dataclass
class SourceState:
    url: str
    kind: str
    interval_s: float
    etag: str | None
    last_modified: str | None
    next_poll: datetime | None
    last_poll: datetime | None  # when the last poll started
    last_ok: datetime | None
    last_error: str | None
    failures: int
    warned: bool
    primed_at: datetime | None
    primed_count: int | None
    title: str | None = None
    origin: str = "config"  # config (FEEDS, ARCHIVE_DIRS) or discord (/feed add)
    added_by: int | None = None
    added_at: datetime | None = None
    cursor: int | None = None  # folders: the last archive row already followed
    first_look: float | None = None  # folders: when first looked at, as file times count (epoch s)
    added_in: int | None = None  # the server a moderator added it from

    @property
    def name(self) -> str:
        """How moderators know the source: the feed's title, else its address or folder."""
        if self.kind == "folder":
            return self.url.removeprefix("folder:")
        return self.title or self.url


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


_SOURCE_COLS = ("url, kind, interval_s, etag, last_modified, next_poll, last_poll, last_ok, "
                "last_error, failures, warned, primed_at, primed_count, title, origin, added_by, "
                "added_at, cursor, first_look, added_in")
ITEM_COLS = "seq, article_id, source, title, url, published, first_seen, baseline, post, post_hash"


def _source(row: tuple) -> SourceState:
    (url, kind, interval, etag, modified, next_poll, last_poll, last_ok, error, failures, warned,
     primed_at, primed_count, title, origin, added_by, added_at, cursor, first_look, added_in) = row
    return SourceState(url, kind, interval, etag, modified, parse_iso(next_poll), parse_iso(last_poll),
                       parse_iso(last_ok), error, failures, bool(warned), parse_iso(primed_at),
                       primed_count, title, origin, added_by, parse_iso(added_at), cursor, first_look,
                       added_in)


def item_from_row(row: tuple) -> Item:
    seq, aid, source, title, url, published, first_seen, baseline, post, post_hash = row
    return Item(seq, aid, source, title, url, parse_iso(published), parse_iso(first_seen),
                bool(baseline), json.loads(post), post_hash)


class Feeds:
    """Sources, their poll state, and the items they served."""

    def __init__(self, db: LedgerDB) -> None:
        self.db = db

    # -- sources ------------------------------------------------------------------------------

    def add_source(self, url: str, kind: str, interval_s: float, now: datetime, *,
                   origin: str = "config", title: str | None = None, added_by: int | None = None,
                   added_in: int | None = None, next_poll: datetime | None = None) -> bool:
        """Register a source (due at `next_poll`, default now). An existing one keeps its state
        and its origin; a moderator's interval outlives the settings'. A source a moderator
        removed stays removed when the settings list it again (origin `config`); one added from
        Discord comes back, afresh. False when not added.
        """
        with self.db.transaction() as c:
            row = first_row(c.execute("SELECT removed_at, origin FROM pub_sources WHERE url = ?", (url,)))
            if row is not None and row[0] is not None and origin == "config":
                return False
            if row is not None and row[0] is not None:  # re-added: a fresh start
                c.execute("DELETE FROM pub_sources WHERE url = ?", (url,))
                row = None
            if row is None:
                c.execute(
                    "INSERT INTO pub_sources (url, kind, interval_s, next_poll, origin, title, added_by, "
                    "added_in, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (url, kind, interval_s, iso(next_poll or now), origin, title, added_by, added_in,
                     iso(now)),
                )
            elif origin == "discord" or row[1] == "config":
                c.execute("UPDATE pub_sources SET interval_s = ?, title = COALESCE(?, title) WHERE url = ?",
                          (interval_s, title, url))
        return True

    def remove_source(self, url: str, now: datetime) -> bool:
        """Stop polling a source and remember it was removed (see `add_source`)."""
        with self.db.transaction() as c:
            return c.execute("UPDATE pub_sources SET removed_at = ? WHERE url = ? AND removed_at IS NULL",
                             (iso(now), url)).rowcount == 1

    def source(self, url: str) -> SourceState | None:
        row = self.db.one(f"SELECT {_SOURCE_COLS} FROM pub_sources WHERE url = ? AND removed_at IS NULL",
                          (url,))
        return _source(row) if row else None

    def sources(self) -> list[SourceState]:
        return [_source(r) for r in self.db.all(
            f"SELECT {_SOURCE_COLS} FROM pub_sources WHERE removed_at IS NULL ORDER BY kind, url")]

    def due_sources(self, now: datetime) -> list[SourceState]:
        rows = self.db.all(
            f"SELECT {_SOURCE_COLS} FROM pub_sources WHERE removed_at IS NULL "
            "AND (next_poll IS NULL OR next_poll <= ?) ORDER BY next_poll", (iso(now),),
        )
        return [_source(r) for r in rows]

    def next_due(self) -> datetime | None:
        """When the next source is due."""
        row = self.db.one("SELECT MIN(next_poll) FROM pub_sources WHERE removed_at IS NULL")
        return parse_iso(row[0]) if row else None

    def poll_succeeded(self, url: str, *, etag: str | None, last_modified: str | None,
                       now: datetime, next_poll: datetime, title: str | None = None) -> bool:
        """Record a good poll that started at `now`; True when the source had been reported
        broken (now recovered)."""
        with self.db.transaction() as c:
            row = first_row(c.execute("SELECT warned FROM pub_sources WHERE url = ?", (url,)))
            c.execute(
                "UPDATE pub_sources SET etag = ?, last_modified = ?, last_poll = ?, last_ok = ?, "
                "next_poll = ?, failures = 0, warned = 0, last_error = NULL, title = COALESCE(?, title) "
                "WHERE url = ?",
                (etag, last_modified, iso(now), iso(now), iso(next_poll), title, url),
            )
        return bool(row and row[0])

    def poll_failed(self, url: str, error: str, *, now: datetime, next_poll: datetime,
                    warn_after: int) -> tuple[int, bool]:
        """Record a failed poll that started at `now`; returns (consecutive failures, whether to
        warn now). The warning is due exactly once per outage: when failures first reach
        `warn_after`."""
        with self.db.transaction() as c:
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
        with self.db.transaction() as c:
            c.execute("UPDATE pub_sources SET primed_at = ?, primed_count = ? WHERE url = ?",
                      (iso(now), count, url))

    def set_cursor(self, url: str, cursor: int, first_look: float | None = None) -> None:
        with self.db.transaction() as c:
            c.execute("UPDATE pub_sources SET cursor = ?, first_look = COALESCE(first_look, ?) WHERE url = ?",
                      (cursor, first_look, url))

    # -- items and their identities -----------------------------------------------------------

    def known_article(self, keys: Iterable[str]) -> str | None:
        """The article id already recorded under any of these identity keys, in key order."""
        for key in keys:
            row = self.db.one("SELECT article_id FROM pub_identities WHERE key = ?", (key,))
            if row:
                return row[0]
        return None

    def add_identities(self, article_id: str, keys: Iterable[str]) -> None:
        with self.db.transaction() as c:
            c.executemany("INSERT OR IGNORE INTO pub_identities (key, article_id) VALUES (?, ?)",
                          [(k, article_id) for k in keys])

    def record_item(self, article_id: str, *, source: str | None, title: str, url: str | None,
                    published: datetime | None, post: dict, post_hash: str, baseline: bool,
                    now: datetime) -> bool:
        """Record a newly seen article; False when it was recorded already (by another process
        that read it at the same moment)."""
        with self.db.transaction() as c:
            return c.execute(
                "INSERT OR IGNORE INTO pub_items (article_id, source, title, url, published, first_seen, "
                "baseline, post, post_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, source, title, url, maybe_iso(published), iso(now),
                 int(baseline), json.dumps(post), post_hash),
            ).rowcount == 1

    def update_item(self, article_id: str, *, title: str, url: str | None, post: dict,
                    post_hash: str) -> None:
        with self.db.transaction() as c:
            c.execute("UPDATE pub_items SET title = ?, url = ?, post = ?, post_hash = ? "
                      "WHERE article_id = ?", (title, url, json.dumps(post), post_hash, article_id))

    def item(self, article_id: str) -> Item | None:
        row = self.db.one(f"SELECT {ITEM_COLS} FROM pub_items WHERE article_id = ?", (article_id,))
        return item_from_row(row) if row else None

    def items_titled(self, text: str, limit: int = 5) -> list[Item]:
        """Items whose title is `text` (any case), else contains it; newest first."""
        rows = self.db.all(f"SELECT {ITEM_COLS} FROM pub_items WHERE title = ? COLLATE NOCASE "
                           "ORDER BY seq DESC LIMIT ?", (text.strip(), limit))
        if not rows:
            like = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = self.db.all(f"SELECT {ITEM_COLS} FROM pub_items WHERE title LIKE ? ESCAPE '\\' "
                               "ORDER BY seq DESC LIMIT ?", (like, limit))
        return [item_from_row(r) for r in rows]

    def latest_items(self, source: str, limit: int) -> list[Item]:
        """A source's items, newest first by publication (else by when first seen)."""
        rows = self.db.all(f"SELECT {ITEM_COLS} FROM pub_items WHERE source = ? "
                           "ORDER BY COALESCE(published, first_seen) DESC, seq DESC LIMIT ?",
                           (source, limit))
        return [item_from_row(r) for r in rows]
