"""Which process publishes: a lease row in the shared SQLite file.

Several bot processes (one per group of shards) share the same files, and exactly one of them
polls sources, posts, edits and sends scheduled digests. It holds the lease and renews it well
before it expires; a process that dies stops renewing, and another takes the lease once it has
expired. A holder that could not renew in time stops sending before its lease runs out (see
`Runner.holding`), so two processes never publish at once; a post the old holder left half-sent
is found by its nonce by the new one (`Publisher.recover`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from index.publishing.db import LedgerDB, iso, parse_iso
from index.store import first_row

PUBLISHER = "publisher"


@dataclass(frozen=True)
class LeaseState:
    holder: str
    acquired_at: datetime
    expires_at: datetime


class Lease:
    def __init__(self, db: LedgerDB, name: str = PUBLISHER) -> None:
        self.db = db
        self.name = name

    def acquire(self, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Take the lease if it is free or expired, or renew it if `holder` has it; True when
        `holder` holds it until `now + ttl`."""
        with self.db.transaction() as c:
            row = first_row(c.execute("SELECT holder, expires_at FROM pub_lease WHERE name = ?",
                                      (self.name,)))
            if row is None:
                c.execute("INSERT INTO pub_lease (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)",
                          (self.name, holder, iso(now), iso(now + ttl)))
                return True
            current, expires = row
            if current == holder:
                c.execute("UPDATE pub_lease SET expires_at = ? WHERE name = ?", (iso(now + ttl), self.name))
                return True
            if parse_iso(expires) <= now:
                c.execute("UPDATE pub_lease SET holder = ?, acquired_at = ?, expires_at = ? WHERE name = ?",
                          (holder, iso(now), iso(now + ttl), self.name))
                return True
            return False

    def release(self, holder: str) -> None:
        """Give the lease up at once (a clean shutdown), so another process need not wait."""
        with self.db.transaction() as c:
            c.execute("DELETE FROM pub_lease WHERE name = ? AND holder = ?", (self.name, holder))

    def state(self) -> LeaseState | None:
        row = self.db.one("SELECT holder, acquired_at, expires_at FROM pub_lease WHERE name = ?",
                          (self.name,))
        return LeaseState(row[0], parse_iso(row[1]), parse_iso(row[2])) if row else None
