"""The publishing state in SQLite, in a file of its own beside the archive, split by concern:
`feeds` (sources, their state, what they served), `deliveries` (subscriptions, posts, other
messages), `schedules` (digests) and the `lease` (which process publishes). The parts share one
connection, so a transaction can span them (`with ledger.transaction(): ...`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.publishing.db import LedgerDB
from index.publishing.deliveries import Deliveries
from index.publishing.feeds import Feeds
from index.publishing.lease import Lease
from index.publishing.schedules import Schedules


class Ledger:
    def __init__(self, path: Path, *, busy_timeout: float = 30.0) -> None:
        self.db = LedgerDB(path, busy_timeout=busy_timeout)
        self.feeds = Feeds(self.db)
        self.deliveries = Deliveries(self.db)
        self.schedules = Schedules(self.db, self.deliveries)
        self.lease = Lease(self.db)

    @property
    def path(self) -> Path:
        return self.db.path

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.db.transaction() as c:
            yield c

    def close(self) -> None:
        self.db.close()
