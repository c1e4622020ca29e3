"""Candidate short answers in a passage: dates, numbers with what they measure, names, phrases.

Every sentence of a passage offers candidates of every kind; which kind fits the question is
evidence for the answer model (`index.answers.features`), not a filter here. Each candidate
carries what a reader would notice about it: a number's unit and whether it counts the thing asked
about ("72 flights"), whether a name looks like a person, an organisation or a place, where a
date's year came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from index.answers import dates as dating
from index.answers.causes import cause_spans
from index.answers.units import MONEY_SIGNS, rate_suffix, unit_class
from index.tokenize import STOPWORDS, term_for

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Jr|Sr|Mt|No|vs|U\.S|c|ca|e\.g|i\.e|Inc|Ltd|Co|Gen|Lt|Col|Capt"
    r"|Prof|Sen|Rep|Gov|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.$"
)
_CLOCK_THEN_ZONE = re.compile(
    r"[ap]\.m\.\s+(?:Eastern|Pacific|Central|Mountain|Atlantic|Hawaii|Alaska|Moscow|Beijing|Japan"
    r"|India|Indian|Greenwich|Coordinated|British|European|UTC|GMT|[ECMP][SD]T|BST|CES?T|IST|JST)\b"
)

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12, "half": 0.5, "zero": 0,
}
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"

_NUMWORD = (
    rf"(?:(?:{_TENS})-(?:one|two|three|four|five|six|seven|eight|nine)|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + ")"
)


def is_number_word(text: str) -> bool:
    """Whether a word is a number written out ("twelve", "Forty-two")."""
    return re.fullmatch(_NUMWORD, text, re.I) is not None


_DIGITS = r"\d+(?:[.,]\d+)*(?:½|¼|¾)?"
_SCALE = r"(?:hundred|thousand|million|billion|trillion)"
_NUM = rf"(?:{_DIGITS}|(?i:{_NUMWORD}))(?:\s(?:and\sa\shalf|{_SCALE}))?"
_RANGE = rf"{_NUM}(?:\s?(?:to|-|–|—|and|or)\s?{_NUM})?"

_MONEY = re.compile(
    rf"(?:US|A|C|NZ|HK)?[{re.escape(MONEY_SIGNS)}]\s?{_DIGITS}(?:\s?{_SCALE}|\s?(?:m|bn|k|mn)\b)?"
    rf"|\b{_NUM}(?:\s{_SCALE})?\s(?:dollars|euros|pounds sterling|yen|yuan|rupees)\b"
)
_PERCENT = re.compile(rf"\b{_RANGE}\s?(?:%|percent\b|per\scent\b)")
_QUANTITY = re.compile(rf"(?<![\w$£€¥₹.])(?:an?\s)?{_RANGE}(?![\w%])")
_UNIT_AFTER = re.compile(
    r"(?:\s|[-–]|\s[-–]\s)?((?:square\s|cubic\s|light[-\s]|(?:Earth|Jupiter|Neptune|solar|Sun)\s)?"
    r"[a-zA-Zµ°²³/]+\.?(?:\s(?:per|an|a)\s\w+)?)"
)
# Astronomy measures a planet or a star in the bodies it knows: "1.93 Earth masses", "1.24
# Earth radii", "11 Jupiter masses".
_BODIES = frozenset({"earth", "jupiter", "neptune", "solar", "sun"})
_BODY_UNITS = {"masses": "mass", "mass": "mass", "radii": "length", "radius": "length",
               "diameters": "length", "diameter": "length"}
# A brightness is written before its number: "magnitude 7.4", "a magnitude of 15.8".
_MAGNITUDE = re.compile(r"\bmagnitude\s+(?:of\s+)?(?:about\s+)?[+−-]?\d+(?:\.\d+)?(?![\d.]*\w)", re.I)
# A time of day, with its zone when one is told: "9:42 p.m. EDT", "03:47 UTC", "11:54 p.m.
# Eastern time", "noon local time".
_CLOCK = re.compile(
    r"(?<![\d:.])(?:\d{1,2}:\d{2}(?:\s?[ap]\.?\s?m\.?)?|\d{1,2}(?:\.\d{2})?\s?[ap]\.m\.|noon|midnight)"
    r"(?:\s(?:UTC|GMT|[ECMP][SD]T|JST|IST|CES?T|BST|(?:Eastern|Central|Mountain|Pacific|local|Moscow|"
    r"Beijing|Japan|Indian|Greenwich|Coordinated Universal)"
    r"\s(?:[Tt]ime|[Dd]aylight [Tt]ime|[Ss]tandard [Tt]ime)))?"
    r"(?![\w:])"
)
_BELOW_ZERO = re.compile(r"(?:\bminus\s|(?<![\w.,])[-−–])$", re.I)  # not a range's "20-30"
_SCALES = ("celsius", "fahrenheit", "kelvin", "c", "f", "k")
_BEARING = re.compile(r"\s(north|south|east|west|celsius|fahrenheit|kelvin|C|F|K)\b", re.I)
_DESIGNATION = re.compile(r" [A-Z]{2}\d{1,3}\b")
_CAPWORD = re.compile(r"[^\W_][\w'’.&-]*", re.UNICODE)
_PHRASE_WORD = re.compile(r"[\w'’%$£€.-]+")

_CONNECTORS = frozenset("of de da del della di du von van der den la le & y bin al for".split())
_NOT_NAMES = frozenset(
    """the a an in on at by for from to of and or but if as it its this that these those he she
    they we i his her their our there then when while after before during however although
    though since also many some most one two three several according despite today yesterday
    monday tuesday wednesday thursday friday saturday sunday image credit credits photo
    i'd i'm i've i'll i’d i’m i’ve i’ll""".split()
)
# Capitalised only because they open a sentence.
_COMMON_STARTS = STOPWORDS | frozenset(
    """under finding additional following another although because during first later
    according several both each every many most some such these those while with without
    after before since until unlike like between among despite however thus hence although
    though yet still instead meanwhile today tomorrow yesterday now then next last early
    late once also even just only upon within throughout whereas whether nevertheless
    furthermore moreover besides beyond toward towards through amid against along around
    behind below beneath inside outside""".split()
)
MONTH_NAMES = frozenset(dating.MONTHS)
# A capitalised word of a name, in any alphabet's letters ("Menéndez", "Sørlie").
_UPPER, _LOWER = r"[^\W\d_a-zß-ÿ]", r"[^\W\d_A-ZÀ-Þ]"
_PERSON_WORD = re.compile(rf"{_UPPER}(?:{_LOWER}|['’-])+|[A-Z]\.")
_NAME_WORD = re.compile(rf"{_UPPER}(?:{_LOWER}|['’.-])+")  # ... or an abbreviation: "Dr.", "St."
_ORG_WORDS = frozenset(
    """agency administration university institute institution laboratory lab labs center centre
    corporation company inc ltd llc group foundation society council commission office
    department ministry academy college program programme organization organisation team
    association federation union bureau authority service systems technologies industries
    aerospace airlines network committee board school museum observatory fund capital ventures
    partners holdings bank orbital robotics dynamics defense defence works networks
    communications telecom engineering motors launch space optics instruments electronics
    sciences solutions journal press media energy survey consortium collaboration force forces
    army navy corps guard""".split()
)
# The worlds a story can be on: places, but rarely "where" on them something happened.
WORLDS = frozenset("mercury venus earth mars jupiter saturn uranus neptune pluto ceres moon sun".split())
# Places named alone that no place word gives away ("Arlington, Virginia"): states, provinces
# and countries news about spaceflight names most, and the planets (no instrument is "Venus").
_PLACE_NAMES = frozenset(
    """alabama alaska arizona california colorado florida georgia hawaii maryland massachusetts
    michigan nevada ohio oregon texas utah virginia washington wyoming quebec ontario
    bavaria scotland wales england ireland france germany italy spain portugal netherlands
    belgium switzerland austria sweden norway finland denmark poland ukraine russia
    kazakhstan china japan india korea taiwan israel iran turkey egypt nigeria kenya
    brazil argentina chile peru colombia mexico canada australia indonesia arkansas connecticut
    delaware idaho illinois indiana iowa kansas kentucky louisiana maine minnesota mississippi
    missouri montana nebraska oklahoma pennsylvania tennessee vermont wisconsin luxembourg greece
    hungary romania czechia singapore vietnam thailand philippines pakistan bangladesh qatar
    morocco queensland tasmania""".split()
) | WORLDS | {"new mexico", "new zealand", "south africa", "south korea", "north korea", "united states",
     "united kingdom", "united arab emirates", "french guiana", "new hampshire", "new york",
     "new jersey", "north carolina", "south carolina", "west virginia", "south australia",
     "inner mongolia", "british columbia", "rhode island", "north dakota", "south dakota",
     "new south wales", "western australia", "saudi arabia", "czech republic"}
_PLACE_WORDS = frozenset(
    """crater planitia basin mountain mountains mount mons sea ocean valley vallis range desert
    island islands city county province state region plain plains bay lake river coast
    peninsula spaceport cosmodrome site pad range launch field station base park street
    district territory kingdom republic""".split()
)
_PLACE_AFTER = _PLACE_WORDS - {"launch", "state", "site", "field", "station"}  # "Shioli crater"
_TIME_ZONE = re.compile(r"\b(?:Standard|Daylight|Summer) Time\b|\b(?:UTC|GMT|IST|EST|EDT|PST|PDT|CET|JST)\b")
_CLOCK_BEFORE = re.compile(r"\d[:.]\d\d\s*(?:[ap]\.?\s?m\.?)?\s*$", re.I)
PERSON_TITLES = frozenset(
    """dr mr mrs ms prof professor sir president chief director manager scientist engineer
    investigator administrator astronaut commander pilot designer founder ceo cto chairman
    chairwoman head leader officer spokesperson spokesman spokeswoman minister secretary
    lead deputy captain colonel general""".split()
)
_HONORIFICS = frozenset("dr prof mr mrs ms sir dame".split())
# Offices written before a person's name: "NFL Commissioner Roger Goodell" is Roger Goodell.
# An occupation opening a sentence works the same way: "Developer William Smilie", "Astronomer
# Ana Ruiz".
_OFFICES = (PERSON_TITLES - {"general"}) | frozenset(
    """commissioner governor senator mayor bishop judge coach editor ambassador associate
    developer architect author writer historian poet composer painter sculptor player
    quarterback physicist astronomer astrophysicist chemist biologist geologist inventor
    entrepreneur businessman philanthropist economist analyst researcher reporter journalist
    producer director novelist philosopher theologian archbishop cardinal""".split()
)
PERSON_CUES_AFTER = re.compile(
    r"^\s*(?:,\s*(?:who|the|a|an)\b|\ssaid\b|\ssays\b|\stold\b|\sexplained\b|\s\(\d)"
)
PERSON_CUES_BEFORE = re.compile(
    r"(?:\bby|\bsaid|\bsays|according to|\bled by|\bheaded by|\bnamed|\bwith)\s$", re.I
)
PLACE_PREPOSITIONS = frozenset(
    "in at from near to into on across inside outside within onto toward towards".split()
)
PLACE_NAMES = _PLACE_NAMES  # countries, states, worlds: places, never a crater's or a rover's name


@dataclass
class Span:
    """One candidate answer; offsets are into the paragraph."""

    start: int
    end: int
    text: str
    kind: str  # date, count, quantity, money, percent, name, phrase, cause
    sentence: int  # index of its sentence in the paragraph
    unit_class: str | None = None
    name_class: str | None = None  # person, org, place, acronym
    note: str | None = None  # where a date's year came from, in words
    year_source: str | None = None  # written, sentence, paragraph, published, article
    flags: dict[str, float] = field(default_factory=dict)
    # what is left to say once the question has said the rest: "how many yards" is answered
    # "51" (not "51 yards"), "what year" "2007" (not "March 2007")
    said: str | None = None

    @property
    def name_kind(self) -> str:
        """The name's class, sure or guessed ("person?" is "person"), "" when unknown."""
        return (self.name_class or "").rstrip("?")

    @property
    def shown(self) -> str:
        """The answer as said on its own: "the 1,020-kilogram satellite" weighs "1,020 kilograms"."""
        if self.said:
            return self.said
        m = _ADJECTIVAL.fullmatch(self.text) if self.kind == "quantity" else None
        if not m:
            return self.text
        number, unit = m.groups()
        if number == "1" or unit.endswith("s"):
            return f"{number} {unit}"
        return f"{number} {_IRREGULAR.get(unit.casefold(), unit + 's')}"


_SHORT_MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
_ADJECTIVAL = re.compile(r"([\d.,]+)-([A-Za-z]+)")
_IRREGULAR = {"foot": "feet", "inch": "inches", "century": "centuries"}


@lru_cache(maxsize=1024)
def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence; abbreviations like "Dr." or "U.S." do not end one, nor
    does the "p.m." of "at 2:48 p.m. Eastern time". Remembered for the last thousand
    paragraphs: re-ranking, candidates and citations each split the same ones."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text, max(start, m.start() - 6), m.start()):
            continue
        if _CLOCK_THEN_ZONE.match(text, max(start, m.start() - 4)):
            continue
        spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return tuple((s, e) for s, e in spans if text[s:e].strip())


def _unit(paragraph: str, end: int) -> tuple[int, str | None, str | None]:
    """The unit written right after a number ending at `end`: (new end, unit, class)."""
    m = _UNIT_AFTER.match(paragraph, end)
    if not m:
        return end, None, None
    parts = m.group(1).split()
    if len(parts) > 1 and parts[0].casefold() in _BODIES:
        unit = parts[1].rstrip(".,").casefold()
        body_unit = _BODY_UNITS.get(unit) or ("duration" if unit_class(unit) == "duration" else None)
        if body_unit is None:
            return end, parts[0], None  # "two Earth satellites": a count of what follows
        word = f"{parts[0]} {parts[1].rstrip('.,')}"
        return m.start(1) + len(word), word, body_unit
    word = " ".join(parts[:2]) if parts[0] in ("square", "cubic", "light") and len(parts) > 1 else parts[0]
    word = word.rstrip(".")
    key = word.split()[-1] if word.startswith(("square", "cubic")) else word
    key = "light-years" if word.startswith("light") else key
    cls = unit_class(key, paragraph[m.start(1) + len(word) : m.start(1) + len(word) + 24])
    if word.startswith("square") and cls == "length":
        cls = "area"
    elif word.startswith("cubic") and cls == "length":
        cls = "volume"  # "300 cubic meters" of room is no altitude
    if cls is None:
        return end, word, None
    stop = m.start(1) + len(word)
    rate = rate_suffix(paragraph[stop:], cls)
    if rate and cls in ("speed", "rate", "density"):
        stop += rate.end()
    bearing = _BEARING.match(paragraph, stop) if cls == "degrees" else None
    if bearing:  # "69 degrees south": a latitude; "1,370 degrees Celsius": a temperature
        stop = bearing.end()
        cls = "temperature" if bearing.group(1).casefold() in _SCALES else cls
    return stop, word, cls


_DURATION_ORDER = ("year", "month", "week", "day", "hour", "minute", "second")
_AND_FINER = re.compile(
    r"(?:,\s*|\s+and\s+|\s+)(\d[\d.]*)\s+(years?|months?|weeks?|days?|hours?|minutes?|seconds?)\b"
)


def _finer_duration(paragraph: str, end: int, unit: str | None) -> int | None:
    """Where a duration told in two units ends: "15 hours and 23 minutes", "2 days, 4 hours"."""
    m = _AND_FINER.match(paragraph, end)
    first = (unit or "").casefold().rstrip("s")
    if not m or first not in _DURATION_ORDER:
        return None
    second = m.group(2).casefold().rstrip("s")
    return m.end() if _DURATION_ORDER.index(second) > _DURATION_ORDER.index(first) else None


_SIZED_NOUN_AFTER = re.compile(r"\s+\d[\d.,]*-[a-z]+\s+[a-z]")
_JOINED = re.compile(r"(\d[\d,]*)(\s(?:and|or|to)\s)(\d[\d,]*)$")


def _quantities(sentence: str):
    """(start, end) of each number or range of numbers; "six times in 2026 and 12 times a year"
    holds two numbers, not a range: a range goes up."""
    for m in _QUANTITY.finditer(sentence):
        joined = _JOINED.search(m.group())
        if joined and float(joined.group(1).replace(",", "")) > float(joined.group(3).replace(",", "")):
            first_end = m.start() + joined.start() + len(joined.group(1))
            yield m.start(), first_end
            yield first_end + len(joined.group(2)), m.end()
        else:
            yield m.start(), m.end()


def _is_year_like(text: str) -> bool:
    return bool(re.fullmatch(r"[12]\d{3}", text))


_NOT_AGED = MONTH_NAMES | frozenset(dating.WEEKDAYS)


def number_spans(paragraph: str, s0: int, s1: int, index: int,
                 dates: list[tuple[int, int]] = ()) -> list[Span]:
    """Money, percentages and numbers (with their unit when one follows) in one sentence;
    numbers inside the dates found there (`dates`, paragraph offsets) are not counts."""
    sentence = paragraph[s0:s1]
    spans: list[Span] = []
    taken: list[tuple[int, int]] = list(dates)
    for rx, kind in ((_MONEY, "money"), (_PERCENT, "percent")):
        for m in rx.finditer(sentence):
            a, b = s0 + m.start(), s0 + m.end()
            spans.append(Span(a, b, m.group(), kind, index, unit_class=kind))
            taken.append((a, b))
    for m in _MAGNITUDE.finditer(sentence):
        a, b = s0 + m.start(), s0 + m.end()
        spans.append(Span(a, b, m.group(), "quantity", index, unit_class="brightness"))
        taken.append((a, b))
    for m0, m1 in _quantities(sentence):
        a, b = s0 + m0, s0 + m1
        text = sentence[m0:m1]
        if re.match(r"an?\s", text):
            cut = text.index(" ") + 1
            a, text = a + cut, text[cut:]
        if any(x <= a < y for x, y in taken):
            continue
        low = text.casefold()
        if low in ("one", "half") and (
            not re.match(r"\s[a-z]+", paragraph[b : b + 12]) or re.match(r"\sof\b", paragraph[b : b + 4])
        ):
            continue  # "one" as a pronoun ("the one that", "one of its flights")
        parts = re.split(r"\s?[-–—]\s?", text)
        if len(parts) == 2 and all(x.isdigit() for x in parts) and int(parts[0]) >= int(parts[1]):
            continue  # a score ("49–15"), not a range
        if a > 0 and (paragraph[a - 1] == "#" or paragraph[a - 1].isalpha()):
            continue  # part of an identifier ("Flight 72" stays, "Tianwen-1" does not count)
        if re.match(r":\d", paragraph[b : b + 2]) or re.search(r"\d:$", paragraph[max(0, a - 2) : a]):
            continue  # a clock time ("at 12:06 p.m.") counts nothing
        year_like = _is_year_like(text)
        stop, unit, cls = _unit(paragraph, b)
        flags: dict[str, float] = {}
        after = paragraph[stop : stop + 30]
        if re.match(rf"\s?(?:of\s(?:{_WHOSE})?\s?(?:planned|total|possible|proposed|expected)?\s?)"
                    rf"(?:{_ABOUT}\s)?(?:\d|{_NUMBER_WORD})|"
                    r"\s?of\s(?:a|the)\s(?:planned|total\sof|possible)\s", after, re.I):
            flags["part_of_total"] = 1.0  # "six of a planned 10", "four of its six instruments"
        before = paragraph[max(s0, a - 24) : a].casefold()
        of_total = (rf"\b(?:of|out of)\s(?:(?:{_WHOSE})\s)?(?:planned|total\sof|possible|proposed)?\s?"
                    rf"(?:{_ABOUT}\s)?$")
        if re.search(of_total, before) and re.search(
            r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b", before
        ):
            flags["total_of_part"] = 1.0
        if re.search(r"\b(?:about|around|roughly|nearly|almost|more than|over|some|approximately|up to)\s$",
                     before):
            flags["approximate"] = 1.0
        if cls is None or year_like:
            kind = "count"
            text_out = paragraph[a:b]
            if (unit or _SIZED_NOUN_AFTER.match(paragraph, b)) and not year_like:
                flags["counted"] = 1.0  # a word follows: "72 flights", "eight 0.6-meter telescopes"
        else:
            kind = "quantity"
            finer = _finer_duration(paragraph, stop, unit) if cls == "duration" else None
            stop = finer or stop  # "15 hours and 23 minutes" is one duration
            if finer:
                taken.append((a, stop))
            sign = _BELOW_ZERO.search(paragraph, max(s0, a - 8), a)
            if sign and cls in ("temperature", "degrees"):
                a = sign.start()  # "minus 72 degrees Celsius" is no 72 degrees
            text_out = paragraph[a:stop]
            b = stop
        if year_like and cls is None:
            flags["year_like"] = 1.0
        spans.append(Span(a, b, text_out, kind, index, unit_class=cls if kind == "quantity" else None,
                          flags=flags))
    # An age: "a 42-year-old engineer", "at the age of 42", and news's "Naledi Khumalo, 47, is".
    for m in re.finditer(
        r"\b(\d{1,3})-year-old\b|\bage(?:d| of)\s(\d{1,3})\b|([A-Z][\w'’-]+),\s([1-9]\d?|1[01]\d),\s",
        sentence,
    ):
        if m.group(3) and m.group(3).casefold() in _NOT_AGED:
            continue  # "in March, 12, ..." is no one's age
        group = next(g for g in (1, 2, 4) if m.group(g))
        a, b = s0 + m.start(group), s0 + m.end(group)
        spans.append(Span(a, b, paragraph[a:b], "quantity", index, unit_class="age"))
    return spans


# Things a name right after them is the name of: "its ship Shoal Runner" is no one's name.
_THING_BEFORE = frozenset(
    """ship vessel boat barge rover lander probe spacecraft orbiter rocket satellite capsule module
    telescope helicopter booster station""".split()
)


def _name_class(words: list[str], text: str, before: str, after: str) -> str | None:
    low = [re.sub(r"['’]s?$", "", w.casefold().strip(".,")) for w in words]  # "Launch's": launch
    if _TIME_ZONE.search(text) or (_CLOCK_BEFORE.search(before) and re.match(r"\s+time\b", after)):
        return "timezone"  # "at 11:54 p.m. Eastern time": no rocket's name
    if any(w in _ORG_WORDS for w in low):
        if any(w in ("center", "centre", "site", "field", "base", "station", "complex", "pad", "range")
               for w in low) and re.search(
            r"(?:launch|space|flight|test|training|control|force)", text, re.I
        ):
            return "place"
        return "org"
    if any(w in _PLACE_WORDS for w in low) or " ".join(low) in _PLACE_NAMES:
        return "place"
    following = re.match(r"\s+([a-z]+)", after)
    if following and following.group(1) in _PLACE_AFTER:
        return "place"  # "the slope of Shioli crater"
    region = re.match(r",\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\b", after)
    if region and region.group(1).casefold() in _PLACE_NAMES:
        return "place"  # "the Long Beach, California, company": a town and its state
    if len(words) == 1 and re.fullmatch(r"[A-Z]{2,6}", words[0]):
        return "acronym"
    prev = before.rstrip().rsplit(None, 1)[-1].casefold().strip(".,") if before.strip() else ""
    if low[0] in _HONORIFICS and 2 <= len(words) <= 5 and all(_PERSON_WORD.fullmatch(w) for w in words[1:]):
        return "person"  # "Dr. Ines Morrow"
    if prev in PERSON_TITLES or PERSON_CUES_AFTER.match(after) or PERSON_CUES_BEFORE.search(before):
        if 2 <= len(words) <= 4 and all(_NAME_WORD.fullmatch(w) or w.casefold() in _CONNECTORS
                                        for w in words):
            return "person"
    if 2 <= len(words) <= 3 and all(_PERSON_WORD.fullmatch(w) and "." not in w for w in words):
        if prev in PLACE_PREPOSITIONS:
            return "place"
        if prev in _THING_BEFORE:
            return None  # "its ship Shoal Runner", "the rover Bright Star": the thing's name
        return "person?"
    if prev in PLACE_PREPOSITIONS:
        return "place?"
    return None


_WHERE_FROM = re.compile(r"\w-(?:based|born|headquartered|built|made|owned|led|funded)$", re.I)


_WHOSE = "a|the|an|its|their|his|her|our"
_ABOUT = "(?:about|roughly|around|nearly|almost|some|approximately|more than|over)"  # "34 of its roughly 170"
_NUMBER_WORD = (r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty"
                r"|fifty)\b")
# The total a part is told of: "four of its six [instruments]", "six of a planned 10".
TOTAL_AFTER = re.compile(
    rf"\s*(?:out\s+)?of\s+(?:(?:{_WHOSE})\s+)?(?:(?:planned|total\s+of|possible|proposed|expected)\s+)?"
    rf"(?:{_ABOUT}\s+)?(\d[\d,.]*|{_NUMBER_WORD})", re.I,
)


_LETTER_NOUN = re.compile(r"[A-Z]-[a-z]{2,}")  # "X-ray", "U-turn": a common noun with a capital


def name_spans(paragraph: str, s0: int, s1: int, index: int) -> list[Span]:
    """Runs of capitalised words (with "of", "de", "&" inside) in one sentence."""
    sentence = paragraph[s0:s1]
    spans: list[Span] = []
    run: list[re.Match] = []

    def person_after_office(words: list[re.Match]) -> None:
        office = max((i for i, m in enumerate(words[:-2]) if m.group().casefold().strip(".,") in _OFFICES),
                     default=None)
        tail = words[office + 1 :] if office is not None else []
        if 2 <= len(tail) <= 4 and all(_PERSON_WORD.fullmatch(m.group().rstrip(",;:")) for m in tail):
            t0, t1 = s0 + tail[0].start(), s0 + tail[-1].end()
            person = paragraph[t0:t1].rstrip(".,;:")
            spans.append(Span(t0, t0 + len(person), person, "name", index, name_class="person",
                              flags={"part": 1.0}))

    def close() -> None:
        while run and (run[-1].group().casefold() in _CONNECTORS | {"the"}
                       or _LETTER_NOUN.fullmatch(run[-1].group().rstrip(".,;:"))):
            run.pop()  # "the XRISM X-ray observatory": XRISM ("Chandra X-ray Observatory" stays whole)
        while run and _WHERE_FROM.search(run[0].group().rstrip(".,;:")):
            # "Bengaluru-based Vyomika Systems" is Vyomika Systems, based in Bengaluru
            where = run.pop(0)
            place = where.group()[: where.group().rindex("-")]
            a = s0 + where.start()
            spans.append(Span(a, a + len(place), place, "name", index, name_class="place"))
        if not run:
            return
        a, b = s0 + run[0].start(), s0 + run[-1].end()
        text = paragraph[a:b].rstrip(".,;:")
        owner = text.endswith(("'s", "’s", "s'", "s’"))  # "Japan's Hayabusa2": whose, not what
        if text.endswith(("'s", "’s")):
            text = text[:-2]
        elif text.endswith(("s'", "s’")):
            text = text[:-1]  # "Mars' surface": Mars
        if text and not text.isdigit():
            words = [m.group() for m in run]
            after = paragraph[a + len(text) : a + len(text) + 20]
            cls = _name_class(words, text, paragraph[max(0, a - 40) : a], after)
            spans.append(Span(a, a + len(text), text, "name", index, name_class=cls,
                              flags={"owner": 1.0} if owner else {}))
            # "Associate Administrator D. Brainerd Holmes" is also the person alone.
            person_after_office(run)
            # "Dante Lauretta of the University of Arizona" is also the person alone.
            cut = next((i for i, m in enumerate(run) if m.group().casefold() in _CONNECTORS), None)
            if cut:
                head = run[:cut]
                person_after_office(head)  # "Astronomer Ana Ruiz of the Kalliope Observatory"
                b = s0 + head[-1].end()
                part = paragraph[a:b].rstrip(".,;:")
                words = [m.group() for m in head]
                cls = _name_class(words, part, paragraph[max(0, a - 40) : a], paragraph[b : b + 20])
                spans.append(Span(a, a + len(part), part, "name", index, name_class=cls, flags={"part": 1.0}))
                # ... and the place the person is of ("where does Lauretta work")
                rest = run[cut + 1 :]
                while rest and rest[0].group().casefold() in _CONNECTORS | {"the"}:
                    rest = rest[1:]
                if cls == "person" and rest:
                    t0, t1 = s0 + rest[0].start(), s0 + rest[-1].end()
                    of = paragraph[t0:t1].rstrip(".,;:")
                    place = _name_class([m.group() for m in rest], of, paragraph[max(0, t0 - 40) : t0],
                                        paragraph[t1 : t1 + 20])
                    spans.append(Span(t0, t0 + len(of), of, "name", index, name_class=place,
                                      flags={"part": 1.0}))
        run.clear()

    for m in _CAPWORD.finditer(sentence):
        w = m.group()
        low = w.casefold().rstrip(".,")
        gap = sentence[run[-1].end() : m.start()] if run else " "
        if run and gap.strip() not in ("", "&"):
            close()
        capital = w[0].isupper() or (w[0].isdigit() and run and len(w) <= 4)
        if not run and re.fullmatch(r"[12]\d{3}", w) and _DESIGNATION.match(sentence, m.end()):
            capital = True  # "1998 KY26", "2014 MU69": a minor planet's designation
        if run and re.fullmatch(r"[b-h]", w) and gap == " " and run[-1].group()[-1].isdigit():
            capital = True  # "WASP-96 b": a planet of the star WASP-96
        month_in_name = bool(run) and low in MONTH_NAMES  # "Long March 5"
        if low in _SHORT_MONTHS and re.match(r"\s+\d", sentence[m.end() : m.end() + 3]):
            close()  # "Feb. 19" is a date, not a name
            continue
        if capital and low not in _NOT_NAMES and (low not in MONTH_NAMES or month_in_name):
            if not run and not sentence[: m.start()].strip(" \"“‘'(") and low in _COMMON_STARTS:
                continue  # opening the sentence, or a quote in it: "It's not a detection ..."
            run.append(m)
            if low.endswith(("'s", "’s", "s'", "s’")):
                close()  # "China's Tianwen-1": the owner and the thing are two names
        elif run and (low in _CONNECTORS or (low == "the" and run[-1].group().casefold() == "of")):
            run.append(m)
        else:
            close()
    close()
    return spans + _coordinated(paragraph, spans, index)


def phrase_spans(paragraph: str, s0: int, s1: int, index: int, question_terms: frozenset[str]) -> list[Span]:
    """Runs of up to five words that are neither stopwords nor the question's own words, and
    their last one or two words (a phrase's head): answers to "what" with no name in them."""
    sentence = paragraph[s0:s1]
    spans: list[Span] = []
    run: list[re.Match] = []

    def close() -> None:
        while run and run[-1].group().casefold() in ("of", "and"):
            run.pop()
        if run:
            for k in {len(run), 2, 1}:
                if k > len(run) or (k < len(run) and len(run) < 3 and k != 1):
                    continue
                part = run[-k:]
                a, b = s0 + part[0].start(), s0 + part[-1].end()
                text = paragraph[a:b].rstrip(".,;:")
                if text:
                    whole = {"whole": float(k == len(run))}
                    spans.append(Span(a, a + len(text), text, "phrase", index, flags=whole))
        run.clear()

    for m in _PHRASE_WORD.finditer(sentence):
        w = m.group()
        low = w.casefold().strip(".")
        gap = sentence[run[-1].end() : m.start()] if run else " "
        if run and gap.strip():
            close()
        term = term_for(low) if low else ""
        inner = run and len(run) < 4 and (
            low == "of" or (low == "and" and run[-1].group()[:1].isupper())
        )
        if inner:
            run.append(m)
            continue
        if not low or low in STOPWORDS or term in question_terms or len(run) >= 5:
            close()
            if low and low not in STOPWORDS and term not in question_terms:
                run.append(m)
            continue
        run.append(m)
    close()
    return spans


_AND_BETWEEN = re.compile(r",?\s+and\s+|,\s+")


def _coordinated(paragraph: str, spans: list[Span], index: int) -> list[Span]:
    """Names written together as one answer: "Jim Nantz and Phil Simms", "Dorothy and Michael
    Hintze", "Neil Armstrong, Michael Collins and Buzz Aldrin" (who were the announcers, the
    astronauts), each name whole and the last joined by "and"."""
    whole = sorted((sp for sp in spans if not sp.flags), key=lambda sp: sp.start)
    out: list[Span] = []
    i = 0
    while i < len(whole):
        chain = [whole[i]]
        while i + 1 < len(whole):
            gap = _AND_BETWEEN.fullmatch(paragraph, chain[-1].end, whole[i + 1].start)
            kinds = {sp.name_kind for sp in (*chain, whole[i + 1])} - {""}
            if not gap or len(kinds) > 1:  # of one kind, or not known to be another
                break
            chain.append(whole[i + 1])
            i += 1
            if "and" in gap.group():
                break
        i += 1
        if len(chain) > 1 and "and" in paragraph[chain[-2].end : chain[-1].start]:
            a, b = chain[0].start, chain[-1].end
            cls = next((sp.name_class for sp in chain if sp.name_class), None)
            out.append(Span(a, b, paragraph[a:b], "name", index, name_class=cls, flags={"coordinated": 1.0}))
    return out


def candidate_spans(paragraph: str, question_terms: frozenset[str], context: dating.DateContext,
                    phrases: bool = True, causes: bool = False) -> list[Span]:
    """Every candidate answer in a paragraph, sentence by sentence (the reasons it gives only
    for a "why" question: `causes`)."""
    out: list[Span] = []
    typed: set[tuple[int, int]] = set()
    for index, (s0, s1) in enumerate(split_sentences(paragraph)):
        found = dating.find_dates(paragraph, s0, s1, context)
        out.extend(
            Span(d.start, d.end, d.answer, "date", index, note=d.note, year_source=d.year_source,
                 flags={"precision": float(d.precision)})
            for d in found
        )
        out.extend(Span(m.start(), m.end(), m.group(), "clock", index)
                   for m in _CLOCK.finditer(paragraph, s0, s1))
        with_month = [(d.start, d.end) for d in found if re.search(dating.MONTH, paragraph[d.start : d.end])]
        out.extend(number_spans(paragraph, s0, s1, index, with_month))
        out.extend(name_spans(paragraph, s0, s1, index))
        if causes:
            out.extend(Span(a, b, paragraph[a:b], "cause", index, flags={flag: 1.0})
                       for a, b, flag in cause_spans(paragraph[s0:s1], s0))
        if phrases:
            typed.update((sp.start, sp.end) for sp in out)
            out.extend(
                sp for sp in phrase_spans(paragraph, s0, s1, index, question_terms)
                if (sp.start, sp.end) not in typed
            )
    return out


def has_typed(
    answer_type: str, paragraph: str, s0: int, s1: int, measures: frozenset[str] = frozenset()
) -> bool:
    """Whether a sentence holds anything of the type a question asks for (a date for "when",
    a number for "how many", a mass for "how heavy", a name for "who"): cheap evidence for
    ranking passages."""
    if answer_type == "when":
        return bool(dating.find_dates(paragraph, s0, s1, dating.DateContext()))
    if measures and answer_type in ("how_many", "how_much"):
        return any(span.unit_class in measures for span in number_spans(paragraph, s0, s1, 0))
    if answer_type in ("how_many", "how_much"):
        return bool(_QUANTITY.search(paragraph, s0, s1) or _MONEY.search(paragraph, s0, s1))
    if answer_type in ("who", "where"):
        return bool(name_spans(paragraph, s0, s1, 0))
    if answer_type == "why":
        return bool(cause_spans(paragraph[s0:s1], s0))
    return False
