"""Re-ranking BM25's best paragraphs with what BM25 cannot see.

BM25 scores words one by one. A reader also looks at whether the question's words sit together
in one sentence, in the same order, whether the article as a whole is about the question, and
whether the paragraph holds the kind of thing asked for (a date near the question's words for
"when", a number for "how many"). Scores are combined linearly; each feature is scaled to 0..1
over the candidate set so the weights mean the same for every question.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from typing import Protocol

from index.answers.features import names_another_number, numbered_names
from index.answers.model import load_weights, logit
from index.answers.question import ASKING_TERMS, Question, paraphrase_matches, said_otherwise
from index.answers.spans import has_typed, split_sentences
from index.tokenize import iter_terms

_SURFACE = re.compile(r"\w+")
TYPED = frozenset({"when", "how_many", "how_much", "who", "where"})


class Candidate(Protocol):
    paragraph: str
    title: str
    bm25: float
    article_bm25: float


def _idf_weights(terms: list[str], term_lists: list[list[str]]) -> dict[str, float]:
    """Weight of each question term by how few candidates hold it: the rare word decides."""
    n = len(term_lists)
    df = dict.fromkeys(terms, 0)
    for tl in term_lists:
        for t in set(tl) & df.keys():
            df[t] += 1
    return {t: math.log(1 + (n + 1) / (d + 0.5)) for t, d in df.items()}


def _sentence_and_typed(
    question: Question, text: str, terms: list[tuple[str, int]], weights: dict[str, float]
) -> tuple[float, float, float]:
    """Best share of the question's weight found in one sentence and in two adjacent ones, and
    how well a sentence holding an answer of the asked type matches."""
    total = sum(weights.values()) or 1.0
    sentences = split_sentences(text)
    if not sentences:
        return 0.0, 0.0, 0.0
    starts = [s0 for s0, _ in sentences]
    held: list[set[str]] = [set() for _ in sentences]
    for t, offset in terms:
        if t in weights:
            held[max(bisect_right(starts, offset) - 1, 0)].add(t)
    if not held:
        return 0.0, 0.0, 0.0
    coverage = [sum(weights[t] for t in seen) / total for seen in held]
    best = max(coverage)
    pair = max(
        (sum(weights[t] for t in a | b) / total for a, b in zip(held, held[1:], strict=False)),
        default=best,
    )
    typed = 0.0
    if best > 0 and question.answer_type in TYPED:
        for k, (s0, s1) in enumerate(sentences):
            if coverage[k] >= best * 0.6 and has_typed(question.answer_type, text, s0, s1, question.measures):
                typed = max(typed, coverage[k] / best)
    return best, pair, typed


def _window(qweights: dict[str, float], pterms: list[str]) -> float:
    """How tightly the question's terms cluster: matched terms over the shortest stretch of
    the paragraph holding all of them (1 when they stand side by side)."""
    positions = [(i, t) for i, t in enumerate(pterms) if t in qweights]
    wanted = len({t for _, t in positions})
    if wanted < 2:
        return 0.0
    best, counts, have, left = len(pterms), {}, 0, 0
    for i, t in positions:
        counts[t] = counts.get(t, 0) + 1
        have += counts[t] == 1
        while have == wanted:
            start, lt = positions[left]
            best = min(best, i - start + 1)
            counts[lt] -= 1
            have -= counts[lt] == 0
            left += 1
    return wanted / best


SHARED_PREFIX = 5


def _fuzzy(weights: dict[str, float], present: set[str]) -> float:
    """Weight of question terms the paragraph holds only inside longer words ("molecul" in
    "biomolecul", "land" in "lander") or as another word of the same root ("buddhist" and
    "buddhism", "victorian" and "victoria"): morphology the stemmer does not undo."""
    missing = [t for t in weights if t not in present and len(t) >= 4 and not t.isdigit()]
    prefixes = {p[:SHARED_PREFIX] for p in present if len(p) >= SHARED_PREFIX}
    return sum(
        weights[t] for t in missing
        if (len(t) >= SHARED_PREFIX and t[:SHARED_PREFIX] in prefixes) or any(t in p for p in present)
    )


def said_together(question: Question, paragraph: str) -> float:
    """How tightly the question's words sit together in the paragraph (see `_window`): a
    phrase of the question said as such is evidence the paragraph is about what is asked,
    whatever the other words."""
    qterms = dict.fromkeys(t for t in question.terms if t not in ASKING_TERMS)
    return _window(qterms, [t for t, _, _ in iter_terms(paragraph)])


def _bigrams(qterms: list[str], pterms: list[str]) -> float:
    """Share of the question's adjacent word pairs that also appear adjacent in the paragraph.

    On terms it rewards the same words in the same order; on surface words (stopwords kept) it
    rewards phrasing ("the first", "in the"), which paraphrases of one sentence share."""
    pairs = {(a, b) for a, b in zip(qterms, qterms[1:], strict=False) if a != b}
    if not pairs:
        return 0.0
    found = set(zip(pterms, pterms[1:], strict=False))
    return len(pairs & found) / len(pairs)


def _said_in_one_sentence(text: str, terms: list[tuple[str, int]], weights: dict[str, float]) -> float:
    """Best share of `weights` said in one sentence of `text` (`terms`: (term, offset))."""
    total = sum(weights.values())
    sentences = split_sentences(text)
    if not total or not sentences:
        return 0.0
    starts = [s0 for s0, _ in sentences]
    held: list[set[str]] = [set() for _ in sentences]
    for t, offset in terms:
        if t in weights:
            held[max(bisect_right(starts, offset) - 1, 0)].add(t)
    return max(sum(weights[t] for t in seen) for seen in held) / total


def _sentence_in_context(
    c: Candidate, terms: list[tuple[str, int]], weights: dict[str, float], subject: frozenset[str],
    sentence: float,
) -> float:
    """The share of the question one sentence says once the subject its article names is read
    into every sentence: "landing on May 15", in an article naming Zhurong, says all of "when did
    Zhurong land" as a reader takes it. Without a named subject, the sentence as written."""
    named = [t for t in weights if t in subject]
    if not named or not subject <= getattr(c, "article_terms", frozenset()):
        return sentence
    total = sum(weights.values()) or 1.0
    rest = {t: w for t, w in weights.items() if t not in subject}
    said = _said_in_one_sentence(c.paragraph, terms, rest) * sum(rest.values()) if rest else 0.0
    return max(sentence, (sum(weights[t] for t in named) + said) / total)


def features(
    question: Question, candidates: list[Candidate], subject: frozenset[str] = frozenset()
) -> list[dict[str, float]]:
    """The re-ranking evidence of each candidate, every feature scaled to about 0..1.

    `subject`: the question's terms that name what it is about. News names its subject once and
    then says "the rover": a paragraph of an article naming the subject that says the rest of
    the question ("landing on May 15") is about it, though it never says "Zhurong"."""
    qterms = [t for t in question.terms if t not in ASKING_TERMS]
    qwords = _SURFACE.findall(question.text.casefold())
    located = [[(t, start) for t, start, _ in iter_terms(c.paragraph)] for c in candidates]
    term_lists = [[t for t, _ in terms] for terms in located]
    weights = _idf_weights(list(dict.fromkeys(qterms)), term_lists)
    total = sum(weights.values()) or 1.0
    top_bm25 = max(max(c.bm25 for c in candidates), 0.0) or 1.0
    top_article = max(max(c.article_bm25 for c in candidates), 0.0) or 1.0
    asked = {t: w for t, w in weights.items() if t not in subject and not t.isdigit()}
    # The question's event ("land", "launch"), which news also tells in other words: a paragraph
    # that never tells it ("Zhurong had worked for 224 days") answers something else.
    events = [t for t in asked if said_otherwise(t)]
    # "where did Chang'e 4 launch from": a story whose title names only Chang'e 6 is another
    # mission's, however well its paragraphs say "launch"
    numbered = numbered_names(question.text)
    out = []
    titles: dict[str, set[str]] = {}
    for c, pterms, terms in zip(candidates, term_lists, located, strict=True):
        said = paraphrase_matches(c.paragraph, weights.keys())
        terms = terms + said
        sentence, pair, typed = (
            _sentence_and_typed(question, c.paragraph, terms, weights)
            if weights
            else (0.0, 0.0, 0.0)
        )
        present = set(pterms) | {t for t, _ in said}
        if c.title not in titles:
            titles[c.title] = {t for t, _, _ in iter_terms(c.title)}
        title_terms = titles[c.title]
        out.append({
            "bias": 1.0,
            "bm25": c.bm25 / top_bm25,
            "article": c.article_bm25 / top_article,
            "sentence": sentence,
            "pair": pair,
            "coverage": sum(w for t, w in weights.items() if t in present) / total,
            "window": _window(weights, pterms),
            "fuzzy": _fuzzy(weights, present) / total,
            "bigram": _bigrams(qterms, pterms),
            "surface": _bigrams(qwords, _SURFACE.findall(c.paragraph.casefold())),
            "title": sum(w for t, w in weights.items() if t in title_terms) / total,
            "typed": typed,
            "rest_said_of_named_subject": (
                _said_in_one_sentence(c.paragraph, terms, asked)
                if subject and asked and subject <= getattr(c, "article_terms", frozenset())
                else 0.0
            ),
            "sentence_in_context": _sentence_in_context(c, terms, weights, subject, sentence),
            "event_told": float(bool(events) and all(t in present for t in events)),
            "event_untold": float(bool(events) and not any(t in present for t in events)),
            "another_number": float(bool(numbered) and names_another_number(c.paragraph, numbered)),
            "title_another_number": float(bool(numbered) and names_another_number(c.title, numbered)),
        })
    return out


def rerank(question: Question, candidates: list, weights: dict[str, float] | None = None) -> list[tuple]:
    """Candidates with their score under the learned weights, best first (ties keep BM25's order)."""
    if not candidates:
        return []
    weights = load_weights().get("rerank", {}) if weights is None else weights
    scored = []
    for i, (c, f) in enumerate(zip(candidates, features(question, candidates), strict=True)):
        scored.append((logit(weights, f), -i, c))
    scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
    return [(c, s) for s, _, c in scored]
