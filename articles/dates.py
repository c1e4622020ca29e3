"""Dates as archives spell them, read into timezone-aware UTC datetimes.

Sources disagree on format (ISO 8601 in front matter and JSON, RFC 2822 in RSS, "May 15, 2021"
in hand-written headers) and often on time zones; everything downstream compares datetimes, so
every value leaves here aware, naive ones taken as UTC. Unreadable values give None: a missing
date is normal for this archive, a misspelt one should not cost the article.
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


def as_utc(value: datetime) -> datetime:
    """The same instant in UTC; a naive value is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_date(value: object) -> datetime | None:
    """Read a date or datetime from ISO 8601, RFC 2822, "May 15, 2021" and similar, a
    `date`/`datetime` (as YAML gives them) or UNIX seconds; None when it is none of those."""
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text:
        return None
    try:
        return as_utc(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return as_utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    text = _ORDINAL.sub(r"\1", text)
    for fmt in _WRITTEN_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def parse_age(text: str) -> timedelta | None:
    """How long ago a relative age means ("17 hours ago", "a month ago", "yesterday"), or None
    when the text is not an age. Months count as 30 days and years as 365: ages are rough."""
    m = _AGE.match(text.strip())
    if not m:
        return None
    if m["word"]:
        return _WORD_AGE[m["word"].lower()]
    n = m["n"].lower()
    count = int(n) if n.isdigit() else 1
    return count * _UNIT[m["unit"].lower()]
