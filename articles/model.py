"""The article model every parser produces and every later layer consumes.

An article is what a reader would call one story: a title, its paragraphs (body text and image
captions, each caption with its credit), who wrote it and when, and the "Recent Posts" the page
showed beside it. Everything is optional except the title, because real archives rarely carry
URLs or dates.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Literal

ParagraphKind = Literal["body", "caption"]


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: ParagraphKind = "body"
    credit: str | None = None


@dataclass(frozen=True)
class RecentPost:
    """A post the page listed as recent: another article of the same site, not this one's text."""

    title: str
    teaser: str = ""
    age: str = ""
    approx_date: datetime | None = None


@dataclass
class Article:
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    categories: list[str] = field(default_factory=list)
    recent_posts: list[RecentPost] = field(default_factory=list)
    source_path: str | None = None
    guid: str | None = None
    image: str | None = None
    teaser: str | None = None

    @property
    def content_hash(self) -> str:
        """Hash of what a reader sees (title and paragraphs), ignoring dates and ids.

        Two copies of one story re-issued under a new id or re-stamped date share it.
        """
        h = hashlib.sha256()
        h.update(" ".join(self.title.split()).casefold().encode())
        for p in self.paragraphs:
            h.update(b"\x00")
            h.update(" ".join(p.text.split()).casefold().encode())
        return h.hexdigest()[:32]

    @property
    def id(self) -> str:
        """Stable identity: the feed's guid, else the normalised link, else the source, else content."""
        from articles.identity import normalise_link

        if self.guid:
            return f"guid:{self.guid}"
        if self.url:
            return f"url:{normalise_link(self.url)}"
        if self.source_path:
            return f"path:{self.source_path}"
        return f"hash:{self.content_hash}"

    @property
    def body_text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    def summary(self, limit: int = 200) -> str:
        """A one-line teaser: the explicit one, else the first body paragraph, cut at a word."""
        text = self.teaser or next((p.text for p in self.paragraphs if p.kind == "body"), "")
        text = " ".join(text.split())
        if len(text) <= limit:
            return text
        cut = text[: limit - 1].rsplit(" ", 1)[0]
        return cut.rstrip(",;:") + "…"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as `archive-bot parse --json` prints it."""
        d = asdict(self)
        d["id"] = self.id
        d["content_hash"] = self.content_hash
        d["published"] = self.published.isoformat() if self.published else None
        for rp in d["recent_posts"]:
            rp["approx_date"] = rp["approx_date"].isoformat() if rp["approx_date"] else None
        return d


def without_lone_surrogates(article: Article) -> Article:
    """The article with every lone surrogate (JSON's "\\ud800", a feed's "&#xD800;") replaced by
    U+FFFD: such text cannot be encoded as UTF-8, so neither SQLite nor Discord would take it."""
    changes: dict[str, Any] = {}
    for f in fields(article):
        value = getattr(article, f.name)
        if isinstance(value, str) and not _encodable(value):
            changes[f.name] = _replaced(value)
        elif f.name == "categories" and not all(_encodable(c) for c in value):
            changes[f.name] = [_replaced(c) for c in value]
    if not all(_encodable(p.text) and _encodable(p.credit or "") for p in article.paragraphs):
        changes["paragraphs"] = [
            replace(p, text=_replaced(p.text), credit=_replaced(p.credit) if p.credit else None)
            for p in article.paragraphs
        ]
    if not all(_encodable(f"{r.title}{r.teaser}{r.age}") for r in article.recent_posts):
        changes["recent_posts"] = [
            replace(r, title=_replaced(r.title), teaser=_replaced(r.teaser), age=_replaced(r.age))
            for r in article.recent_posts
        ]
    return replace(article, **changes) if changes else article


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _replaced(text: str) -> str:
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
