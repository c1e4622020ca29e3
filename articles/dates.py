"""Dates as archives spell them, read into timezone-aware UTC datetimes.

Sources disagree on format (ISO 8601 in front matter and JSON, RFC 2822 in RSS, "May 15, 2021"
in hand-written headers) and often on time zones; everything downstream compares datetimes, so
every value leaves here aware, naive ones taken as UTC. Unreadable values give None: a missing
date is normal for this archive, a misspelt one should not cost the article. So do dates outside
the years 1000-9000 (`0001-01-01T00:00:00+05:00`, a feed's year 10000): they are misreadings, and
they sit where the next time-zone shift or date sum overflows.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

_WRITTEN_FORMATS = (
    "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y",
    "%B %d, %Y %H:%M", "%b %d, %Y %H:%M", "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S",
)
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)

_AGE = re.compile(
    r"^(?:(?P<n>\d+|an?|one)\s+(?P<unit>second|minute|hour|day|week|month|year)s?\s+ago"
    r"|(?P<word>just now|yesterday|today))$",
    re.IGNORECASE,
)
_UNIT = {
    "second": timedelta(seconds=1), "minute": timedelta(minutes=1), "hour": timedelta(hours=1),
    "day": timedelta(days=1), "week": timedelta(weeks=1), "month": timedelta(days=30),
    "year": timedelta(days=365),
}
_WORD_AGE = {"just now": timedelta(0), "today": timedelta(0), "yesterday": timedelta(days=1)}
YEARS = range(1000, 9001)
"""Years a date may have (see the module docstring)."""
MAX_DATE_CHARS = 100
"""Longer values are sentences, not dates."""
MAX_AGE = timedelta(days=365 * 10_000)
"""Ages beyond this are capped: older than any article, and it keeps the sums in range."""


def as_utc(value: datetime) -> datetime:
    """The same instant in UTC; a naive value is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _plausible(value: datetime) -> datetime | None:
    """value in UTC, or None when it is outside YEARS or cannot be moved to UTC."""
    if value.year not in YEARS:
        return None
    try:
        return as_utc(value)
    except (OverflowError, ValueError):
        return None


def parse_date(value: object) -> datetime | None:
    """Read a date or datetime from ISO 8601, RFC 2822, "May 15, 2021" and similar, a
    `date`/`datetime` (as YAML gives them) or UNIX seconds; None when it is none of those."""
    if isinstance(value, datetime):
        return _plausible(value)
    if isinstance(value, date):
        return _plausible(datetime(value.year, value.month, value.day, tzinfo=UTC))
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return _plausible(datetime.fromtimestamp(value, tz=UTC))
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or len(value) > MAX_DATE_CHARS:
        return None
    text = " ".join(value.split())
    if not text:
        return None
    try:
        return _plausible(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return _plausible(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    text = _ORDINAL.sub(r"\1", text)
    for fmt in _WRITTEN_FORMATS:
        try:
            return _plausible(datetime.strptime(text, fmt))
        except ValueError:
            continue
    return None


def parse_age(text: str) -> timedelta | None:
    """How long ago a relative age means ("17 hours ago", "a month ago", "yesterday"), or None
    when the text is not an age. Months count as 30 days and years as 365: ages are rough, and
    capped at MAX_AGE ("999999999999 years ago")."""
    if len(text) > MAX_DATE_CHARS:
        return None
    m = _AGE.match(text.strip())
    if not m:
        return None
    if m["word"]:
        return _WORD_AGE[m["word"].lower()]
    n = m["n"].lower()
    unit = _UNIT[m["unit"].lower()]
    if not n.isdigit():
        return unit  # "a", "an", "one"
    digits = n.lstrip("0")
    if len(digits) > 15 or int(digits or 0) > MAX_AGE / unit:
        return MAX_AGE
    return int(digits or 0) * unit


def before(moment: datetime | None, age: timedelta) -> datetime | None:
    """moment minus age, or None when moment is unknown or the result leaves YEARS."""
    if moment is None:
        return None
    try:
        return _plausible(moment - age)
    except OverflowError:
        return None
