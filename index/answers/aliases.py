"""Names and the descriptions the archive gives them, mined when an article is indexed.

Members name things the way articles describe them: "China's Mars rover" for Zhurong, "the FCC"
for the Federal Communications Commission, "the Japanese moon lander" for SLIM. The articles say
so themselves, in patterns a reader recognises:

- an acronym defined once: "Federal Communications Commission (FCC)";
- an apposition: "China's first Mars rover, Zhurong," or "Zhurong, China's first Mars rover,";
- a name with what it is: "the Zhurong rover", "NASA's Perseverance rover".

Each becomes an alias: a name and the terms of its description (the last one its head noun). A
question that says a description's head noun and its other terms ("Chinese" counts as "China"),
or the description's article is about them, is searched with the name too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.answers.question import said_otherwise
from index.tokenize import STOPWORDS, term_for, tokenize

_NAME = r"[A-Z][\w'’-]*(?:\s(?:of\s(?:the\s)?|de\s|&\s)?(?:[A-Z][\w'’-]*|\d[\w-]*)){0,5}"
_NAME_BEFORE = re.compile(rf"(?:^|(?<=[\s(“\"]))({_NAME})$")
_NAME_AFTER = re.compile(_NAME)
_LEADING = re.compile(
    r"^(?:(?:The|A|An|Its|Their|His|Her|This|That|These|Those|Our|In|On|At|By|For|From|As|When|"
    r"After|Before|While)\s)+"
)
_POSSESSIVE = re.compile(r"^(.*?[\w-])(?:’s|'s)\s")
_BRACKETED = re.compile(r"\s\(([A-Z][\w'’&-]*(?:\s(?:of\s(?:the\s)?|de\s|and\s|&\s)?[A-Z][\w'’&-]*){0,7})\)")
_ACRONYM_WORD = re.compile(r"[A-Z][A-Z0-9&-]{1,9}")
# A description: an article or owner, up to six words, the head noun.
_DETERMINER = re.compile(r"(?:^|(?<=[\s,;(]))(?:the|a|an|its|their|[A-Z][\w’'-]*(?:’s|'s))\s")

# Nouns that say what a named thing is.
HEADS = frozenset(
    """rover lander probe spacecraft orbiter telescope observatory mission helicopter rocket
    satellite capsule station module craft vehicle launcher booster constellation network
    company startup firm agency program programme spaceplane impactor asteroid comet moon
    planet galaxy cluster crater instrument camera spectrometer engine stage radar magnetometer
    imager detector drill altimeter seismometer analyzer cubesat""".split()
)
HEAD_TERMS = frozenset(term_for(h) for h in HEADS)
_HEADS_RX = re.compile(r"\b(?:" + "|".join(sorted(HEADS, key=len, reverse=True)) + r")\b")
# Adjectives of nations and places written as the name they come from.
DEMONYMS = {
    "chines": "china", "japanes": "japan", "indian": "india", "european": "europ",
    "american": "america", "russian": "russia", "french": "franc", "german": "germani",
    "italian": "itali", "british": "britain", "emirati": "emir", "korean": "korea",
    "israeli": "israel", "canadian": "canada", "australian": "australia", "martian": "mar",
    "lunar": "moon", "solar": "sun", "jovian": "jupit", "saturnian": "saturn",
}
DEMONYMS.update({
    term_for(adjective): term_for(place) for adjective, place in (pair.split(":") for pair in """
    nigerian:nigeria chilean:chile brazilian:brazil mexican:mexico spanish:spain portuguese:portugal
    dutch:netherlands swedish:sweden norwegian:norway danish:denmark finnish:finland swiss:switzerland
    belgian:belgium austrian:austria irish:ireland scottish:scotland welsh:wales turkish:turkey
    egyptian:egypt kenyan:kenya argentine:argentina argentinian:argentina peruvian:peru
    colombian:colombia pakistani:pakistan iranian:iran ukrainian:ukraine taiwanese:taiwan
    vietnamese:vietnam thai:thailand indonesian:indonesia malaysian:malaysia filipino:philippines
    singaporean:singapore greek:greece hungarian:hungary czech:czechia romanian:romania
    luxembourgish:luxembourg estonian:estonia rwandan:rwanda ghanaian:ghana ethiopian:ethiopia
    moroccan:morocco algerian:algeria bolivian:bolivia venezuelan:venezuela cuban:cuba qatari:qatar
    omani:oman bahraini:bahrain kuwaiti:kuwait lebanese:lebanon mongolian:mongolia nepali:nepal
    bangladeshi:bangladesh texan:texas californian:california floridian:florida hawaiian:hawaii
    alaskan:alaska venusian:venus""".split())
})
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
    """Whether an acronym can stand for a name: its first letter starts the name, the rest
    come in order from the name's words ("JAXA": Japan Aerospace eXploration Agency)."""
    small = ("of", "the", "and", "for", "de")
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", long) if w.casefold() not in small]
    letters = [c for c in short.upper() if c.isalpha()]
    if len(words) < 2 or not letters or letters[0] != words[0][0].upper():
        return False
    rest = "".join(words)[1:].upper()
    i = 0
    for c in letters[1:]:
        i = rest.find(c, i) + 1
        if i == 0:
            return False
    return True


# A capitalised word joined to lower-case ones is an adjective: "Earth-observation", "Sun-like".
_COMPOUND_ADJECTIVE = re.compile(r"[A-Z][a-z]+(?:-[a-z]+)+")


_WORLDS = frozenset(
    "sun moon earth mercury venus mars jupiter saturn uranus neptune pluto lunar solar".split()
)


def _clean_name(name: str) -> str:
    lead = _LEADING.match(name) or _POSSESSIVE.match(name)
    return name[lead.end() :] if lead else name


def mine_aliases(title: str, paragraphs: list[str]) -> list[Alias]:
    """The aliases an article's text gives (see the module docstring); each once.

    Every pattern ends in a head noun or a bracket, so only those places are looked at."""
    found: dict[tuple[str, tuple[str, ...]], Alias] = {}

    def add(name: str, desc: str, kind: str) -> None:
        name = _clean_name(name.strip(" ,.;’'")).removesuffix("’s").removesuffix("'s")
        terms = _terms(desc)
        if not name or not terms or name.casefold() in _COMMON_START or terms == _terms(name):
            return
        if _COMPOUND_ADJECTIVE.fullmatch(name) or name.casefold() in _WORLDS:
            return  # "an Earth-observation satellite", "the Mars rover" name no satellite or rover
        found.setdefault((name, terms), Alias(name, terms, kind))

    for text in [title, *paragraphs]:
        if "(" in text:
            for m in _BRACKETED.finditer(text):
                inside = m.group(1)
                before = _NAME_BEFORE.search(text[max(0, m.start() - 80) : m.start()])
                if not before:
                    continue
                outside = _clean_name(before.group(1))
                short, long = (inside, outside) if _ACRONYM_WORD.fullmatch(inside) else (outside, inside)
                if _ACRONYM_WORD.fullmatch(short) and _initials_fit(short, long):
                    add(long, short, "acronym")
                    add(short, long, "acronym")
        for m in _HEADS_RX.finditer(text):
            head = m.group()
            window = text[max(0, m.start() - 90) : m.start()]
            # "the Zhurong rover", "NASA's Perseverance rover"
            if window.endswith(" "):
                named = _NAME_BEFORE.search(window[:-1])
                if named:
                    raw = named.group(1)
                    owner = _POSSESSIVE.match(raw)
                    if not owner:
                        owner = re.search(r"([A-Z][\w-]*)(?:’s|'s)\s$", window[: len(window) - 1 - len(raw)])
                    add(raw, f"{owner.group(1) if owner else ''} {head}", "description")
            starts = [d.start() for d in _DETERMINER.finditer(window)]
            if not starts or window[starts[-1] :].count(" ") > 7:
                continue
            desc_start = starts[-1]
            described = window[desc_start:] + head
            owner = re.match(r"([A-Z][\w’'-]*)(?:’s|'s)\s", described)
            terms = f"{owner.group(1)} {described[owner.end():]}" if owner else described.split(None, 1)[-1]
            after = text[m.end() : m.end() + 90]
            left = text[: max(0, m.start() - 90) + desc_start]
            # "China's first Mars rover, Zhurong," and "Zhurong, China's first Mars rover,"
            if after.startswith(", "):
                named = _NAME_AFTER.match(after, 2)
                if named:
                    add(named.group(), terms, "description")
            if left.endswith(", ") and (after[:1] in ",;)" or re.match(r"\s(?:is|was|has|will)\b", after)):
                named = _NAME_BEFORE.search(left[-80:-2])
                if named:
                    add(named.group(1), terms, "description")
    return list(found.values())


def read_terms(terms: list[str]) -> set[str]:
    """A question's terms with the places its adjectives name ("chines" -> "china")."""
    return set(terms) | {DEMONYMS[t] for t in terms if t in DEMONYMS}


_QUESTION_WORD = re.compile(r"[\w'’-]+")


def _naming_modifiers(text: str) -> set[str]:
    """Terms of the words written right before a head noun, not as owners: the "lattice" of
    "lattice satellites" names the satellites, the "NASA's" of "NASA's rover" owns the rover."""
    words = [w.casefold() for w in _QUESTION_WORD.findall(text)]
    return {
        t for a, b in zip(words, words[1:], strict=False)
        if term_for(b) in HEAD_TERMS and not a.endswith(("'s", "’s")) and (t := term_for(a))
    }


def named_by_description(
    store, terms: list[str], idf: dict[str, float], text: str = ""
) -> tuple[str, tuple[str, ...], frozenset[str]] | None:
    """The name the question's words describe, as (name, its terms, the question's terms that
    described it): "the FCC" is the Federal
    Communications Commission; "China's Mars rover" is Zhurong, whose article says "the
    Zhurong rover" and is about China and Mars. None when no description fits one name best.
    `text`, the question as written, tells a name used as a noun's modifier ("lattice
    satellites": those are Lattice's), which is not evidence for another name."""
    said = read_terms(terms)
    rows = store.aliases_headed(sorted(said))
    if not rows:
        return None
    summaries = store.summaries(sorted({r[0] for r in rows}))
    named = _naming_modifiers(text)
    scores: dict[str, float] = {}
    name_terms: dict[str, tuple[str, ...]] = {}
    describing: dict[str, frozenset[str]] = {}
    # "the first Lattice satellites": the question names the satellites it asks about
    names_one = {desc.split()[-1] for _, name, desc, kind in rows
                 if kind != "acronym" and set(tokenize(name) or [""]) <= said}
    for num, name, desc, kind in rows:
        desc_terms = desc.split()
        own = tuple(tokenize(name))
        if not own or set(own) <= said:
            continue  # the question already names it
        if kind != "acronym" and desc_terms[-1] in names_one:
            continue
        if kind == "acronym":
            if set(desc_terms) <= said:
                score = sum(idf.get(t, 1.0) for t in desc_terms) + 100.0
                matched = set(desc_terms)
            else:
                continue
        else:
            head = desc_terms[-1]
            if head not in said or head not in HEAD_TERMS:
                continue
            summary = summaries.get(num)
            context = set(desc_terms[:-1])
            if summary is not None:
                # what the article is about: its title, categories and the lead that opens it
                context |= set(tokenize(summary.title)) | {
                    t for c in summary.categories for t in tokenize(c)
                }
            context = read_terms(sorted(context))
            # the question's event is no part of the description: "when does europe's jupiter
            # probe arrive" is not about the probe of "Hope Arrives"
            matched = {t for t in (said - {head} - set(own) - named) & context if not said_otherwise(t)}
            if not matched:
                continue
            score = sum(idf.get(t, 1.0) for t in matched)
            matched = matched | {head}
        if score > scores.get(name, 0.0):
            scores[name] = score
            name_terms[name] = own
            describing[name] = frozenset(matched)
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    tied = len(ranked) > 1 and ranked[1][1] >= ranked[0][1]
    if tied and name_terms[ranked[1][0]] != name_terms[ranked[0][0]]:
        return None  # two names fit as well: the description does not say which
    return ranked[0][0], name_terms[ranked[0][0]], describing[ranked[0][0]]
