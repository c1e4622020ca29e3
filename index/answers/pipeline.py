"""From a member's question to a short answer and the passages it came from.

1. The question is typed (when, who, how many, how fast, ...) and read with the one tokenizer;
   words no article has are read as the archive's nearest word.
2. Paragraphs are ranked by BM25 and, because a paragraph is read in its article, by the BM25 of
   the whole article too; the best 30 are re-ranked on evidence BM25 cannot see, with weights
   learned from questions (`index.answers.rerank`).
3. Candidate answers come from every sentence of the best passages; each is scored by the answer
   model of its question's family on named evidence (`index.answers.features`), and the same answer
   said in several passages gathers their support.
4. A calibrated confidence decides whether the best candidate is given as the short answer; below
   the threshold the passages are shown without one. When the archive does not cover the question
   at all, the answer is "not found" with the nearest articles.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from index.answers import notfound
from index.answers.aliases import DEMONYMS, HEAD_TERMS, named_by_description
from index.answers.articles import answer_about_articles, article_question
from index.answers.dates import DateContext, date_parts, month_number, refines
from index.answers.features import (
    FAMILIES,
    PassageView,
    QuestionWords,
    add_support,
    candidate_features,
    counts_asked_unit,
    normalise,
    numbered_names,
    question_words,
    view_passage,
)
from index.answers.followup import resolve
from index.answers.model import load_weights, logit, sigmoid
from index.answers.question import (
    ASKING_TERMS,
    KIND_NOUNS,
    LEADER_TITLES,
    MADE_THINGS,
    NAMED_THINGS,
    ROLE_INITIALS,
    Question,
    asks_now,
    classify_question,
    kind_of,
    leading_term,
    measure_terms,
    respelled,
)
from index.answers.rerank import features as rerank_features
from index.answers.spans import (
    PERSON_TITLES,
    PLACE_NAMES,
    WORLDS,
    Span,
    candidate_spans,
    is_number_word,
    split_sentences,
)
from index.answers.spelling import corrections
from index.answers.subject import known_name, subject_terms
from index.results import Answer, ArticleSummary, Citation
from index.tokenize import fold, term_for, term_spans, tokenize
from index.tokenize import words as typed_words

if TYPE_CHECKING:
    from index.archive import Archive

MAX_QUESTION_CHARS = 1000
POOL = 300  # paragraphs by BM25 among which the article's score picks the candidates
CANDIDATES = 30  # paragraphs re-ranked
ANSWER_PASSAGES = 5  # passages whose sentences offer candidate answers
REFINE_PASSAGES = 15  # passages searched for a date told more precisely
ARTICLE_WEIGHT = 0.3  # of the article's BM25 beside the paragraph's, before re-ranking
CITATIONS = 3

# Which kinds of candidate each family of question considers.
KINDS = {
    "when": ("date", "clock"),  # a time of day only for "what time" (`fits`)
    "count": ("count", "quantity"),
    "measure": ("quantity", "money", "percent", "count"),
    "who": ("name",),
    "where": ("name",),
    "what": ("name", "phrase", "date", "count", "quantity", "money", "percent"),
    "why": ("cause",),
}


@dataclass
class Hit:
    """One retrieved paragraph in its article."""

    pid: int
    num: int
    position: int
    kind: str
    paragraph: str
    credit: str | None
    summary: ArticleSummary
    bm25: float
    article_bm25: float
    article_terms: frozenset[str] = frozenset()  # the question's terms its article holds

    @property
    def title(self) -> str:
        return self.summary.title


@dataclass
class Reading:
    """What the answerer made of a question before choosing an answer (kept apart so the
    training script can re-rank and re-score it with other weights)."""

    text: str
    question: Question
    words: QuestionWords
    hits: list[Hit]
    rerank_features: list[dict[str, float]]
    covered: bool
    nearest: list[ArticleSummary] = field(default_factory=list)
    candidates: dict[int, list[Scored]] = field(default_factory=dict)  # by hit, see passage_candidates
    lower_words: frozenset[str] | None = None  # words the passages write in lower case

    def written_lower(self, word: str) -> bool:
        """Whether the passages write `word` in lower case somewhere: "Engineers" opening a
        sentence is no name when another sentence says "engineers"."""
        if self.lower_words is None:
            self.lower_words = frozenset(
                w for h in self.hits for w in _LOWER_WORD.findall(h.paragraph)
            )
        return word.casefold() in self.lower_words


@dataclass
class Scored:
    """A candidate answer with its evidence and the model's score."""

    hit: int  # index into Reading.hits
    span: Span
    features: dict[str, float]
    score: float = 0.0
    within: str | None = None  # the finer place this one holds ("Woomera" for "South Australia")


def read(archive: Archive, text: str, *, exclude: frozenset[int] = frozenset()) -> Reading | Answer:
    """Retrieve and re-rank the paragraphs for a question (`exclude`: paragraph ids to leave out,
    which the training script uses to ask questions whose answer is not in the archive)."""
    q = classify_question(text)
    terms = list(q.terms)
    if not terms:
        return _not_found(text, q.answer_type, "The question has no words the archive could search for.")
    indexer = archive.indexer
    paragraphs, articles = indexer.paragraphs, indexer.articles
    typed = {}
    for word in typed_words(text):
        typed.setdefault(term_for(word), fold(word))
    read_as = corrections(articles, terms, is_name=lambda term: known_name(archive, term), typed=typed)
    if read_as:
        terms = _respell(terms, read_as)
        q = respelled(q, _respell(q.terms, read_as))
    initials = [t for t in dict.fromkeys(terms) if t in ROLE_INITIALS]
    if initials:
        said = articles.postings(initials)
        roles = {t: tuple(tokenize(ROLE_INITIALS[t])) for t in initials if not len(said[t][0])}
        if roles:  # a role, not a name: not read into the question's subject
            terms = _respell(terms, roles)
            q = replace(q, terms=_respell(q.terms, roles))
    # "CEO" is also written "chief executive": searched for both ways (said_as).
    said_as = [w for t in initials if t in q.terms for w in tokenize(ROLE_INITIALS[t]) if w not in terms]
    leading = leading_term(q)
    if leading:  # "who runs Orison": read as who leads it, searched by the titles leaders have
        terms = _respell(terms, {leading: ("lead",)})
        q = replace(q, terms=_respell(q.terms, {leading: ("lead",)}))
        said_as += [w for w in tokenize(LEADER_TITLES) if w not in terms and w not in said_as]
    idf = {t: found[2] for t, found in paragraphs.postings(list(dict.fromkeys(terms))).items()}
    described = named_by_description(archive.store, terms, idf, q.text)
    expansion: tuple[str, ...] = ()
    describing: frozenset[str] = frozenset()
    if described:
        expansion = tuple(t for t in described[1] if t not in terms)
        describing = frozenset(t for t in terms if t in described[2] or DEMONYMS.get(t) in described[2])
        terms += list(expansion)
    # A nation's adjective no paragraph has is read as the place it names: "the Chinese rover"
    # of an archive that only says "China's rover", "the emirati orbiter" of "the Emirates".
    adjectives = [t for t in dict.fromkeys(terms) if t in DEMONYMS]
    known = paragraphs.postings(adjectives) if adjectives else {}
    places = {t: (DEMONYMS[t],) for t, found in known.items() if not len(found[0])}
    if places:
        read_as = {**read_as, **places}
        terms = _respell(terms, places)
        q = replace(q, terms=_respell(q.terms, places))
    # The best paragraphs by BM25 (exact top-k, pruned), then each read with its article's score.
    measured = measure_terms(q)  # "weighs" for "how heavy": searched beside the question's words
    pdocs, pscores, pgroups = paragraphs.top_k(terms + measured + said_as, POOL + len(exclude))
    if exclude and len(pdocs):
        keep = ~np.isin(pdocs, np.fromiter(exclude, np.int64))
        pdocs, pscores, pgroups = pdocs[keep][:POOL], pscores[keep][:POOL], pgroups[keep][:POOL]
    if not len(pdocs):
        return _not_found(text, q.answer_type, "Nothing in the archive mentions these words.")
    _, best_article, _ = articles.top_k(terms, 1)
    ascores = articles.score_docs(terms, pgroups)
    article_score = dict(zip(pgroups.tolist(), ascores.tolist(), strict=True))
    p_norm = max(float(pscores.max()), 0.0) or 1.0
    a_norm = (max(float(best_article[0]), 0.0) if len(best_article) else 0.0) or 1.0
    combined = pscores / p_norm + ARTICLE_WEIGHT * ascores / a_norm
    k = min(CANDIDATES, len(pdocs))
    top = np.argpartition(-combined, k - 1)[:k]
    top = top[np.argsort(-combined[top], kind="stable")]

    store = archive.store
    summaries = store.summaries(sorted({int(pgroups[i]) for i in top}))
    held_by = _articles_holding(articles, terms, pgroups[top])
    hits = []
    rows = store.paragraphs_by_id([int(pdocs[i]) for i in top])
    for i in top:
        row = rows.get(int(pdocs[i]))
        if row is None:
            continue
        num, position, kind, para_text, credit = row
        hits.append(Hit(int(pdocs[i]), num, position, kind, para_text, credit, summaries[num],
                        float(pscores[i]), article_score.get(num, 0.0), held_by.get(num, frozenset())))
    if not hits:
        return _not_found(text, q.answer_type, "Nothing in the archive mentions these words.")
    idf = {t: found[2] for t, found in paragraphs.postings(list(dict.fromkeys(terms + measured))).items()}
    top_idf = max(idf.values(), default=1.0) or 1.0
    idf = {t: (v if v > 0 else top_idf) for t, v in idf.items()}  # an unseen word weighs most
    subject = subject_terms(q, read_as, (h.paragraph for h in hits[:10])) | set(expansion)
    # "China's Mars rover" asks for the rover's name; "the Tokyo debris startup's spacecraft"
    # names the startup only to ask about its spacecraft: then the startup is no answer.
    # "which crater did the japanese moon lander end up on": the crater described is asked for
    asked_for = bool(q.focus) and term_for(q.focus) in HEAD_TERMS and (
        q.wants == "name" or (q.answer_type == "where" and term_for(q.focus) in describing))
    words = question_words(q, idf, subject, expansion, measured, expansion_answers=asked_for,
                           describing=describing)
    words.local = _local_weights(words, hits)
    rfeatures = rerank_features(q, hits, words.subject)
    weights = load_weights().get("rerank", {})
    ranked = sorted(range(len(hits)), key=lambda i: (-logit(weights, rfeatures[i]), i))
    # Coverage is judged on the best passage whose article names all the question is about, if
    # any: "how tall is Fulmar" may rank first a paragraph saying "tall" of another rocket.
    # The kind of thing asked for is no part of it ("since which decade": the answer's
    # article says "the 1920s", not "decade").
    named = words.subject - {term_for(q.focus) if q.focus else ""}
    about = [i for i in ranked[:5] if named and named <= hits[i].article_terms]
    chosen = (about or ranked)[0]
    covered = notfound.covered(archive, text, q, terms, read_as, hits, chosen,
                               names_held=bool(named & hits[chosen].article_terms))
    nearest = [] if covered else list({h.num: h.summary for h in hits}.values())[:3]
    return Reading(text, q, words, hits, rfeatures, covered, nearest)


def _local_weights(words: QuestionWords, hits: list[Hit]) -> dict[str, float]:
    """Each question term's idf among the retrieved passages: the words a whole story repeats
    weigh little there, the one said where the asked thing is told weighs most."""
    held = [{t for t, _, _ in term_spans(h.paragraph)} for h in hits]  # read once per ask, kept
    n = len(held)
    return {t: math.log(1 + (n + 1) / (sum(t in h for h in held) + 0.5)) for t in words.weights}


# One capitalised word ending in "-ly" (six letters or more, so not "Italy"), as sentences open
# with "Honestly," "Finally," "Currently,".
_SENTENCE_ADVERB = re.compile(r"[A-Z][a-z]{3,}ly")
# "Astronomers have spotted ...", "Engineers inspect ...": a plural of people or things opening a
# sentence, before a lower-case verb, is capitalised only as it opens it
_OPENING_PLURAL = re.compile(r"[A-Z][a-z]{3,}(?:ers|ists|ians|ors|ants|ents)")


# A question about what is still to come: "when will it fly", "when is it going to launch".
_ASKS_FUTURE = re.compile(r"\b(?:will|going to|gonna)\b", re.I)


def _before(date: str, published: datetime | None) -> bool:
    """Whether a date lies wholly before the day its article was published (a date without a
    year, or an article without a date, is not)."""
    year, month, day = date_parts(date)
    if published is None or year is None:
        return False
    told = (int(year), month_number(month) if month else 12, int(day) if day else 31)
    return told < (published.year, published.month, published.day)


def _another_things_article(reading: Reading, hit: Hit, named: set[str]) -> bool:
    """Whether the article leaves out a name the question writes with a capital while other
    articles of the passages say it: "the Tamarind Space Telescope" is named in the comet
    story, so the Kalliope telescope's story, which says "space telescope" but never
    "Tamarind", tells nothing of it."""
    capitalised = {term_for(w) for w in _CAPITALISED_IN_QUESTION.findall(reading.text)} & named
    return any(t not in hit.article_terms and any(t in h.article_terms for h in reading.hits)
               for t in capitalised - _KIND_TERMS)


def _number_unsaid(reading: Reading, hit: Hit) -> bool:
    """Whether the question names a thing with a number the article never writes: "Osprey 12"
    asked, a story of Osprey crews that never writes 12 tells nothing of it. Only numbers past
    ten, which no Roman numeral of a name stands for here ("Artemis II" is "artemis 2")."""
    return any(
        10 < n < 1000 and str(n) in reading.question.terms and word in hit.article_terms
        and str(n) not in hit.article_terms
        for word, n in numbered_names(reading.text)
    )


# A word written with a capital inside a question (not its first): a name's.
_CAPITALISED_IN_QUESTION = re.compile(r"(?<=\s)[A-Z][a-z][\w'’-]*")


def order_hits(reading: Reading, weights: dict[str, float]) -> list[int]:
    """Indexes of the hits, best first under the re-ranking weights (ties keep BM25's order)."""
    scores = [logit(weights, f) for f in reading.rerank_features]
    return sorted(range(len(reading.hits)), key=lambda i: (-scores[i], i))


def passage_candidates(archive: Archive, reading: Reading, i: int) -> list[Scored]:
    """The candidates of the asked-for kinds in one hit, with every feature but the passage's
    place in the ranking (kept on the reading: re-ranking does not change them)."""
    if i in reading.candidates:
        return reading.candidates[i]
    q, words = reading.question, reading.words
    kinds = KINDS[FAMILIES[q.answer_type]]
    hit = reading.hits[i]
    view: PassageView = view_passage(hit.paragraph, hit.kind, hit.title, words)
    context = DateContext(hit.summary.published, [])
    if hit.summary.published is None and "date" in kinds:
        context.earlier = [t for _, _, t, _ in archive.store.paragraphs_for(hit.num)[: hit.position]]
    # A caption's credit ("Image Credit: NASA/JPL-Caltech") says who took the picture, not
    # what the picture shows.
    end = hit.paragraph.rfind(hit.credit) if hit.kind == "caption" and hit.credit else -1
    spans = candidate_spans(hit.paragraph, frozenset(words.weights), context, phrases="phrase" in kinds,
                            causes="cause" in kinds)
    # News names its subject once and then says "the rover": an article that names the
    # question's subject somewhere vouches for its other paragraphs; one that never does
    # ("the second flight failed", of another company's rocket) does not.
    in_text = {t for t in words.subject if t in hit.article_terms}
    # (not the words of a relative clause: "the spacecraft that rammed the asteroid" is DART in
    # an article that says it "slammed into" Dimorphos)
    named = {t for t in words.subject if t not in _KIND_TERMS and not t.isdigit() and t not in words.clause}
    if (named and not named & in_text or _another_things_article(reading, hit, named)
            or _number_unsaid(reading, hit)):
        # an article that never names what the question is about answers nothing about it:
        # "the mission has cost $1.1 billion" in the Aster story is not Castellan's cost
        reading.candidates[i] = []
        return []
    subject_weight = sum(words.weights[t] for t in words.subject)
    in_article = sum(words.weights[t] for t in in_text)
    in_article /= subject_weight or 1.0
    subject_share = subject_weight / words.total
    rows = []
    for span in _with_asked_tails_cut(spans, words, q):
        if span.kind not in kinds or (end >= 0 and span.start >= end) or not fits(q, span):
            continue
        if span.kind != "name" and _said_in(q.text, span.text):
            continue  # "who won it prior to 2000?" is not answered by "2000"
        if span.kind == "name" and "or" not in q.words:
            if _only_question_words(span.text, words):
                continue  # "where did Argent land?" is not answered by "Argent"
            if _another_kind(q, hit.paragraph, span):
                continue  # "which spacecraft": not "the debris startup Kiseki Orbital"
        f = candidate_features(q, words, view, span)
        if span.kind == "quantity" and counts_asked_unit(q, span):
            span = replace(span, said=_ASKED_UNIT.sub("", span.text))
        elif span.kind == "date" and q.wants == "year":
            year = date_parts(span.text)[0]
            if year and year != span.text:
                span = replace(span, said=year)
        if span.kind == "name":
            # "Engineers inspect the flight model": capitalised only as it opens the sentence
            opening = not hit.paragraph[view.sentences[span.sentence][0] : span.start].strip(" \"“‘(")
            if opening and _SENTENCE_ADVERB.fullmatch(span.text):
                continue  # "Honestly, I expected ...": an adverb opening a sentence names nothing
            plural = bool(_OPENING_PLURAL.fullmatch(span.text)) and bool(
                re.match(r"\s+[a-z]", hit.paragraph[span.end : span.end + 3]))
            if opening and plural and (q.wants in ("name", "person") or q.answer_type == "who"):
                continue  # "Astronomers using ...": a plural noun is no one's name, nor a telescope's
            f["capital_only_opening"] = float(
                opening and " " not in span.text and (plural or reading.written_lower(span.text))
            )
        if f.pop("title_qualified", 0.0):
            continue  # "deputy principal investigator Felix Amar" is not who the PI is
        if f.pop("another_numbered_name", 0.0):
            continue  # "Voyager 1 crossed ... on August 25, 2012" does not date Voyager 2
        if f.get("distance_from_other"):
            continue  # "how close did Hotaru get to the comet": not "187 million kilometers from Earth"
        if span.kind == "date" and _ASKS_FUTURE.search(q.text) and _before(span.text, hit.summary.published):
            continue  # "when will it fly" is not answered by a day already past when the story ran
        if span.kind == "count" and _numbers_the_asked_name(q, words, hit.paragraph, span):
            continue  # the "2" of "Tern 2" counts nothing
        f["article_names_subject"] = in_article
        # The sentence says the question once the subject its article names is read into it:
        # "landing on May 15" in an article about Zhurong says "Zhurong landed on May 15".
        told = max(0.0, in_article - f.get("sentence_names_subject", 0.0)) * subject_share
        f["sentence_says_question_in_context"] = f["sentence_says_question"] + told
        # and the subject so read in stands beside the answer: "landing on May 15" is as near
        # to "Zhurong" as the sentence is to its article
        f["near_question_words_in_context"] = min(1.0, f["near_question_words"] + told)
        rows.append(Scored(i, span, f))
    reading.candidates[i] = rows
    return rows


def more_precise(archive: Archive, reading: Reading, order: list[int], best: Scored) -> Scored:
    """The same date told more precisely by a lower-ranked passage whose sentence says the
    question's event: "May 2021" in a retrospective, "came down on May 15" in the report of the
    day. The answer stays the one chosen, told as precisely as the archive tells it."""
    if best.span.flags.get("precision", 3) >= 3:
        return best
    finer = [
        r for i in order[:REFINE_PASSAGES] for r in passage_candidates(archive, reading, i)
        if r.span.kind == "date" and refines(best.span.text, r.span.text)
        and (r.features.get("predicate_right_before", 0.0) or r.features.get("predicate_right_after", 0.0))
    ]
    if not finer:
        return best
    days = {answer_key(r.span) for r in finer}
    return finer[0] if len(days) == 1 else best  # two different days: the month is what is known


# Words that open a sentence as part of someone's title ("Project manager Tobias Renn said"),
# capitalised there only.
ROLE_WORDS = PERSON_TITLES | frozenset("project mission program programme assistant associate vice".split())


# The unit "how many" already says, with its "square"/"cubic": "9.6 square degrees" -> "9.6".
_ASKED_UNIT = re.compile(r"[\s-]+(?:(?:square|cubic)\s+)?\S+$", re.I)


# Places on a world that have names of their own: a country or a state is none of them.
_LANDFORMS = frozenset("crater basin plain plains valley mountain sea bay lake plateau ridge".split())
_IN_YEARS = re.compile(r"\b(?:years?|decades?|centur(?:y|ies)|millennia|millennium|eons?)\b", re.I)


def fits(q: Question, span: Span) -> bool:
    """Whether a candidate can be the kind of thing asked for at all. "How fast" is answered by a
    speed and nothing else, "how heavy" by a mass; a person is not a place, a time zone is not
    where anything landed, a year or the number in a name ("Apollo 11") counts nothing. A
    question with no fitting candidate gets no short answer rather than a wrong one."""
    if q.wants == "clock" or span.kind == "clock":
        return q.wants == "clock" and span.kind == "clock"  # "what time did it lift off"
    if q.measures and span.kind in ("count", "quantity", "money", "percent"):
        if q.focus == "old" and span.unit_class == "duration" and not _IN_YEARS.search(span.text):
            return False  # an age is told in years: "how old is she" is not "6 hours and 41 minutes"
        return span.unit_class in q.measures
    if span.kind == "date" and q.wants in ("year", "month", "day"):
        # "what month did it launch" is not answered by "2023", nor "what day" by "May 2021"
        year, month, day = date_parts(span.text)
        if q.wants == "year":
            return bool(year) or span.flags.get("precision", 0) >= 1
        return bool(month if q.wants == "month" else day)
    if q.answer_type == "how_many" and span.kind == "count":
        return not span.flags.get("year_like")
    if q.answer_type == "how_many" and span.kind == "quantity":
        # "how many antennas" is not answered by the "18-meter" of "18-meter antennas"; "how
        # many nights" is by "14 nights"
        return counts_asked_unit(q, span)
    if q.wants == "name" and span.kind != "name" and (
        "name" in q.words or "called" in q.words or (q.focus or "").rstrip("s") in MADE_THINGS | NAMED_THINGS
    ):
        return False  # "what is the name of ...", "what was it called", "what rocket": a name
    if span.kind == "name":
        if span.text.casefold() in ROLE_WORDS:
            return False  # "Deputy", "Project" opening a sentence: a title, not a name
        if _CONTRACTION.fullmatch(span.text):
            return False  # "We've", "It's" opening a quote: capitalised, and no name
        if span.text.endswith(("'s", "’s", "s'", "s’")):
            return False  # "Halden Orbital's" names whose thing it is, not the thing
        cls = span.name_kind
        if cls == "timezone":
            return False
        if q.answer_type == "where":
            if _is_demonym(span.text):
                return False  # "the South Australian outback": the place is the outback
            if q.focus in _LANDFORMS and span.text.casefold() in PLACE_NAMES:
                return False  # "which crater did it end up on": a crater, not the United States
            if q.focus in _REGIONS:  # "which country abstained": a country, not its space office
                return cls not in ("org", "acronym", "person", "timezone")
            if cls in ("org", "acronym") and not _AT_WORK & set(q.words):
                return False  # a rocket lands, launches, is built at a place, not at a company
            return cls != "person" or span.name_class == "person?"
        if q.answer_type == "who" and _is_demonym(span.text) and not span.text.endswith("s"):
            return False  # "the Nigerian capital": a nation's adjective is nobody (its people may be)
        if q.answer_type == "who" and _no_one(span.text):
            return False  # "the Sun", "Twelve", "Parker Solar Probe" discovered and built nothing
        if q.wants == "person":  # "who leads", "who is the CEO": not the institution
            # (NASA is no one's PI; "Astronomy & Astrophysics" is a journal, no one's name)
            return cls not in ("place", "timezone", "org", "acronym") and "&" not in span.text
        if q.wants == "name" and _is_demonym(span.text):
            return False  # "an Indian startup": a nation's adjective names no rover or satellite
        if q.wants == "name" and span.flags.get("owner") and q.focus not in ("name", None):
            return False  # "which asteroid": not "Japan" of "Japan's Hayabusa2 mission"
        focus = (q.focus or "").rstrip("s")
        if q.wants == "name" and focus in _NOT_WORLDS and span.text.casefold() in WORLDS:
            return False  # "which telescope", "which sunspot region": not "Earth"
        if q.wants == "name" and focus in MADE_THINGS:
            # "which rocket": not ISRO; "the command module's name": not its pilot, even a
            # surname alone that only looks like a person's
            return cls != "person" and span.name_class not in ("org", "place")
        if q.wants == "name" and focus in NAMED_THINGS - _OWNED_BY_PEOPLE:
            return span.name_class != "person"  # "the comet that broke apart": not who saw it
    return True


_CONTRACTION = re.compile(r"[A-Za-z]+(?:['’](?:ve|re|ll|d|m|s)|n['’]t)")


# Things in the sky and the telescopes that watch them: "the Carina Nebula" directs nothing.
_SKY_THINGS = frozenset(
    "nebula galaxy cluster comet asteroid crater planet exoplanet constellation telescope".split()
)


def _no_one(name: str) -> bool:
    """Whether a name can be no one's: a world ("the Sun" discovered nothing), a number word
    opening a sentence ("Twelve of them ..."), a made thing ("Parker Solar Probe" built nothing),
    a thing in the sky ("Carina Nebula")."""
    low = name.casefold().removeprefix("the ")
    words = low.split()
    return low in WORLDS or is_number_word(low) or (
        len(words) > 1 and kind_of(words[-1]) in MADE_THINGS | _SKY_THINGS)


def _role_untold(reading: Reading, passages: list[int]) -> bool:
    """Whether a "who" question names the role it asks about ("the director", "the lead
    author") and none of these passages says it."""
    q = reading.question
    role = term_for(q.focus) if q.answer_type == "who" and q.focus else ""
    if not role or role in ASKING_TERMS:
        return False
    return not any(role == t for i in passages for t, _, _ in term_spans(reading.hits[i].paragraph))


def score_candidates(
    archive: Archive, reading: Reading, order: list[int], rerank_weights: dict[str, float],
    answer_weights: dict[str, dict[str, float]] | None,
) -> list[Scored]:
    """Every candidate answer of the asked-for kinds in the best passages, with its features
    and (given the answer weights) its score."""
    family = FAMILIES.get(reading.question.answer_type)
    if family is None:
        return []
    rows = _candidates_of(archive, reading, order[:ANSWER_PASSAGES], rerank_weights)
    if _role_untold(reading, order[:ANSWER_PASSAGES]):
        # "who is the director of the Kalliope telescope": when none of the best passages says
        # "director" (captions and stories that repeat the telescope's name), the next ones
        rows = _candidates_of(archive, reading, order[: 2 * ANSWER_PASSAGES], rerank_weights)
    elif not rows and reading.question.measures:
        # none of the best passages holds a measure of the asked kind ("an average speed of
        # 1,600 kilometers per second" is told of "the cloud", not of the storm): the next ones
        rows = _candidates_of(archive, reading, order[: 2 * ANSWER_PASSAGES], rerank_weights)
    # "When did Zhurong land?": when some candidates are told with the landing ("landing on
    # May 15", or in the sentence before: "Voyager 2 followed on ..."), a date beside Zhurong's
    # name among sentences about something else ("as of January 1, 2022 ... Zhurong had
    # worked") is likely to answer another question.
    if asks_now(reading.question):
        rows = _told_as_now(_newest_telling(reading, rows))
    told = any(r.features.get("neighbours_say_event", 0.0) > 0 for r in rows)
    for r in rows:
        r.features["event_told_elsewhere"] = float(told and not r.features.get("neighbours_say_event", 0.0))
    if reading.question.answer_type == "when":
        _mark_first_and_last(reading.question, rows)
    add_support([(r.span, r.features) for r in rows])
    if reading.question.answer_type == "where":
        _mark_places_within(reading, rows)
    elif reading.question.answer_type == "who":
        _mark_short_names(reading, rows)
    if answer_weights is not None:
        weights = answer_weights.get(family, {})
        for r in rows:
            r.score = logit(weights, r.features)
    return rows


_WITHIN = re.compile(r"(?:,|\s+in)\s+(?:the\s+)?$")


# Where a person works or studies may be an institution ("where does she work": the University
# of Geneva); anything else happens at a place.
_AT_WORK = frozenset(
    "work works worked working study studies studied teach teaches taught employed based".split()
)
_REGIONS = frozenset("country countries nation nations state states city cities province region".split())
_FIRST = re.compile(r"\b(?:first|earliest|initial|debut|maiden|originally)\b", re.I)
_LAST = re.compile(r"\b(?:last|latest|final|most recent|newest)\b", re.I)


def _mark_first_and_last(q: Question, rows: list[Scored]) -> None:
    """"When did it first launch": the earliest of the dates told with the question's verb (a
    thread of stories tells the debut, the failure's inquiry, the return to flight); "when
    did we last hear from it": the latest."""
    asks = "first" if _FIRST.search(q.text) else "last" if _LAST.search(q.text) else None
    if asks is None:
        return
    dated = []
    for r in rows:
        if r.span.kind != "date" or not r.features.get("sentence_says_predicate"):
            continue
        year, month, day = date_parts(r.span.text)
        if year:
            dated.append(((int(year), (month_number(month) or 0) if month else 0, int(day or 0)), r))
    if len(dated) < 2:
        return
    edge = min(k for k, _ in dated) if asks == "first" else max(k for k, _ in dated)
    for k, r in dated:
        r.features[f"{asks}_of_told"] = float(k == edge)


def _candidates_of(
    archive: Archive, reading: Reading, passages: list[int], rerank_weights: dict[str, float]
) -> list[Scored]:
    """The candidates of these passages, with where each passage and its article rank."""
    # the rank of each passage's article among the articles of the best passages: news tells
    # the answer in a paragraph of the right article that need not be its best-matching one
    articles = list(dict.fromkeys(reading.hits[i].num for i in passages))
    best = _telling_first(reading, passages)
    scores = [logit(rerank_weights, reading.rerank_features[i]) for i in best]
    rows: list[Scored] = []
    for rank, i in enumerate(best):
        for r in passage_candidates(archive, reading, i):
            features = dict(r.features)
            features["passage_rank"] = 1.0 / (1 + rank)
            features["article_rank"] = 1.0 / (1 + articles.index(reading.hits[i].num))
            features["passage_score"] = max(scores[rank] - max(scores), -3.0)
            rows.append(Scored(i, r.span, features))
    return rows


def _mark_places_within(reading: Reading, rows: list[Scored]) -> None:
    """"near Woomera in South Australia", "Xichang, Sichuan": one place told at two scales,
    which answer the question together (the finer is the answer shown)."""
    names = [r for r in rows if r.span.kind == "name"]
    for outer in names:
        paragraph = reading.hits[outer.hit].paragraph
        for inner in names:
            if (inner.hit == outer.hit and inner.span.sentence == outer.span.sentence
                    and 0 < outer.span.start - inner.span.end <= 12
                    and _WITHIN.fullmatch(paragraph[inner.span.end : outer.span.start])):
                outer.within = normalise(inner.span.text)


def _mark_short_names(reading: Reading, rows: list[Scored]) -> None:
    """"Anil has run large programs", "Mehra said": a person called by one of the names his
    article gives in full ("Anil Mehra") is that person, and adds to the full name."""
    names = [r for r in rows if r.span.kind == "name" and r.span.name_kind != "place"]
    full: dict[tuple[int, str], set[str]] = {}
    for r in names:
        words = r.span.text.split()
        if len(words) in (2, 3) and (r.span.name_class or "").startswith("person"):
            for word in (words[0], words[-1]):
                full.setdefault((reading.hits[r.hit].num, word), set()).add(normalise(r.span.text))
    for r in names:
        if " " not in r.span.text:
            longer = full.get((reading.hits[r.hit].num, r.span.text), set())
            if len(longer) == 1:  # one Anil in the story
                r.within = next(iter(longer))


def _telling_first(reading: Reading, best: list[int]) -> list[int]:
    """The passages to answer from, those that tell the asked event first: for "when did
    Zhurong land" the paragraph with "landing on May 15" outranks, as an answer's source, the
    one that names Zhurong and says how long it worked."""
    return sorted(best, key=lambda i: reading.rerank_features[i].get("event_told", 0.0) <= 0)  # stable


def answer_key(span: Span) -> str:
    """What makes two mentions one answer: a date's day, month and year however written
    ("Sept. 23, 2027" is "September 23, 2027"), else the answer's words."""
    if span.kind == "date" and all(w.isdigit() or month_number(w) for w in normalise(span.text).split()):
        year, month, day = date_parts(span.text)
        if year or month:
            return f"date:{year or ''}-{month or ''}-{day or ''}"
    return normalise(span.shown)


def choose(rows: list[Scored], reading: Reading | None = None) -> tuple[Scored | None, dict[str, float]]:
    """The best answer and the evidence for trusting it.

    Candidates saying the same answer pool their probability (a softmax over the question's
    candidates): agreement across passages is evidence. The evidence for the answer is its
    pooled probability, its lead over the next answer, and what its best mention shows.
    """
    if not rows:
        return None, {"bias": 1.0, "no_candidate": 1.0}
    top = max(r.score for r in rows)
    weights = [math.exp(r.score - top) for r in rows]
    total = sum(weights)
    pooled: dict[str, float] = {}
    best_of: dict[str, Scored] = {}
    merged_into: dict[str, str] = {}  # an answer pooled into another one
    for r, w in zip(rows, weights, strict=True):
        key = answer_key(r.span)
        pooled[key] = pooled.get(key, 0.0) + w / total
        if key not in best_of or r.score > best_of[key].score:
            best_of[key] = r
    # A date told more precisely is the same answer: "May 15, 2021" adds to "May 2021" (which
    # of the two the archive means is settled by `more_precise`).
    dated = [k for k in pooled if best_of[k].span.kind == "date"]
    for general in dated:
        told = best_of[general].span.text
        finer = [k for k in dated if k in pooled and refines(told, best_of[k].span.text)]
        if len(finer) == 1 and general in pooled:
            pooled[general] += pooled.pop(finer[0])
            merged_into[finer[0]] = general
            if best_of[finer[0]].score > best_of[general].score:
                best_of[general] = best_of[finer[0]]  # the evidence is the stronger mention's

    def pooled_as(key: str) -> str:
        while key in merged_into:
            key = merged_into[key]
        return key

    for r in rows:  # a place told with the finer place it holds adds to the finer
        key = answer_key(r.span)
        if r.within and r.within in pooled and key in pooled and r.within != key:
            pooled[r.within] += pooled.pop(key)
            merged_into[key] = r.within
    _pool_nested(rows, pooled, best_of, merged_into, pooled_as)
    ranked = sorted(pooled, key=lambda k: -pooled[k])
    best = best_of[ranked[0]]
    # two articles telling the same answer are two witnesses, two paragraphs of one article one
    # (the article's own repetition is in the share already)
    witnesses = (
        {reading.hits[r.hit].num for r in rows if pooled_as(answer_key(r.span)) == ranked[0]}
        if reading else set()
    )
    share = pooled[ranked[0]]
    runner = pooled[ranked[1]] if len(ranked) > 1 else 0.0
    f = best.features
    evidence = {
        "bias": 1.0,
        "share": share,
        "lead": share - runner,
        "logit_lead": min(best.score - best_of[ranked[1]].score, 5.0) if len(ranked) > 1 else 5.0,
        # how good the best mention looks on its own, not only against the others
        "top_logit": max(min(best.score, 15.0), -5.0),
        # (what the sentence says, and how near the answer, once its article's subject is read
        # in: news names its subject once and then says "the rover", and a follow-up's subject
        # is the conversation's; the word-for-word figures, which it holds, are left to the
        # answer model, so the two do not trade weight from one retrain to the next)
        "sentence_says_question_in_context": f.get("sentence_says_question_in_context", 0.0),
        "sentence_says_predicate": f.get("sentence_says_predicate", 0.0),
        "no_predicate": f.get("no_predicate", 0.0),
        "near_question_words_in_context": f.get("near_question_words_in_context", 0.0),
        "passage_rank": f.get("passage_rank", 0.0),
        "article_rank": f.get("article_rank", 0.0),
        "candidates": math.log(len(rows)),
    }
    # A sentence that tells two sums (or two dates, two names) leaves which one is asked less
    # sure than one that tells a single one: "$1.9 million each, $13.3 million in all".
    rivals = {answer_key(r.span) for r in rows
              if r.hit == best.hit and r.span.sentence == best.span.sentence and r.span.kind == best.span.kind
              and r.span.unit_class == best.span.unit_class and pooled_as(answer_key(r.span)) != ranked[0]}
    evidence["rivals_in_sentence"] = float(min(len(rivals), 3))
    if reading is not None:
        evidence["other_articles_agree"] = float(min(len(witnesses) - 1, 3))
        if asks_now(reading.question):
            evidence["newer_story_elsewhere"] = float(_newer_story_elsewhere(reading, best))
    # What the best mention shows of the asked-for kind: its unit, its kind of name, its year.
    for name in ("unit_fits", "unit_misfits", "no_unit", "person_wanted_and_given", "person_wanted_org_given",
                 "org_wanted_and_given", "place_wanted_and_given", "place_wanted_person_given",
                 "org_wanted_person_given", "date_precision", "year_from_published",
                 "year_from_paragraph", "year_from_article", "focus_after", "repeats_question",
                 "kind_phrase", "kind_name", "caption", "predicate_in_clause", "subject_in_clause",
                 "predicate_right_before", "predicate_right_after", "article_names_subject",
                 "apposition_says_predicate", "titled_by_question", "neighbours_say_predicate",
                 "subject_without_predicate", "event_told_elsewhere", "measures_asked_thing",
                 "measures_other_thing", "counts_asked_thing", "counts_other_thing", "length_sense_fits",
                 "length_sense_misfits", "place_is_world", "date_of_saying", "distance_from_asked",
                 "other_year_said", "superlative_scope_unsaid",
                 "apposition_other_role", "told_in_asked_unit", "told_in_other_unit", "other_world_said"):
        if name in f:
            evidence[f"answer_{name}"] = f[name]
    return best, evidence


def _newer_story_elsewhere(reading: Reading, best: Scored) -> bool:
    """Whether an article about the question's subject newer than the answer's is among the
    passages read: a question about now ("how many people work there now?") answered from an
    older story may be answered with a figure the newer story has changed ("a staff of 131",
    told in words the question does not use)."""
    subject = reading.words.subject
    told = reading.hits[best.hit].summary.published
    if not subject or told is None:
        return False
    return any(
        h.summary.published is not None and h.summary.published > told and subject <= h.article_terms
        for h in reading.hits
    )


def _pool_nested(rows: list[Scored], pooled: dict[str, float], best_of: dict[str, Scored],
                 merged_into: dict[str, str], pooled_as: Callable[[str], str]) -> None:
    """One mention read at two lengths is one answer: "University" inside "University of New
    Hampshire" adds to it rather than competing with it. The two pool into the one the model
    scores higher (which one is meant is the model's call, how sure it is their sum)."""
    by_place: dict[tuple[int, int], list[Scored]] = {}
    for r in rows:
        by_place.setdefault((r.hit, r.span.sentence), []).append(r)
    for group in by_place.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda r: (r.span.start, -r.span.end))
        for i, outer in enumerate(group):
            for inner in group[i + 1 :]:
                if inner.span.start >= outer.span.end:
                    break
                if inner.span.end > outer.span.end:
                    continue
                a, b = pooled_as(answer_key(outer.span)), pooled_as(answer_key(inner.span))
                if a == b or a not in pooled or b not in pooled:
                    continue
                keep, drop = (a, b) if best_of[a].score >= best_of[b].score else (b, a)
                pooled[keep] += pooled.pop(drop)
                merged_into[drop] = keep


def confidence_of(evidence: dict[str, float], family: str, weights: dict) -> float:
    """P(the best candidate is right): the family's own calibration, else the one for all
    families, which also knows which family asks."""
    calibration = weights.get("confidence", {}).get(family) or weights.get("confidence", {}).get("all", {})
    if not calibration:
        return sigmoid(evidence.get("top_logit", -5.0))
    return sigmoid(logit(calibration, with_family(evidence, family)))


def with_family(evidence: dict[str, float], family: str) -> dict[str, float]:
    """The evidence with which family of question asks (for the calibration of all families)."""
    return {**evidence, f"family_{family}": 1.0}


def answer_question(
    archive: Archive, question: str, *, context: str | Sequence[str] | None = None
) -> Answer:
    """Answer a question; `context`: the conversation's earlier questions, oldest first."""
    text = " ".join(str(question).split())[:MAX_QUESTION_CHARS]
    if not text:
        return _not_found(question, "other", "Ask a question in words, e.g. “When did Zhurong land?”")
    meant = read_in_conversation(archive, text, context)
    answer = _answer_and_best(archive, meant, story=lambda: _story_of(archive, context))[0]
    if meant != text:
        answer.read_as = meant
    return answer


def read_in_conversation(archive: Archive, text: str, context: str | Sequence[str] | None) -> str:
    """The question as meant after the conversation's earlier questions (`followup.resolve`,
    with this archive's names and answers)."""
    return resolve(
        text, context, known=lambda word: known_name(archive, word),
        answer_of=partial(_name_answering, archive),
    )


def _story_of(archive: Archive, context: str | Sequence[str] | None) -> str | None:
    """The article the conversation is about: the one the earlier question was answered from
    (its first citation, what the member was shown first)."""
    earlier = [context] if isinstance(context, str) else [c for c in context or () if c and c.strip()]
    if not earlier:
        return None
    meant = resolve(earlier[-1], earlier[:-1], known=lambda word: known_name(archive, word))
    previous = _answer(archive, meant)
    return previous.citations[0].article.id if previous.citations else None


def _name_answering(archive: Archive, question: str) -> str | None:
    """Who "he" or "she" is after a "who" question, what "it" is after "what's the name of the
    asteroid ...": its short answer, else its best candidate when that is a name of the kind
    asked (withheld as the answer, but a far better reading of "she" or "it" than the subject
    the earlier question was about)."""
    asked = classify_question(question)
    person = asked.answer_type == "who" and asked.wants != "org"  # not "which company ...?"
    answered, best = _answer_and_best(archive, question)
    kind = best.span.name_kind if best is not None else ""
    if answered.answer:
        # "she" is a person: not the survey or the agency a "who" question was answered with
        return None if person and best is not None and kind not in ("person", "") else answered.answer
    if best is None or best.span.kind != "name":
        return None
    if person:
        return best.span.text if kind == "person" else None
    # a thing's name, and one half trusted: "it" is not read as "the Moon" on a guess
    weights = load_weights()
    threshold = weights.get("threshold", {}).get("all", 0.5)
    trusted = cites_first(answered.confidence, threshold)
    # (an organisation only when one was asked for: "which company bought Kestrel?")
    other_kinds = ("place", "person", "timezone") + (() if asked.wants == "org" else ("org",))
    return best.span.text if trusted and kind not in other_kinds else None


def _answer(archive: Archive, text: str) -> Answer:
    return _answer_and_best(archive, text)[0]


def _answer_and_best(
    archive: Archive, text: str, story: Callable[[], str | None] | None = None
) -> tuple[Answer, Scored | None]:
    """The answer, and the best candidate whether or not it is given; `story` names the article
    the conversation is about, asked for only when it may decide."""
    asked = article_question(text)
    if asked is not None:
        about = answer_about_articles(archive, text, asked)
        if about is not None:
            return about, None
    reading = read(archive, text)
    if isinstance(reading, Answer):
        return reading, None
    q = reading.question
    if not reading.covered:
        return _not_found(text, q.answer_type, "The archive does not seem to cover this question.",
                          reading.nearest), None
    weights = load_weights()
    rerank_weights = weights.get("rerank", {})
    order = order_hits(reading, rerank_weights)
    rows = score_candidates(archive, reading, order, rerank_weights, weights.get("answer", {}))
    best, evidence = choose(rows, reading)
    family = FAMILIES.get(q.answer_type, "what")
    confidence = confidence_of(evidence, family, weights) if best else 0.0
    if best is not None and best.span.kind == "date":
        best = more_precise(archive, reading, order, best)
    threshold = weights.get("threshold", {}).get(family, weights.get("threshold", {}).get("all", 0.5))
    given = best is not None and confidence >= threshold
    if best is not None and not given and story is not None and cites_first(confidence, threshold):
        # In a conversation the story is settled: a half-trusted answer from the article the
        # earlier question was answered from is given ("and when did they splash down?" after
        # "who flew on Demo-2?"). What a withheld answer's confidence most often doubts is
        # whether its article is the one asked about; the conversation has answered that.
        given = reading.hits[best.hit].summary.id == story()
    if best is not None and cites_first(confidence, threshold):
        order.remove(best.hit)
        order.insert(0, best.hit)
    citations = []
    for n, i in enumerate(order[: CITATIONS + 5]):
        hit = reading.hits[i]
        span = (best.span.start, best.span.end) if given and n == 0 else None
        focus = None
        if best is not None and not given and i == best.hit:
            focus = split_sentences(hit.paragraph)[best.span.sentence]
        citations.append(Citation(
            article=hit.summary, paragraph=hit.paragraph, paragraph_index=hit.position,
            score=round(math.exp(-n), 4), kind=hit.kind, credit=hit.credit, answer_span=span,
            focus=focus,
        ))
    return Answer(
        question=text,
        answer=best.span.shown if given else None,
        answer_type=q.answer_type,
        confidence=round(confidence, 4),
        citations=citations[:CITATIONS],
        more_citations=citations[CITATIONS:],
        note=best.span.note if given else None,
    ), best


# Of the threshold, the confidence from which the best candidate's passage is cited first even
# when the short answer is withheld: on news the passage of a half-trusted candidate is more
# often the one that answers than the best-matching paragraph (which names the subject and
# tells something else), on encyclopedia articles as often.
CITE_BEST_SHARE = 0.5


def cites_first(confidence: float, threshold: float) -> bool:
    """Whether the best candidate's passage is the first citation."""
    return confidence >= threshold * CITE_BEST_SHARE


def _not_found(question: str, answer_type: str, note: str, suggestions=()) -> Answer:
    return Answer(
        question=question, answer=None, answer_type=answer_type, confidence=0.0,
        found=False, note=note, suggestions=list(suggestions),
    )


def _articles_holding(articles, terms: list[str], nums: np.ndarray) -> dict[int, frozenset[str]]:
    """Which of the question's terms each of these articles holds somewhere (a nation's
    adjective is held by an article naming the nation: "the japanese lander" of "Japan's SLIM")."""
    nums = np.unique(np.asarray(nums, np.int64))
    held: dict[int, set[str]] = {int(n): set() for n in nums}
    asked = list(dict.fromkeys(terms))
    nations = {DEMONYMS[t]: t for t in asked if t in DEMONYMS and DEMONYMS[t] not in asked}
    for term, (ids, _, _) in articles.postings(asked + list(nations)).items():
        for n in nums[np.isin(nums, ids)]:
            held[int(n)].add(nations.get(term, term))
    return {n: frozenset(t) for n, t in held.items()}


def _only_question_words(text: str, words: QuestionWords) -> bool:
    """Whether a name says nothing but what the question already says (in its own words: the
    name a description was read as, "Zhurong" for "China's Mars rover", is what is asked)."""
    terms = tokenize(text)
    return bool(terms) and all(t in words.asked for t in terms)


def _told_as_now(rows: list[Scored]) -> list[Scored]:
    """For a question about now, not a figure told as before when another of its kind is told
    as now: "Before the impact, Pell took 15 hours and 42 minutes ... the orbit now takes about
    15 hours and 23 minutes"."""
    def now(r: Scored) -> bool:
        return bool(r.features.get("sentence_says_now")) and not r.features.get("sentence_says_before")
    told_now = {(r.span.kind, r.span.unit_class) for r in rows if now(r)}
    return [r for r in rows if not (r.features.get("sentence_says_before") and not now(r)
                                    and (r.span.kind, r.span.unit_class) in told_now)]


def _newest_telling(reading: Reading, rows: list[Scored]) -> list[Scored]:
    """For a question about now, the candidates of the newest article among those with a
    candidate told right beside what is asked (the counted thing, the question's verb): "587
    supernovae so far" in June's story, not "212" in March's."""
    beside = ("focus_after", "focus_before", "predicate_right_before", "predicate_right_after")
    telling = [r for r in rows if any(r.features.get(name) for name in beside)]
    dated = [r for r in telling if reading.hits[r.hit].summary.published is not None]
    if not dated:
        return rows
    newest = max(reading.hits[r.hit].summary.published for r in dated)
    num = next(reading.hits[r.hit].num for r in dated if reading.hits[r.hit].summary.published == newest)
    return [r for r in rows if reading.hits[r.hit].num == num]


_KIND_TERMS = frozenset(term_for(w) for w in KIND_NOUNS)


def _numbers_the_asked_name(q: Question, words: QuestionWords, text: str, span: Span) -> bool:
    """Whether a count is the number of a numbered name the question says ("Tern 2"), or
    numbers a namesake of what the question is about ("Perdix 2 would carry" for Perdix)."""
    before = re.search(r"([A-Za-z][\w'’]*)[\s-]$", text[max(0, span.start - 30) : span.start])
    if not (before and span.text.isdigit()):
        return False
    term = term_for(before.group(1))
    if (term, int(span.text)) in numbered_names(q.text):
        return True
    # the subject's name, capitalised, then a number: a name ("Flight 72" for "how many
    # flights" is the thing counted, not the subject, and stays)
    return before.group(1)[0].isupper() and term in words.subject and term != words.focus


_COMPASS = frozenset("north south east west northern southern eastern western central".split())


def _is_demonym(text: str) -> bool:
    """"French", "South Australian": a people's adjective, which names no place or thing."""
    terms = tokenize(text)
    return bool(terms) and terms[-1] in DEMONYMS and all(t in _COMPASS for t in terms[:-1])


def _another_kind(q: Question, text: str, span: Span) -> bool:
    """Whether the name is introduced as another kind of thing than the one asked for: "the
    debris startup Kiseki Orbital" is a startup, not the spacecraft asked about; "Rosetta's
    OSIRIS camera" is a camera, not the lander; where something happened is no made thing
    ("Queqiao, a relay satellite", "the InSight lander")."""
    where = q.answer_type == "where" and q.wants == "place"
    asked = kind_of(q.focus or "") if q.wants == "name" else None
    if asked is None and not where:
        return False
    before = re.search(r"([A-Za-z]+)\s+$", text[max(0, span.start - 30) : span.start])
    after = re.match(r"\s+([a-z]+)\b", text[span.end : span.end + 30])  # "Rosetta's OSIRIS camera"
    said_kinds = [kind_of(m.group(1)) for m in (before, after) if m]
    if where:  # "launched Queqiao, a relay satellite ... by way of Queqiao": anywhere in the passage
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(span.text)}(?![\w'’-])", text):
            apposition = _APPOSITION_KIND.match(text, m.end(), m.end() + 60)
            if apposition:
                said_kinds.append(next(filter(None, map(kind_of, apposition.group(1).split())), None))
            after = re.match(r"\s+([a-z]+)\b", text[m.end() : m.end() + 30])
            said_kinds.append(kind_of(after.group(1)) if after else None)
    for said in said_kinds:
        if said is None:
            continue
        if where:
            if said in MADE_THINGS:
                return True
        elif _SAME_KIND.get(said, said) != _SAME_KIND.get(asked, asked):
            return True
    return False


_APPOSITION_KIND = re.compile(r",\s+(?:an?|the)\s+((?:[\w-]+\s+){0,2}[\w-]+)")


# Named things a person's name may be the name of: a company ("Blue Origin" is no person, but
# "Ball Aerospace" was named after one), an agency, a program.
_OWNED_BY_PEOPLE = frozenset({"company", "agency", "program", "programme"})


# Kinds of named things no world is: "which telescope" is never answered by "Earth" (which
# a planet, a moon or a star may be, in a sense, and a crater lies on).
_NOT_WORLDS = (MADE_THINGS | NAMED_THINGS | {"region"}) - {
    "moon", "planet", "exoplanet", "star", "asteroid", "comet", "galaxy", "cluster", "nebula",
    "constellation", "crater",
}


# Kinds news uses for one another: "the mission" is "the spacecraft" is "the probe".
_SAME_KIND = {
    "spacecraft": "craft", "probe": "craft", "mission": "craft", "vehicle": "craft",
    "rocket": "rocket", "launcher": "rocket", "booster": "rocket",
    "telescope": "telescope", "observatory": "telescope",
    "company": "company", "startup": "company", "firm": "company", "manufacturer": "company",
    "operator": "company", "contractor": "company", "business": "company", "corporation": "company",
    "ship": "ship", "vessel": "ship",
}


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z]+(?![\w'’-])")


def _with_asked_tails_cut(spans: list[Span], words: QuestionWords, q: Question) -> list[Span]:
    """The spans, and beside each name that ends in the question's own words the name without
    them: "the XRISM X-ray observatory" answers "which X-ray observatory" as "XRISM" (or as the
    whole, which the answer model weighs by how much of it repeats the question)."""
    out = []
    for span in spans:
        out.append(span)
        if span.kind == "name" and "or" not in q.words and not (span.name_class or "").startswith("person"):
            # (a person keeps the surname the question repeats: "Rafael Ribeiro" spotted comet
            # Ribeiro-Tanaka, not "Rafael")
            cut = _without_asked_tail(span, words, q.text)
            if cut is not span:
                out.append(cut)
    return out


def _said_in(question: str, text: str) -> bool:
    """Whether the question already says this date or figure, word for word."""
    return re.search(rf"(?<![\w.,]){re.escape(text)}(?!\w|[.,]\d)", question, re.I) is not None


def _without_asked_tail(span: Span, words: QuestionWords, question: str) -> Span:
    """A name less the question's own words it ends in ("XRISM X-ray" -> "XRISM"), as the
    question writes them: "where is it based" does not cut "Base" off "Vandenberg Space Force
    Base", though the two share a stem."""
    parts = list(re.finditer(r"\S+", span.text))
    written = {fold(w) for w in typed_words(question)}
    written |= {w[:-1] for w in written if w.endswith("s")}  # "which craters": "Crater"
    keep = len(parts)
    while keep > 1 and all(t in words.asked for t in tokenize(parts[keep - 1].group())) and all(
        fold(w) in written for w in typed_words(parts[keep - 1].group())
    ):
        last = parts[keep - 1].group()
        if last[:1].isupper() and kind_of(last):
            break  # "Lyra Space Telescope": its kind, capitalised, is part of the name
        keep -= 1
    if keep == len(parts):
        return span
    end = parts[keep - 1].end()
    return replace(span, end=span.start + end, text=span.text[:end])


def _respell(terms: list[str], read_as: dict[str, tuple[str, ...]]) -> list[str]:
    return [r for t in terms for r in read_as.get(t, (t,))]
