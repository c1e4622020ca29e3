"""Dates as a news text writes them, completed as its reader completes them.

"Came down on May 15" gets its year from the sentence, else from the paragraph ("reached Mars
orbit in February 2021 ... came down on May 15"), else from the article's publication date, and
only for an article without one from its earlier paragraphs; the answer says which. Words that
only make sense on the day the article appeared ("on Tuesday", "last week", "next year") are read
against its publication date. A month and day that would fall well after publication in a sentence
that does not speak of the future belongs to the year before ("on December 28" in a piece of
January 3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:[12]\d{3}|\d{1,3}\s?(?:BC|BCE|AD|CE)\b|AD\s?\d{1,4})"
_ORDINAL = (
    r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
    r"|eighteenth|nineteenth|twentieth|twenty-first)"
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)

# "2025 YD7", "1998 KY26": an asteroid's designation, whose year dates nothing the question asks
_NOT_DESIGNATION = r"(?!\s[A-Z]{1,2}\d)"
_DATE = re.compile(
    "|".join(
        [
            rf"\b{_DAY}\s(?:of\s)?{MONTH},?\s{_YEAR}",  # 15 May 2021
            rf"\b{MONTH}\s{_DAY},?\s{_YEAR}",  # May 15, 2021
            rf"\b{MONTH}\s{_DAY}(?:\s?[-–]\s?{_DAY})?\b(?![,.]?\d)",  # May 15
            rf"\b{_DAY}\s(?:of\s)?{MONTH}\b",  # 15 May
            rf"\b(?:(?:early|mid|late|the\send\sof|the\sbeginning\sof)[\s-])?{MONTH},?\s{_YEAR}",
            rf"\b(?:(?:the\s)?(?:early|mid|late)[\s-])?{_ORDINAL}[\s-]century(?:\s(?:BC|BCE|AD|CE))?",
            r"\b(?:(?:early|mid|late)[\s-])?[12]\d{2}0s\b",  # 1990s
            r"\b\d+\s(?:years|centuries|decades)\sago\b",
            rf"\b(?:(?:spring|summer|autumn|fall|winter)\s(?:of\s)?)?{_YEAR}(?:\s?[-–]\s?{_YEAR}|\s?[-–]\s?\d{{2}}\b)?"
            + _NOT_DESIGNATION,
        ]
    )
)
_RELATIVE = re.compile(
    r"\b(?:(?P<dayword>yesterday|today|tomorrow|tonight|this morning|last night)"
    r"|(?:(?P<wdmod>last|this|next|on|this past|earlier this|late on|early on)\s)?(?P<weekday>"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?!\s*,?\s*(?:" + MONTH + r"|\d))"
    r"|(?P<pmod>last|this|next|earlier this|later this|early this|late last|earlier last)\s"
    r"(?P<period>week|month|year)"
    r"|(?P<n>\d+|a|one|two|three|four|five|six|seven|eight|nine|ten)\s(?P<unit>days?|weeks?|months?)\sago)\b",
    re.I,
)
_YEAR_IN = re.compile(r"\b([12]\d{3})\b(?!\s?(?:%|percent|km|kg|m\b|people|men|troops|meters|miles))"
                      + _NOT_DESIGNATION)
_HAS_YEAR = re.compile(rf"{_YEAR}|century|0s\b|ago\b", re.I)
_FUTURE = re.compile(
    r"\b(?:will|would|plans?|planned|scheduled|set to|expected|expects|aims?|targets?|targeting|"
    r"is to|are to|upcoming|next)\b", re.I
)
_SMALL = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10}


@dataclass
class DateContext:
    """What a reader knows around a paragraph: when the article appeared, what came before."""

    published: datetime | None = None
    earlier: list[str] = field(default_factory=list)


@dataclass
class FoundDate:
    start: int  # offsets into the paragraph
    end: int
    answer: str
    note: str | None
    year_source: str | None  # written, sentence, paragraph, published, article, relative
    precision: int  # 3 day, 2 month, 1 year or vaguer, 0 without any year


def format_day(d: datetime) -> str:
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def month_number(word: str) -> int | None:
    """1-12 for a month's name or its abbreviation ("May", "sept", "Feb.")."""
    w = word.casefold().rstrip(".")
    for i, name in enumerate(MONTHS, 1):
        if name.startswith(w[:3]) and (len(w) == 3 or name.startswith(w) or w == "sept"):
            return i
    return None


def date_parts(text: str) -> tuple[str | None, str | None, str | None]:
    """(year, month, day) as written in a date answer; None for a part it leaves out."""
    year = re.search(r"\b[12]\d{3}\b", text)
    month = re.search(MONTH, text)
    rest = re.sub(r"\b[12]\d{3}\b", "", text)
    day = re.search(rf"\b{_DAY}\b", rest)
    return (
        year.group() if year else None,
        month.group()[:3].lower() if month else None,
        re.sub(r"\D", "", day.group()) if day else None,
    )


def refines(general: str, specific: str) -> bool:
    """Whether `specific` is the same date as `general` told more precisely ("May 2021" ->
    "May 15, 2021"): every part `general` gives agrees, and `specific` gives more."""
    g, s = date_parts(general), date_parts(specific)
    agrees = all(a is None or a == b for a, b in zip(g, s, strict=True))
    return agrees and sum(p is not None for p in s) > sum(p is not None for p in g)


def _plausible_year(year: int, month: int | None, day: int | None, sentence: str,
                    published: datetime, future: bool | None = None) -> int:
    """The publication year, or the one before when the date would lie months after the
    article in a sentence that does not speak of the future, or the one after when a day the
    clause speaks of as to come would lie before the article ("are due to launch on February
    12" in a story of November). `future`: what the date's clause says, else the sentence."""
    if month is None:
        return year
    try:
        when = datetime(year, month, min(day or 1, 28), tzinfo=published.tzinfo)
    except ValueError:
        return year
    ahead = bool(_FUTURE.search(sentence)) if future is None else future
    if when - published > timedelta(days=60) and not ahead:
        return year - 1
    # (only the clause's own words move a day a year on: "would" anywhere in the sentence
    # does not make "began opening the canister on Oct. 8" a thing to come)
    if future is True and day is not None and published - when > timedelta(days=1):
        return year + 1
    return year


def _after_publication(year: int, month: int | None, day: int | None, sentence: str,
                       published: datetime, future: bool | None = None) -> bool:
    """Whether the date would lie months after the article in a sentence that does not speak
    of the future, or before it in a clause that does."""
    return _plausible_year(year, month, day, sentence, published, future) != year


def _complete(text: str, a: int, sentence: str, s0: int, paragraph: str,
              context: DateContext) -> tuple[str, str | None, str | None]:
    """Add the year a month-and-day lacks; say where it came from."""
    if _HAS_YEAR.search(text) or not re.search(MONTH, text):
        return text, None, "written"
    rel = a - s0
    in_sentence = [m for m in _YEAR_IN.finditer(sentence) if not (rel <= m.start() < rel + len(text))
                   and not _in_other_relative_clause(sentence, m.start(), rel)]
    year, source, words = None, None, None
    if in_sentence:
        year, source, words = in_sentence[-1].group(1), "sentence", "the same sentence"
    else:
        before = list(_YEAR_IN.finditer(paragraph[:s0]))
        after = _YEAR_IN.search(paragraph, s0 + len(sentence))
        if before:
            year, source, words = before[-1].group(1), "paragraph", "the paragraph"
        elif after and context.published is None:
            # (a year told only after the date, in a story that says when it ran, is more often
            # another time's: "stepped down on March 31 ... deputy since 2021" is this March)
            year, source, words = after.group(1), "paragraph", "the paragraph"
    month = month_number(re.search(MONTH, text).group())
    day = re.search(r"\b\d{1,2}\b", text)
    tense = _clause_tense(sentence[:rel], strict=True)
    future = tense == "future" if tense else None
    if year is not None and context.published is not None and _after_publication(
        int(year), month, int(day.group()) if day else None, sentence, context.published,
        future,
    ):
        # "agreed on Dec. 4 to a 2026 budget", "began service on Feb. 10 ... in early 2027":
        # a year near the date that would put a done thing months after the article is
        # another year's, the publication date tells this one's
        year = None
    if year is None and context.published is not None:
        y = _plausible_year(context.published.year, month, int(day.group()) if day else None,
                            sentence, context.published, future)
        year, source = str(y), "published"
        words = "the article's publication date"
    if year is None:
        for earlier in reversed(context.earlier):
            found = _YEAR_IN.findall(earlier)
            if found:
                year, source, words = found[-1], "article", "earlier in the article"
                break
    if year is None:
        return text, None, None
    note = f"year {year} taken from {words}"
    if re.match(r"\d", text):
        return f"{text} {year}", note, source
    return f"{text}, {year}", note, source


_RELATIVE_CLAUSE = re.compile(r"\b(?:who|which|whose)\b[^,;]*", re.I)


def _in_other_relative_clause(sentence: str, at: int, date_at: int) -> bool:
    """Whether a year lies in a relative clause the date is not in: "Tanabe, the scientist who
    proposed the mission in 2015 and led its team, stepped down on March 31" dates the
    proposal, not the stepping down."""
    return any(m.start() <= at < m.end() and not m.start() <= date_at < m.end()
               for m in _RELATIVE_CLAUSE.finditer(sentence))


def _precision(answer: str) -> int:
    y, m, d = date_parts(answer)
    if y and m and d:
        return 3
    if y and m:
        return 2
    if y or _HAS_YEAR.search(answer):
        return 1
    return 0


# The clause right before a weekday says when it lies: "he told the staff on Thursday" is a day
# past even in a sentence about what he will do; "is due to launch on Friday" one to come.
_CLAUSE_FUTURE = re.compile(
    r"\b(?:will|would|shall)\b|\b(?<!was )(?<!were )(?<!had )(?:set|scheduled|planned|expected|slated|going)"
    r"\s+to\b|\b(?:is|are|plans?|aims?)\s+to\b|\b(?:scheduled|set|slated)\s+(?:for|on)\b"
    # "due to launch", not "scrubbed due to high winds"
    r"|\b(?<!was )(?<!were )due\s+to\s+(?:launch|fly|arrive|land|dock|return|begin|start|open|reach|be|go|"
    r"leave|lift|splash|touch|enter|undock|depart|fire|end)\b", re.I
)
_CLAUSE_PAST = re.compile(
    r"\b(?:[a-z]+ed|said|told|met|began|took|won|made|flew|went|came|sent|got|left|lost|saw|held|"
    r"gave|broke|fell|rose|wrote|spoke|chose|drove|struck|sold|bought|paid|led|was|were|had|did)\b",
    re.I,
)


# ... and those that say it of the present, strictly: not "had entered orbit as planned on".
_CLAUSE_FUTURE_NOW = re.compile(
    r"\b(?:will|shall)\b|\b(?:is|are)\s+(?:now\s+)?(?:due|set|scheduled|planned|expected|slated|going)"
    r"\s+(?:to|for)\b|\b(?:plans?|aims?)\s+to\b", re.I
)


def _clause_tense(before: str, strict: bool = False) -> str | None:
    """"past" or "future" as the words right before a date in its clause tell it (None: they
    do not); `strict`: future only when said in the present ("is due to", "will")."""
    clause = re.split(r"[,;:()\"“”]", before)[-1]
    words = clause.split()[-8:]
    near = " ".join(words)
    if (_CLAUSE_FUTURE_NOW if strict else _CLAUSE_FUTURE).search(near):
        return "future"
    if _CLAUSE_PAST.search(near):
        return "past"
    return None


def _weekday_date(published: datetime, weekday: int, modifier: str, sentence: str,
                  before: str = "") -> datetime:
    """The weekday nearest the publication date on the side the sentence speaks of: before it
    for what happened ("on Tuesday"), after it for what will ("will launch on Tuesday"); the
    clause the day is told in says it first, the sentence else."""
    tense = _clause_tense(before)
    future = tense == "future" if tense else bool(_FUTURE.search(sentence))
    if modifier == "next" or (modifier != "last" and future):
        return published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
    delta = (published.weekday() - weekday) % 7
    if modifier == "last" and delta == 0:
        delta = 7
    return published - timedelta(days=delta)


def _relative(m: re.Match[str], sentence: str, published: datetime) -> tuple[str, int] | None:
    """A relative date read against the publication date: (answer, precision)."""
    g = {k: (v.casefold() if v else None) for k, v in m.groupdict().items()}
    if g["dayword"]:
        shift = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(g["dayword"], 0)
        return format_day(published + timedelta(days=shift)), 3
    if g["weekday"]:
        modifier = (g["wdmod"] or "").split()[-1] if g["wdmod"] else ""
        day = _weekday_date(published, WEEKDAYS.index(g["weekday"]), modifier, sentence,
                            sentence[: m.start()])
        return format_day(day), 3
    if g["period"]:
        mod = g["pmod"].split()[-1] if g["pmod"] else "this"
        step = {"last": -1, "next": 1}.get(mod, 0)
        if g["period"] == "year":
            return str(published.year + step), 1
        if g["period"] == "month":
            month0 = published.month - 1 + step
            year, month = published.year + month0 // 12, month0 % 12 + 1
            return f"{MONTHS[month - 1].capitalize()} {year}", 2
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=step)
        return f"the week of {format_day(monday)}", 2
    if g["n"]:
        n = int(g["n"]) if g["n"].isdigit() else _SMALL.get(g["n"], 1)
        unit = g["unit"].rstrip("s")
        days = {"day": 1, "week": 7, "month": 30}[unit] * n
        when = published - timedelta(days=days)
        return (format_day(when), 3) if unit != "month" else (f"{when.strftime('%B')} {when.year}", 2)
    return None


def find_dates(paragraph: str, s0: int, s1: int, context: DateContext) -> list[FoundDate]:
    """Every date in one sentence of `paragraph`, completed from its context."""
    sentence = paragraph[s0:s1]
    out: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for m in _DATE.finditer(sentence):
        text = m.group().strip()
        before = sentence[: m.start()]
        if (
            re.match(MONTH, text) and re.search(r"\b[A-Z][a-z]+\s$", before[-12:])
            and not re.search(r"[.!?:]\s*\S+\s$", before)
            and not re.search(r"\b(?:In|On|By|Since|Until|Late|Early|Mid|From)\s$", before)
        ):
            continue  # a name that holds a month ("Long March 5")
        if re.fullmatch(r"[12]\d{3}", text):
            after = sentence[m.end() : m.end() + 12]
            if re.match(r"\s?(?:%|percent|km|kg|people|men|troops|m\b|feet|miles|tons|meters|kilo)", after):
                continue
            if sentence[max(0, m.start() - 1) : m.start()] in ("$", "£", "€", ",", "#"):
                continue
            if re.search(r"[A-Za-z]-?\s?$", sentence[max(0, m.start() - 2) : m.start()]) and \
                    not re.search(r"\s$", sentence[max(0, m.start() - 1) : m.start()]):
                continue  # part of a name ("Tianwen-2025")
        a = s0 + m.start()
        answer, note, source = _complete(text, a, sentence, s0, paragraph, context)
        out.append(FoundDate(a, a + len(text), answer, note, source, _precision(answer)))
        taken.append((m.start(), m.end()))
    for m in _RELATIVE.finditer(sentence):
        if any(x <= m.start() < y for x, y in taken):
            continue
        a = s0 + m.start()
        if context.published is None:
            out.append(FoundDate(a, s0 + m.end(), m.group(), None, None, 0))
            continue
        read = _relative(m, sentence, context.published)
        if read is None:
            continue
        answer, precision = read
        note = f"“{m.group()}”, read against the publication date ({format_day(context.published)})"
        out.append(FoundDate(a, s0 + m.end(), answer, note, "relative", precision))
    return out
