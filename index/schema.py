"""Every SQLite file archive-bot keeps: its tables, their versions, and how a file is opened.

Three files, each with numbered migrations (`MIGRATIONS[kind]`, applied in order; SQLite's
`user_version` in the file says how many are in):

- `archive`: articles, paragraphs, Recent Posts, the files they came from, and the two inverted
  indexes (`para_*`, `article_*`), in `archive.db`;
- `questions`: questions asked and feedback, in `archive.questions.db` beside it;
- `publishing`: sources, subscriptions, deliveries, digests and the publishing lease, in
  `archive.publishing.db` beside it.

Only a writer migrates, and only when the file is behind, so opening a current file never takes
the write lock. A reader opens the file read-only: it never writes, never waits for a writer,
works on a file it may not write, and refuses a file at another version with the command that
brings it up to date. SQLite's own errors become one-line `StoreError`s that say what to do.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

ARCHIVE = "archive"
QUESTIONS = "questions"
PUBLISHING = "publishing"
DEFAULT_TIMEOUT = 30.0  # seconds a writer waits for another writer
DEFAULT_TIMEOUT_MS = int(DEFAULT_TIMEOUT * 1000)


class StoreError(RuntimeError):
    """A database cannot be opened, read or written; the message is one line saying why."""


class UnusablePathError(StoreError):
    """The path cannot hold a database (a folder, no permission, a folder that cannot be made)."""


class MissingDatabaseError(StoreError):
    """A reader was pointed at a file that does not exist yet."""


class OutdatedDatabaseError(StoreError):
    """The file is at another schema version than this code; a writer must migrate it first."""


class DamagedDatabaseError(StoreError):
    """The file is not a database, or a damaged one: `reindex --full` rebuilds it."""


def questions_path(db_path: Path) -> Path:
    """The question log sits beside the archive: recording a question never waits for a reindex."""
    return Path(db_path).with_suffix(".questions.db")


def publishing_path(db_path: Path) -> Path:
    """Publishing state sits beside the archive: a reindex never delays a post."""
    return Path(db_path).with_suffix(".publishing.db")


def _postings(name: str) -> str:
    return f"""
CREATE TABLE IF NOT EXISTS {name}_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS {name}_postings (
    term TEXT NOT NULL, seg INTEGER NOT NULL, ids BLOB NOT NULL, tfs BLOB NOT NULL,
    PRIMARY KEY (term, seg)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS {name}_docs (
    doc INTEGER PRIMARY KEY, length INTEGER NOT NULL, grp INTEGER NOT NULL DEFAULT 0);
"""


_ARCHIVE_V1 = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
    num INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    url TEXT,
    norm_url TEXT,
    author TEXT,
    published TEXT,
    categories TEXT NOT NULL DEFAULT '[]',
    teaser TEXT,
    image TEXT,
    guid TEXT,
    source_path TEXT,
    source_file TEXT,
    content_hash TEXT NOT NULL,
    indexed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_source_file ON articles(source_file);
CREATE INDEX IF NOT EXISTS articles_norm_url ON articles(norm_url);
CREATE INDEX IF NOT EXISTS articles_title ON articles(title COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS paragraphs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_num INTEGER NOT NULL REFERENCES articles(num) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    credit TEXT
);
CREATE INDEX IF NOT EXISTS paragraphs_article ON paragraphs(article_num, position);
CREATE TABLE IF NOT EXISTS recent_posts (
    article_num INTEGER NOT NULL REFERENCES articles(num) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    teaser TEXT,
    age TEXT,
    approx_date TEXT,
    PRIMARY KEY (article_num, position)
);
CREATE INDEX IF NOT EXISTS recent_posts_date ON recent_posts(approx_date);
CREATE TABLE IF NOT EXISTS files (
    root TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (root, path)
);
""" + _postings("para") + _postings("article")

# Names and the descriptions articles give them (index.answers.aliases), mined on indexing;
# the indexes are rebuilt from the stored text by the writer that migrates, which mines them.
_ARCHIVE_V3 = """
CREATE TABLE IF NOT EXISTS aliases (
    article_num INTEGER NOT NULL REFERENCES articles(num) ON DELETE CASCADE,
    name TEXT NOT NULL,
    terms TEXT NOT NULL,
    head TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS aliases_head ON aliases(head);
CREATE INDEX IF NOT EXISTS aliases_article ON aliases(article_num);
DELETE FROM meta WHERE key = 'tokenizer_version'
"""

_QUESTIONS_V1 = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at TEXT NOT NULL,
    question TEXT NOT NULL,
    found INTEGER NOT NULL,
    answer TEXT,
    confidence REAL,
    user_id INTEGER,
    guild_id INTEGER,
    channel_id INTEGER
);
CREATE INDEX IF NOT EXISTS questions_found ON questions(found, asked_at);
CREATE TABLE IF NOT EXISTS feedback (
    question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    user_id INTEGER,
    helpful INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (question_id, user_id)
);
"""

_PUBLISHING_V1 = """
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
);
"""


def _postings_v2(name: str) -> str:
    """The inverted index laid out for the query path (`index.postings`): per term and segment
    the ids as gaps and the counts, each 1, 2 or 4 bytes wide; document lengths and groups in
    blocks of 4,096 documents per row. The old tables go; the indexer rebuilds them from the
    stored text (the tokenizer version is forgotten for that)."""
    return f"""
DROP TABLE IF EXISTS {name}_terms;
DROP TABLE IF EXISTS {name}_postings;
DROP TABLE IF EXISTS {name}_docs;
CREATE TABLE {name}_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE {name}_postings (
    term TEXT NOT NULL, seg INTEGER NOT NULL, ids BLOB NOT NULL, tfs BLOB NOT NULL,
    PRIMARY KEY (term, seg)) WITHOUT ROWID;
CREATE TABLE {name}_docs (block INTEGER PRIMARY KEY, lengths BLOB NOT NULL, groups BLOB NOT NULL);
DELETE FROM meta WHERE key = '{name}_max_doc';
"""


_ARCHIVE_V2 = _postings_v2("para") + _postings_v2("article") + """
DELETE FROM meta WHERE key = 'tokenizer_version'
"""

_PUBLISHING_V2 = """
ALTER TABLE pub_sources ADD COLUMN title TEXT;
ALTER TABLE pub_sources ADD COLUMN origin TEXT NOT NULL DEFAULT 'config';
ALTER TABLE pub_sources ADD COLUMN added_by INTEGER;
ALTER TABLE pub_sources ADD COLUMN added_in INTEGER;
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


def _publishing_v2(conn: sqlite3.Connection) -> None:
    """Feeds added from Discord (title, who added it and in which server, removed ones remembered),
    subscriptions per
    channel and feed, folders followed through the archive (a cursor instead of file stamps),
    the publishing lease, and post versions that change only with a correction (title, link,
    teaser): stored hashes are recomputed, and sent posts that showed the current version keep
    showing it, so the upgrade edits nothing."""
    from index.publishing.posts import Post

    run_script(conn, _PUBLISHING_V2)
    for article_id, post, old in conn.execute("SELECT article_id, post, post_hash FROM pub_items").fetchall():
        new = Post.from_json(json.loads(post)).shown_hash
        conn.execute("UPDATE pub_items SET post_hash = ? WHERE article_id = ?", (new, article_id))
        conn.execute("UPDATE pub_deliveries SET post_hash = ? WHERE article_id = ? AND post_hash = ?",
                     (new, article_id, old))


Migration = str | Callable[[sqlite3.Connection], None]
"""A migration: SQL statements, or a function for what SQL alone cannot do."""

MIGRATIONS: dict[str, tuple[Migration, ...]] = {
    # Migration n takes a file from version n to n + 1; append, never edit one that shipped.
    ARCHIVE: (_ARCHIVE_V1, _ARCHIVE_V2, _ARCHIVE_V3),
    QUESTIONS: (_QUESTIONS_V1,),
    PUBLISHING: (_PUBLISHING_V1, _publishing_v2),
}

# Files written before versions were kept in `user_version`: a table that only version 1 has.
_VERSION_1_MARK = {ARCHIVE: "articles", QUESTIONS: "questions", PUBLISHING: "pub_sources"}


def latest_version(kind: str) -> int:
    return len(MIGRATIONS[kind])


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run DDL statements inside the current transaction (`executescript` would commit it)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


# -- opening ------------------------------------------------------------------------------------


def connect(path: Path, *, write: bool = True, timeout: float = DEFAULT_TIMEOUT) -> sqlite3.Connection:
    """A connection with the settings every connection needs, no schema check.

    A writer creates the file (and its folder) and puts it in WAL mode, so readers keep reading
    while it writes. A reader opens the file read-only; when it may not even create the shared
    memory file WAL needs (a read-only folder), it reads the file as immutable.
    """
    path = Path(path)
    try:
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), check_same_thread=False, timeout=timeout,
                                   isolation_level=None)
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
        else:
            if not path.is_file():
                raise MissingDatabaseError(f"no database at {path}")
            conn = _read_only(path, timeout, immutable=False)
            try:
                conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()
            except sqlite3.OperationalError as exc:
                if "readonly" not in str(exc) and "unable to open" not in str(exc):
                    raise
                conn.close()
                conn = _read_only(path, timeout, immutable=True)
        conn.execute("PRAGMA cache_size=-131072")  # 128 MB: a reindex's pages stay in memory
    except sqlite3.Error as exc:
        raise explain(exc, path, opening=True) from None
    except OSError as exc:
        raise UnusablePathError(f"cannot open database {path}: {exc.strerror or exc}") from None
    return conn


def _read_only(path: Path, timeout: float, *, immutable: bool) -> sqlite3.Connection:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=timeout,
                           isolation_level=None)
    conn.execute("PRAGMA query_only=ON")
    return conn


def open_db(
    path: Path, kind: str, *, write: bool = True, timeout: float = DEFAULT_TIMEOUT
) -> sqlite3.Connection:
    """A connection to one of the project's files, at this code's schema version.

    A writer migrates the file when it is behind; a reader raises `OutdatedDatabaseError`.
    """
    conn = connect(path, write=write, timeout=timeout)
    try:
        version = file_version(conn, kind)
        latest = latest_version(kind)
        if version > latest:
            raise OutdatedDatabaseError(
                f"{path} was written by a newer archive-bot (schema {version}, this one knows "
                f"{latest}): upgrade archive-bot"
            )
        if version == 0 and not write and not _has_tables(conn):
            raise MissingDatabaseError(f"no database in {path} yet (an empty file)")
        if version < latest:
            if not write:
                raise OutdatedDatabaseError(
                    f"{path} is at schema {version}, this archive-bot needs {latest}: "
                    "run `archive-bot reindex` to bring it up to date"
                )
            migrate(conn, kind, path)
    except sqlite3.Error as exc:
        conn.close()
        raise explain(exc, path, opening=True) from None
    except StoreError:
        conn.close()
        raise
    return conn


def _has_tables(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall())


def file_version(conn: sqlite3.Connection, kind: str) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == 0 and conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (_VERSION_1_MARK[kind],)
    ).fetchall():
        return 1
    return version


def migrate(conn: sqlite3.Connection, kind: str, path: Path) -> None:
    """Apply the missing migrations in one write transaction (the writer only)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = file_version(conn, kind)  # read again: another writer may have won
        for step in MIGRATIONS[kind][version:]:
            step(conn) if callable(step) else run_script(conn, step)
        conn.execute(f"PRAGMA user_version = {latest_version(kind)}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# -- errors -------------------------------------------------------------------------------------


def explain(exc: sqlite3.Error, path: Path, *, opening: bool = False) -> StoreError:
    """SQLite's error as a one-line `StoreError` that names the file and what to do."""
    text = str(exc)
    low = text.lower()
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return DamagedDatabaseError(
            f"database {path} is damaged ({text}): `archive-bot reindex --full` rebuilds it from "
            "the article folders and keeps the damaged file beside it"
        )
    if "disk is full" in low or "database or disk is full" in low:
        return StoreError(f"no space left writing {path}: free some space and run it again "
                          "(the index is as it was)")
    if "readonly" in low or "read-only" in low:
        return StoreError(f"cannot write {path}: the file or its folder is read-only")
    if "locked" in low or "busy" in low:
        return StoreError(f"database {path} is busy (another archive-bot is writing it): try again "
                          "when it is done")
    if "disk i/o" in low:
        return StoreError(f"cannot read or write {path}: disk I/O error (is the disk full or gone?)")
    if "unable to open" in low:
        return UnusablePathError(f"cannot open database {path}: {text} (is it a folder, or one "
                                 "that may not be written?)")
    verb = "open" if opening else "use"
    return StoreError(f"cannot {verb} database {path}: {text}")
