"""Every table of the publishing state (`archive.publishing.db`), and the migrations that bring an
older file up to date.

The file's version is SQLite's `user_version`. Each migration runs once, in the transaction that
sets the new version, so a crash mid-migration leaves the old version intact. A file written by a
newer archive-bot is refused rather than misread.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from index.store import StoreError, first_row, run_script

V1 = """
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


def _v1(conn: sqlite3.Connection) -> None:
    """The tables as first released (files from then have them already, unversioned)."""
    run_script(conn, V1)


V2 = """
ALTER TABLE pub_sources ADD COLUMN title TEXT;
ALTER TABLE pub_sources ADD COLUMN origin TEXT NOT NULL DEFAULT 'config';
ALTER TABLE pub_sources ADD COLUMN added_by INTEGER;
ALTER TABLE pub_sources ADD COLUMN added_at TEXT;
ALTER TABLE pub_sources ADD COLUMN removed_at TEXT;
ALTER TABLE pub_sources ADD COLUMN cursor INTEGER;
ALTER TABLE pub_sources ADD COLUMN first_look REAL;
DROP TABLE pub_files;
CREATE TABLE pub_subscriptions_v2 (
    channel_id INTEGER NOT NULL, feed TEXT NOT NULL DEFAULT '', guild_id INTEGER,
    categories TEXT NOT NULL, keywords TEXT NOT NULL, role_id INTEGER, announce INTEGER NOT NULL,
    created_at TEXT NOT NULL, PRIMARY KEY (channel_id, feed)
);
INSERT INTO pub_subscriptions_v2 (channel_id, feed, guild_id, categories, keywords, role_id, announce,
    created_at)
    SELECT channel_id, '', guild_id, categories, keywords, role_id, announce, created_at
    FROM pub_subscriptions;
DROP TABLE pub_subscriptions;
ALTER TABLE pub_subscriptions_v2 RENAME TO pub_subscriptions;
CREATE INDEX pub_deliveries_sent ON pub_deliveries (state, sent_at);
CREATE TABLE pub_lease (
    name TEXT PRIMARY KEY, holder TEXT NOT NULL, acquired_at TEXT NOT NULL, expires_at TEXT NOT NULL
)
"""


def _v2(conn: sqlite3.Connection) -> None:
    """Feeds added from Discord (title, who added it, removed ones remembered), subscriptions per
    channel and feed, folders followed through the archive (a cursor instead of file stamps),
    the publishing lease, and post versions that change only with a correction (title, link,
    teaser): stored hashes are recomputed, and sent posts that showed the current version keep
    showing it, so the upgrade edits nothing."""
    from index.publishing.posts import Post

    run_script(conn, V2)
    for article_id, post, old in conn.execute("SELECT article_id, post, post_hash FROM pub_items").fetchall():
        new = Post.from_json(json.loads(post)).shown_hash
        conn.execute("UPDATE pub_items SET post_hash = ? WHERE article_id = ?", (new, article_id))
        conn.execute("UPDATE pub_deliveries SET post_hash = ? WHERE article_id = ? AND post_hash = ?",
                     (new, article_id, old))


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1, 2: _v2}
SCHEMA_VERSION = max(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the file up to SCHEMA_VERSION; call inside a write transaction."""
    version = first_row(conn.execute("PRAGMA user_version"))[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"the publishing state was written by a newer archive-bot "
                         f"(schema {version}, this one reads up to {SCHEMA_VERSION}): upgrade")
    for step in range(version + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[step](conn)
    if version != SCHEMA_VERSION:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
