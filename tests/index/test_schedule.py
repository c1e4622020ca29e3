"""Scheduled digests at the right local time across daylight-saving changes (frozen clock), sent
only when there is something new, never twice and never skipped across restarts."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from articles.model import Article, Paragraph
from index.archive import Archive
from index.publishing.digest import build_digest
from index.publishing.ledger import Ledger
from index.publishing.publisher import Publisher
from index.publishing.schedules import Schedule, ScheduleError, due_slot
from index.schema import publishing_path
from tests.index.memory_channels import Crash, MemoryChannels

CHANNEL = 5


def test_parse_and_describe() -> None:
    s = Schedule.parse("Weekly", "9:05", "Europe/Paris", "mon")
    assert (s.frequency, s.at, s.weekday, s.period) == ("weekly", time(9, 5), 0, timedelta(days=7))
    assert s.describe() == "every Monday at 09:05 Europe/Paris"
    for args, message in [(("hourly", "09:00", "UTC"), "daily or weekly"),
                          (("daily", "9am", "UTC"), "HH:MM"), (("daily", "25:00", "UTC"), "HH:MM"),
                          (("daily", "09:00", "Mars/Jezero"), "unknown time zone"),
                          (("weekly", "09:00", "UTC"), "weekday"),
                          (("weekly", "09:00", "UTC", "t"), "weekday")]:
        with pytest.raises(ScheduleError, match=message):
            Schedule.parse(*args)


def test_local_time_holds_across_daylight_saving_changes() -> None:
    paris = Schedule.parse("daily", "09:00", "Europe/Paris")
    assert paris.slot_on(date(2024, 3, 30)) == datetime(2024, 3, 30, 8, tzinfo=UTC)  # CET
    assert paris.slot_on(date(2024, 3, 31)) == datetime(2024, 3, 31, 7, tzinfo=UTC)  # CEST
    assert paris.slot_on(date(2024, 10, 27)) == datetime(2024, 10, 27, 8, tzinfo=UTC)
    # 02:30 does not exist on 10 March 2024 in New York: that day it is 03:30 EDT; in November
    # 01:30 happens twice and counts once (the first).
    ny = Schedule.parse("daily", "02:30", "America/New_York")
    assert ny.slot_on(date(2024, 3, 10)) == datetime(2024, 3, 10, 7, 30, tzinfo=UTC)
    assert Schedule.parse("daily", "01:30", "America/New_York").slot_on(date(2024, 11, 3)) == \
        datetime(2024, 11, 3, 5, 30, tzinfo=UTC)
    weekly = Schedule.parse("weekly", "18:00", "Europe/Paris", "sunday")
    now = datetime(2024, 3, 27, 12, tzinfo=UTC)  # a Wednesday
    assert weekly.next_slot(now) == datetime(2024, 3, 31, 16, tzinfo=UTC)
    assert weekly.latest_slot(now) == datetime(2024, 3, 24, 17, tzinfo=UTC)
    assert due_slot(weekly, weekly.latest_slot(now), now) is None
    assert due_slot(weekly, None, now) == weekly.latest_slot(now)


class Clock:
    def __init__(self, t: datetime) -> None:
        self.t = t

    def __call__(self) -> datetime:
        return self.t


@pytest.fixture
def setup(tmp_path: Path):
    archive = Archive(tmp_path / "archive.db", [])
    clock = Clock(datetime(2024, 3, 28, 0, 0, tzinfo=UTC))
    channels = MemoryChannels()
    state = {}

    def start() -> Publisher:
        if "ledger" in state:
            state["ledger"].close()
        state["ledger"] = Ledger(publishing_path(archive.db_path))
        return Publisher(state["ledger"], channels, now=clock)

    yield archive, clock, channels, start
    state["ledger"].close()
    archive.close()


def _publish(archive: Archive, title: str, when: datetime) -> None:
    archive.add_article(Article(title, [Paragraph(f"{title}: text.")], url=f"https://news.test/{len(title)}",
                                published=when, categories=["Mars"]))


def test_daily_digest_across_the_spring_change_with_restarts(setup) -> None:
    archive, clock, channels, start = setup
    pub = start()
    asyncio.run(pub.schedule_digest(CHANNEL, Schedule.parse("daily", "09:00", "Europe/Paris")))
    build = lambda since, until, category: build_digest(archive, since, until, category)  # noqa: E731
    sent_at, titles = [], []
    for hour in range(24 * 5):  # 28 March to 1 April, hour by hour, restarting every 7 hours
        clock.t = datetime(2024, 3, 28, tzinfo=UTC) + timedelta(hours=hour, minutes=1)
        if hour % 24 == 3 and hour // 24 != 2:  # nothing is published on 30 March
            _publish(archive, f"Story of {clock.t:%d %B}", clock.t)
        if hour % 7 == 0:
            pub = start()
        before = len(channels.digests(CHANNEL))
        asyncio.run(pub.run_schedules(build))
        for digest in channels.digests(CHANNEL)[before:]:
            sent_at.append(clock.t.replace(minute=0))
            titles.append([i.title for i in digest.items])
    # 09:00 in Paris is 08:00 UTC before the change (31 March) and 07:00 UTC after it; the
    # 30 March digest had nothing new and was not sent.
    assert sent_at == [datetime(2024, 3, 28, 8, tzinfo=UTC), datetime(2024, 3, 29, 8, tzinfo=UTC),
                       datetime(2024, 3, 31, 7, tzinfo=UTC), datetime(2024, 4, 1, 7, tzinfo=UTC)]
    assert titles == [["Story of 28 March"], ["Story of 29 March"], ["Story of 31 March"],
                      ["Story of 01 April"]]


def test_slot_missed_while_down_is_sent_late_once_and_a_crash_does_not_repeat_it(setup) -> None:
    archive, clock, channels, start = setup
    asyncio.run(start().schedule_digest(CHANNEL, Schedule.parse("weekly", "09:00", "UTC", "friday")))
    build = lambda since, until, category: build_digest(archive, since, until, category)  # noqa: E731
    for half_days in range(40):  # two articles a day from 22 March: several messages per digest
        when = datetime(2024, 3, 22, tzinfo=UTC) + timedelta(hours=12 * half_days)
        _publish(archive, f"Story {half_days:02d}" + "!" * half_days, when)
    clock.t = datetime(2024, 3, 29, 15, tzinfo=UTC)  # the bot was down at 09:00 on Friday
    channels.crash_after_sends = 1  # dies after the first message of the digest
    with pytest.raises(Crash):
        asyncio.run(start().run_schedules(build))
    clock.t += timedelta(minutes=5)
    pub = start()
    asyncio.run(pub.recover())
    asyncio.run(pub.run_schedules(build))
    parts = channels.digests(CHANNEL)
    items = [i for p in parts for i in p.items]
    assert len(parts) == 2 and len(items) == 14 and len({i.title for i in items}) == 14
    assert parts[0].since == datetime(2024, 3, 22, 9, tzinfo=UTC)
    assert min(i.published for i in items) == datetime(2024, 3, 22, 12, tzinfo=UTC)
    clock.t = datetime(2024, 4, 5, 9, 0, 30, tzinfo=UTC)
    asyncio.run(start().run_schedules(build))
    asyncio.run(start().run_schedules(build))
    later = [i for p in channels.digests(CHANNEL)[len(parts):] for i in p.items]
    assert len(later) == 14
    assert min(i.published for i in later) == datetime(2024, 3, 29, 12, tzinfo=UTC)
