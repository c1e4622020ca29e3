"""Dates and relative ages."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from articles.dates import parse_age, parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-05-15", datetime(2021, 5, 15, tzinfo=UTC)),
        ("2021-05-15T10:00:00Z", datetime(2021, 5, 15, 10, tzinfo=UTC)),
        ("2021-05-15T10:00:00", datetime(2021, 5, 15, 10, tzinfo=UTC)),
        ("2021-05-15T10:00:00+02:00", datetime(2021, 5, 15, 8, tzinfo=UTC)),
        ("Sat, 15 May 2021 10:00:00 GMT", datetime(2021, 5, 15, 10, tzinfo=UTC)),
        ("May 15, 2021", datetime(2021, 5, 15, tzinfo=UTC)),
        ("May 15th, 2021", datetime(2021, 5, 15, tzinfo=UTC)),
        ("15 May 2021", datetime(2021, 5, 15, tzinfo=UTC)),
        (date(2021, 5, 15), datetime(2021, 5, 15, tzinfo=UTC)),
        (datetime(2021, 5, 15, 12, tzinfo=timezone(timedelta(hours=-4))),
         datetime(2021, 5, 15, 16, tzinfo=UTC)),
        (1621036800, datetime(2021, 5, 15, tzinfo=UTC)),
    ],
)
def test_dates_come_out_aware_and_in_utc(value, expected):
    parsed = parse_date(value)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize("value", ["", "soon", "2021-13-45", None, True, ["2021-05-15"]])
def test_unreadable_dates_are_none(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("17 hours ago", timedelta(hours=17)),
        ("1 day ago", timedelta(days=1)),
        ("2 weeks ago", timedelta(weeks=2)),
        ("a month ago", timedelta(days=30)),
        ("an hour ago", timedelta(hours=1)),
        ("3 years ago", timedelta(days=3 * 365)),
        ("yesterday", timedelta(days=1)),
    ],
)
def test_ages(text, delta):
    assert parse_age(text) == delta


@pytest.mark.parametrize("text", ["Voyager 1 Keeps Going", "17 hours", "ago", "many days ago"])
def test_non_ages(text):
    assert parse_age(text) is None
