"""When scheduled digests are due: a local wall-clock time, daily or on one weekday.

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
