"""Names and the descriptions the archive gives them, mined when an article is indexed.

Members name things the way articles describe them: "China's Mars rover" for Zhurong, "the FCC"
for the Federal Communications Commission, "the Japanese moon lander" for SLIM. The articles say
so themselves, in patterns a reader recognises:

- an acronym defined once: "Federal Communications Commission (FCC)";
- an apposition: "China's first Mars rover, Zhurong," or "Zhurong, China's first Mars rover,";
- a name with what it is: "the Zhurong rover", "NASA's Perseverance rover".

Each becomes an alias: a name and the terms of its description (the last one its head noun). A
question that says a description's head noun and its other terms ("Chinese" counts as "China")
is searched with the name too. The names themselves (words an article writes capitalised mid-
sentence and never in lower case) tell which of a lower-case question's words name its subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.tokenize import STOPWORDS, term_for, tokenize

_NAME = r"(?:[A-Z][\w'’.-]*|[0-9][\w-]*)(?:\s(?:of\s(?:the\s)?|de\s|&\s)?(?:[A-Z][\w'’.-]*|[0-9][\w-]*)){0,4}"
_ACRONYM_AFTER = re.compile(rf"\b(?P<long>{_NAME})\s\((?P<short>[A-Z][A-Z0-9&-]{{1,9}})\)")
_ACRONYM_BEFORE = re.compile(rf"\b(?P<short>[A-Z][A-Z0-9&-]{{1,9}})\s\((?P<long>{_NAME})\)")
_DESC = r"(?:(?:the|a|an|its|their|[A-Z][\w’'-]*(?:’s|'s))\s)(?P<desc>(?:[\w’'-]+\s){0,6}?[a-z][\w-]+)"
_APPOSITION_AFTER = re.compile(rf"(?:^|[,;(]\s|\.\s)(?P<name>{_NAME}),\s{_DESC}(?=[,;)]|\s(?:is|was|has|will)\b)")
_APPOSITION_BEFORE = re.compile(rf"{_DESC},\s(?P<name>{_NAME})(?=[,;.)]|\s[a-z])")
_HEADED = re.compile(rf"\b(?P<owner>(?:[A-Z][\w-]*(?:’s|'s)|the|a|an))\s(?P<name>{_NAME})\s(?P<head>[a-z]+)\b")

# Nouns that say what a named thing is.
HEADS = frozenset(
    """rover lander probe spacecraft orbiter telescope observatory mission helicopter rocket
    satellite capsule station module craft vehicle launcher booster constellation network
    company startup firm agency program programme spaceplane impactor asteroid comet moon
    planet galaxy cluster crater instrument camera spectrometer engine stage""".split()
)
# Adjectives of nations and places written as the name they come from.
DEMONYMS = {
    "chines": "china", "japanes": "japan", "indian": "india", "european": "europ",
    "american": "america", "russian": "russia", "french": "franc", "german": "germani",
    "italian": "itali", "british": "britain", "emirati": "emir", "korean": "korea",
    "israeli": "israel", "canadian": "canada", "australian": "australia", "martian": "mar",
    "lunar": "moon", "solar": "sun", "jovian": "jupit", "saturnian": "saturn",
}
_COMMON_START = STOPWORDS | {"image", "credit", "photo", "however", "after", "before"} | {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
}


@dataclass(frozen=True)
class Alias:
    name: str  # as written: "Zhurong", "Federal Communications Commission"
    terms: tuple[str, ...]  # the description's terms, head noun last: ("china", "mar", "rover")
    kind: str  # acronym, description


def _terms(text: str) -> tuple[str, ...]:
    return tuple(DEMONYMS.get(t, t) for t in tokenize(text))


def _initials_fit(short: str, long: str) -> bool:
    letters = [w[0].upper() for w in re.findall(r"[A-Za-z][\w'-]*", long) if w.casefold() not in ("of", "the", "and", "for", "de")]
    return bool(letters) and short[0] == letters[0] and len(short.replace("-", "")) <= len(letters) + 2


def mine_aliases(title: str, paragraphs: list[str]) -> list[Alias]:
    """The aliases an article's text gives (see the module docstring); each once."""
    found: dict[tuple[str, tuple[str, ...]], Alias] = {}

    def add(name: str, desc: str, kind: str) -> None:
        name = re.sub(r"^(?:The|A|An)\s", "", name.strip(" ,.;’'")).removesuffix("’s").removesuffix("'s")
        terms = _terms(desc)
        if not name or not terms or name.casefold() in _COMMON_START or terms == _terms(name):
            return
        found.setdefault((name, terms), Alias(name, terms, kind))

    for text in [title, *paragraphs]:
        for rx in (_ACRONYM_AFTER, _ACRONYM_BEFORE):
            for m in rx.finditer(text):
                short, long = m.group("short"), m.group("long")
                if _initials_fit(short, long):
                    add(long, short, "acronym")
                    add(short, long, "acronym")
        for rx in (_APPOSITION_AFTER, _APPOSITION_BEFORE):
            for m in rx.finditer(text):
                desc = m.group("desc")
                head = term_for(desc.split()[-1])
                if head in {term_for(h) for h in HEADS}:
                    owner = re.match(r"([A-Z][\w’'-]*)(?:’s|'s)\s", m.group(0).lstrip(",;(. "))
                    add(m.group("name"), f"{owner.group(1)} {desc}" if owner else desc, "description")
        for m in _HEADED.finditer(text):
            if m.group("head") in HEADS:
                owner = m.group("owner")
                owner = owner[:-2] if owner.endswith(("’s", "'s")) else ""
                add(m.group("name"), f"{owner} {m.group('head')}", "description")
    return list(found.values())


_CAPITALISED = re.compile(r"(?<=[a-z,;:’'\"“)]\s)([A-Z][\w’'-]+(?:\s[A-Z0-9][\w’'-]*){0,3})")


def mine_names(title: str, paragraphs: list[str]) -> set[str]:
    """The names an article uses: words it writes capitalised in mid-sentence and never in
    lower case, as lower-case terms ("zhurong", "utopia planitia")."""
    text = "\n".join(paragraphs)
    lower = {t for t in re.findall(r"\b[a-z][\w’'-]*", text)}
    names = set()
    for m in _CAPITALISED.finditer(text):
        words = m.group(1).split()
        if words[0].casefold() in lower or words[0].casefold() in _COMMON_START:
            continue
        terms = tokenize(" ".join(words))
        if terms:
            names.add(" ".join(terms))
    return names
