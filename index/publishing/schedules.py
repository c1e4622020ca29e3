"""Scheduled digests: when they are due (a local wall-clock time, daily or on one weekday), and
the schedules moderators set, kept in the publishing state.

Slots are computed per local calendar day with zoneinfo, so "09:00 Europe/Paris" stays 09:00
across daylight-saving changes (a day of 23 or 25 hours still has one slot). A time that does not
exist that day (skipped by the spring change) falls an hour later; one that happens twice (autumn)
counts once, at its first occurrence. A schedule's state is just the last slot handled: the due
slot is the latest one not after now, so a restart neither repeats a slot nor skips one (a slot
missed while the bot was down is sent late, once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from index.publishing.db import LedgerDB, iso, maybe_iso, parse_iso
from index.publishing.deliveries import Deliveries, OutboxMessage

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FREQUENCIES = ("daily", "weekly")


class ScheduleError(ValueError):
    """A schedule a moderator asked for cannot be used; the message says why."""


@dataclass(frozen=True)
class Schedule:
    frequency: str
    at: time
    timezone: str
    weekday: int | None = None  # 0 = Monday; weekly schedules only

    @classmethod
    def parse(cls, frequency: str, at: str, timezone: str, weekday: str | None = None) -> Schedule:
        """From what a moderator types: ("weekly", "09:30", "Europe/Paris", "monday")."""
        frequency = frequency.strip().lower()
        if frequency not in FREQUENCIES:
            raise ScheduleError(f"frequency must be daily or weekly, not {frequency!r}")
        try:
            hour, minute = (int(p) for p in at.strip().split(":"))
            at_time = time(hour, minute)
        except ValueError:
            raise ScheduleError(f"time must be HH:MM (24-hour), not {at!r}") from None
        try:
            ZoneInfo(timezone.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ScheduleError(f"unknown time zone {timezone!r} (e.g. Europe/Paris, UTC)") from None
        day = None
        if frequency == "weekly":
            name = (weekday or "").strip().lower()
            matches = [i for i, w in enumerate(WEEKDAYS) if name and w.startswith(name)]
            if len(matches) != 1:
                raise ScheduleError("a weekly digest needs a weekday (monday ... sunday)")
            day = matches[0]
        return cls(frequency, at_time, timezone.strip(), day)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def period(self) -> timedelta:
        return timedelta(days=7 if self.frequency == "weekly" else 1)

    def describe(self) -> str:
        when = "daily" if self.weekday is None else f"every {WEEKDAYS[self.weekday].title()}"
        return f"{when} at {self.at:%H:%M} {self.timezone}"

    def slot_on(self, day: date) -> datetime:
        """The UTC instant of this schedule's local time on a local calendar day."""
        # fold=0: a wall time in the spring gap is read with the winter offset (an hour later in
        # summer time), and a repeated autumn time as its first occurrence.
        return datetime.combine(day, self.at, tzinfo=self.zone).astimezone(UTC)

    def _days(self, start: date, step: int) -> list[date]:
        return [start + timedelta(days=step * i) for i in range(9)
                if self.weekday is None or (start + timedelta(days=step * i)).weekday() == self.weekday]

    def latest_slot(self, now: datetime) -> datetime:
        """The most recent slot at or before `now`."""
        today = now.astimezone(self.zone).date()
        return next(s for d in self._days(today + timedelta(days=1), -1) if (s := self.slot_on(d)) <= now)

    def next_slot(self, now: datetime) -> datetime:
        """The first slot after `now`."""
        today = now.astimezone(self.zone).date()
        return next(s for d in self._days(today - timedelta(days=1), 1) if (s := self.slot_on(d)) > now)


def due_slot(schedule: Schedule, last_slot: datetime | None, now: datetime) -> datetime | None:
    """The slot to handle now, if any: the latest one not after `now`, unless already handled."""
    slot = schedule.latest_slot(now)
    if last_slot is not None and slot <= last_slot:
        return None
    return slot


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

    @property
    def schedule(self) -> Schedule:
        return Schedule(self.frequency, time.fromisoformat(self.at_time), self.timezone, self.weekday)


_SCHEDULE_COLS = ("channel_id, guild_id, frequency, weekday, at_time, timezone, category, "
                  "created_at, last_slot, last_until")


def _schedule(row: tuple) -> ScheduleRow:
    cid, gid, freq, weekday, at, tz, cat, created, last_slot, last_until = row
    return ScheduleRow(cid, gid, freq, weekday, at, tz, cat, parse_iso(created), parse_iso(last_slot),
                       parse_iso(last_until))


class Schedules:
    """Each channel's digest schedule and the last slot it handled."""

    def __init__(self, db: LedgerDB, deliveries: Deliveries) -> None:
        self.db = db
        self.deliveries = deliveries

    def set_schedule(self, row: ScheduleRow) -> None:
        with self.db.transaction() as c:
            c.execute(
                f"INSERT OR REPLACE INTO pub_schedules ({_SCHEDULE_COLS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (row.channel_id, row.guild_id, row.frequency, row.weekday, row.at_time, row.timezone,
                 row.category, iso(row.created_at), maybe_iso(row.last_slot), maybe_iso(row.last_until)),
            )

    def remove_schedule(self, channel_id: int) -> bool:
        with self.db.transaction() as c:
            return c.execute("DELETE FROM pub_schedules WHERE channel_id = ?", (channel_id,)).rowcount == 1

    def schedules(self, guild_id: int | None = None) -> list[ScheduleRow]:
        sql = f"SELECT {_SCHEDULE_COLS} FROM pub_schedules"
        if guild_id is None:
            return [_schedule(r) for r in self.db.all(sql + " ORDER BY channel_id")]
        return [_schedule(r) for r in self.db.all(sql + " WHERE guild_id = ? ORDER BY channel_id",
                                                  (guild_id,))]

    def schedule(self, channel_id: int) -> ScheduleRow | None:
        row = self.db.one(f"SELECT {_SCHEDULE_COLS} FROM pub_schedules WHERE channel_id = ?", (channel_id,))
        return _schedule(row) if row else None

    def claim_digest(self, channel_id: int, *, slot: datetime, until: datetime | None,
                     payload: dict | None, nonce: str, now: datetime) -> OutboxMessage | None:
        """Mark a schedule's slot handled and, when there is something to send, put its digest in
        the outbox, in one transaction: a restart finds the slot done or the digest pending,
        never neither or both. `until` advances only when a digest is sent."""
        with self.db.transaction() as c:
            c.execute("UPDATE pub_schedules SET last_slot = ? WHERE channel_id = ?",
                      (iso(slot), channel_id))
            if payload is None:
                return None
            c.execute("UPDATE pub_schedules SET last_until = ? WHERE channel_id = ?",
                      (maybe_iso(until), channel_id))
            return self.deliveries.enqueue(channel_id, "digest", payload, nonce, now)
