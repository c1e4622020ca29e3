"""The connection the publishing state is kept on, shared by its parts (feeds, deliveries,
schedules, the lease), so one transaction can span them. Its tables and their migrations are
`index.schema`'s (kind `publishing`).

Times are stored as UTC ISO strings with microseconds, so they compare as text (and a feed
polled every fraction of a second in a replay still has distinct times).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from index import schema
from index.store import first_row, parse_iso

__all__ = ["LedgerDB", "iso", "parse_iso"]


def iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def maybe_iso(dt: datetime | None) -> str | None:
    return iso(dt) if dt is not None else None


class LedgerDB:
    """One SQLite connection, used from worker threads one call at a time (under a lock)."""

    def __init__(self, path: Path, *, busy_timeout: float = 30.0) -> None:
        """`busy_timeout`: how long a write waits for another writer. The bot uses a short one:
        a write that gives up is retried on the next cycle with nothing lost."""
        self.path = Path(path)
        self.conn = schema.open_db(self.path, schema.PUBLISHING, timeout=busy_timeout)
        self.lock = threading.RLock()

    def close(self) -> None:
        """Close once no call is running (a worker thread may still be finishing one)."""
        with self.lock:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing writes (nested calls join the outer transaction)."""
        with self.lock:
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

    def one(self, sql: str, params: Iterable = ()) -> tuple | None:
        with self.lock:
            return first_row(self.conn.execute(sql, tuple(params)))

    def all(self, sql: str, params: Iterable = ()) -> list[tuple]:
        with self.lock:
            return self.conn.execute(sql, tuple(params)).fetchall()
