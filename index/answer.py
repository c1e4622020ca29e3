"""From a member's question to a short answer and the passages it came from.

1. The question is typed (when, who, how many, ...) and tokenized with the one tokenizer.
2. Paragraphs are ranked by BM25 and, because a paragraph is read in its article, by the BM25 of
   the whole article too: the paragraph that says "...landing on May 15" in an article about
   Zhurong answers "when did Zhurong land?" though it never names Zhurong.
3. The best candidates are re-ranked on evidence of the expected answer (a date for "when", a
   number for "how many", ...), and the short answer is picked from the top passages.
4. When the archive does not cover the question's rarest words, the honest answer is "not found",
   with the nearest articles as suggestions.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from index.extract import Extraction, Passage, date_parts, dates_in, extract_answer, refines
from index.questions import ASKING_TERMS, classify_question
from index.rerank import Candidate, rerank, said_together
from index.results import Answer, Citation
from index.spelling import corrections
from index.tokenize import WORD, term_for, tokenize

if TYPE_CHECKING:
    from index.archive import Archive

MAX_QUESTION_CHARS = 1000
CANDIDATES = 30
ARTICLE_WEIGHT = 0.3
# Not covered: the best article holds less than this share of the question's idf mass...
COVERAGE_FLOOR = 0.35
# ...unless the best paragraph says the question's words close together (matched words over
# the span holding them): a phrase of the question is evidence despite a word it lacks.
TOGETHER = 0.3
NAMED_COVERAGE_FLOOR = 0.5  # when the question names something no article mentions
MIN_WEIGHT = 0.01  # a word every article has still counts a little (tiny archives: all idf ~0)
CITATIONS = 3


def _not_found(question: str, answer_type: str, note: str, suggestions=()) -> Answer:
    return Answer(
        question=question, answer=None, answer_type=answer_type, confidence=0.0,
        found=False, note=note, suggestions=list(suggestions),
    )


def answer_question(archive: Archive, question: str, *, context: str | None = None) -> Answer:
    text = " ".join(question.split())[:MAX_QUESTION_CHARS]
    if not text:
        return _not_found(question, "other", "Ask a question in words, e.g. “When did Zhurong land?”")
    q = classify_question(text)
    terms = list(q.terms)
    if context:
        terms += [t for t in dict.fromkeys(tokenize(context)) if t not in terms]
    if not terms:
        return _not_found(text, q.answer_type, "The question has no words the archive could search for.")

    paragraphs, articles = archive.indexer.paragraphs, archive.indexer.articles
    read_as = corrections(articles, terms)
    if read_as:
        terms = _respell(terms, read_as)
        q = replace(q, terms=_respell(q.terms, read_as))
    pdocs, pscores, pgroups = paragraphs.scores(terms)
    adocs, ascores, _ = articles.scores(terms)
    if not len(pdocs):
        return _not_found(text, q.answer_type, "Nothing in the archive mentions these words.")

    article_score = dict(zip(adocs.tolist(), ascores.tolist(), strict=True))
    # Scale each to its best (a tiny archive can score every match 0 or below).
    p_norm = max(float(pscores.max()), 0.0) or 1.0
    a_norm = (max(float(ascores.max()), 0.0) if len(ascores) else 0.0) or 1.0
    combined = pscores / p_norm + ARTICLE_WEIGHT * np.array(
        [article_score.get(g, 0.0) for g in pgroups.tolist()]
    ) / a_norm
    k = min(CANDIDATES, len(pdocs))
    top = np.argpartition(-combined, k - 1)[:k]
    top = top[np.argsort(-combined[top], kind="stable")]

    store = archive.store
    summaries = store.summaries(sorted({int(pgroups[i]) for i in top}))
    candidates, rows = [], []
    for i in top:
        row = store.paragraph(int(pdocs[i]))
        if row is None:
            continue
        num, position, kind, para_text, credit = row
        summary = summaries[num]
        candidates.append(Candidate(
            paragraph=para_text, title=summary.title, bm25=float(pscores[i]),
            article_bm25=article_score.get(num, 0.0), position=position,
            article_id=summary.id, published=summary.published,
        ))
        rows.append((num, position, kind, credit, summary))
    ranked = rerank(q, candidates)
    index_of = {id(c): n for n, c in enumerate(candidates)}
    order = [index_of[id(c)] for c, _ in ranked]
    final = {index_of[id(c)]: s for c, s in ranked}

    coverage = _coverage(archive, terms, rows[order[0]][0])
    together = said_together(q, candidates[order[0]].paragraph)
    if (coverage < COVERAGE_FLOOR and together < TOGETHER) or (
        coverage < NAMED_COVERAGE_FLOOR
        and _unknown_name(archive, text, read_as, candidates, rows, rows[order[0]][0])
    ):
        nearest = [summaries[n] for n in dict.fromkeys(int(pgroups[i]) for i in top)][:3]
        return _not_found(
            text, q.answer_type,
            "The archive does not seem to cover this question.", nearest,
        )

    passages = []
    for n in order[:CITATIONS]:
        num, position, _, _, summary = rows[n]
        earlier = [t for _, _, t, _ in store.paragraphs_for(num)[:position]]
        passages.append(Passage(
            paragraph=candidates[n].paragraph, title=summary.title,
            preceding=earlier, published=summary.published,
        ))
    extraction = extract_answer(q, passages)
    if q.answer_type == "when" and extraction.answer and _month_without_day(extraction.answer):
        chosen = order[min(extraction.candidate_index, len(order) - 1)]
        rest = [n for n in order if n != chosen]
        better = _more_precise_date(store, q, extraction.answer, candidates, rows, rest)
        if better is not None:
            n, extraction = better
            order.remove(n)
            order.insert(0, n)
            extraction.candidate_index = 0

    citations = []
    for n in order[: CITATIONS + 5]:
        num, position, kind, credit, summary = rows[n]
        span = extraction.span if extraction.answer and n == order[extraction.candidate_index] else None
        citations.append(Citation(
            article=summary, paragraph=candidates[n].paragraph, paragraph_index=position,
            score=float(final[n]), kind=kind, credit=credit, answer_span=span,
        ))
    confidence = min(1.0, coverage * (extraction.confidence if extraction.answer else 0.5))
    return Answer(
        question=text,
        answer=extraction.answer or extraction.sentence or None,
        answer_type=q.answer_type,
        confidence=confidence,
        citations=citations[:CITATIONS],
        more_citations=citations[CITATIONS:],
        note=extraction.note,
    )


def _month_without_day(answer: str) -> bool:
    year, month, day = date_parts(answer)
    return month is not None and day is None


def _more_precise_date(store, q, answer: str, candidates, rows, order, depth: int = 10):
    """The same date told more precisely by a lower-ranked candidate ("May 2021" in a
    retrospective, "came down on May 15" in the report of the day), as (candidate, extraction)."""
    for n in order[:depth]:
        num, position, _, _, summary = rows[n]
        earlier = [t for _, _, t, _ in store.paragraphs_for(num)[:position]]
        passage = Passage(
            paragraph=candidates[n].paragraph, title=summary.title,
            preceding=earlier, published=summary.published,
        )
        for found, span, note in dates_in(passage, q):
            if refines(answer, found):
                sentence = passage.paragraph[span[0] : span[1]]
                return n, Extraction(found, 0, span, sentence, 0.6, note)
    return None


def _respell(terms: list[str], read_as: dict[str, tuple[str, ...]]) -> list[str]:
    return [r for t in terms for r in read_as.get(t, (t,))]


def _names(question: str, read_as: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The names a question says, as runs of capitalised words ("Mona Lisa", "Tesla"), in
    terms read past typos. The question's first word is capitalised anyway and is left out."""
    runs: list[tuple[int, list[str]]] = []
    last_end = -1
    for i, m in enumerate(WORD.finditer(question)):
        word, term = m.group(), term_for(m.group())
        if not (word[0].isupper() and term):
            last_end = -1
            continue
        if last_end >= 0 and question[last_end : m.start()].strip() in ("", "-"):
            runs[-1][1].append(term)
        else:
            runs.append((i, [term]))
        last_end = m.end()
    return [
        tuple(r for t in (run if start else run[1:]) for r in read_as.get(t, (t,)))
        for start, run in runs
        if start or len(run) > 1
    ]


def _says(terms: list[str], name: tuple[str, ...]) -> bool:
    n = len(name)
    return any(tuple(terms[i : i + n]) == name for i in range(len(terms) - n + 1))


def _unknown_name(
    archive: Archive, question: str, read_as: dict[str, tuple[str, ...]],
    candidates: list[Candidate], rows: list, best: int,
) -> bool:
    """Whether the question is about something the archive never mentions: it names something
    (a capitalised word, or a run of them said together) that no article has, even allowing
    for a typo, and names nothing that the best article has. "Who painted the Mona Lisa?" is
    not covered; "Where did Tesla look for investors before WWI?" is, in an archive with
    Tesla's life in it.
    """
    names = _names(question, read_as)
    if not names:
        return False
    single = archive.indexer.articles.postings(list({n[0] for n in names if len(n) == 1}))
    texts: list[tuple[int, list[str]]] = []
    if any(len(n) > 1 for n in names):
        texts = [(rows[i][0], tokenize(c.paragraph)) for i, c in enumerate(candidates)]
        texts += list({rows[i][0]: tokenize(c.title) for i, c in enumerate(candidates)}.items())
    unknown = known_here = False
    for name in names:
        if len(name) == 1:
            ids = single[name[0]][0]
            unknown |= not len(ids)
            known_here |= bool(np.any(ids == best))
        else:
            where = {num for num, terms in texts if _says(terms, name)}
            unknown |= not where
            known_here |= best in where
    return unknown and not known_here


def _coverage(archive: Archive, terms: list[str], article_num: int) -> float:
    """Share of the question's idf mass that the best article contains.

    A word the archive never saw weighs as much as the rarest word could: a question about
    something the archive does not cover names things it has never seen.
    """
    articles = archive.indexer.articles
    postings = articles.postings([t for t in dict.fromkeys(terms) if t not in ASKING_TERMS])
    n_docs, _ = articles.stats()
    unseen = math.log((n_docs + 0.5) / 0.5)
    total = matched = 0.0
    for ids, _, idf in postings.values():
        weight = max(idf, MIN_WEIGHT) if len(ids) else unseen
        total += weight
        if len(ids) and np.any(ids == article_num):
            matched += weight
    return matched / total if total else 0.0
