"""What the core hands to its callers (CLI, Discord cogs, publisher): plain data, JSON-ready."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class ArticleSummary:
    id: str
    title: str
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    categories: list[str] = field(default_factory=list)
    teaser: str = ""
    image: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "author": self.author,
            "published": _iso(self.published),
            "categories": self.categories,
            "teaser": self.teaser,
        }


@dataclass
class Citation:
    """One cited paragraph. `answer_span` is where the short answer sits in `paragraph`."""

    article: ArticleSummary
    paragraph: str
    paragraph_index: int
    score: float
    kind: str = "body"
    credit: str | None = None
    answer_span: tuple[int, int] | None = None
    focus: tuple[int, int] | None = None  # the sentence most about the question, to quote around

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.article.title,
            "url": self.article.url,
            "published": _iso(self.article.published),
            "author": self.article.author,
            "paragraph": self.paragraph,
            "paragraph_index": self.paragraph_index,
            "score": round(self.score, 4),
        }


@dataclass
class Answer:
    """An answer to a question. `answer` is None when no short answer could be picked;
    `found` is False when nothing in the archive cleared the confidence floor, and then
    `suggestions` holds the nearest articles."""

    question: str
    answer: str | None
    answer_type: str
    confidence: float
    citations: list[Citation] = field(default_factory=list)
    found: bool = True
    note: str | None = None
    suggestions: list[ArticleSummary] = field(default_factory=list)
    more_citations: list[Citation] = field(default_factory=list)
    articles: list[ArticleSummary] = field(default_factory=list)  # answers about articles, newest first
    read_as: str | None = None  # how a follow-up was read ("how heavy is Zhurong?")

    @property
    def withheld(self) -> bool:
        """Passages were found but no short answer was trusted enough to give."""
        return self.found and self.answer is None and bool(self.citations)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "answer_type": self.answer_type,
            "confidence": round(self.confidence, 4),
            "found": self.found,
            "note": self.note,
            # The cited passages, then up to two further sources ("More sources" in Discord).
            "citations": [c.to_json() for c in (self.citations + self.more_citations)[:5]],
            "suggestions": [s.to_json() for s in self.suggestions],
            "articles": [a.to_json() for a in self.articles],
            "read_as": self.read_as,
        }


@dataclass
class SearchHit:
    """The best paragraph of one article; `highlights` are (start, end) spans of query terms."""

    article: ArticleSummary
    paragraph: str
    paragraph_index: int
    score: float
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.article.to_json(),
            "paragraph": self.paragraph,
            "paragraph_index": self.paragraph_index,
            "score": round(self.score, 4),
            "highlights": self.highlights,
        }


@dataclass
class SearchPage:
    query: str
    hits: list[SearchHit]
    page: int
    pages: int
    total: int
    per_page: int = 5  # so the n-th result of a later page is numbered n, the last page too

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "page": self.page,
            "pages": self.pages,
            "total": self.total,
            "per_page": self.per_page,
            "hits": [h.to_json() for h in self.hits],
        }


@dataclass
class ReindexReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    damaged_copy: str | None = None  # where a full reindex put a damaged database file

    def summary(self) -> str:
        return (
            f"added {self.added}, updated {self.updated}, removed {self.removed}, "
            f"unchanged {self.unchanged}, failed {len(self.failed)} in {self.seconds:.2f} s"
        )
