"""What kind of answer a question asks for.

The answerer retrieves paragraphs by words, but picks a short answer by type: a "when" question
wants a date, "how many" a count, "who" a name. Typing is done on the question's own words (the
wh-word, wherever it sits, and the noun after "which"/"what"/"how many"), with no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.tokenize import tokenize

ANSWER_TYPES = (
    "when", "who", "where", "how_many", "how_much", "which", "what", "why", "yes_no", "other",
)

# Terms that belong to the asking ("how many"), not to what is asked about.
ASKING_TERMS = frozenset({"mani", "much"})

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")

# Nouns after "what"/"which" that turn the question into a date, place or person question.
_TIME_NOUNS = {
    "year": "year", "years": "year", "date": "date", "day": "day", "month": "month",
    "century": "century", "decade": "decade", "era": "era", "period": "period", "time": "time",
    "season": "season", "age": "era", "dates": "date", "centuries": "century",
}
_PLACE_NOUNS = frozenset(
    "city town country state place location region continent island province county area "
    "nation village capital street river sea ocean planet site neighborhood neighbourhood "
    "district borough venue stadium park crater basin plain plains valley mountain lake bay "
    "coast desert launchpad spaceport".split()
)
_PERSON_NOUNS = frozenset(
    "person man woman people king queen president emperor scientist author writer artist "
    "player coach leader founder inventor company organization organisation team group "
    "architect pope ruler general engineer astronaut commander".split()
)
# Quantities: "how long", "how old", ... want a number with its unit, like "how much".
_MEASURE_ADJECTIVES = frozenset(
    "long old far big large tall high deep fast heavy wide often much expensive hot cold "
    "early late close near massive small low bright warm".split()
)
# "What mass ...?" asks for a quantity; "what number/population" for a count.
_AMOUNT_NOUNS = frozenset(
    "amount number population size cost price mass weight distance length height depth speed "
    "temperature diameter altitude".split()
)
_PERCENT_NOUNS = frozenset("percentage percent proportion share fraction".split())
_AUXILIARIES = frozenset(
    "is are was were do does did can could will would should has have had may might must "
    "shall am isn't aren't wasn't weren't doesn't didn't don't".split()
)
_WH = ("when", "who", "whom", "whose", "where", "why", "how", "which", "what")
# Words between "what"/"which" and the noun that carry no type ("what kind of city").
_FILLERS = frozenset(
    "kind kinds type types sort sorts name of the a an was is were are did does do".split()
)


# How space news says an event verb without using it: "came down on May 15" answers "when did
# it land?". Keyed by the verb's term; phrases are matched on case-folded text.
_PARAPHRASES = {
    "land": "came down|come down|comes down|coming down|touched down|touch down|touches down"
    "|touching down|set down|sets down|setting down|reached the surface|settled onto",
    "launch": "lifted off|lift off|lifts off|blasted off|blast off|climbed away|rose from|left earth",
    "arriv": "reached|entered orbit|slipped into orbit|went into orbit",
    "die": "fell silent|went quiet|went silent|never woke|lost contact|was declared over",
    "end": "fell silent|went quiet|was declared over|burned up|plunged into",
    "return": "splashed down|splash down|brought home|came home|touched down",
}
_PARAPHRASE_RX = {
    term: re.compile(rf"\b(?:{phrases})\b") for term, phrases in _PARAPHRASES.items()
}


def paraphrase_matches(text: str, terms: list[str] | set[str]) -> list[tuple[str, int]]:
    """(term, offset) for each place `text` says one of `terms` in other words."""
    found = []
    folded = None
    for term in terms:
        rx = _PARAPHRASE_RX.get(term)
        if rx is None:
            continue
        folded = folded if folded is not None else text.casefold()
        found.extend((term, m.start()) for m in rx.finditer(folded))
    return found


@dataclass(frozen=True)
class Question:
    text: str
    answer_type: str
    terms: list[str] = field(default_factory=list)
    focus: str | None = None
    words: tuple[str, ...] = ()  # the question's words, lower-cased, for span filtering


def _noun_after(words: list[str], i: int) -> str | None:
    """First content word after position i, skipping "kind of", articles and the like."""
    for w in words[i + 1 : i + 5]:
        if w not in _FILLERS:
            return w
    return None


def _typed_wh(words: list[str], i: int) -> tuple[str, str | None]:
    """Answer type and focus for the wh-word at position i."""
    wh = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else None
    if wh == "when":
        return "when", "date"
    if wh in ("who", "whom", "whose"):
        return "who", None
    if wh == "where":
        return "where", "place"
    if wh == "why":
        return "why", None
    if wh == "how":
        if nxt in ("many", "much"):
            noun = words[i + 2] if i + 2 < len(words) else None
            focus = None if noun in _AUXILIARIES or noun in _FILLERS else noun
            return ("how_many" if nxt == "many" else "how_much"), focus
        if nxt in _MEASURE_ADJECTIVES:
            return "how_much", nxt
        return "other", None
    noun = _noun_after(words, i)
    if noun in _TIME_NOUNS:
        return "when", _TIME_NOUNS[noun]
    if noun in _PLACE_NOUNS:
        return "where", noun
    if noun in _PERCENT_NOUNS:
        return "how_much", "percent"
    if noun in _PERSON_NOUNS:
        return "who", noun
    if wh == "what" and noun in _AMOUNT_NOUNS:
        return ("how_many" if noun in ("number", "population") else "how_much"), noun
    return wh, noun


def classify_question(text: str) -> Question:
    """Type a question by its wh-word (first one found, anywhere) or its leading auxiliary."""
    text = text if isinstance(text, str) else ""
    words = [w.casefold().replace("’", "'") for w in _WORD.findall(text[:2000])]
    terms = tokenize(text)
    answer_type, focus = "other", None
    for i, w in enumerate(words):
        if w in _WH:
            answer_type, focus = _typed_wh(words, i)
            break
    else:
        if words and words[0] in _AUXILIARIES:
            answer_type = "yes_no"
    return Question(
        text=text, answer_type=answer_type, terms=terms, focus=focus, words=tuple(words)
    )
