"""Picking the short answer out of the best passages.

A typed span (a date for "when", a count for "how many", a name for "who", ...) is taken from the
sentence that best matches the question, the one closest to the question's words winning. Dates
without a year are completed from what the reader has already seen: the same paragraph, then the
article's earlier paragraphs, then the publication date, and the answer says where the year came
from. No model: patterns for dates, numbers and names, and term overlap from the one tokenizer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime

from index.questions import Question, paraphrase_matches
from index.tokenize import STOPWORDS, iter_terms, term_for

_MONTH = (
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
_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred dozen half"
).split()
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_NUMWORD = (
    rf"(?:(?:{_TENS})-(?:one|two|three|four|five|six|seven|eight|nine)|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + ")"
)
_DIGITS = r"\d+(?:[.,]\d+)*(?:½|¼|¾)?"
_SCALE = r"(?:hundred|thousand|million|billion|trillion)"
_NUM = rf"(?:{_DIGITS}|(?i:{_NUMWORD}))(?:\s{_SCALE})?"
_RANGE = rf"{_NUM}(?:\s?(?:to|-|–|—|and|or)\s?{_NUM})?"

_DATE = re.compile(
    "|".join(
        [
            rf"\b{_DAY}\s(?:of\s)?{_MONTH},?\s{_YEAR}",  # 15 May 2021
            rf"\b{_MONTH}\s{_DAY},?\s{_YEAR}",  # May 15, 2021
            rf"\b{_MONTH}\s{_DAY}(?:\s?[-–]\s?{_DAY})?\b(?![,.]?\d)",  # May 15
            rf"\b{_DAY}\s(?:of\s)?{_MONTH}\b",  # 15 May
            rf"\b(?:(?:early|mid|late|the\send\sof|the\sbeginning\sof)[\s-])?{_MONTH},?\s{_YEAR}",
            rf"\b(?:(?:the\s)?(?:early|mid|late)[\s-])?{_ORDINAL}[\s-]century(?:\s(?:BC|BCE|AD|CE))?",
            r"\b(?:(?:early|mid|late)[\s-])?[12]\d{2}0s\b",  # 1990s
            rf"\b{_NUM}\s(?:years|centuries|decades)\sago\b",
            rf"\b(?:(?:spring|summer|autumn|fall|winter)\s(?:of\s)?)?{_YEAR}(?:\s?[-–]\s?{_YEAR}|\s?[-–]\s?\d{{2}}\b)?",
            r"\b(?:the\s)?(?:Middle Ages|Renaissance|Midsummer[’']s (?:Night|Eve)|Christmas|Easter)",
        ]
    )
)
_YEAR_IN = re.compile(r"\b([12]\d{3})\b(?!\s?(?:%|percent|km|kg|m\b|people|men|troops))")
_HAS_YEAR = re.compile(rf"{_YEAR}|century|0s\b|ago\b", re.I)
_HAS_DAY = re.compile(rf"\d|{_ORDINAL}", re.I)
_MONEY = re.compile(
    rf"(?:US)?[$£€¥]\s?{_DIGITS}(?:\s?{_SCALE}|\s?(?:m|bn|k)\b)?"
    rf"|{_NUM}\s(?:dollars|pounds|euros|yen|yuan)"
)
_PERCENT = re.compile(rf"{_RANGE}\s?(?:%|percent\b|per\scent\b)")
_QUANTITY = re.compile(rf"(?<![\w$£€.])(?:a\s)?{_RANGE}(?![\w%])")
_UNIT_WORD = re.compile(r"\s?(?:[-–]\s?)?([a-zA-Zµ°²³/]+(?:\.)?)")
_CAPWORD = re.compile(r"[^\W\d_][\w'’.&-]*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Jr|Sr|Mt|No|vs|U\.S|c|ca|e\.g|i\.e)\.$")
_CONNECTORS = frozenset("of de da del della di du von van der den la le & y bin al".split())
_NOT_NAMES = frozenset(
    """the a an in on at by for from to of and or but if as it its this that these those he she
    they we i his her their our there then when while after before during however although
    though since also many some most one two three several according despite today yesterday
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
# Capitalised only because they open a sentence.
_COMMON_STARTS = frozenset(
    """under finding additional following other another although because during first later
    linebacker according several both each every many most some such these those this that
    while with without after before since until unlike like following between among despite
    in on at by for from to of as if it its his her their there then thus hence however
    although though""".split()
)
_MONTH_NAMES = frozenset(
    "january february march april may june july august september october november december".split()
)
_PLACE_PREPOSITIONS = frozenset("in at from near to into on across inside outside within".split())
_PERSON_CUES = frozenset("by led founder founded".split())
_MEASURES = frozenset(
    """years year months month weeks week days day hours hour minutes minute seconds second
    centuries decades km kilometres kilometers kilometre kilometer miles mile m metres meters
    feet ft foot inches cm mm kg kilograms tons tonnes t pounds lb lbs lbf kn mph acres hectares
    ha degrees °c °f percent times grams gram g kilogram tonne ton ounces milligrams metre meter
    kilometre kilometer au km/h kph knots light-years light-year parsecs watts kilowatts
    centimeters centimetres centimeter centimetre millimeters millimetres yards
    megawatts volts liters litres gallons""".split()
)
# What a "how ..." question measures, by the word after "how" or the verb: the units that fit.
_MASS = frozenset("kg kilograms kilogram grams gram g tons tonnes tonne ton t pounds lb lbs ounces".split())
_LENGTH = frozenset(
    """km kilometres kilometers kilometre kilometer miles mile m metres meters metre meter feet ft
    foot inches cm mm au light-years light-year parsecs centimeters centimetres centimeter
    centimetre millimeters millimetres yards""".split()
)
_TIME = frozenset(
    "years year months month weeks week days day hours hour minutes minute seconds second".split()
)
_EXPECTED_UNITS = {
    "weigh": _MASS, "heavi": _MASS, "mass": _MASS,
    "far": _LENGTH, "close": _LENGTH, "tall": _LENGTH, "high": _LENGTH, "deep": _LENGTH,
    "wide": _LENGTH, "big": _LENGTH, "distanc": _LENGTH,
    "long": _LENGTH | _TIME, "old": _TIME, "fast": frozenset({"mph", "kph", "km/h", "knots"}),
}
_RATE = re.compile(r"\s(?:per|an?|each)\s(?:hour|second|minute|day|year)\b")
_UNIT_STOP = STOPWORDS | frozenset(
    {"and", "or", "to", "of", "in", "on", "at", "by", "per", "than"}
)


@dataclass
class Passage:
    """A paragraph in its article: what a reader sees before it completes a date's year."""

    paragraph: str
    title: str = ""
    preceding: list[str] = field(default_factory=list)
    published: datetime | None = None


@dataclass
class Extraction:
    answer: str | None
    candidate_index: int
    span: tuple[int, int] | None
    sentence: str
    confidence: float
    note: str | None = None


@dataclass
class _Span:
    start: int
    end: int
    text: str
    bonus: float = 0.0


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; abbreviations like "Dr." or "U.S." do not end one."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text, max(start, m.start() - 6), m.start()):
            continue
        spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _date_spans(sentence: str) -> list[_Span]:
    spans = []
    for m in _DATE.finditer(sentence):
        text = m.group().strip()
        if re.fullmatch(r"[12]\d{3}", text):
            after = sentence[m.end() : m.end() + 12]
            if re.match(r"\s?(?:%|percent|km|kg|people|men|troops|m\b|feet|miles|tons)", after):
                continue
            if sentence[max(0, m.start() - 1) : m.start()] in ("$", "£", "€", ","):
                continue
        specific = 0.3 if _HAS_DAY.search(text) and re.search(_MONTH, text) else 0.1
        spans.append(_Span(m.start(), m.end(), text, specific))
    return spans


def _with_unit(sentence: str, end: int, question: Question) -> tuple[int, str | None]:
    """Extend a number with the unit after it. For a count only a measuring unit is added
    ("4 weeks"), never the thing counted, which the question already names."""
    m = _UNIT_WORD.match(sentence, end)
    if not m:
        return end, None
    unit = m.group(1).rstrip(".")
    low = unit.casefold()
    if low in _UNIT_STOP or (unit[:1].isupper() and len(unit) > 3):
        return end, None
    if question.answer_type == "how_many":
        hyphenated = sentence[end : m.start(1)].strip() != ""
        if hyphenated or low not in _MEASURES or term_for(unit) in question.terms:
            return end, None
    end += len(sentence[end : m.end()].rstrip("."))
    rate = _RATE.match(sentence, end)
    if rate and question.answer_type == "how_much":
        end, unit = rate.end(), f"{unit}{rate.group()}"
    return end, unit


def _unit_fit(unit: str, question: Question) -> float:
    """How well a number's unit fits a "how much" question: a unit of what is asked ("kg" for
    "how much does it weigh?") is best, any measuring unit is fine, a mere word ("five short")
    is not a unit at all."""
    low = unit.split()[0].casefold()
    expected = set()
    for word in question.words:
        expected |= _EXPECTED_UNITS.get(term_for(word) or word, frozenset())
    if expected and low in expected:
        return 0.4
    if low in _MEASURES:
        return 0.1 if not expected else 0.0
    return -0.2


def _is_count(text: str) -> bool:
    """False for what looks like a year or a score ("1985", "49–15"), which counts are not."""
    if re.fullmatch(r"[12]\d{3}", text):
        return False
    parts = re.split(r"\s?[-–—]\s?", text)
    if len(parts) == 2 and all(x.isdigit() for x in parts):
        return int(parts[0]) < int(parts[1])
    return True


def _number_spans(sentence: str, question: Question, qwords: frozenset[str]) -> list[_Span]:
    spans: list[_Span] = []
    taken: list[tuple[int, int]] = []
    if question.answer_type == "how_much":
        for rx in (_MONEY, _PERCENT):
            for m in rx.finditer(sentence):
                spans.append(_Span(m.start(), m.end(), m.group(), 0.2))
                taken.append((m.start(), m.end()))
    focus = term_for(question.focus) if question.focus else None
    for m in _QUANTITY.finditer(sentence):
        s, e = m.start(), m.end()
        text = m.group()
        if text.startswith("a "):
            s, text = s + 2, text[2:]
        if any(a <= s < b for a, b in taken) or text.casefold() in qwords or not _is_count(text):
            continue
        if text.casefold() == "one" and not re.match(r"\s(?:of|[a-z]+)", sentence[e:]):
            continue
        bonus = 0.0
        after = [t for t, _, _ in iter_terms(sentence[e : e + 40])][:3]
        if focus and focus in after:
            bonus += FOCUS_BONUS
        e, unit = _with_unit(sentence, e, question)
        if unit and question.answer_type == "how_much":
            bonus += _unit_fit(unit, question)
        spans.append(_Span(s, e, sentence[s:e], bonus))
    return spans


def _name_spans(sentence: str, qwords: frozenset[str], plural: bool = False) -> list[_Span]:
    """Runs of capitalised words (with "of", "de", "&"...). A run made mostly of the question's
    own words is what the question names, not its answer; otherwise those words are trimmed."""
    spans: list[_Span] = []
    run: list[re.Match] = []
    connectors = _CONNECTORS | {"and"} if plural else _CONNECTORS

    def close() -> None:
        while run and run[-1].group().casefold() in connectors:
            run.pop()
        words = [m.group().casefold().rstrip(".,").removesuffix("'s").removesuffix("’s") for m in run]
        asked = [w in qwords for w in words]
        if run and sum(asked) * 2 < len(run):
            while run and (asked[0] or run[0].group()[0].islower()):
                run.pop(0)
                asked.pop(0)
                words.pop(0)
            while run and (asked[-1] or run[-1].group()[0].islower()):
                run.pop()
                asked.pop()
                words.pop()
        if run and not any(asked):
            s, e = run[0].start(), run[-1].end()
            text = sentence[s:e].rstrip(".,;:")
            if text.endswith("'s") or text.endswith("’s"):
                text = text[:-2]
            spans.append(_Span(s, s + len(text), text, 0.1 * min(len(run), 3)))
        run.clear()

    for m in _CAPWORD.finditer(sentence):
        w = m.group()
        low = w.casefold().rstrip(".,")
        gap = sentence[run[-1].end() : m.start()] if run else " "
        if run and gap.strip() not in ("", "&"):
            close()
        if w[0].isupper() and low not in _NOT_NAMES and low not in _MONTH_NAMES:
            if not run and m.start() == 0 and low in _COMMON_STARTS:
                continue
            run.append(m)
        elif run and low in connectors:
            run.append(m)
        else:
            close()
    close()
    return spans


def _phrase_spans(sentence: str, qwords: frozenset[str]) -> list[_Span]:
    """Short runs of words that are neither stopwords nor the question's: a fallback answer."""
    spans = []
    words = list(re.finditer(r"[\w'’%$.-]+", sentence))
    run: list[re.Match] = []
    for m in words + [None]:
        low = m.group().casefold().strip(".") if m else ""
        gap = sentence[run[-1].end() : m.start()] if (run and m) else " "
        ok = m is not None and low not in STOPWORDS and low not in qwords and not gap.strip()
        if ok and len(run) < 4:
            run.append(m)
            continue
        if run:
            s, e = run[0].start(), run[-1].end()
            spans.append(_Span(s, e, sentence[s:e].rstrip(".,;:"), -0.2))
        run = [m] if (m is not None and low not in STOPWORDS and low not in qwords) else []
    return spans


def typed_spans(question: Question, sentence: str) -> list[_Span]:
    """Candidate answers of the question's type in one sentence (offsets into the sentence)."""
    qwords = frozenset(question.words) | {w.removesuffix("'s") for w in question.words}
    kind = question.answer_type
    if kind == "when":
        return _date_spans(sentence)
    if kind in ("how_many", "how_much"):
        return _number_spans(sentence, question, qwords)
    if kind in ("who", "where"):
        spans = _name_spans(sentence, qwords, plural="were" in qwords or "are" in qwords)
        cues = _PERSON_CUES if kind == "who" else _PLACE_PREPOSITIONS
        for sp in spans:
            before = sentence[max(0, sp.start - 12) : sp.start].split()
            if before and before[-1].casefold() in cues:
                sp.bonus += CUE_BONUS
            elif kind == "who" and before and before[-1].casefold() in _PLACE_PREPOSITIONS:
                sp.bonus -= PLACE_PENALTY
            sp.bonus += TITLE_BONUS * _titled(sentence, sp, question)
        return spans
    if kind in ("which", "what", "other"):
        # "What satellite ...?" asks for a thing: a date is no answer to it, and a name said
        # with the thing asked about ("the Beacon relay satellite") most likely is.
        dates = _date_spans(sentence) if question.focus is None else []
        names = _name_spans(sentence, qwords)
        focus = term_for(question.focus) if question.focus else None
        if focus:
            for sp in names:
                beside = [t for t, _, _ in iter_terms(sentence[sp.end : sp.end + 25])][:1]
                beside += [t for t, _, _ in iter_terms(sentence[max(0, sp.start - 25) : sp.start])][-1:]
                if focus in beside:
                    sp.bonus += FOCUS_BONUS
        return names + dates + _phrase_spans(sentence, qwords)
    return []


def _titled(sentence: str, span: _Span, question: Question) -> int:
    """How many of the question's words stand right before the name as its title: "command
    module pilot Michael Collins" answers "who was the command module pilot?" (3), where
    "commander Neil Armstrong" shares one word."""
    before = list(iter_terms(sentence[max(0, span.start - 60) : span.start]))
    offset = max(0, span.start - 60)
    count, edge = 0, span.start
    terms = set(question.terms)
    for term, start, end in reversed(before[-3:]):
        if term not in terms or sentence[offset + end : edge].strip(" ,") != "":
            break
        count += 1
        edge = offset + start
    return count


def _term_weights(question: Question) -> dict[str, float]:
    """Each distinct question term once; longer (rarer-looking) terms count a little more."""
    return {t: 1.0 + 0.1 * min(len(t), 8) for t in dict.fromkeys(question.terms)}


def _match_positions(text: str, weights: dict[str, float]) -> list[tuple[int, str, float]]:
    """(offset, term, weight) of question terms in text; a word whose term starts with a
    question term ("lander" for "land") counts half, a paraphrase ("came down") nearly fully."""
    found = []
    for term, start, _ in iter_terms(text):
        w = weights.get(term)
        if w is not None:
            found.append((start, term, w))
        elif len(term) > 4:
            for qt, qw in weights.items():
                if len(qt) >= 4 and term.startswith(qt):
                    found.append((start, qt, qw * 0.5))
                    break
    said = paraphrase_matches(text, weights.keys())
    found.extend((start, term, weights[term] * 0.8) for term, start in said)
    return found


def _complete_year(answer: str, sentence_start: int, passage: Passage) -> tuple[str, str | None]:
    """Add the year a dated answer lacks from the context a reader has; say where it came from."""
    if _HAS_YEAR.search(answer) or not re.search(_MONTH, answer):
        return answer, None
    before = list(_YEAR_IN.finditer(passage.paragraph[:sentence_start]))
    year, source = None, None
    if before:
        year, source = before[-1].group(1), "the paragraph"
    else:
        after = _YEAR_IN.search(passage.paragraph, sentence_start)
        if after:
            year, source = after.group(1), "the paragraph"
    if year is None:
        for text in reversed(passage.preceding):
            found = _YEAR_IN.findall(text)
            if found:
                year, source = found[-1], "earlier in the article"
                break
    if year is None and passage.published:
        year, source = str(passage.published.year), "the article's publication date"
    if year is None:
        return answer, None
    if re.match(r"\d", answer):
        return f"{answer} {year}", f"year {year} taken from {source}"
    return f"{answer}, {year}", f"year {year} taken from {source}"


_PASSAGE_WEIGHTS = (1.0, 0.8, 0.7)
NEAR_WEIGHT = 0.6
FOCUS_BONUS = 0.3  # a count right before the counted thing ("72 flights" for "how many flights")
PLACE_PENALTY = 0.2
CUE_BONUS = 0.25
TITLE_BONUS = 0.1


def extract_answer(question: Question, passages: list[Passage]) -> Extraction:
    """Best typed answer from the first 1-3 passages, or the best sentence when no span fits."""
    weights = _term_weights(question)
    total = sum(weights.values()) or 1.0
    best: tuple[float, int, _Span, int, int] | None = None
    best_sentence: tuple[float, int, int, int] = (-1.0, 0, 0, 0)
    for pi, passage in enumerate(passages[: len(_PASSAGE_WEIGHTS)]):
        text = passage.paragraph
        pweight = _PASSAGE_WEIGHTS[pi]
        for s0, s1 in split_sentences(text):
            sentence = text[s0:s1]
            matches = _match_positions(sentence, weights)
            seen: dict[str, float] = {}
            for _, term, w in matches:
                seen[term] = max(seen.get(term, 0.0), w)
            coverage = sum(seen.values()) / total
            sscore = pweight * (0.5 + coverage)
            if sscore > best_sentence[0]:
                best_sentence = (sscore, pi, s0, s1)
            spans = typed_spans(question, sentence)
            if not spans:
                continue
            for sp in spans:
                near = _nearness(matches, sp, sentence, total)
                score = pweight * (coverage + NEAR_WEIGHT * near + sp.bonus)
                if best is None or score > best[0]:
                    best = (score, pi, sp, s0, s1)
    if best is None:
        if not passages:
            return Extraction(None, 0, None, "", 0.0, None)
        _, pi, s0, s1 = best_sentence
        sentence = passages[pi].paragraph[s0:s1].strip()
        return Extraction(None, pi, None, sentence, 0.0, None)
    score, pi, sp, s0, s1 = best
    passage = passages[pi]
    answer, note = sp.text.strip(), None
    if question.answer_type == "when":
        answer, note = _complete_year(answer, s0 + sp.start, passage)
    confidence = max(0.0, min(1.0, score / 1.6))
    return Extraction(
        answer=answer,
        candidate_index=pi,
        span=(s0 + sp.start, s0 + sp.end),
        sentence=passage.paragraph[s0:s1].strip(),
        confidence=round(confidence, 3),
        note=note,
    )


def _nearness(matches: list[tuple[int, str, float]], span: _Span, sentence: str, total: float) -> float:
    """How close the span sits to each question word, weighted: 1 when every question word
    touches it, falling with the number of words in between."""
    nearest: dict[str, float] = {}
    for offset, term, w in matches:
        if span.start <= offset < span.end:
            continue
        if offset < span.start:
            gap = sentence.count(" ", offset, span.start)
        else:
            gap = sentence.count(" ", span.end, offset)
        value = w * math.exp(-max(gap - 1, 0) / 4)
        if value > nearest.get(term, 0.0):
            nearest[term] = value
    return sum(nearest.values()) / total


def date_parts(text: str) -> tuple[str | None, str | None, str | None]:
    """(year, month, day) as written in a date answer; None for a part it leaves out."""
    year = re.search(r"\b[12]\d{3}\b", text)
    month = re.search(_MONTH, text)
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


def dates_in(
    passage: Passage, question: Question | None = None
) -> list[tuple[str, tuple[int, int], str | None]]:
    """Every date a passage gives, years completed from context: (answer, span, note).

    With a question, only dates in sentences that say one of its terms (or a paraphrase).
    """
    out = []
    terms = set(question.terms) if question else set()
    for start, end in split_sentences(passage.paragraph):
        sentence = passage.paragraph[start:end]
        if question and not (
            any(t in terms for t, _, _ in iter_terms(sentence)) or paraphrase_matches(sentence, terms)
        ):
            continue
        for span in _date_spans(sentence):
            answer, note = _complete_year(span.text, start, passage)
            out.append((answer, (start + span.start, start + span.end), note))
    return out
