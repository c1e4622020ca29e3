"""Questions about the articles themselves, answered from their fields.

"Who wrote the article about Tianwen-1's selfie?", "when was the Voyager article published?",
"what's the latest on Starship?", "any news about the FCC?": the answer is an article's author,
date or title, not a span of its text. The articles are found by what the question says they are
about (article-level BM25, the title counting twice), and for "latest" the newest of the articles
about it comes first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.answers.dates import format_day
from index.answers.question import paraphrase_matches
from index.results import Answer, ArticleSummary, Citation
from index.tokenize import term_spans, tokenize

if TYPE_CHECKING:
    from index.archive import Archive

_ARTICLE = r"(?:article|articles|story|stories|piece|post|posts|report|write-?up|coverage|news item|feature)"
_AUTHOR = re.compile(
    rf"\bwho\s+(?:wrote|writes|authored|penned|covered|reported)\b"
    # "the author of the Cassini article", not "the lead author of the study" (a scientist)
    rf"|\b(?:author|writer)\s+of\b(?=.*\b{_ARTICLE}\b)"
    rf"|\bwho(?:'s|\s+is|\s+was)\s+the\s+(?:author|writer)\b(?=.*\b{_ARTICLE}\b)|\bwho\s+did\s+the\s+{_ARTICLE}\b"
    rf"|\b(?:which|what)\s+(?:reporter|journalist|writer|author)\b",  # "which reporter covered X"
    re.I,
)
_PUBLISHED = re.compile(
    rf"\b(?:when|what\s+(?:date|day))\b.*\b{_ARTICLE}\b.*\b(?:published|posted|written|out|up|appear|appeared"
    rf"|run|released)\b"
    rf"|\b(?:when|what\s+(?:date|day))\b.*\b(?:published|posted)\b|\b(?:publication|publish(?:ing)?)\s+date\b"
    rf"|\bwhen\s+did\s+(?:you|they|we)\s+(?:publish|post|run|put\s+out)\b.*\b{_ARTICLE}\b"
    rf"|\bwhen\s+did\s+(?P<publisher>[\w.'’-]+(?:\s+[\w.'’-]+)?)\s+(?:publish|post|run|put\s+out)\b"
    rf".*\b(?:article|story|piece)\b",  # ("when did spacex publish its report" asks of SpaceX)
    re.I,
)
_LATEST = re.compile(
    rf"\b(?:latest|newest|most\s+recent|recent)\b(?:\s+\w+)?(?:\s+{_ARTICLE}|\s+news|\s+on|\s+about|\s+from"
    rf"|\s+with)"
    rf"|\bany(?:thing)?\s+(?:new|news|updates?|{_ARTICLE})\b|\bwhat(?:['’]s|\s+is)\s+new\b|\bnews\s+(?:on|about)\b"
    rf"|\bupdates?\s+(?:on|about)\b",
    re.I,
)
# What is left of the question once its asking words are gone is what the articles are about.
_ASKING = re.compile(
    rf"\b(?:who|which|reporter|journalist|wrote|writes|authored|penned|covered|reported|author|writer|"
    rf"when|was|were|is|did|"
    rf"does|the|a|an|of|about|on|regarding|concerning|published|posted|written|come|came|out|up|"
    rf"appear|appeared|released|latest|newest|most|recent|any|anything|new|news|updates?|what['’]s|"
    rf"whats|what|there|tell|me|give|show|publication|date|day|you|they|we|publish|post|run|put|"
    rf"{_ARTICLE})\b",
    re.I,
)
# What scientists publish: "when was the Tern 2 lightning study published" asks the date the
# article tells of the study, not the article's own.
_RESEARCH = re.compile(
    r"\b(?:study|studies|paper|papers|findings|results|research|analysis|preprint)\b", re.I
)
_ARTICLE_WORD = re.compile(rf"\b{_ARTICLE}\b", re.I)
_THREAD_WORDS = ("again",)
RELATED_SHARE = 0.6  # of the best article's score, for an article to count as about the topic
MAX_ARTICLES = 5


@dataclass(frozen=True)
class ArticleQuestion:
    field: str  # author, published, latest
    topic: str


def article_question(text: str) -> ArticleQuestion | None:
    """The field a question about articles asks for, and what the articles are about."""
    for fieldname, rx in (("author", _AUTHOR), ("published", _PUBLISHED), ("latest", _LATEST)):
        m = rx.search(text)
        if m and fieldname == "published" and _RESEARCH.search(text) and not _ARTICLE_WORD.search(text):
            continue
        if m:
            # "when did orbitline publish the story about ...": the site is no part of the topic
            publisher = m.groupdict().get("publisher")
            if publisher:
                text = text[: m.start("publisher")] + text[m.end("publisher") :]
            topic = " ".join(_ASKING.sub(" ", text).replace("?", " ").split())
            topic = re.sub(r"(?:['’]s)?[\s,.!]*$", "", topic)
            return ArticleQuestion(fieldname, topic)
    return None


def articles_about(archive: Archive, topic: str, *, limit: int = 20) -> list[tuple[ArticleSummary, float]]:
    """Articles by how much they are about `topic`, best first."""
    terms = tokenize(topic)
    if not terms:
        return []
    docs, scores, _ = archive.indexer.articles.scores(terms)
    if not len(docs):
        return []
    order = scores.argsort()[::-1][:limit]
    summaries = archive.store.summaries([int(docs[i]) for i in order])
    return [(summaries[int(docs[i])], float(scores[i])) for i in order if int(docs[i]) in summaries]


def answer_about_articles(archive: Archive, text: str, asked: ArticleQuestion) -> Answer | None:
    """The answer from the articles' fields, or None when no article is about the topic."""
    found = articles_about(archive, asked.topic)
    if not found or found[0][1] <= 0:
        return None
    best_score = found[0][1]
    related = [s for s, score in found if score >= RELATED_SHARE * best_score]
    if asked.field != "latest":
        related = _by_headline(archive, asked.topic, related)
    if asked.field == "latest":
        # the newest of the articles whose headline and lead tell the topic best: an article
        # that names the Sun in passing is no news about missions to the Sun
        related = _telling_most(archive, asked.topic, related)
        dated = sorted((s for s in related if s.published), key=lambda s: s.published, reverse=True)
        undated = [s for s in related if not s.published]
        articles = (dated + undated)[:MAX_ARTICLES]
        best = articles[0]
        answer = best.title
        note = (f"The newest article about {asked.topic}, published {format_day(best.published)}."
                if best.published else f"The article most about {asked.topic} (it carries no date).")
        kind = "article_latest"
    else:
        best = related[0]
        articles = [best]
        if asked.field == "author":
            answer = best.author
            note = None if answer else "The article does not name its author."
            kind = "article_author"
        else:
            answer = format_day(best.published) if best.published else None
            note = None if answer else "The article carries no publication date."
            kind = "article_date"
    lead = _lead(archive, best)
    citations = [lead] if lead else []
    return Answer(
        question=text, answer=answer, answer_type=kind, confidence=1.0 if answer else 0.0,
        citations=citations, note=note, articles=articles,
    )


def _telling_most(archive: Archive, topic: str, articles: list[ArticleSummary]) -> list[ArticleSummary]:
    """Of the articles, those whose headline or lead says the topic's rarest word (its name:
    "Skua" of "the Skua mission"), when any does."""
    terms = list(dict.fromkeys(tokenize(topic)))
    if not terms:
        return articles
    idf = {t: found[2] for t, found in archive.indexer.articles.postings(terms).items()}
    rarest = max(terms, key=lambda t: idf.get(t, 0.0))
    telling = [s for s in articles if _told_counts(archive, rarest, [s])[id(s)]]
    return telling or articles


def _told_counts(archive: Archive, topic: str, articles: list[ArticleSummary]) -> dict[int, int]:
    """How many of the topic's words (or their paraphrases, or a thread word such as "again")
    each article's headline and lead say, keyed by the summary's id()."""
    terms = list(dict.fromkeys(tokenize(topic)))
    thread = [w for w in _THREAD_WORDS if re.search(rf"\b{w}\b", topic, re.I)]

    def told(summary: ArticleSummary) -> int:
        lead = _lead(archive, summary)
        text = f"{summary.title}\n{lead.paragraph if lead else ''}"
        said = {term for term, _, _ in term_spans(text)} | {t for t, _ in paraphrase_matches(text, terms)}
        return sum(t in said for t in terms) + sum(bool(re.search(rf"\b{w}\b", text, re.I)) for w in thread)

    return {id(s): told(s) for s in articles} if terms else {id(s): 0 for s in articles}


def _by_headline(archive: Archive, topic: str, articles: list[ArticleSummary]) -> list[ArticleSummary]:
    """The articles by how many of the topic's words their headline and lead say, then as found.

    "The article about NASA selecting Tessera again" is the one headlined "NASA Again Selects
    Tessera", not the earlier one that every later story of the thread retells: a news article
    is about what its headline and first paragraph say. The words may be said in other words
    ("layoffs": "laid off"); "again", no index term, tells which turn of a story is meant.
    """
    if len(articles) < 2:
        return articles
    counts = _told_counts(archive, topic, articles)
    return sorted(articles, key=lambda s: -counts[id(s)])  # stable: ties keep the ranking


def _lead(archive: Archive, summary: ArticleSummary) -> Citation | None:
    num = archive.store.article_num(summary.id)
    if num is None:
        return None
    rows = archive.store.paragraphs_for(num)
    body = next(((i, r) for i, r in enumerate(rows) if r[1] == "body"), None)
    if body is None:
        return None
    position, (_, kind, paragraph, credit) = body
    return Citation(article=summary, paragraph=paragraph, paragraph_index=position, score=1.0,
                    kind=kind, credit=credit)
