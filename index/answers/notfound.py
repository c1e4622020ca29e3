"""Whether the archive covers a question at all.

A question about something the archive never mentions names things it has never seen, or shares
only common words with its best article. Then the honest answer is "not found" with the nearest
articles, not passages that merely share a word.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import numpy as np

from index.answers.features import names_another_number, names_numbered, numbered_names
from index.answers.question import ASKING_TERMS, MEASURE_WORDS, Question, said_otherwise
from index.answers.rerank import said_together
from index.answers.spelling import has_near_word
from index.tokenize import WORD, term_for, tokenize

if TYPE_CHECKING:
    from index.answers.pipeline import Hit
    from index.archive import Archive

# Not covered: the best article holds less than this share of the question's idf mass...
COVERAGE_FLOOR = 0.35
# ...unless the best paragraph says the question's words close together (matched words over
# the span holding them): a phrase of the question is evidence despite a word it lacks.
TOGETHER = 0.3
NAMED_COVERAGE_FLOOR = 0.5  # when the question names something no article mentions
MIN_NAME = 4  # an unseen word shorter than this is taken for a slip, not a name
MIN_WEIGHT = 0.01  # a word every article has still counts a little (tiny archives: all idf ~0)


def covered(
    archive: Archive, text: str, q: Question, terms: list[str],
    read_as: dict[str, tuple[str, ...]], hits: list[Hit], best: int, *, names_held: bool = False,
) -> bool:
    """Whether the archive covers the question, judged on the passage `best`; `names_held`:
    the passage's article holds a name the question is about (a word the passages write
    capitalised, in a question typed in lower case)."""
    # "How fast", "how heavy": the measuring word says what kind of answer is wanted, not what
    # the question is about; an article gives a speed without saying "fast".
    measuring = term_for(q.focus) if q.measures and q.focus in MEASURE_WORDS else None
    asking = term_for(q.focus) if q.focus else None  # "what time": the kind of answer, no name
    # A word typed as a past tense that no article says is a verb told in other words, not an
    # unknown name: "the spacecraft that rammed the asteroid" (which "slammed into" it).
    told = {term_for(w) for w in re.findall(r"[a-z]+", text.casefold()) if len(w) >= 6 and w.endswith("ed")}
    postings = archive.indexer.articles.postings(sorted(told)) if told else {}
    unsaid_verbs = {t for t, (ids, _, _) in postings.items() if not len(ids)}
    weighed = [t for t in terms if t != measuring and t not in unsaid_verbs]
    coverage = coverage_of(archive, weighed, hits[best].num)
    together = said_together(q, hits[best].paragraph)
    if coverage < COVERAGE_FLOOR and together < TOGETHER:
        return False
    numbered = numbered_names(text)
    if numbered:
        read = "\n".join([*(h.paragraph for h in hits), *{h.title for h in hits}])
        if names_another_number(read, numbered):
            return False  # "Artemis II" asked, only "Artemis I" told: another mission
        respelled = {(t, n) for name, n in numbered for t in read_as.get(name, ())}  # "artmis 1"
        if not names_numbered(read, numbered | respelled) and _all_seen(archive, [n for n, _ in numbered]):
            # "when did voyager 1 launch" of an archive whose only "voyage" is a word: no passage
            # read names the numbered thing asked about (a name no article says at all is
            # judged below, as a typo or an unknown name)
            return False
    named_unknown = coverage < NAMED_COVERAGE_FLOOR and (
        _unknown_name(archive, text, read_as, hits, hits[best].num)
        # A word no article says, in a question typed in lower case, is most often the name
        # asked about; not when the question names what the article is about ("how deep was
        # the tamarack wreckage": the archive tells the wreckage as "pieces of the stage").
        or (text == text.casefold() and not names_held
            and _unseen(archive, [t for t in terms if t != asking and t not in unsaid_verbs]))
    )
    return not named_unknown


def _all_seen(archive: Archive, terms: list[str]) -> bool:
    """Whether every term is said by some article."""
    postings = archive.indexer.articles.postings(list(dict.fromkeys(terms)))
    return all(len(ids) for ids, _, _ in postings.values())


def _unseen(archive: Archive, terms: list[str]) -> bool:
    """Whether a lower-case question has a word no article ever says, and no typo explains
    (nor other words: "land" is often told "touched down"):
    typed without capitals, it is most often the name of what is asked about ("when did the
    hubble telescope launch" of an archive that never mentions Hubble)."""
    articles = archive.indexer.articles
    postings = articles.postings([t for t in dict.fromkeys(terms) if not t.isdigit()])
    return any(
        not len(ids) and len(t) >= MIN_NAME and not said_otherwise(t) and not has_near_word(articles, t)
        for t, (ids, _, _) in postings.items()
    )


def coverage_of(archive: Archive, terms: list[str], article_num: int) -> float:
    """Share of the question's idf mass that the best article contains.

    A word the archive never saw weighs as much as the rarest word could: a question about
    something the archive does not cover names things it has never seen. An event the archive
    may tell in other words ("land": "touched down") is no such word.
    """
    articles = archive.indexer.articles
    postings = articles.postings([t for t in dict.fromkeys(terms) if t not in ASKING_TERMS])
    n_docs, _ = articles.stats()
    unseen = math.log((n_docs + 0.5) / 0.5)
    total = matched = 0.0
    for term, (ids, _, idf) in postings.items():
        if not len(ids) and said_otherwise(term):
            continue  # "land" in an archive that only ever says "touched down"
        weight = max(idf, MIN_WEIGHT) if len(ids) else unseen
        total += weight
        if len(ids) and np.any(ids == article_num):
            matched += weight
    return matched / total if total else 0.0
def question_names(question: str, read_as: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
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
    hits: list[Hit], best: int,
) -> bool:
    """Whether the question is about something the archive never mentions: it names something
    (a capitalised word, or a run of them said together) that no article has, even allowing
    for a typo, and names nothing that the best article has. "Who painted the Mona Lisa?" is
    not covered; "Where did Tesla look for investors before WWI?" is, in an archive with
    Tesla's life in it.
    """
    names = question_names(question, read_as)
    if not names:
        return False
    single = archive.indexer.articles.postings(list({n[0] for n in names if len(n) == 1}))
    texts: list[tuple[int, list[str]]] = []
    if any(len(n) > 1 for n in names):
        texts = [(h.num, tokenize(h.paragraph)) for h in hits]
        texts += list({h.num: tokenize(h.title) for h in hits}.items())
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
