"""The evidence for each candidate answer, as named numbers the answer model weighs.

Each feature is something a reader would check, and its name says which: does the candidate's
sentence say the question's verb ("land" ~ "landing" ~ "came down"), does it name the thing asked
about, how close does the candidate stand to the question's words, is it the kind of thing asked
for ("how fast" wants a speed, "who leads" a person), how many of the best passages give the same
answer. The model (`index.answers.model`) learns how much each is worth; nothing here is tuned.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from index.answers.question import (
    ASKING_TERMS,
    KIND_NOUNS,
    NOW_WORDS,
    Question,
    asks_now,
    paraphrase_matches,
    question_verb,
    relative_clause,
    said_otherwise,
)
from index.answers.spans import (
    MONTH_NAMES,
    PERSON_TITLES,
    PLACE_PREPOSITIONS,
    TOTAL_AFTER,
    WORLDS,
    Span,
    split_sentences,
)
from index.answers.units import unit_class
from index.tokenize import iter_terms, term_for, term_spans

FAMILIES = {
    "when": "when", "how_many": "count", "how_much": "measure", "who": "who", "where": "where",
    "which": "what", "what": "what", "other": "what", "why": "why",
}
SAME_ROOT = 5  # letters two terms must share to count as the same root ("biolog" ~ "biologist")

_PERSON_CUE = re.compile(r"(?:\bby|\bsaid|\bsays|according to|\bled by|\bheaded by)\s+$", re.I)
_PUNCT = re.compile(r"[^\w\s]")


@lru_cache(maxsize=100_000)
def normalise(text: str) -> str:
    """An answer's text as answers are compared: lower case, no punctuation, no articles."""
    text = _PUNCT.sub("", text.casefold().replace("’", "'"))
    return " ".join(w for w in text.split() if w not in ("a", "an", "the"))


@dataclass
class QuestionWords:
    """The question's terms split by role, each with a weight (its idf in the archive)."""

    weights: dict[str, float]  # every content term
    subject: frozenset[str]  # terms naming what is asked about
    predicate: frozenset[str]  # the rest: what is asked about it ("land", "lead", "team")
    focus: str | None  # the asked-for noun's term ("flight" in "how many flights")
    asked: frozenset[str] = frozenset()  # the terms the question itself says (not the names added)
    described: frozenset[str] = frozenset()  # the name a description was read as ("zhurong")
    # words that say one thing of the question in other words ("heavy", "weighs", "mass" for
    # "how heavy"): each maps to its group's first word, and a group counts once, at its best
    same: dict[str, str] = field(default_factory=dict)
    # each term's weight among the retrieved passages alone: "bill" and "spending" run through a
    # whole story about a spending bill, "signed" is said once, where the asked event is told
    local: dict[str, float] = field(default_factory=dict)
    verb: str | None = None  # the question's verb, where it stands ("sign" in "did the president sign")
    # the subject's terms only a relative clause says ("rammed" in "the spacecraft that rammed
    # the asteroid"): they say which thing is meant, and an article may say it in other words
    clause: frozenset[str] = frozenset()

    def group(self, term: str) -> str:
        return self.same.get(term, term)

    def share_total(self, terms, weights: dict[str, float] | None = None) -> float:
        """The weight of `terms` with each group of words saying the same thing counted once."""
        weights = self.weights if weights is None else weights
        best: dict[str, float] = {}
        for t in terms:
            key = self.same.get(t, t)
            best[key] = max(best.get(key, 0.0), weights.get(t, 0.0))
        return sum(best.values())

    @property
    def events(self) -> frozenset[str]:
        """The predicate's verbs of events, which articles also tell in other words ("land":
        "touched down", "came down"), and the question's own verb ("sign"): what the answer's
        sentence must say."""
        return frozenset(t for t in self.predicate if said_otherwise(t) or t == self.verb)

    @property
    def total(self) -> float:
        return self.share_total(self.weights) or 1.0


@dataclass
class PassageView:
    """A passage as the features see it: its sentences and where the question's words are."""

    text: str
    kind: str
    title_terms: frozenset[str]
    sentences: list[tuple[int, int]] = field(default_factory=list)
    matches: list[list[tuple[int, str, float]]] = field(default_factory=list)  # per sentence


def match_positions(text: str, offset: int, words: QuestionWords) -> list[tuple[int, str, float]]:
    """(offset, term, strength) of the question's terms in `text`: 1 for the term itself,
    0.8 for a paraphrase of its verb ("came down" for "land"), 0.5 for the same root
    ("lander" for "land")."""
    found = []
    weights = words.weights
    for term, start, _ in iter_terms(text):
        if term in weights:
            found.append((offset + start, term, 1.0))
        elif len(term) >= SAME_ROOT:
            for qt in weights:
                if term == qt + "er":
                    continue  # the doer is not the deed: "lander" does not say "land"
                if len(qt) >= SAME_ROOT - 1 and (term.startswith(qt) or qt.startswith(term[:SAME_ROOT])):
                    found.append((offset + start, qt, 0.5))
                    break
    found.extend((offset + start, term, 0.8) for term, start in paraphrase_matches(text, weights))
    return found


def view_passage(text: str, kind: str, title: str, words: QuestionWords) -> PassageView:
    view = PassageView(text, kind, frozenset(t for t, _, _ in iter_terms(title)))
    view.sentences = list(split_sentences(text))
    view.matches = [match_positions(text[s0:s1], s0, words) for s0, s1 in view.sentences]
    return view


def _coverage(matches: list[tuple[int, str, float]], terms, words: QuestionWords,
              weights: dict[str, float] | None = None) -> float:
    """Weighted share of `terms` said in `matches` (each term counted once, at its best), by
    the terms' idf in the archive or by `weights`."""
    weights = words.weights if weights is None else weights
    best: dict[str, float] = {}
    for _, term, strength in matches:
        if term in terms:
            key = words.group(term)
            best[key] = max(best.get(key, 0.0), weights.get(term, 0.0) * strength)
    return sum(best.values()) / (words.share_total(terms, weights) or 1.0)


def _nearness(matches: list[tuple[int, str, float]], span: Span, text: str, words: QuestionWords) -> float:
    """How close the span stands to each question word of its sentence: 1 when every one
    touches it, falling with the words in between."""
    nearest: dict[str, float] = {}
    for offset, term, strength in matches:
        if span.start <= offset < span.end:
            continue
        if offset < span.start:
            gap = text.count(" ", offset, span.start)
        else:
            gap = text.count(" ", span.end, offset)
        value = words.weights[term] * strength * math.exp(-max(gap - 1, 0) / 4)
        key = words.group(term)
        if value > nearest.get(key, 0.0):
            nearest[key] = value
    return sum(nearest.values()) / words.total


def _neighbour_terms(text: str, start: int, end: int, n: int = 2) -> tuple[list[str], list[str]]:
    """Up to n terms right before and right after [start, end), within 60 characters."""
    spans = term_spans(text)
    k = bisect_right(spans, start, key=_end)
    j = bisect_left(spans, end, key=_start)
    before = [t for t, s, _ in spans[max(0, k - n) : k] if s >= start - 60]
    after = [t for t, _, e in spans[j : j + n] if e <= end + 60]
    return before, after


def _start(span: tuple[str, int, int]) -> int:
    return span[1]


def _end(span: tuple[str, int, int]) -> int:
    return span[2]


def _titled(text: str, span: Span, question_terms: set[str]) -> int:
    """How many of the question's words stand right before the name as its title: "command
    module pilot Michael Collins" answers "who was the command module pilot?"."""
    offset = max(0, span.start - 60)
    before = list(iter_terms(text[offset : span.start]))
    count, edge = 0, span.start
    for term, start, end in reversed(before[-3:]):
        if term not in question_terms or text[offset + end : edge].strip(" ,") != "":
            break
        count += 1
        edge = offset + start
    return count


_QUALIFIED_ROLE = re.compile(
    r"\b(deputy|assistant|associate|vice|former|acting|interim|co)[\s-]+(?:[\w'’]+\s+){0,2}[\w'’]+\s+$",
    re.IGNORECASE,
)
_APPOSITION = re.compile(
    r",\s+((?:the|a|an|its|their|his|her|[A-Z][\w-]*['’]s)\s[^,;:()]{2,120}?)\s*(?:[,;:)]|\.(?:\s|$))"
)


_RELATIVE = re.compile(r"[^.;:()]{0,60}?,?\s*\b(?:that|which|who)\s+([^,.;:()]{2,80})")


def _apposition_says(text: str, end: int, s1: int, words: QuestionWords) -> float:
    """Weighted share of the question's verb and role words said in the description set off
    right after a name: "Sarah Al Amiri, the mission's science lead, said" answers "who is the
    science lead?" whatever else the sentence is about, and "Brightwater Optics, the company in
    Boulder, Colorado, that built the instrument" answers "which company built it?"."""
    m = _APPOSITION.match(text, end, min(len(text), s1 + 1))
    if not m:
        return 0.0
    asked = words.predicate | ({words.focus} if words.focus in words.weights else set())
    described = m.group(1)
    # "..., the company in Boulder, Colorado, that built the instrument": its relative clause
    relative = _RELATIVE.match(text, m.end(1), min(len(text), s1 + 1))
    if relative:
        described += " " + relative.group(1)
    said = {t for t, _, _ in iter_terms(described)}
    said |= {t for t, _ in paraphrase_matches(described, asked)}  # "chief executive" says "ceo"
    total = sum(words.weights[t] for t in asked) or 1.0
    return sum(words.weights[t] for t in asked if t in said) / total


# Nouns of a person's role: an apposition holding one and not the asked role ("Daisuke Harada,
# Hoshikawa's chief technology officer" for "who is Hoshikawa's CEO") tells another's role.
_ROLE_NOUNS = frozenset(term_for(w) for w in """officer director manager scientist engineer
    investigator executive president founder administrator head lead chair chairman chairwoman
    spokesperson spokeswoman spokesman analyst professor researcher commander pilot deputy""".split())


def _apposition_role(text: str, end: int, s1: int) -> bool:
    """Whether the description set off right after a name says a role."""
    m = _APPOSITION.match(text, end, min(len(text), s1 + 1))
    return bool(m) and any(t in _ROLE_NOUNS for t, _, _ in iter_terms(m.group(1)))


# A second verb joined by "and" opens a clause of its own: "Zhurong reached the surface in May
# 2021 ... and drove down its ramp on May 22" dates the drive, not the landing, on May 22.
_PAST_IRREGULAR = (
    "drove rode came went took made left began spent sent held told said found flew rose fell broke "
    "brought built caught chose drew gave got grew kept knew led lost met paid saw sold shot sat "
    "spoke stood struck swept swung threw tore won wrote became"
)
_PAST_VERB = r"(?:[a-z]{2,}ed|" + "|".join(_PAST_IRREGULAR.split()) + r")\b"
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–]|\s-\s|\s+and\s+(?=(?:then\s+)?" + _PAST_VERB + ")")
# Function words whose place right before or after a candidate says what role it plays
# ("by" before a person, "in" before a date or place, "of" after a part): a closed list.
_BEFORE_WORDS = frozenset(
    "in on at by from of the a an to with as for and since during until than about after before "
    "called named as near into between was is were are".split()
)
_AFTER_WORDS = frozenset(", . ( and of in was is to who which that for on at by".split())
_NEXT_TOKEN = re.compile(r"\s*([,.(]|[\w'’]+)")
_PREV_TOKEN = re.compile(r"([,.(]|[\w'’]+)\s*$")


_SUFFIXES = ("ing", "ed", "ly", "ous", "ive", "al", "ful", "able", "ic", "ion", "ment", "ness", "ity",
             "er", "or", "ist", "s")


def _suffix(word: str) -> str:
    """The ending of a phrase's last word, which says roughly what kind of word it is: "-ly"
    and "-ous" are not things, "-ion" and "-ment" are."""
    if word.isdigit():
        return "digits"
    return next((x for x in _SUFFIXES if word.endswith(x) and len(word) > len(x) + 2), "other")


# The question's verb, then "by" and up to five words before the candidate: its doer, told in
# the passive ("led by Foxglove Ventures", "headlined by the British rock group Coldplay").
_AGENT = re.compile(r"\w+\s+by\s+(?:[^\s,;:.()]+\s+){0,5}$")


def _adjacency(
    text: str, s0: int, s1: int, span: Span, matches: list[tuple[int, str, float]], words: QuestionWords
) -> dict[str, float]:
    """Whether the question's verb or subject stands right next to the candidate, in its clause:
    "Tesla developed [an induction motor]", "the [2009] New Orleans Saints"."""
    f: dict[str, float] = {}
    clause_start = s0
    for m in _CLAUSE_BREAK.finditer(text, s0, span.start):
        clause_start = m.end()
    m = _CLAUSE_BREAK.search(text, span.end, s1)
    clause_end = m.start() if m else s1
    for offset, term, strength in matches:
        role = "predicate" if term in words.predicate else "subject" if term in words.subject else None
        if role is None or span.start <= offset < span.end:
            continue
        if offset < span.start:
            gap = text.count(" ", offset, span.start)
            side = "before"
        else:
            gap = text.count(" ", span.end, offset)
            side = "after"
        if gap <= 3:
            key = f"{role}_right_{side}"
            f[key] = max(f.get(key, 0.0), strength)
        if clause_start <= offset < clause_end:
            key = f"{role}_in_clause"
            f[key] = max(f.get(key, 0.0), strength)
        if role == "predicate" and span.kind == "name" and offset < span.start and _AGENT.match(
            text, offset, span.start
        ):
            # "the show was headlined by the British rock group Coldplay": who did it
            f["agent_of_predicate"] = max(f.get("agent_of_predicate", 0.0), strength)
    if span.name_kind == "place":
        # "Sandhill Launch, an Omaha, Nebraska, startup": where the subject is from, told in
        # the apposition right after its name
        named = _APPOSITION_OPENS.search(text, max(s0, span.start - 40), span.start)
        f["place_in_subject_apposition"] = float(
            bool(named) and term_for(named.group(1)) in words.subject
        )
    prev = _PREV_TOKEN.search(text[max(s0, span.start - 20) : span.start])
    if prev and prev.group(1).casefold() in _BEFORE_WORDS:
        f[f"word_before={prev.group(1).casefold()}"] = 1.0
    nxt = _NEXT_TOKEN.match(text, span.end, min(s1 + 1, span.end + 20))
    if nxt and nxt.group(1).casefold() in _AFTER_WORDS:
        f[f"word_after={nxt.group(1).casefold()}"] = 1.0
    return f


# A name's apposition opening: "Sandhill Launch, an ..." (the name's last word).
_APPOSITION_OPENS = re.compile(r"([\w'’-]+),\s+(?:an?|the)\s+$")


# A question asking for more than one: "who were the announcers", "which two companies".
_PLURAL_ASKED = re.compile(
    r"\b(?:who|which|what)\s+(?:were|are|have|both)\b|\b(?:two|three|four|both)\b", re.I
)

_ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_ROMAN_FORM = re.compile(r"c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")


def roman(numeral: str) -> int | None:
    """The value of a Roman numeral up to 399 ("xlix" -> 49), None for anything else; of one
    letter only I, V and X count ("Vitamin C", "Super Bowl L" name no number here)."""
    s = numeral.casefold()
    if not s or not _ROMAN_FORM.fullmatch(s) or (len(s) == 1 and s not in "ivx"):
        return None
    total = last = 0
    for ch in reversed(s):
        value = _ROMAN_DIGITS[ch]
        total += -value if value < last else value
        last = max(last, value)
    return total


# A name and its number: "Voyager 2", "Chandrayaan-3", "Artemis II", "Saturn V", "Super Bowl
# XLIX". In articles the name is capitalised and a Roman numeral upper-case; members type both
# in lower case. A number before a unit is a measure ("the Panthers 14 yard line").
_NOT_A_UNIT = (
    r"(?!-?\w)(?!\s+(?:yards?|meters?|metres?|feet|foot|miles?|kilometers?|kilometres?|km|kg|percent)\b)"
)
_NUMBERED_WRITTEN = re.compile(rf"\b([A-Z][A-Za-z'’]*)(?:\s+|-)(\d{{1,3}}|[IVXLC]{{1,7}})\b{_NOT_A_UNIT}")
_NUMBERED_TYPED = re.compile(
    rf"\b([A-Za-z][A-Za-z'’]*)(?:\s+|-)(\d{{1,3}}|[ivxlc]{{1,7}})\b{_NOT_A_UNIT}", re.I
)
# More numbers of the same name in a list: "Super Bowls XXI and XXIV", "Apollo 11, 12 and 14".
_MORE_WRITTEN = re.compile(
    rf"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(\d{{1,3}}|[IVXLC]{{1,7}})\b{_NOT_A_UNIT}"
)
_MORE_TYPED = re.compile(_MORE_WRITTEN.pattern.replace("[IVXLC]", "[ivxlc]"), re.I)
_MORE = {_NUMBERED_WRITTEN: _MORE_WRITTEN, _NUMBERED_TYPED: _MORE_TYPED}
# Lettered ones: "Series A", "Phase B", "Block C" (a capital in articles, either case typed).
_LETTERED_WRITTEN = re.compile(r"\b((?i:series|phase|block|class))\s+([A-H])\b(?!-?\w)")
_LETTERED_TYPED = re.compile(r"\b(series|phase|block|class)\s+([a-h])\b(?!-?\w)", re.I)
# Not numbers: "v" between two names is "versus" ("Commission v Italy"); a lower-case "a" before
# a word is the article ("block a law"), but for a round of money ("a series a round").
_VERSUS = re.compile(r"\s+[A-Z]")
_ARTICLE_A = re.compile(r"\s+(?!round|funding|financing|raise|investment)[a-z]")


def _value(number: str) -> int | None:
    return int(number) if number.isdigit() else roman(number)


def _numbered(pattern: re.Pattern, text: str, lettered: re.Pattern | None = None
              ) -> list[tuple[int, tuple[str, int]]]:
    out = []
    for m in pattern.finditer(text):
        terms = [t for t in (term_for(w) for w in re.findall(r"[A-Za-z]+", m.group(1))) if t]
        word, number = m.group(1).casefold(), m.group(2).casefold()
        value = _value(number)
        if not terms or word in MONTH_NAMES or value is None:
            continue
        if number == "v" and _VERSUS.match(text, m.end()):
            continue
        out.append((m.start(), (terms[-1], value)))
        more, end = _MORE.get(pattern), m.end()
        while more is not None and (nxt := more.match(text, end)):
            value, end = _value(nxt.group(1)), nxt.end()
            if value is not None:
                out.append((nxt.start(1), (terms[-1], value)))
    if lettered is not None:  # a letter numbers from 101 ("Series A"), apart from the digits
        out.extend((m.start(), (term_for(m.group(1)), 101 + ord(m.group(2).casefold()) - ord("a")))
                   for m in lettered.finditer(text)
                   if not (m.group(2) == "a" and _ARTICLE_A.match(text, m.end())))
        out.sort()
    return out


# An ordinal before a name numbers it too: "the first Fulmar rocket" is not "its second Fulmar
# rocket" (numbered from 1001, apart from the digits of "Fulmar 2").
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "debut": 1, "maiden": 1}
_ORDINAL_TYPED = re.compile(rf"\b({'|'.join(_ORDINALS)})\s+([A-Za-z][\w'’-]*)", re.I)
_ORDINAL_WRITTEN = re.compile(rf"\b((?i:{'|'.join(_ORDINALS)}))\s+([A-Z][\w'’-]*)")


def _ordinals(pattern: re.Pattern, text: str) -> list[tuple[int, tuple[str, int]]]:
    out = []
    for m in pattern.finditer(text):
        term = term_for(re.sub(r"['’]s?$", "", m.group(2)))
        if term:
            out.append((m.start(), (term, 1000 + _ORDINALS[m.group(1).casefold()])))
    return out


@lru_cache(maxsize=256)
def ordinal_names(question: str) -> frozenset[tuple[str, int]]:
    """The names a question numbers by an ordinal: "the first fulmar rocket" -> (fulmar, 1001)."""
    return frozenset(name for _, name in _ordinals(_ORDINAL_TYPED, question))


@lru_cache(maxsize=1024)
def _written_ordinals(text: str) -> tuple[tuple[int, tuple[str, int]], ...]:
    return tuple(_ordinals(_ORDINAL_WRITTEN, text))


@lru_cache(maxsize=256)
def numbered_names(question: str) -> frozenset[tuple[str, int]]:
    """The names with a number a question says, as (term, number): "voyager 2", "artemis ii"."""
    return frozenset(name for _, name in _numbered(_NUMBERED_TYPED, question, _LETTERED_TYPED))


@lru_cache(maxsize=1024)
def _written_numbered(text: str) -> tuple[tuple[int, tuple[str, int]], ...]:
    """The numbered names a passage writes, with where (read once per passage)."""
    return tuple(_numbered(_NUMBERED_WRITTEN, text, _LETTERED_WRITTEN))


def last_numbered(
    text: str, numbered: frozenset[tuple[str, int]], end: int | None = None, until: int | None = None
) -> tuple[str, int] | None:
    """The last mention before `end` in `text` of a numbered name's word with a number: a
    date after "Voyager 1 crossed" is Voyager 1's, whatever the question asks of Voyager 2.
    With none before, the first one after it in its clause, up to `until` (the sentence's
    end): "$112 million in a Series B round" is the Series B's."""
    names = {a for a, _ in numbered}
    stop = len(text) if end is None else end
    written = list(_written_numbered(text))
    if any(n > 1000 for _, n in numbered):
        written = sorted(written + list(_written_ordinals(text)))
    written = [(start, name) for start, name in written if name[0] in names]
    found = [name for start, name in written if start < stop]
    if not found and until is not None:
        found = [name for start, name in written
                 if stop <= start < until and not _CLAUSE_BREAK.search(text, stop, start)][:1]
    return found[-1] if found else None


def names_another_number(text: str, numbered: frozenset[tuple[str, int]]) -> bool:
    """Whether `text` names the question's numbered thing only with other numbers ("Artemis I"
    for a question about Artemis II)."""
    names = {a for a, _ in numbered}
    said = {name for _, name in _written_numbered(text) if name[0] in names}
    if not said or said & numbered:
        return False
    # The asked one written in lower case is told too: "in week 10" beside "Week 17",
    # "article 34" beside "Article 101".
    return not ({name for _, name in _typed_numbered(text)} & numbered)


def names_numbered(text: str, numbered: frozenset[tuple[str, int]]) -> bool:
    """Whether `text` names one of the numbered things, however cased ("Tern 2", "tern-2")."""
    return bool({name for _, name in _typed_numbered(text)} & numbered
                or {name for _, name in _written_numbered(text)} & numbered)


@lru_cache(maxsize=64)
def _typed_numbered(text: str) -> tuple[tuple[int, tuple[str, int]], ...]:
    return tuple(_numbered(_NUMBERED_TYPED, text, _LETTERED_TYPED))


_SIZE_BETWEEN = re.compile(r"\s+\d[\d.,]*-[a-z]+(?=\s)")  # " 0.6-meter" between a count and its noun
_OF_WHAT = re.compile(r"\s+of\s+((?:the\s+|its\s+|their\s+)?[\w'’-]+(?:\s+[\w'’-]+)?)")
_OF_BEFORE = re.compile(r"\b([A-Za-z]+)\s+of\s+(?:about\s+|roughly\s+|some\s+|nearly\s+|almost\s+)?$")
_NOUN_AFTER = re.compile(r"\s+([\w'’-]+(?:\s+[\w'’-]+)?)")
# The thing that weighs what follows: "The rover weighs about 26 kilograms".
_WEIGHER = re.compile(
    r"\b([\w'’-]+)\s+(?:weighs|weighed|weighing|has a mass of|had a mass of)\s+"
    r"(?:about\s+|roughly\s+|around\s+|some\s+|nearly\s+|almost\s+|just\s+|only\s+|more than\s+|under\s+)?$"
)


_SAYING = re.compile(
    r"\b(?:say|said|says|announc\w*|report\w*|confirm\w*|state[ds]?|tell|told|reveal\w*)\b", re.I
)
_SAID_ON = re.compile(
    r"\b(?:said|says|announced|reported|confirmed|stated|told reporters|revealed|wrote)\s+(?:on\s+)?$"
)
_BEFORE_NOW = re.compile(
    r"\b(?:before|previously|formerly|originally|used to|had been|at first|initially|until)\b", re.I
)
_PLAN_ASKED = re.compile(
    r"\b(?:supposed to|meant to|planned|plan to|intended|expected|projected|forecast|designed to|"
    r"was going to|were going to|originally)\b", re.I
)
_PLAN_TOLD = re.compile(
    r"\b(?:expected|expects|planned|plans|plan|forecast|forecasts|projected|projects|scheduled|designed|"
    r"meant to|supposed to|intended|aims?|aimed|goal|target|originally|was to|were to)\b", re.I
)
_PERIODS = "year|month|week|day|night|hour|orbit|season|quarter"
_PER_PERIOD = (  # "a day later" is no rate
    rf"(?:(?:a|an|per|each|every)\s+(?P<per>{_PERIODS})|(?P<ly>annual|yearly|monthly|weekly|daily|nightly|hourly))"
    r"(?!\s+(?:later|earlier|ago|late|early|after|before|behind|ahead|into)\b)"
)
_PERIOD_ASKED = re.compile(rf"\b{_PER_PERIOD}", re.I)
# "$38 million a year", "7 million alerts each night", "an annual budget of $31 million"
_PERIOD_AFTER = re.compile(rf"^(?:\s+[\w'’-]+){{0,2}}?\s+{_PER_PERIOD}\b", re.I)
_PERIOD_BEFORE = re.compile(
    rf"\b{_PER_PERIOD}\s+(?:[\w'’-]+\s+){{0,2}}(?:of\s+)?(?:about\s+|roughly\s+)?$", re.I
)
_LY = {"annual": "year", "yearly": "year", "monthly": "month", "weekly": "week", "daily": "day",
       "nightly": "night", "hourly": "hour"}


def period_of(m: re.Match[str] | None) -> str | None:
    """The period a "per period" match says: "a year", "annually" -> "year"."""
    if not m:
        return None
    return (m.group("per") or _LY.get(m.group("ly").casefold(), "")).casefold() or None


# A question asking what did happen ("when did the crew launch?", "how many were launched?").
_PAST_ASKED = re.compile(r"\b(?:did|was|were|had)\b", re.I)
# What a sentence tells as still to happen: "is scheduled to launch no earlier than June 2".
_PLAN_AHEAD = re.compile(
    r"\b(?:scheduled|planned|plans|expected|expects|slated|set to|aims? to|hopes? to|intends? to|"
    r"no earlier than|is to|are to|will|would)\b", re.I
)


@lru_cache(maxsize=256)
def _asked(question: str) -> tuple[str | None, bool]:
    """What a question asks of every candidate alike, read once per question: the period it
    asks a figure per ("each year"), and whether it asks what was planned."""
    return period_of(_PERIOD_ASKED.search(question)), bool(_PLAN_ASKED.search(question))


def _period_told(text: str, span: Span) -> str | None:
    """The period a number is told per, right beside it: "$38 million a year" -> "year"."""
    return period_of(_PERIOD_AFTER.match(text[span.end : span.end + 40])) or period_of(
        _PERIOD_BEFORE.search(text[max(0, span.start - 40) : span.start])
    )


def _measured_words(text: str, span: Span) -> str | None:
    """The words naming what a measure is the measure of, where the text says it right there:
    "the 8.2-tonne spacecraft", "1,731 grams of lunar material", "the rover weighs about 26
    kilograms" (None when it does not). "290 million light-years from Earth" names no thing:
    only a number joined to its unit ("8.2-tonne") is said of the noun after it."""
    if re.search(r"\d-[A-Za-z]+$", span.text):
        m = _NOUN_AFTER.match(text, span.end)
    else:
        m = _OF_WHAT.match(text, span.end)
    if not m:
        m = _WEIGHER.search(text, max(0, span.start - 60), span.start)
    if not m:
        m = _MEASURE_OF.search(text, max(0, span.start - 60), span.start)
    return (m.group(1) or m.group(m.lastindex)) if m else None


_ABOUT = r"(?:about|roughly|around|some|nearly|almost|just|only|more than|under|at least|up to)?\s*"
# The thing a measure is of, named before it: "put the size of the nucleus at about 2.8
# kilometers", "the original nucleus, measured at 2.8 kilometers".
_MEASURE_OF = re.compile(
    r"\b(?:size|width|diameter|length|mass|weight|height|depth|radius|span)\s+of\s+"
    r"(?:the\s+|its\s+|their\s+|this\s+)?([\w'’-]+)\s+(?:at|to|as|is|was|of)\s+" + _ABOUT + "$"
    r"|\b([\w'’-]+),?\s+measured\s+at\s+" + _ABOUT + "$"
)


# Nouns a story calls any of its craft by ("the spacecraft weighed 570 kilograms" in the story
# of DART; "a 6.2-meter wide-field instrument" of a telescope): said of whatever is asked about.
_ANY_CRAFT = frozenset(
    term_for(w) for w in "spacecraft craft vehicle instrument machine mission probe facility payload".split()
)
_KINDS = frozenset(term_for(w) for w in KIND_NOUNS) - _ANY_CRAFT


def measures_asked(text: str, span: Span, asked: set[str]) -> bool | None:
    """Whether a measure is said of the thing asked about (`asked`: the question's terms), of
    another thing, or the text does not tell. Another thing is another kind than the question
    names ("the rover weighs about 26 kilograms" when the lander is asked about), another name
    ("Ingenuity weighs" when Perseverance is asked about), or, when the question names a kind,
    any other noun ("1,731 grams of lunar material" is not the spacecraft's mass). Else a common
    noun ("60 hours of science" for how long Philae worked) or the noun a story calls its craft
    by ("the spacecraft weighed", when the question names DART) tells nothing either way."""
    words = _measured_words(text, span)
    if words is None:
        return None
    terms = [t for t, _, _ in iter_terms(words)]
    if not terms:  # "It weighs about 1.8 kilograms"
        return None
    if any(t in asked for t in terms):
        return True
    asked_kind = bool(asked & (_KINDS | _ANY_CRAFT))
    if any(t in _ANY_CRAFT for t in terms):
        return None
    if any(t in _KINDS for t in terms):
        return False if asked_kind else None
    named = re.search(r"(?<![\w'’-])[A-Z]", words)
    return False if named or asked_kind else None


# What a measure is said of as the subject of "is": "The moon is roughly 420 meters wide".
_SUBJECT_IS = re.compile(
    r"\b([\w'’-]+)\s+(?:is|was|are|were|stands|stood|measures|measured|spans|spanned)\s+"
    r"(?:about|roughly|around|some|nearly|almost|just|only|more than|under|at least)?\s*$"
)


def subject_measured(text: str, span: Span, asked: set[str]) -> bool | None:
    """Whether the thing a measure is said of as the subject of "is" is the one asked about:
    only a name or a kind of thing tells ("the moon is roughly 420 meters wide" is not the
    asteroid's width); "its width is" tells nothing."""
    m = _SUBJECT_IS.search(text, max(0, span.start - 40), span.start)
    if not m:
        return None
    terms = [t for t, _, _ in iter_terms(m.group(1))]
    if not terms:
        return None
    if any(t in asked for t in terms):
        return True
    kinds = _KINDS | _ANY_CRAFT
    if any(t in kinds for t in terms):
        return False if asked & _KINDS and not any(t in _ANY_CRAFT for t in terms) else None
    sentence_start = not text[: m.start()].strip() or text[: m.start()].rstrip()[-1:] in ".!?"
    return False if m.group(1)[:1].isupper() and not sentence_start else None


# A length is a size ("11 meters across", "the 3.4-kilometer asteroid") or a distance ("within
# 94,000 kilometers of Earth", "430 kilometers from Dinkinesh"): "how big" asks the one, "how
# close" the other.
_LENGTH_ASKED = {
    **dict.fromkeys("big larg wide width diamet size across small thick".split(), "size"),
    **dict.fromkeys("far close near distanc away high altitud".split(), "distance"),
    **dict.fromkeys("deep depth".split(), "depth"),
}
_SIZE_AFTER = frozenset("across wide long tall thick diameter".split())
# "down to about 80 meters below the surface" tells a depth, as "2 kilometers deep" does
_DEPTH_AFTER = frozenset("below beneath under underground deep".split())
_DEPTH_BEFORE = re.compile(r"\b(?:down to|depths? of)(?: about| roughly| some| nearly)?$")
_DISTANCE_AFTER = frozenset("from away above beyond past".split())
_SIZE_BEFORE = frozenset("measures measuring measured diameter width size span".split())
_DISTANCE_BEFORE = frozenset("within distance altitude approach away".split())
# What a distance is from: "how far is Orsay 41 b from its star" is not answered by "48
# light-years away" (from us) nor by "1.6 million kilometers from Earth".
_FROM = r"from\s+(?:(?:the|its|their|our|a|an|host|parent|planet|home)\s+)*([\w'’-]+)"
_ASKED_FROM = re.compile(rf"\b{_FROM}", re.I)
# "how close did Hotaru get to comet Sakurai-Bell": measured from the comet, named in a few words
_ASKED_TO = re.compile(
    r"\b(?:get|got|come|came|fly|flew|pass|passed|go|went|approach|approached|swing|swung)\s+"
    r"(?:to|past|by|near)\s+((?:[\w'’-]+\s*){1,4})", re.I
)
_TOLD_FROM = re.compile(rf"\s+(?:(?:away|out)\s+)?{_FROM}|\s+(away)\b", re.I)


def distance_from(question: str, text: str, span: Span) -> bool | None:
    """Whether a distance is told from what the question measures it from (None: the question
    says no "from", or the text does not tell); "away" alone is from us, on Earth."""
    asked = _ASKED_FROM.search(question)
    to = _ASKED_TO.search(question) if not asked else None
    if not asked and not to:
        return None
    told = _TOLD_FROM.match(text, span.end)
    if not told:
        return None
    word = told.group(1) or "Earth"
    if to:
        return term_for(word) in {t for t, _, _ in term_spans(to.group(1))}
    return term_for(word) == term_for(asked.group(1))


_SUPERLATIVE = r"\b(first|last|only|youngest|oldest|largest|biggest|smallest|fastest)\s+([\w-]+)"
_SCOPED = re.compile(
    _SUPERLATIVE + r"\s+((?:in|to|on|from|at|of|into|with|for)\s+(?:the\s+|a\s+|an\s+)?[\w-]+)", re.I
)


def superlative_scope(question: str, sentence: str) -> bool | None:
    """Whether a sentence saying the question's "first woman" also says what she was first at:
    "the first woman to command the test pilot school" does not say "the first woman in space"
    (None: the question asks no such thing, or the sentence does not say it)."""
    asked = _SCOPED.search(question)
    if not asked:
        return None
    which, noun = asked.group(1).casefold(), term_for(asked.group(2))
    told = [m for m in re.finditer(_SUPERLATIVE, sentence, re.I)
            if m.group(1).casefold() == which and term_for(m.group(2)) == noun]
    if not told:
        return None
    wanted = {t for t, _, _ in term_spans(asked.group(3))}
    said = {t for t, _, _ in term_spans(sentence)}
    return bool(wanted) and wanted <= said


_YEAR = re.compile(r"\b(?:19|20)\d\d\b(?![-–]\d)")
# Words that count the same things: "how many people worked there" is answered by "74 employees".
_COUNTED_ALIKE = ("peopl employe staff worker person", "piec fragment chunk", "satellit sat spacecraft")
SAME_COUNTED = {t: frozenset(group.split()) - {t} for group in _COUNTED_ALIKE for t in group.split()}


def length_sense(text: str, span: Span) -> str | None:
    """Whether the words around a length say it is a size, a distance or a depth (None: they
    do not)."""
    if re.search(r"\b(?:radii|radius|diameters?)$", span.text):
        return "size"  # "1.24 Earth radii"
    after = re.findall(r"[a-z]+", text[span.end : span.end + 30].casefold())[:2]
    before = re.findall(r"[a-z]+", text[max(0, span.start - 40) : span.start].casefold())[-3:]
    if after[:1] and after[0] in _DEPTH_AFTER or _DEPTH_BEFORE.search(" ".join(before)):
        return "depth"
    if after[:1] and after[0] in _DISTANCE_AFTER or any(w in _DISTANCE_BEFORE for w in before):
        return "distance"
    if any(w in _SIZE_AFTER for w in after) or any(w in _SIZE_BEFORE for w in before):
        return "size"
    if re.search(r"\d-[A-Za-z]", span.text) and after and after[0] not in ("of", "in", "and", "or"):
        return "size"  # "a 160-meter asteroid" (not "At 38.6 light-years, the planet ...")
    return None


def candidate_features(q: Question, words: QuestionWords, view: PassageView, span: Span) -> dict[str, float]:
    """The named evidence for one candidate (see the module docstring); the passage's place in
    the ranking is added by the caller."""
    text = view.text
    s0, s1 = view.sentences[span.sentence]
    matches = view.matches[span.sentence]
    neighbours = view.matches[max(0, span.sentence - 1) : span.sentence + 2]
    window = [m for ms in neighbours for m in ms]
    paragraph = [m for ms in view.matches for m in ms]
    all_terms = set(words.weights)
    span_terms = [term_for(w) for w in re.findall(r"\w+", span.text)]
    # a date's numbers are no repetition of the question's ("August 2" for "when did Demo-2 splash down")
    span_terms = [t for t in span_terms if t and not (span.kind == "date" and t.isdigit())]
    before, after = _neighbour_terms(text, span.start, span.end)
    f: dict[str, float] = {
        "bias": 1.0,
        "caption": float(view.kind == "caption"),
        "sentence_says_question": _coverage(matches, all_terms, words),
        "sentence_says_rare_words": _coverage(matches, all_terms, words, words.local) if words.local else 0.0,
        "sentence_says_predicate": _coverage(matches, words.predicate, words) if words.predicate else 0.0,
        "no_predicate": float(not words.predicate),
        "sentence_names_subject": _coverage(matches, words.subject, words) if words.subject else 0.0,
        "paragraph_names_subject": _coverage(paragraph, words.subject, words) if words.subject else 0.0,
        "title_names_subject": (
            sum(words.weights[t] for t in words.subject if t in view.title_terms)
            / (sum(words.weights[t] for t in words.subject) or 1.0)
        ) if words.subject else 0.0,
        "neighbours_say_question": _coverage(window, all_terms, words),
        "neighbours_say_predicate": _coverage(window, words.predicate, words) if words.predicate else 0.0,
        "near_question_words": _nearness(matches, span, text, words),
        "question_word_before": float(any(t in all_terms for t in before[-1:])),
        "question_word_after": float(any(t in all_terms for t in after[:1])),
        "repeats_question": (
            sum(t in words.asked for t in span_terms) / len(span_terms) if span_terms else 0.0
        ),
        "length": math.log1p(len(span.text.split())),
        "first_sentence": float(span.sentence == 0),
    }
    events = words.events
    f["sentence_says_event"] = _coverage(matches, events, words) if events else 0.0
    f["neighbours_say_event"] = _coverage(window, events, words) if events else 0.0
    # A sentence that names the subject but not what is asked of it tells of another event:
    # "as of January 1, 2022 ... Zhurong had worked" does not date Zhurong's landing.
    f["subject_without_predicate"] = float(
        f["sentence_names_subject"] > 0 and bool(words.predicate) and f["sentence_says_predicate"] == 0
    )
    f.update(_adjacency(text, s0, s1, span, matches, words))
    if asks_now(q):
        # "how long does Pell take to orbit now": "the orbit now takes about 15 hours and 23
        # minutes", not "before the impact, Pell took 15 hours and 42 minutes"
        sentence = text[s0:s1]
        f["sentence_says_now"] = float(bool(NOW_WORDS.search(sentence)))
        f["sentence_says_before"] = float(bool(_BEFORE_NOW.search(sentence)))
    asked_period, asks_plan = _asked(q.text)
    if asks_plan:
        # "how many alerts was it supposed to send": the plan ("expected to send up to 7
        # million", "the 7 million forecast"), not what it sends ("averages about 4.1 million")
        f["plan_asked_and_told"] = float(bool(_PLAN_TOLD.search(text[s0:s1])))
    elif _PAST_ASKED.search(q.text):
        # "when did the Vessant-1 crew launch": not the date an older story said it was
        # "scheduled to launch no earlier than"
        f["plan_told_past_asked"] = float(bool(_PLAN_AHEAD.search(text[s0:s1])))
    if span.kind == "date" and not _SAYING.search(q.text):
        # "..., the company said on April 22": the day of the telling, not of the event asked
        f["date_of_saying"] = float(bool(_SAID_ON.search(text, max(0, span.start - 30), span.start)))
    numbered = numbered_names(q.text) | ordinal_names(q.text)
    if numbered:
        last = last_numbered(text, numbered, span.start, s1)
        f["another_numbered_name"] = float(last is not None and last not in numbered)
    focus = words.focus
    if focus:
        # (or a word that counts the same things: "a staff of 131" answers "how many people")
        alike = {focus} | SAME_COUNTED.get(focus, frozenset())
        f["focus_after"] = float(bool(alike.intersection(after[:2])))
        f["focus_next"] = float(after[:1] == [focus])  # "the Zhurong rover", not "Tianwen-1 lander and rover"
        f["focus_before"] = float(bool(alike.intersection(before[-2:])))
    kind = span.kind
    f[f"kind_{kind}"] = 1.0
    if kind == "cause":
        f.update(span.flags)  # which words gave the reason: "because of", "caused by", "so that"
    if kind in ("count", "quantity", "money", "percent"):
        cls = span.unit_class
        if q.measures:
            f["unit_fits"] = float(cls in q.measures)
            f["unit_misfits"] = float(cls is not None and cls not in q.measures)
            f["no_unit"] = float(cls is None)
        else:
            f["has_unit"] = float(cls is not None)
        if asks_in_unit(q):
            # "how many days were they up there": "186 days" is told in the unit asked, "six
            # months" in another one the asker would have to convert
            in_asked = kind == "quantity" and counts_asked_unit(q, span)
            f["told_in_asked_unit"] = float(in_asked)
            f["told_in_other_unit"] = float(not in_asked and cls is not None)
        for flag in ("counted", "year_like", "part_of_total", "total_of_part", "approximate"):
            if span.flags.get(flag):
                f[flag] = 1.0
        if kind == "count" and span.flags.get("counted") and focus and focus != "time":
            # "seven science instruments" counts instruments, not the rock samples asked about;
            # "four of its six instruments" counts what its total counts
            counted = after[:2]
            sized = _SIZE_BETWEEN.match(text, span.end)
            if sized:  # "eight 0.6-meter robotic telescopes" counts telescopes
                counted = _neighbour_terms(text, sized.end(), sized.end())[1]
            total = TOTAL_AFTER.match(text, span.end) if span.flags.get("part_of_total") else None
            if total:
                counted = _neighbour_terms(text, total.start(1), total.end(1))[1][:2]
            counted_asked = any(t in all_terms or SAME_COUNTED.get(t, frozenset()) & all_terms
                                for t in counted)
            f["counts_asked_thing"] = float(counted_asked)
            f["counts_other_thing"] = float(not counted_asked)
        if kind in ("quantity", "money"):  # a count's "six of a planned 10" is its part of a total
            # "a valuation of $2.3 billion": the measure named right before it
            named = _OF_BEFORE.search(text[max(0, span.start - 40) : span.start])
            said_of = True if named and term_for(named.group(1)) in all_terms else (
                measures_asked(text, span, all_terms))
            if said_of is None:
                said_of = subject_measured(text, span, all_terms)
            if said_of is not None:
                f["measures_asked_thing"] = float(said_of)
                f["measures_other_thing"] = float(not said_of)
        if span.unit_class == "length":
            asked_sense = _LENGTH_ASKED.get(term_for(q.focus) or "") if q.focus else None
            told_sense = length_sense(text, span) if asked_sense else None
            if told_sense:
                f["length_sense_fits"] = float(asked_sense == told_sense)
                f["length_sense_misfits"] = float(asked_sense != told_sense)
            fits_from = distance_from(q.text, text, span) if asked_sense == "distance" else None
            if fits_from is not None:
                f["distance_from_asked"] = float(fits_from)
                f["distance_from_other"] = float(not fits_from)
        # "how much does it cost to run each year" wants what is told per year ("$38 million a
        # year"), "how much did it cost to build" a sum that is not ("cost $640 million")
        if "duration" not in q.measures:
            told_period = _period_told(text, span)
            if asked_period or told_period:
                f["period_asked_and_told"] = float(asked_period is not None and asked_period == told_period)
                f["period_asked_not_told"] = float(asked_period is not None and told_period is None)
                f["period_told_not_asked"] = float(told_period is not None and asked_period is None)
        prev = text[max(0, span.start - 2) : span.start]
        if re.search(r"[A-Z][\w'’]*\s$", text[max(0, span.start - 20) : span.start]) and prev.endswith(" "):
            f["after_name"] = 1.0  # "Apollo 11", "Flight 72": part of a name, not a count
    elif kind == "date":
        f["date_precision"] = span.flags.get("precision", 0.0) / 3
        if span.year_source:
            f[f"year_from_{span.year_source}"] = 1.0
        if q.wants == "year":
            f["year_asked_and_given"] = float(bool(re.search(r"\b[12]\d{3}\b", span.text)))
    elif kind == "name":
        if span.flags.get("coordinated") or q.answer_type == "who":
            # "who were the announcers" is answered by "Jim Nantz and Phil Simms", "who was the
            # MVP" by one name
            plural = bool(_PLURAL_ASKED.search(q.text))
            coordinated = bool(span.flags.get("coordinated"))
            f["coordinated_plural_asked"] = float(coordinated and plural)
            f["coordinated_one_asked"] = float(coordinated and not plural)
            f["one_for_plural_asked"] = float(plural and not coordinated)
        cls = span.name_kind
        if cls:
            f[f"name_{cls}"] = 1.0 if not (span.name_class or "").endswith("?") else 0.5
        if q.wants == "person":
            f["person_wanted_and_given"] = float(cls == "person")
            f["person_wanted_org_given"] = float(cls in ("org", "acronym"))
        elif q.wants == "org":
            f["org_wanted_and_given"] = float(cls in ("org", "acronym"))
            f["org_wanted_person_given"] = float(cls == "person")  # "which airline": not its CEO
        elif q.wants == "place":
            f["place_wanted_and_given"] = float(cls == "place")
            # "where were the astronauts taken": not the doctor who met them (two capitalised
            # words are a person's name more often than a place's, never surely either)
            f["place_wanted_person_given"] = float(cls == "person")
            f["place_wanted_time_given"] = float(cls == "timezone")
            if q.answer_type == "where":
                # "where did Argent land": the crater, rarely "the Moon" the whole story is on
                f["place_is_world"] = float(span.text.casefold().removeprefix("the ") in WORLDS)
        prefix = text[max(0, span.start - 24) : span.start]
        prev = prefix.rstrip().rsplit(None, 1)[-1].casefold().strip(".,") if prefix.strip() else ""
        f["owner"] = span.flags.get("owner", 0.0)  # "Japan's mission": whose, rarely what
        f["cue_person_before"] = float(bool(_PERSON_CUE.search(prefix)) or prev in PERSON_TITLES)
        f["place_preposition_before"] = float(prev in PLACE_PREPOSITIONS)
        titled = _titled(text, span, all_terms)
        f["titled_by_question"] = min(titled, 3) / 3
        qualified = _QUALIFIED_ROLE.search(text[max(0, span.start - 80) : span.start]) if titled else None
        if qualified and qualified.group(1).casefold() not in q.words:
            f["title_qualified"] = 1.0  # "deputy principal investigator X": another role (dropped)
        if words.predicate or words.focus in words.weights:
            f["apposition_says_predicate"] = said = _apposition_says(text, span.end, s1, words)
            if said < 1.0 and q.answer_type == "who":
                f["apposition_other_role"] = float(_apposition_role(text, span.end, s1))
        if q.wants == "name":
            f["name_wanted_and_given"] = 1.0
            # "What is the name of China's Mars rover?" is answered by the name the archive
            # gives that description ("China's first Mars rover, Zhurong").
            f["the_described_name"] = float(bool(span_terms) and set(span_terms) <= words.described)
    elif kind == "phrase":
        f["whole_phrase"] = span.flags.get("whole", 0.0)
        if q.wants == "name":
            f["name_wanted_phrase_given"] = 1.0
        f["capitalised"] = float(span.text[:1].isupper())
        last = span.text.split()[-1].casefold().strip(".,;:'’\"")
        f[f"ends_in={_suffix(last)}"] = 1.0
        f["has_digit"] = float(any(c.isdigit() for c in span.text))
    scope = superlative_scope(q.text, text[s0:s1])
    if scope is not None:
        f["superlative_scope_said"] = float(scope)
        f["superlative_scope_unsaid"] = float(not scope)
    asked_worlds = set(_WORLD_WORD.findall(q.text.casefold()))
    if asked_worlds and span.text.casefold().removeprefix("the ") not in WORLDS:
        # "when did Chang'e 5 touch down on the Moon": "touched down on December 1 ... on the
        # Moon's near side", not the capsule that "parachuted into ... Inner Mongolia" on Earth
        told_worlds = set(_WORLD_WORD.findall(text[s0:s1].casefold()))
        if told_worlds:
            f["asked_world_said"] = float(bool(asked_worlds & told_worlds))
            f["other_world_said"] = float(not asked_worlds & told_worlds)
    if kind != "date":
        # "what was the budget in 2024" is not answered by "a 2026 budget of 421 million euros"
        asked_years = set(_YEAR.findall(q.text))
        told_years = set(_YEAR.findall(text[s0:s1]))
        if asked_years and told_years:
            f["asked_year_said"] = float(bool(asked_years & told_years))
            f["other_year_said"] = float(not asked_years & told_years)
    return f


def add_support(rows: list[tuple[Span, dict[str, float]]]) -> None:
    """How many candidates among the best passages say the same answer, in all and in
    sentences that say the question's verb: agreement across passages is evidence."""
    counts = Counter(normalise(span.text) for span, _ in rows)
    backed = Counter(normalise(span.text) for span, f in rows if f["sentence_says_predicate"] > 0)
    for span, f in rows:
        key = normalise(span.text)
        f["support"] = math.log(counts[key])
        f["support_with_predicate"] = math.log1p(backed[key] - (f["sentence_says_predicate"] > 0))


def question_words(
    q: Question, idf: dict[str, float], subject: set[str], expansion: tuple[str, ...] = (),
    measured: Sequence[str] = (), expansion_answers: bool = True,
    describing: frozenset[str] = frozenset(),
) -> QuestionWords:
    """The question's content terms with their weights, split into subject and predicate;
    `expansion`: the terms of a name the question describes ("zhurong" for "China's rover");
    `measured`: the words a text gives the asked-for measure with ("weighs" for "how heavy"),
    which count as the question's verb; `expansion_answers`: whether the described name may be
    the answer ("the name of China's Mars rover") or is only what the question is about;
    `describing`: the question's terms the description was read from ("bordeaux defense group")."""
    asked = [t for t in dict.fromkeys(q.terms) if t not in ASKING_TERMS]
    terms = asked + [t for t in (*expansion, *measured) if t not in asked]
    weights = {t: idf.get(t, 1.0) for t in terms}
    focus = term_for(q.focus) if q.focus else None
    # "the probe that flew through the sun's corona": the clause says which probe, it is not
    # what is asked of it (its launch)
    clause = relative_clause(q)
    described_by = {term_for(w) for w in q.words[clause[0] : clause[1]]} if clause else set()
    subj = frozenset(t for t in terms if t in subject or t in described_by)
    predicate = frozenset(
        t for t in (*asked, *measured) if t not in subj and t != focus and not t.isdigit()
    )
    # "how heavy": a sentence that says "weighs" or "mass" says what is asked as fully as "heavy"
    group = [t for t in (focus, *measured) if t in weights and t not in subj] if measured else []
    same = {t: group[0] for t in group} if len(group) > 1 else {}
    verb = question_verb(q, subj)
    clause_only = frozenset(described_by - subject)
    if not expansion_answers:
        # a sentence naming what the description was read as says the description: "Mercadier,
        # which has about 7,400 employees" says "the bordeaux defense group" and its name
        named = [t for t in expansion if t in weights]
        if named and describing:
            for t in [*named, *(t for t in describing if t in weights and t not in same)]:
                same[t] = named[0]
        return QuestionWords(weights, subj, predicate, focus, frozenset(asked) | frozenset(expansion),
                             same=same, verb=verb, clause=clause_only)
    return QuestionWords(weights, subj, predicate, focus, frozenset(asked), frozenset(expansion), same,
                         verb=verb, clause=clause_only)


_WORLD_WORD = re.compile(r"\b(?:" + "|".join(sorted(WORLDS)) + r")\b")


def asks_in_unit(q: Question) -> bool:
    """Whether "how many" asks for a unit of measure ("how many days", "how many kilometers")
    rather than for things ("how many satellites")."""
    return q.answer_type == "how_many" and bool(q.focus) and unit_class(q.focus) is not None


def counts_asked_unit(q: Question, span: Span) -> bool:
    """Whether a quantity counts the very unit "how many" asks for ("14 nights" for "how many
    nights"): its number alone is then the answer, the question already says what it counts."""
    unit = re.split(r"[\s-]", span.text)[-1]
    return q.answer_type == "how_many" and bool(q.focus) and term_for(unit) == term_for(q.focus)
