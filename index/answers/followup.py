"""Follow-up questions, read with the subject of the question before.

After "when did Zhurong land?", "how heavy is it?" asks about Zhurong, "and when did it reach
orbit?" too, and "what about Perseverance?" asks the earlier question of another subject. A
question that names its own subject and says no pronoun is a new question. "He" or "she" after a
"who" question is the person that question was answered with.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from index.answers.dates import MONTHS, WEEKDAYS
from index.answers.question import AUXILIARIES, ROLE_INITIALS, classify_question
from index.answers.spans import WORLDS

_PRONOUN = re.compile(
    r"\b(?:(?P<np>(?:this|that|the same|these|those)\s+(?:mission|rover|lander|probe|spacecraft|craft|"
    r"telescope|observatory|satellite|orbiter|helicopter|rocket|capsule|ship|one|company|startup|"
    r"firm|agency|crew|vehicle|launch|flight|asteroid|comet|moon|planet))"
    r"|(?P<poss>its|their|his|her)|(?P<subj>it|they|them|he|she|him|this|that|these|those))\b"
    r"(?!\s*(?:is|was)\s+why)",
    re.I,
)
_ELLIPSIS = re.compile(r"^\s*(?:and|also|so|then|but)\b[\s,]*|^\s*(?:what|how)\s+about\s+", re.I)
_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<rest>.+?)\s*\??$", re.I)
_PERSONAL = frozenset({"he", "she", "him", "his", "her"})
_IT = re.compile(r"\b(?:it|its)\b", re.I)
_PREPOSITIONS = frozenset("for in on at to from with by of during after before since".split())
_PLACE_PREPOSITIONS = frozenset("in on at to from into onto near around toward towards past".split())
_NOT_NAME_WORDS = AUXILIARIES | {"the", "a", "an", "and", "of", "to", "did", "when", "who", "where", "why",
                                  "how", "what", "which", "its", "their", "about"}
_OWNING = frozenset({"its", "their"})
_NAME_OF = re.compile(
    r"^\s*what(?:'s|’s| is| was)\s+the\s+name\s+of\s+(the\s+.+?|[\w-]+['’]s\s+.+?)\s*\??\s*$", re.I
)
_PLURAL = frozenset({"they", "them", "their", "these", "those"})
# A funding round an earlier question names, and the verb a round is the object of.
_ROUND = re.compile(r"\b(series\s+[a-z]\b(?:\s+round)?|seed\s+round|funding\s+round)", re.I)
_LED = re.compile(r"\b(?:led|lead|leads)\b", re.I)
_ROMAN = frozenset({"i", "ii", "iii", "iv", "v", "vi"})
_WH_WORDS = frozenset({"when", "who", "whom", "whose", "where", "why", "how", "which", "what"})
_WORD = re.compile(r"[\w'’-]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def subject_phrase(text: str, known: Callable[[str], bool]) -> str | None:
    """The words of a question that name its subject: its longest run of capitalised words
    (its first word only when it is not an asking word) or of words the archive knows as a name
    (`known`); of two as long, the later, which is what the question is about ("how much is NASA
    giving Keystone": Keystone, the one "what about Atrium?" replaces), unless the later only
    says where ("when did Zhurong land on Mars")."""
    words = _words(text)
    runs: list[list[str]] = []
    current: list[str] = []
    for i, w in enumerate(words):
        low = w.casefold()
        asking = i == 0 and (low in AUXILIARIES or low in ("when", "who", "where", "why", "how", "what",
                                                           "which", "and", "so"))
        role = low in ROLE_INITIALS  # "who's the PI": a role asked about, not a name
        numbered = bool(current) and (any(c.isdigit() for c in w) or low in _ROMAN)  # "artemis i"
        dated = low in MONTHS or low in WEEKDAYS  # "in january 2026" says when, not what
        # "the Gulf of Mexico", "the University of Arizona": one name
        joined = bool(current) and low in ("of", "de", "del") and words[i + 1 : i + 2] != [] and (
            words[i + 1][:1].isupper())
        if not asking and not role and not dated and (w[:1].isupper() or numbered or joined or known(low)):
            current.append(w)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    runs = [r for r in runs if not all(w.isdigit() for w in r)]
    if not runs:
        return None
    # Of two names as long, the later ("is NASA giving Keystone": Keystone), unless it only
    # says where ("land on Mars").
    starts = [_start_of(words, r) for r in runs]
    placed = [_placed(words, at) for at in starts]
    # "tidewell raise in its series d": what follows "its" is a part of the earlier name's
    owned = [any(w.casefold() in _OWNING for w in words[max(0, at - 2) : at]) for at in starts]
    # a name that only says where, or is a part of an earlier one's ("its Series A"), is the
    # subject only when nothing else is named, however long it is
    # and a world ("the Sun", "Venus") is where a mission goes, seldom what it is asked about:
    # "when did Aureole make its close pass of the Sun" is about Aureole
    worlds = [" ".join(r).casefold() in WORLDS for r in runs]
    k = max(range(len(runs)), key=lambda i: (not placed[i] and not owned[i], not worlds[i], len(runs[i]), i))
    run, at = runs[k], starts[k]
    before = words[at - 1] if at > 0 else ""
    if before and before.casefold() not in _NOT_NAME_WORDS and known(f"{before} {run[0]}".casefold()):
        run = [before, *run]  # "new horizons": a name of two words, typed in lower case
    return re.sub(r"['’]s?$", "", " ".join(run))  # "skarv's first flight": Skarv


def _placed(words: list[str], at: int) -> bool:
    """Whether the name at `at` only says where: "land on Mars", "land on the moon"."""
    before = [w.casefold() for w in words[max(0, at - 2) : at]]
    if before[-1:] and before[-1] in ("the", "a", "an"):
        before = before[:-1]
    return bool(before) and before[-1] in _PLACE_PREPOSITIONS


def _start_of(words: list[str], run: list[str]) -> int:
    n = len(run)
    return next((i for i in range(len(words) - n + 1) if words[i : i + n] == run), -1)


def resolve(
    question: str, context: str | Sequence[str] | None, *, known: Callable[[str], bool],
    answer_of: Callable[[str], str | None] | None = None,
) -> str:
    """The question as it is meant, with the earlier question's subject in place of a pronoun.

    `context`: the earlier questions of the conversation, oldest first. `known` says whether a
    lower-case word is a name the archive knows; `answer_of` answers an earlier question (for
    "he" or "she" after "who ...?", "it" after "what's the name of ...?").
    """
    if not context:
        return question
    earlier = [context] if isinstance(context, str) else [c for c in context if c and c.strip()]
    if not earlier:
        return question
    previous = earlier[-1]
    m = _WHAT_ABOUT.match(question)
    rest = m.group("rest") if m else _bare_phrase(question)
    if rest and rest.split()[0].casefold() in _PREPOSITIONS:
        return f"{previous.rstrip(' ?')} {rest}?"  # "and for science?": the same, narrowed
    if rest:
        old = _subject_of(earlier, known)
        if old and old.casefold() in previous.casefold():
            return re.sub(re.escape(old), rest, previous, count=1, flags=re.I)
        return f"{previous.rstrip(' ?')} {rest}?"
    own = subject_phrase(question, known)
    pronoun = _PRONOUN.search(question)
    if own and not pronoun:
        return question
    subject = about = _subject_of(earlier, known)
    personal = bool(pronoun) and pronoun.group().casefold() in _PERSONAL
    if personal and answer_of is not None:
        prior = next((c for c in reversed(earlier) if _asks_person(c)), None)
        person = answer_of(prior) if prior else None
        if person:
            subject = person
        elif subject and body_keeps_person(question):
            # "where does she live?" after a "who" question answered with no one: she is not
            # the comet the question was about; the question is asked beside it, as it is
            return f"{question.rstrip(' ?')} ({subject})?"
    elif pronoun and pronoun.group().casefold() in ("it", "its"):
        # "what's the name of the asteroid that flew past earth" -> "how big is it": the
        # asteroid it names, not Earth; "which company bought Kestrel?" -> "where is it
        # based?": the company
        asked = classify_question(previous)
        names = (asked.answer_type in ("what", "which") and asked.wants == "name") or (
            asked.answer_type == "who" and asked.wants == "org")
        named = ((answer_of(previous) if answer_of else None) or _NAME_OF.match(previous)) if names else None
        if isinstance(named, re.Match):
            named = named.group(1)  # not trusted: the thing as the earlier question described it
        if named:
            subject = named
    round_ = _ROUND.search(previous)
    if subject and round_ and pronoun and pronoun.group().casefold() == "it" and _LED.search(question):
        # "how much did Pellucid raise in its Series A?" -> "and who led it?": the round
        subject = f"{subject}'s {round_.group(1)}"
    if pronoun and pronoun.group("np"):
        # "how big is that moon?" after "who found Vellacourt's second moon?": the moon the
        # earlier question named, not Vellacourt
        said = _named_with(previous, pronoun.group("np").split()[-1], known)
        if said:
            subject = said
    if pronoun and pronoun.group().casefold() in _PLURAL:
        # "how many satellites did orison launch" -> "how many of them were working": Orison's
        # satellites, the things the earlier question counted
        counted = classify_question(previous)
        if counted.answer_type == "how_many" and counted.focus and counted.focus not in ("time", "times"):
            subject = f"{subject}'s {counted.focus}" if subject else f"the {counted.focus}"
    if not subject:
        return question
    body = _ELLIPSIS.sub("", question, count=1) or question
    one = _THE_NTH_ONE.search(body)
    noun = _counted(previous) if one else None
    if one and noun:
        # "and when was the last one?" after "how many times did ingenuity fly": the last flight
        body = body[: one.start(1)] + noun + body[one.end(1) :]
    if pronoun:
        found = _PRONOUN.search(body)
        if found:
            owner = "'" if subject.endswith("s") else "'s"
            replacement = subject + (owner if found.group("poss") else "")
            meant = body[: found.start()] + replacement + body[found.end() :]
            thing = _IT.search(meant, found.start() + len(replacement)) if personal else None
            if thing and about and about != subject:
                # "when did she found it?" after "who founded Arclight?": she founded Arclight
                owner = ("'" if about.endswith("s") else "'s") if thing.group().casefold() == "its" else ""
                replacement = about + owner
                meant = meant[: thing.start()] + replacement + meant[thing.end() :]
            return meant
    if own:
        return question
    return f"{body.rstrip(' ?')} ({subject})?"


def _asks_person(question: str) -> bool:
    """Whether a question asks who someone is ("who found it?"), not which organisation."""
    asked = classify_question(question)
    return asked.answer_type == "who" and asked.wants != "org"


def body_keeps_person(question: str) -> bool:
    """Whether "he" or "she" is the question's only pronoun (nothing else to read it with)."""
    return all(m.group().casefold() in _PERSONAL for m in _PRONOUN.finditer(question))


_THE_NTH_ONE = re.compile(
    r"\bthe\s+(?:last|first|next|latest|final|previous|earliest|second|third)\s+(one)\b", re.I
)
# What "the last one" is after "how many times did it VERB": the event the verb names.
_EVENT_NOUNS = {
    "fly": "flight", "flew": "flight", "flown": "flight", "launch": "launch", "launched": "launch",
    "land": "landing", "landed": "landing", "dock": "docking", "docked": "docking",
    "spacewalk": "spacewalk", "flyby": "flyby", "burn": "burn", "test": "test", "tested": "test",
}


def _counted(question: str) -> str | None:
    """The thing an earlier "how many" question counted, one of them: "flight" for "how many
    flights did ..." and for "how many times did Ingenuity fly"."""
    asked = classify_question(question)
    if asked.answer_type != "how_many" or not asked.focus:
        return None
    if asked.focus not in ("time", "times"):
        focus = asked.focus
        return focus[:-1] if focus.endswith("s") and not focus.endswith("ss") else focus
    return next((_EVENT_NOUNS[w] for w in _words(question.casefold()) if w in _EVENT_NOUNS), None)


_ORDINALS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth next last latest new".split()
)


def _named_with(question: str, noun: str, known: Callable[[str], bool]) -> str | None:
    """The earlier question's words for a thing it named with `noun`: "Vellacourt's second
    moon", "NASA's Harrow probe"; None when no name goes with the noun ("the asteroid moon")."""
    words = _words(question)
    ends = [i for i, w in enumerate(words) if w.casefold() == noun.casefold()]
    if not ends:
        return None
    end = ends[-1]
    start = end
    while start > 1:  # (the question's first word is capitalised as every first word is)
        w = words[start - 1]
        low = w.casefold()
        if not (re.search(r"['’]s?$", w) or w[:1].isupper() or low in _ORDINALS or w.isdigit() or known(low)):
            break
        if low in _WH_WORDS or low in AUXILIARIES:
            break
        start -= 1
    phrase = words[start : end + 1]
    if not any(w[:1].isupper() or re.search(r"['’]s?$", w) or known(w.casefold()) for w in phrase[:-1]):
        return None
    return " ".join(phrase)


def _bare_phrase(question: str) -> str | None:
    """What an elliptic "and the bigger one?" asks about: a few words with no question word or
    verb of their own ask the earlier question again, of them."""
    words = [re.split(r"['’]", w.casefold())[0] for w in _words(question)]  # "who's": who
    if not words or words[0] != "and" or len(words) > 6:
        return None
    if set(words) & (_WH_WORDS | AUXILIARIES) or _PRONOUN.search(question):
        return None
    return " ".join(_words(question)[1:]) or None


def _subject_of(earlier: list[str], known: Callable[[str], bool]) -> str | None:
    """The most recent subject named in the conversation."""
    for text in reversed(earlier):
        found = subject_phrase(text, known)
        if found:
            return found
    return None
