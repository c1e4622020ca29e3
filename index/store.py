"""The SQLite store: articles, their paragraphs and recent posts, and the files they came from.

One database file in WAL mode, so the bot keeps answering while a reindex writes. SQL about
articles stays in this module; the inverted index lives in `index.postings` in the same file, and
every table's definition in `index.schema`. A `Store` opened with `write=False` is a reader: it
opens the file read-only and never takes the write lock.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from articles.identity import normalise_link
from articles.model import Article, Paragraph
from index import schema
from index.results import ArticleSummary
from index.schema import StoreError, run_script

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["Store", "StoreError", "connect", "first_row", "parse_iso", "run_script"]


def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat()


def parse_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def first_row(cursor: sqlite3.Cursor) -> tuple | None:
    """The first row, reading the statement to its end: a half-read statement would keep a
    read snapshot open, and a later write on the same connection would fail as locked."""
    rows = cursor.fetchall()
    return rows[0] if rows else None


def connect(path: Path) -> sqlite_utils.Database:
    """A writer's connection to a database file (created if needed), with no schema check."""
    import sqlite_utils

    return sqlite_utils.Database(schema.connect(Path(path)))


class Store:
    """Articles in SQLite. Writes go through `transaction()`: all of it becomes visible, or none."""

    def __init__(self, path: Path, *, write: bool = True) -> None:
        """`write=False` opens a reader: read-only, never migrating, never waiting for a writer."""
        self.path = Path(path)
        self.read_only = not write
        self.conn = schema.open_db(self.path, schema.ARCHIVE, write=write)
        self.lock = threading.RLock()
        self._depth = 0

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The same connection through sqlite-utils (imported only by those who use it)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.conn.close()

    def check_integrity(self) -> None:
        """Raise `DamagedDatabaseError` unless SQLite's quick check finds the file sound."""
        try:
            rows = self.conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as exc:
            raise schema.explain(exc, self.path) from None
        if [r[0] for r in rows] != ["ok"]:
            raise schema.DamagedDatabaseError(
                f"database {self.path} is damaged ({rows[0][0]}): `archive-bot reindex --full` "
                "rebuilds it from the article folders and keeps the damaged file beside it"
            )

    def get_meta(self, key: str) -> str | None:
        row = first_row(self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)))
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @contextmanager
    def transaction(self, *, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """One write transaction (nested calls join the outer one); rolled back on any error.

        `on_wait` is called once if another process holds the write lock; the transaction then
        waits for it as long as it takes (without `on_wait`, up to the connection's timeout).
        """
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._begin(on_wait)
            self._depth = 1
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:  # SQLite may have rolled back already (disk full)
                    self.conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    def _begin(self, on_wait: Callable[[], None] | None) -> None:
        if on_wait is None:
            self.conn.execute("BEGIN IMMEDIATE")
            return
        self.conn.execute("PRAGMA busy_timeout = 500")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                    if on_wait is not None:
                        on_wait()
                        on_wait = None
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {schema.DEFAULT_TIMEOUT_MS}")

    # -- articles -----------------------------------------------------------------------------

    def insert_article(self, article: Article, *, source_file: str | None = None) -> tuple[int, list[int]]:
        """Insert an article (replacing one with the same id is the caller's job: see
        `delete_article`). Returns its row number and the ids of its paragraphs, in order."""
        cur = self.conn.execute(
            "INSERT INTO articles (id, title, url, norm_url, author, published, categories, teaser, image, "
            "guid, source_path, source_file, content_hash, indexed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id, article.title, article.url,
                normalise_link(article.url) if article.url else None, article.author, _iso(article.published),
                json.dumps(article.categories), article.summary(), article.image, article.guid,
                article.source_path, source_file, article.content_hash,
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )
        num = cur.lastrowid
        # Ids are never reused (AUTOINCREMENT): the index forgets a removed paragraph by its id.
        row = first_row(self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'paragraphs'"))
        first = (row[0] if row else 0) + 1
        pids = list(range(first, first + len(article.paragraphs)))
        self.conn.executemany(
            "INSERT INTO paragraphs (id, article_num, position, kind, text, credit) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (pid, num, position, p.kind, p.text, p.credit)
                for pid, (position, p) in zip(pids, enumerate(article.paragraphs), strict=True)
            ],
        )
        self.conn.executemany(
            "INSERT INTO recent_posts (article_num, position, title, teaser, age, approx_date) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (num, i, rp.title, rp.teaser, rp.age, _iso(rp.approx_date))
                for i, rp in enumerate(article.recent_posts)
            ],
        )
        return num, pids

    def insert_aliases(self, num: int, aliases: list) -> None:
        """Record the aliases mined from an article (index.answers.aliases)."""
        self.conn.executemany(
            "INSERT INTO aliases (article_num, name, terms, head, kind) VALUES (?, ?, ?, ?, ?)",
            [(num, a.name, " ".join(a.terms), a.terms[-1], a.kind) for a in aliases],
        )

    def aliases_headed(self, heads: list[str]) -> list[tuple[int, str, str, str]]:
        """(article_num, name, terms, kind) of the aliases whose description ends in one of
        `heads` (for acronyms: is one of them)."""
        if not heads:
            return []
        marks = ",".join("?" * len(heads))
        return self.conn.execute(
            f"SELECT article_num, name, terms, kind FROM aliases WHERE head IN ({marks})", heads
        ).fetchall()

    def article_num(self, article_id: str) -> int | None:
        row = first_row(self.conn.execute("SELECT num FROM articles WHERE id = ?", (article_id,)))
        return row[0] if row else None

    def delete_article(self, num: int) -> list[tuple[int, str]]:
        """Remove an article; returns its paragraphs (id, text) so the index can forget them."""
        paragraphs = self.conn.execute(
            "SELECT id, text FROM paragraphs WHERE article_num = ? ORDER BY position", (num,)
        ).fetchall()
        self.conn.execute("DELETE FROM articles WHERE num = ?", (num,))
        return paragraphs

    def articles_from_file(self, source_file: str) -> list[int]:
        rows = self.conn.execute("SELECT num FROM articles WHERE source_file = ?", (source_file,))
        return [r[0] for r in rows]

    def summary(self, num: int) -> ArticleSummary | None:
        row = first_row(self.conn.execute(f"SELECT {_SUMMARY_COLUMNS} FROM articles WHERE num = ?", (num,)))
        return _summary(row) if row else None

    def summaries(self, nums: list[int]) -> dict[int, ArticleSummary]:
        out: dict[int, ArticleSummary] = {}
        for start in range(0, len(nums), 500):
            chunk = nums[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT num, {_SUMMARY_COLUMNS} FROM articles WHERE num IN ({marks})", chunk
            ):
                out[row[0]] = _summary(row[1:])
        return out

    def paragraph(self, pid: int) -> tuple[int, int, str, str, str | None] | None:
        """(article_num, position, kind, text, credit) of one paragraph."""
        return first_row(self.conn.execute(
            "SELECT article_num, position, kind, text, credit FROM paragraphs WHERE id = ?", (pid,)
        ))

    def paragraphs_by_id(self, pids: list[int]) -> dict[int, tuple[int, int, str, str, str | None]]:
        """`paragraph` for many ids in one query (the answerer reads thirty per question)."""
        out = {}
        for start in range(0, len(pids), 500):
            chunk = pids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT id, article_num, position, kind, text, credit FROM paragraphs WHERE id IN ({marks})",
                chunk,
            ):
                out[row[0]] = tuple(row[1:])
        return out

    def paragraphs_for(self, num: int) -> list[tuple[int, str, str, str | None]]:
        """(id, kind, text, credit) of an article's paragraphs, in order."""
        return self.conn.execute(
            "SELECT id, kind, text, credit FROM paragraphs WHERE article_num = ? ORDER BY position",
            (num,),
        ).fetchall()

    def find_article(self, title_or_url: str) -> int | None:
        """Best article for what a member typed: an exact link or title, else a title match."""
        text = title_or_url.strip()
        if text.startswith(("http://", "https://")):
            row = first_row(self.conn.execute(
                "SELECT num FROM articles WHERE norm_url = ?", (normalise_link(text),)
            ))
            if row:
                return row[0]
        row = first_row(self.conn.execute(
            "SELECT num FROM articles WHERE title = ? COLLATE NOCASE "
            "ORDER BY published DESC LIMIT 1", (text,),
        ))
        if row:
            return row[0]
        like = "%" + text.replace("%", "").replace("_", "") + "%"
        row = first_row(self.conn.execute(
            "SELECT num FROM articles WHERE title LIKE ? ORDER BY published DESC LIMIT 1", (like,)
        ))
        return row[0] if row else None

    def titles_matching(self, text: str, limit: int = 25) -> list[str]:
        like = "%" + text.strip().replace("%", "").replace("_", "") + "%"
        rows = self.conn.execute(
            "SELECT DISTINCT title FROM articles WHERE title LIKE ? "
            "ORDER BY (title LIKE ?) DESC, published DESC LIMIT ?",
            (like, text.strip() + "%", limit),
        )
        return [r[0] for r in rows]

    def latest(self, n: int) -> list[ArticleSummary]:
        rows = self.conn.execute(
            f"SELECT {_SUMMARY_COLUMNS} FROM articles "
            "ORDER BY published IS NULL, published DESC, num DESC LIMIT ?", (n,)
        )
        return [_summary(r) for r in rows]

    def published_between(
        self, since: datetime, until: datetime, category: str | None = None
    ) -> list[ArticleSummary]:
        rows = self.conn.execute(
            f"SELECT {_SUMMARY_COLUMNS} FROM articles WHERE published >= ? AND published < ? "
            "ORDER BY published DESC",
            (_iso(since), _iso(until)),
        )
        out = [_summary(r) for r in rows]
        if category:
            wanted = category.casefold()
            out = [a for a in out if wanted in (c.casefold() for c in a.categories)]
        return out

    def recent_posts_between(self, since: datetime, until: datetime) -> list[dict]:
        """Recent Posts entries whose approximate date falls in the window, one per title."""
        rows = self.conn.execute(
            "SELECT title, teaser, age, MAX(approx_date) FROM recent_posts "
            "WHERE approx_date >= ? AND approx_date < ? GROUP BY title ORDER BY 4 DESC",
            (_iso(since), _iso(until)),
        )
        return [
            {"title": t, "teaser": teaser, "age": age, "approx_date": parse_iso(d)}
            for t, teaser, age, d in rows
        ]

    def article_nums_matching(
        self,
        *,
        author: str | None = None,
        category: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[int]:
        """Row numbers of the articles a search filter keeps."""
        where, params = [], []
        if author:
            where.append("author LIKE ?")
            params.append(f"%{author.strip()}%")
        if category:
            where.append("EXISTS (SELECT 1 FROM json_each(categories) WHERE value LIKE ?)")
            params.append(category.strip())
        if since:
            where.append("published >= ?")
            params.append(_iso(since))
        if until:
            where.append("published < ?")
            params.append(_iso(until))
        sql = "SELECT num FROM articles" + (" WHERE " + " AND ".join(where) if where else "")
        return [r[0] for r in self.conn.execute(sql, params)]

    # -- files --------------------------------------------------------------------------------

    def known_files(self, root: str) -> dict[str, tuple[int, int, str]]:
        """path -> (size, mtime_ns, sha256) of the files indexed from one folder."""
        rows = self.conn.execute("SELECT path, size, mtime_ns, sha256 FROM files WHERE root = ?", (root,))
        return {p: (s, m, h) for p, s, m, h in rows}

    def record_file(self, root: str, path: str, size: int, mtime_ns: int, sha256: str) -> None:
        self.conn.execute(
            "INSERT INTO files (root, path, size, mtime_ns, sha256) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(root, path) DO UPDATE SET size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256",
            (root, path, size, mtime_ns, sha256),
        )

    def forget_file(self, root: str, path: str) -> None:
        self.conn.execute("DELETE FROM files WHERE root = ? AND path = ?", (root, path))

    def articles_after(self, num: int, limit: int = 200) -> list[tuple[int, str | None, Article]]:
        """(row number, source file, article) of the articles stored after row `num`, oldest
        first: new ones, and changed ones (a changed article is stored again under a new number).
        How the publisher follows what reindexes add, without watching the folders itself."""
        rows = self.conn.execute(
            "SELECT num, source_file, title, url, author, published, categories, teaser, image, guid, "
            "source_path FROM articles WHERE num > ? ORDER BY num LIMIT ?", (num, limit),
        ).fetchall()
        out = []
        for n, source_file, title, url, author, published, cats, teaser, image, guid, path in rows:
            paragraphs = [Paragraph(text, kind, credit) for _, kind, text, credit in self.paragraphs_for(n)]
            out.append((n, source_file, Article(
                title, paragraphs, url=url, author=author, published=parse_iso(published),
                categories=json.loads(cats or "[]"), source_path=path, guid=guid, image=image,
                teaser=teaser or None)))
        return out

    def last_article_num(self) -> int:
        return first_row(self.conn.execute("SELECT COALESCE(MAX(num), 0) FROM articles"))[0]

    def counts(self) -> dict[str, int]:
        one = self.conn.execute
        return {
            "articles": first_row(one("SELECT COUNT(*) FROM articles"))[0],
            "paragraphs": first_row(one("SELECT COUNT(*) FROM paragraphs"))[0],
        }


_SUMMARY_COLUMNS = "id, title, url, author, published, categories, teaser, image"


def _summary(row: tuple) -> ArticleSummary:
    aid, title, url, author, published, categories, teaser, image = row
    return ArticleSummary(
        id=aid, title=title, url=url, author=author, published=parse_iso(published),
        categories=json.loads(categories or "[]"), teaser=teaser or "", image=image,
    )
