"""What a question asks for, read from its own words, with no model.

The answerer retrieves paragraphs by words but picks the short answer by type: "when" wants a date,
"how many flights" a count of flights, "how fast" a speed, "who leads" a person. Typing looks at the
wh-word wherever it sits, the noun after "which"/"what"/"how many", the measuring word after "how"
and the verb ("how much did it raise" asks for money). Questions about the articles themselves
("who wrote the article about ...", "any news about ...") are recognised here too, so that they are
answered from the articles' fields instead of their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from index.answers.units import BEARINGS, CARRIED, EXPECTED, unit_class
from index.tokenize import term_for, tokenize

# Terms that belong to the asking ("how many"), not to what is asked about.
ASKING_TERMS = frozenset({"mani", "much", "name", "call"})

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")

# Nouns after "what"/"which" that turn the question into a date, place or person question.
_TIME_NOUNS = {
    "year": "year", "years": "year", "date": "date", "day": "day", "month": "month",
    "century": "century", "decade": "decade", "era": "era", "period": "period", "time": "time",
    "season": "season", "dates": "date", "centuries": "century",
}
_PLACE_NOUNS = frozenset(
    "city town country state place location region continent island province county area "
    "nation village capital street river sea ocean planet site neighborhood neighbourhood "
    "district borough venue stadium park crater basin plain plains valley mountain lake bay "
    "coast desert launchpad spaceport pad base".split()
)
_PERSON_NOUNS = frozenset(
    "person man woman people king queen president emperor scientist author writer artist "
    "player coach leader founder inventor architect pope ruler general engineer astronaut "
    "commander pilot director manager chief ceo administrator head investigator designer "
    "composer poet physicist chemist astronomer pi cto cfo coo boss chairman chairwoman executive "
    "spokesperson spokesman spokeswoman researcher professor student amateur".split()
)
# Roles members write as initials and articles spell out: "who's the PI" meets "principal
# investigator Lindy Elkins-Tanton". Read as the words when the archive never says the initials.
ROLE_INITIALS = {
    "pi": "principal investigator", "ceo": "chief executive", "cto": "chief technology officer",
    "cfo": "chief financial officer", "coo": "chief operating officer",
}
_ORG_NOUNS = frozenset(
    "company organization organisation team group agency firm university institute "
    "laboratory lab startup manufacturer contractor operator business corporation network "
    "band club party government country's airline insurer investor fund bank regulator".split()
)
# Quantities: "how long", "how old", ... want a number with its unit, like "how much".
_MEASURE_ADJECTIVES = frozenset(
    "long old far big large tall high deep fast heavy wide often much expensive hot cold "
    "early late close near massive small low bright warm quickly quick dense".split()
)
# What a text says where it gives the measure: "how heavy" is answered by what a thing weighs.
MEASURE_WORDS = {
    "heavy": "weighs mass", "massive": "weighs mass", "fast": "speed", "quickly": "speed",
    "quick": "speed", "far": "distance", "tall": "height", "high": "altitude height",
    "wide": "width diameter", "big": "size diameter", "large": "size diameter", "deep": "depth",
    "hot": "temperature", "cold": "temperature", "warm": "temperature", "old": "age",
    "expensive": "cost", "dense": "density", "bright": "magnitude",
}
# "What mass ...?" asks for a quantity; "what number/population" for a count.
_AMOUNT_NOUNS = frozenset(
    "amount number population size cost price mass weight distance length height depth speed "
    "temperature diameter altitude velocity budget value width valuation revenue payout fine "
    "inclination angle tilt latitude longitude density magnitude brightness".split()
)
_PRICED = frozenset(term_for(w) for w in ("cost", "costs", "price", "worth", "budget"))
_PERCENT_NOUNS = frozenset("percentage percent proportion share fraction".split())
AUXILIARIES = frozenset(
    "is are was were do does did can could will would should has have had may might must "
    "shall am isn't aren't wasn't weren't doesn't didn't don't".split()
)
# Question words as members type them in a hurry: "wher is it based", "wen did it launch",
# "whats the name". Only misspellings that are no English word of their own.
_WH_TYPOS = {
    "wher": "where", "whre": "where", "wehre": "where", "wen": "when", "whn": "when", "wehn": "when",
    "waht": "what", "wat": "what", "whta": "what", "hwo": "how", "hw": "how", "woh": "who",
    "whihc": "which", "wich": "which", "whcih": "which", "whats": "what's", "whos": "who's",
    "wheres": "where's", "whens": "when's", "hows": "how's", "whys": "why's",
}
# ... and the word after "how": "how mnay jobs".
_HOW_TYPOS = {"mnay": "many", "amny": "many", "mayn": "many", "mant": "many", "muhc": "much", "mcuh": "much",
              "muc": "much", "mutch": "much", "meny": "many", "mny": "many", "manny": "many"}
# The words after a question's opening "were" that make it "where": a question may open
# "were they ..." but never "were is", "were did".
_AFTER_WHERE = frozenset("is are does did do was can will could would".split())
_WH_TYPO_TERMS = frozenset(filter(None, map(term_for, {**_WH_TYPOS, **_HOW_TYPOS})))
_WH = ("when", "who", "whom", "whose", "where", "why", "how", "which", "what")
# Words between "what"/"which" and the noun that carry no type ("what kind of city").
_FILLERS = frozenset(
    "kind kinds type types sort sorts name names of the a an was is were are did does do".split()
)
# Words that say which value of a thing is asked, not what thing: "the revised speed".
_QUALIFIERS = frozenset(
    "revised new original estimated total final current latest expected average maximum minimum top "
    "planned initial projected updated official actual first last overall peak".split()
)
# "Who built it?" may be a company; "who leads it?" is a person.
_PERSON_VERBS = frozenset(
    "lead led lead head chair found said say tell told announc wrote write command pilot discov "
    "invent paint compos direct manag investig name marri born die run replac succeed charg".split()
)
# "Who runs Orison?", "who heads the office", "who's the boss of", "who's in charge at": its
# leader, whom news names by title ("Helena Calloway, Orison's chief executive") rather than
# with the question's verb. Read as "lead", which articles also say "chief", "director", ...
_LEADING = frozenset({"run", "boss"})
LEADER_TITLES = "chief executive director"
_FUNDING = frozenset("round financ fundrais invest seri".split())  # "who led its Series B"
_DURATION_VERBS = frozenset("last take took spend spent stay surviv oper work wait run ran".split())
_EVENTS = frozenset(
    "burn flight mission journey trip cruis walk moonwalk spacewalk exposur delay outag hibern "
    "blackout eclips transit countdown coast voyag stay ascent".split()
)
# "how long is a year on HN-311 b": a span of time lasts, it is not long in meters
_SPANS_OF_TIME = frozenset("year day night period season".split())
# Nouns of things that have names: "which observatory", "what ship" want a name.
NAMED_THINGS = frozenset(
    """rover lander probe spacecraft orbiter telescope observatory mission helicopter rocket
    satellite capsule station module ship vessel asteroid comet moon planet exoplanet galaxy
    cluster crater instrument camera company agency program programme spaceplane engine
    constellation star nebula booster launcher vehicle radar spectrometer magnetometer imager
    detector sensor drill antenna altimeter seismometer analyzer payload cubesat furnace""".split()
)
# Made things: a rocket or a rover is neither a person, an organisation nor a place.
MADE_THINGS = frozenset(
    """rover lander probe spacecraft orbiter helicopter rocket booster launcher vehicle satellite
    capsule module spaceplane engine instrument camera experiment radar spectrometer
    magnetometer imager detector sensor drill antenna altimeter seismometer analyzer payload
    cubesat furnace ship vessel boat barge""".split()
)

_TYPE_NOUNS = (
    frozenset(_TIME_NOUNS) | _PLACE_NOUNS | _PERSON_NOUNS | _ORG_NOUNS | _AMOUNT_NOUNS | _PERCENT_NOUNS
)
# Nouns that say what kind of thing the name after them is: "the startup Kiseki Orbital".
KIND_NOUNS = NAMED_THINGS | MADE_THINGS | _ORG_NOUNS | _PERSON_NOUNS


def kind_of(word: str) -> str | None:
    """The kind a noun names, singular ("satellites" -> "satellite"), or None."""
    word = word.casefold()
    for w in (word, word[:-1] if word.endswith("s") else word):
        if w in KIND_NOUNS:
            return w
    return None

# Verbs of how a news text reports an event without naming it: "came down on May 15" answers
# "when did it land?". Keyed by the verb's term; phrases are matched on case-folded text.
_PARAPHRASES = {
    "land": "came down|come down|comes down|coming down|touched down|touch down|touches down"
    "|touching down|set down|sets down|setting down|reached the surface|settled onto|landing"
    "|parachuted into|parachuted onto|parachuted down|splashed down",
    "launch": "lifted off|lift off|lifts off|blasted off|blast off|climbed away|rose from|left earth"
    "|liftoff|lift-off",
    "arriv": "reach|reaches|reaching|reached|entered orbit|slipped into orbit|went into orbit|arrival"
    "|get to|gets to|got to|captured by",
    "reach": "arrive|arrives|arriving|arrived|arrival|entered orbit|got to|slipped into orbit"
    "|went into orbit|into orbit around|captured by",
    "get": "arrive|arrives|arrived|arriving|arrival|reach|reaches|reached|entered orbit|captured by",
    "die": "fell silent|went quiet|went silent|never woke|lost contact|was declared over|death",
    "end": "fell silent|went quiet|was declared over|burned up|plunged into|final|last",
    "splash": "splashdown|landed in the|came down in the",
    "return": "splashed down|splash down|brought home|came home|touched down|came back|back on earth",
    "leav": "entered interstellar space|crossed the heliopause|departed|left",
    "lead": "led by|leads|headed by|heads|in charge|principal investigator|chief|director|manager"
    "|run|runs|running|boss",
    "build": "built by|made by|manufactured|constructed|developed by|construction",
    "run": "operating|operate|operates|operated|operations",
    "discov": "spotted|found|identified|detected",
    "spot": "discovered|discovery|found|detected|first seen",
    "find": "found|discovered|discovery|spotted|detected|identified",
    "lay": "laid off|layoffs|job cuts|cut",
    "cut": "laid off|layoffs|job cuts",
    "layoff": "laid off|lays off|lay off|job cuts|cuts? \\d[\\d,]* jobs",
    "crash": "impact|slammed|struck|hit",
    "ram": "slammed into|slams into|smashed into|crashed into|struck|hit|impact|collided",
    "slam": "rammed|smashed into|crashed into|struck|hit|impact|collided",
    "fli": "flight|flights|flew|flown|hop|hops",
    "rais": "funding|round|secured|closed|brought in",
    "found": "founded|set up|started|co-founded",
    "pass": "flew past|flew by|flies past|flying past|swung past|swept past|flyby|fly-by",
    "recov": "picked up|retrieved|hauled aboard|fished out|lifted the capsule|recovery",
    "deploy": "unfolded|unfurled|released|extended|opened",
    "fail": "failure|anomaly|was lost|were lost|broke apart|exploded|went wrong",
    "select": "picked|chose|chosen|awarded",
    "buy": "acquired|acquisition|purchased|bought",
    "acquir": "bought|purchased|acquisition|takeover",
}
# A question's two-word verb said as the one word articles index it under: "where did the capsule
# come down" asks where it landed, and is matched with every way of saying that.
_PHRASAL_VERBS = [
    (re.compile(r"\b(?:come|comes|came|coming|touch|touches|touched|set|sets)\s+down\b", re.I), "land"),
    (re.compile(r"\b(?:lift|lifts|lifted|blast|blasts|blasted)\s+off\b", re.I), "launch"),
]
_PARAPHRASES.update(ROLE_INITIALS)  # "ceo" is said "chief executive" as often as not
_PARAPHRASE_RX = {
    term: re.compile(rf"\b(?:{phrases})\b") for term, phrases in _PARAPHRASES.items()
}


def said_otherwise(term: str) -> bool:
    """Whether articles may tell `term` in other words ("land": "touched down")."""
    return term in _PARAPHRASE_RX


def paraphrase_matches(text: str, terms) -> list[tuple[str, int]]:
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
    words: tuple[str, ...] = ()  # the question's words, lower-cased
    measures: frozenset[str] = frozenset()  # unit classes an answer may have; empty: any
    wants: str | None = None  # person, org, place, year, ...: what kind of name or date


def _noun_after(words: list[str], i: int) -> str | None:
    """First content word after position i, skipping "kind of", articles and the like."""
    for j, w in enumerate(words[i + 1 : i + 7], start=i + 1):  # "what was the name of the comet"
        # (not "what was Halden's valuation", nor "the revised speed")
        if w not in _FILLERS and w not in _QUALIFIERS and not w.endswith("'s"):
            if w not in NAMED_THINGS and w not in _TYPE_NOUNS:  # "which X-ray observatory": the observatory
                w = next((x for x in words[j + 1 : j + 3] if x in NAMED_THINGS), w)
            return w
    return None


def _measures(words: list[str], start: int) -> frozenset[str]:
    """The unit classes that fit: by the measuring word ("fast"), else by a verb or noun after
    it ("how much did it raise" -> money, "how long did it last" -> a duration, "how long was
    the burn" -> a duration too: a burn is an event)."""
    stems = [term_for(w) or w for w in words[start:]]
    if stems[:1] == ["far"] and words[start + 1 : start + 2] and words[start + 1] in BEARINGS:
        return frozenset({"degrees", "length"})
    if stems and stems[0] == "long" and any(
        s in _DURATION_VERBS or s in _EVENTS or s in _SPANS_OF_TIME for s in stems[1:]
    ):
        return frozenset({"duration"})
    if stems[:2] == ["far", "into"] and any(s in _EVENTS for s in stems[2:5]):
        return frozenset({"duration"})  # "how far into the flight did it break apart": a time
    if stems and stems[0] in ("big", "larg"):  # "how big was the payout": money, not a size
        # (the thing measured, named up to the clause after it: not "the module nasa is funding")
        asked = stems[1:]
        verbs = [i for i, w in enumerate(asked) if w in AUXILIARIES]
        if len(verbs) > 1:
            asked = asked[: verbs[1]]
        money = [EXPECTED[s] for s in asked if EXPECTED.get(s) == frozenset({"money"})]
        if money:
            return money[0]
    # what is carried is a mass unless another word says what is measured: "how much was the
    # cargo contract worth" asks for money
    for s in sorted(stems, key=lambda s: s in CARRIED):
        if s in EXPECTED:
            return EXPECTED[s]
    return frozenset()


def _asks_reason(words: list[str], i: int) -> bool:
    """Whether the wh-word at i asks for a reason, as "why" does: "what caused the failure",
    "what was the reason for the delay", "what went wrong with it", "how come it failed"."""
    wh, rest = words[i], words[i + 1 : i + 4]
    if wh == "how":
        return rest[:1] == ["come"]
    if wh != "what" or not rest:
        return False
    if rest[0] in ("caused", "causes"):
        return True
    if rest[:2] == ["went", "wrong"] or (rest[:2] == ["made", "it"] and rest[2:3] == ["fail"]):
        return True
    return rest[0] in AUXILIARIES and rest[1:2] == ["the"] and rest[2:3] in (["cause"], ["reason"])


def _typed_wh(words: list[str], i: int) -> tuple[str, str | None, frozenset[str], str | None]:
    """Answer type, focus, unit classes and the kind of name wanted for the wh-word at i."""
    wh = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else None
    none = frozenset()
    if _asks_reason(words, i):
        return "why", None, none, None
    if wh == "when":
        return "when", "date", none, "date"
    if wh in ("who", "whom", "whose"):
        # "who is the CEO of ..." asks for the person the article calls its CEO.
        role = next((w for w in words[i + 1 : i + 5] if w in _PERSON_NOUNS), None)
        if role:
            return "who", role, none, "person"
        rest = {term_for(w) for w in words[i + 1 :]}
        if rest & _FUNDING:
            return "who", None, none, None  # "who led the Series C round": an investor, often a firm
        return "who", None, none, "person" if rest & _PERSON_VERBS else None
    if wh == "where":
        return "where", "place", none, "place"
    if wh == "why":
        return "why", None, none, None
    if wh == "how":
        if nxt in ("many", "much"):
            after = [w for w in words[i + 2 : i + 6] if w not in ("of", "the", "its", "their")]
            while after[1:] and after[0].endswith("'s"):  # "how many of argent's instruments"
                after = after[1:]
            noun = after[0] if after else None
            then = after[1] if len(after) > 1 else ""
            if noun and then.endswith("s") and not noun.endswith("s") and then not in AUXILIARIES:
                noun = then  # "how many vireo satellites": the satellites are counted, by name
            focus = None if noun in AUXILIARIES or noun in _FILLERS else noun
            if nxt == "many":
                unit = unit_class(focus)
                return "how_many", focus, frozenset({unit}) if unit else none, None
            return "how_much", focus, _measures(words, i + 2), None
        if nxt in _MEASURE_ADJECTIVES:
            return "how_much", nxt, _measures(words, i + 1), None
        return "other", None, none, None
    noun = _noun_after(words, i)
    after = words.index(noun, i) + 1 if noun in words[i + 1 :] else len(words)
    if noun == "time" and after < len(words) and words[after] in AUXILIARIES:
        return "when", "time", none, "clock"  # "what time did it launch": 2:48 p.m., not a day
    if noun in _TIME_NOUNS:
        return "when", _TIME_NOUNS[noun], none, _TIME_NOUNS[noun]
    if noun in _PLACE_NOUNS:
        return "where", noun, none, "place"
    if noun in _PERCENT_NOUNS:
        return "how_much", "percent", frozenset({"percent"}), None
    if noun in _PERSON_NOUNS:
        return "who", noun, none, "person"
    if noun in _ORG_NOUNS:
        return "who", noun, none, "org"
    if wh == "what" and noun in _AMOUNT_NOUNS:
        if noun in ("number", "population"):
            return "how_many", noun, none, None
        return "how_much", noun, _measures(words, words.index(noun, i)), None
    rest = words[i + 1 :]
    if wh == "what" and any(term_for(w) in _PRICED for w in rest):
        return "how_much", None, frozenset({"money"}), None  # "what does a launch cost", "its price tag"
    if "name" in rest and rest[rest.index("name") + 1 : rest.index("name") + 2] == ["of"]:
        # "what was the name of Apollo 11's command module": the module is what is named.
        things = MADE_THINGS | NAMED_THINGS
        head = next((w for w in rest[rest.index("name") + 2 :] if w.rstrip("s") in things), None)
        if head:
            return wh, head, none, "name"
    named = _named_noun(rest)
    if named:
        return wh, named, none, "name"
    if "name" in rest or "called" in rest or "named" in rest or (noun or "").rstrip("s") in NAMED_THINGS:
        return wh, noun, none, "name"
    return wh, noun, none, None


_PREPOSITIONS = frozenset("on of in aboard at for from about with by inside".split())


def _named_noun(rest: list[str]) -> str | None:
    """The thing whose name is asked when the question says it before "called" or after "name
    its": "what is the Tokyo startup's spacecraft called", "what did the startup name its first
    satellite". The startup is only whose thing it is."""
    if "called" in rest or "named" in rest:
        at = rest.index("called" if "called" in rest else "named")
        before = [w for w in rest[:at] if w not in AUXILIARIES and w not in _FILLERS]
        if set(before) & _PREPOSITIONS:
            return None  # "the poem on the probe called": the poem, said first
        if before and not before[-1].endswith("'s") and before[-1].rstrip("s") in NAMED_THINGS | MADE_THINGS:
            return before[-1]
    if "name" in rest:
        after = rest[rest.index("name") + 1 : rest.index("name") + 5]
        if after[:1] and after[0] in ("its", "their", "his", "her", "the"):
            return next((w for w in after[1:] if w.rstrip("s") in NAMED_THINGS | MADE_THINGS), None)
    return None


def respelled(q: Question, terms: list[str]) -> Question:
    """The question with its terms read past typos: "who discoverd the comet" asks for a person
    once "discoverd" reads as "discovered", "who is the dirctor" for the director."""
    read = set(terms) - set(q.terms)
    q = replace(q, terms=terms)
    said = set(terms)
    role = next((_ROLE_OF_TERM[t] for t in terms if t in read and t in _ROLE_OF_TERM), None)
    if q.answer_type == "who" and q.focus is None and role:
        q = replace(q, focus=role, wants="person")  # "who is the dirctor": the director, a person
    elif q.answer_type == "who" and q.wants is None and said & _PERSON_VERBS and not said & _FUNDING:
        q = replace(q, wants="person")
    return q


_ROLE_OF_TERM = {term_for(w): w for w in _PERSON_NOUNS}


def classify_question(text: str) -> Question:
    """Type a question by its wh-word (first one found, anywhere) or its leading auxiliary."""
    text = text if isinstance(text, str) else ""
    words = []
    found = [w.casefold().replace("’", "'") for w in _WORD.findall(text[:2000])]
    if found[:1] == ["were"] and found[1:2] and found[1] in _AFTER_WHERE:
        found[0] = "where"  # "were is tarnwell building them": no question opens "were is"
    for w in found:
        w = _WH_TYPOS.get(w, w)
        w = _HOW_TYPOS.get(w, w) if words[-1:] == ["how"] else w
        # "what's the poem called", "who's the PI": the wh-word and "is".
        words += [w[:-2], "is"] if w.endswith("'s") and w[:-2] in _WH else [w]
    verbs = text
    for rx, verb in _PHRASAL_VERBS:
        verbs = rx.sub(verb, verbs)
    terms = [t for t in tokenize(verbs) if t not in _WH_TYPO_TERMS]
    answer_type, focus, measures, wants = "other", None, frozenset(), None
    for i, w in enumerate(words):
        if w in _WH:
            answer_type, focus, measures, wants = _typed_wh(words, i)
            break
    else:
        if "date" in words or "year" in words:  # "chandrayaan 3 launch date?"
            answer_type, focus, wants = "when", "date", "date"
        elif words and words[0] in AUXILIARIES:
            answer_type = "yes_no"
    return Question(
        text=text, answer_type=answer_type, terms=terms, focus=focus, words=tuple(words),
        measures=measures, wants=wants,
    )


NOW_WORDS = re.compile(
    r"\b(?:now|currently|so far|to date|today|these days|at the moment|at present|still|any more|anymore)\b",
    re.I,
)


# How things stand, said without "now": "how many are in orbit", "when will it launch" (a plan
# news revises: the newest telling is the plan).
_STANDING = re.compile(
    r"\b(?:are|is)\s+(?:\w+\s+)?(?:in orbit|in service|in operation|operating|operational|working"
    r"|active|left|remaining)\b|\bwhen\s+(?:will|is|are)\b(?:\s+\S+){1,4}?\s+(?:launch|launching|fly|flying"
    r"|due|expected|scheduled|planned|set to)\b",
    re.I,
)


def asks_now(q: Question) -> bool:
    """Whether the question asks how things stand now ("how many are in orbit now", "so far",
    "how many are in service", "when will it launch"): news tells a figure or a plan again as
    it changes, and the newest telling is the answer."""
    return bool(NOW_WORDS.search(q.text) or _STANDING.search(q.text))


# After the question's verb comes its object or a preposition: "did the president sign the
# bill", "did it launch from", "did the rover land".
_AFTER_VERB = frozenset(
    """the a an its their his her it them this that these those on of in at for from to into onto
    with by about off down up out back over past near around after before during""".split()
)
_QUESTION_AUXILIARIES = frozenset("did does do will would could can".split())


_RELATIVES = frozenset("that which who".split())
_NOT_ANTECEDENTS = AUXILIARIES | frozenset(_WH) | _AFTER_VERB


def relative_clause(q: Question) -> tuple[int, int] | None:
    """The words (start, end) of a relative clause that describes what the question is about:
    "the probe that flew through the sun's corona", "the project that found the planet". With an
    auxiliary before it, the question's last word is its own verb, outside the clause ("when did
    the probe that flew through the sun's corona launch", "how fast was the spacecraft that
    rammed the asteroid going", "did the comet that broke apart split into"); otherwise the clause
    runs to the end. "That" after a verb or a preposition ("is that moon", "after that") is no
    relative."""
    words = q.words
    rel = next((i for i, w in enumerate(words) if 0 < i < len(words) - 1 and w in _RELATIVES
                and words[i - 1] not in _NOT_ANTECEDENTS and not words[i - 1].endswith(("'s", "’s"))), None)
    if rel is None:
        return None
    if not any(w in AUXILIARIES for w in words[:rel]):
        return rel, len(words)
    # the verb the auxiliary asks with, and the particle that may follow it ("split into")
    verb = len(words) - 2 if words[-1] in _AFTER_VERB else len(words) - 1
    bare = any(w in _QUESTION_AUXILIARIES for w in words[:rel]) or words[verb].endswith("ing")
    own = bare and verb - rel > 2 and words[verb] not in _AFTER_VERB
    return rel, verb if own else len(words)


def question_verb(q: Question, subject: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The term of the verb a question asks about, read from where it stands: after the
    auxiliary and the subject, before the object or a preposition ("when did the president
    sign the bill": sign), before a name ("did NASA pick Ambreline"), or last ("when did the
    rover land"). None when no word stands so, or the question asks with "is" or "has"."""
    words = q.words
    aux = next((i for i, w in enumerate(words) if w in _QUESTION_AUXILIARIES), None)
    if aux is None:
        return None
    clause = relative_clause(q)
    for i in range(aux + 2, len(words)):
        w = words[i]
        if clause and clause[0] - 1 <= i < clause[1]:
            continue  # "did the probe that flew ... launch": the noun and its clause are no verb
        term = term_for(w)
        if not term or term in subject or w in AUXILIARIES or w.endswith(("'s", "’s")):
            continue
        if i + 1 == len(words) or words[i + 1] in _AFTER_VERB or term_for(words[i + 1]) in subject:
            return term
    return None


def leading_term(q: Question) -> str | None:
    """The term a question asking who leads something says it with ("run" in "who runs
    Orison", "charg" in "who's in charge at Amberline"); None for any other question."""
    if q.answer_type != "who" or q.wants == "org":  # "what organization runs the schools"
        return None
    for n, w in enumerate(q.words):
        t = term_for(w)
        leads = (t in _LEADING and w != "ran")  # ("who ran for a touchdown" led no team)
        if leads or w in ("heads", "headed") or (t == "charg" and n and q.words[n - 1] == "in"):
            return t if t in q.terms else None
    return None


def measure_terms(q: Question) -> list[str]:
    """Terms that find where a measure is given ("weighs" for "how heavy"), to search with
    beside the question's own words."""
    words = MEASURE_WORDS.get(q.focus or "", "") if q.measures else ""
    return [t for t in tokenize(words) if t not in q.terms]
