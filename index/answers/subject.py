"""What a question is about: the terms that name its subject.

"When did Zhurong land?" is about Zhurong and asks when it landed. The subject may be named in a
paragraph's context rather than its sentence ("...landing on May 15" in an article about Zhurong),
while the asked-for event must be said where the answer is; the answer model weighs the two apart.
A subject is a name the question writes capitalised (not its first word, capitalised anyway) or
with a number ("voyager 2"), or, in a question typed in lower case, a word the retrieved
paragraphs only ever write capitalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from index.answers.dates import WEEKDAYS
from index.answers.features import numbered_names
from index.answers.notfound import question_names
from index.answers.question import MADE_THINGS, NAMED_THINGS, Question
from index.answers.spans import MONTH_NAMES
from index.tokenize import WORD, term_for, tokenize

if TYPE_CHECKING:
    from index.archive import Archive

_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|[\"“(‘]\s*)$")


def written_as_names(texts: Iterable[str], terms: set[str]) -> set[str]:
    """Those of `terms` that the texts write capitalised in mid-sentence and never in lower case."""
    capital: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        for m in WORD.finditer(text):
            word = m.group()
            term = term_for(word)
            if term not in terms:
                continue
            if word[0].islower():
                lower.add(term)
            elif word[0].isupper() and not _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]):
                capital.add(term)
    return capital - lower


def subject_terms(q: Question, read_as: dict[str, tuple[str, ...]], texts: Iterable[str]) -> set[str]:
    named = {t for name in question_names(q.text, read_as) for t in name}
    # A word with a number is a name however it is typed: "voyager 2", "artemis ii".
    named |= {t for t, _ in numbered_names(q.text) if t in q.terms}
    # "the april solar storm": a month or a weekday dates what is asked about, names nothing
    rest = {t for t in q.terms if t not in named and not t.isdigit() and t not in _DATE_TERMS}
    texts = list(texts)
    subject = named | written_as_names(texts, rest) | _pairs_written_as_names(q, texts, rest)
    return subject | _kind_after_name(q, subject)


def _pairs_written_as_names(q: Question, texts: list[str], terms: set[str]) -> set[str]:
    """Two words of a question typed in lower case that the texts write together capitalised,
    and never together in lower case: "solar orbiter's heat shield" is about Solar Orbiter,
    though "solar" and "orbiter" are each common words."""
    words = [re.sub(r"['’]s?$", "", w) for w in q.words]
    found: set[str] = set()
    for a, b in zip(words, words[1:], strict=False):
        pair = (term_for(a), term_for(b))
        if not all(t in terms for t in pair) or set(pair) <= found:
            continue
        phrase = re.compile(rf"\b{re.escape(a)}\s+{re.escape(b)}", re.I)
        said = [m.group() for t in texts for m in phrase.finditer(t)]
        if said and all(all(w[:1].isupper() for w in m.split()) for m in said):
            found.update(pair)
    return found


_DATE_TERMS = frozenset(term_for(w) for w in (*MONTH_NAMES, *WEEKDAYS))
_KINDS = frozenset(term_for(w) for w in NAMED_THINGS | MADE_THINGS)


def _kind_after_name(q: Question, subject: set[str]) -> set[str]:
    """The kind of thing a name is followed by in the question is part of its naming: "the
    Hubble telescope", "the Chinese rover" ask about the telescope, not what a telescope does."""
    terms = [term_for(w) for w in q.words]
    return {
        t for prev, t in zip(terms, terms[1:], strict=False)
        if t in _KINDS and prev in subject and t in q.terms
    }


def known_name(archive: Archive, word: str) -> bool:
    """Whether the archive writes `word` as a name (a lower-case question's "zhurong"); two
    words ("new horizons") when the archive writes them together, each capitalised."""
    terms = [t for t in tokenize(word) if not t.isdigit()]
    if not terms:
        return False
    paragraphs = archive.indexer.paragraphs
    docs, scores, _ = paragraphs.scores(terms[:2])
    if not len(docs):
        return False
    texts = []
    for doc in docs[scores.argsort()[::-1][:5]]:
        row = archive.store.paragraph(int(doc))
        if row is not None:
            texts.append(row[3])
    if len(word.split()) > 1:
        phrase = re.compile(r"\b" + r"\s+".join(map(re.escape, word.split())) + r"\b", re.I)
        return any(all(w[:1].isupper() for w in m.group().split()) for t in texts for m in phrase.finditer(t))
    return terms[0] in written_as_names(texts, {terms[0]})
