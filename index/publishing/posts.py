"""What a channel is sent, as plain data rendered by the bot: an article's post, and notices
(a summary of articles over a run's limit, a failing or recovered source). Also which articles a
subscription wants."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from articles.identity import normalise_link
from articles.model import Article
from index.publishing.deliveries import Subscription
from index.publishing.feeds import Item
from index.store import parse_iso
from index.tokenize import tokenize


@dataclass(frozen=True)
class Post:
    """What a channel post of a new article shows; plain data, rendered by the bot."""

    title: str
    url: str | None = None
    author: str | None = None
    categories: tuple[str, ...] = ()
    teaser: str = ""
    published: datetime | None = None
    image: str | None = None
    role_id: int | None = None

    @classmethod
    def of(cls, article: Article) -> Post:
        return cls(article.title, article.url, article.author, tuple(article.categories),
                   article.summary(300), article.published, article.image)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["categories"] = list(self.categories)
        d["published"] = self.published.isoformat() if self.published else None
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Post:
        return cls(**{**d, "categories": tuple(d.get("categories") or ()),
                      "published": parse_iso(d.get("published"))})

    @property
    def shown_hash(self) -> str:
        """Hash of what a reader would notice changing. A re-stamped date or a link that differs
        only by tracking parameters is not a correction."""
        shown = [self.title, normalise_link(self.url) if self.url else None, self.author,
                 list(self.categories), self.teaser, self.image]
        return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Notice:
    """A message that is not an article post: a summary of articles over the run's limit, or a
    broken/recovered source. `items` are (title, url) pairs of a summary."""

    kind: str
    text: str
    items: tuple[tuple[str, str | None], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "items": [list(i) for i in self.items]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Notice:
        return cls(d["kind"], d["text"], tuple((t, u) for t, u in d.get("items") or ()))


def filter_reason(sub: Subscription, article: Article) -> str | None:
    """Why a subscription does not want an article (None: it does)."""
    if sub.categories:
        have = {c.casefold() for c in article.categories}
        if not have & {c.casefold() for c in sub.categories}:
            shown = ", ".join(article.categories) or "none"
            return f"category filter: wants {', '.join(sub.categories)}; the article has {shown}"
    if sub.keywords:
        text = " ".join([article.title, " ".join(article.categories), article.teaser or "",
                         article.body_text])
        words = set(tokenize(text))
        if not any(set(tokenize(k)) and set(tokenize(k)) <= words for k in sub.keywords):
            return f"keyword filter: none of {', '.join(sub.keywords)} is in the article"
    return None


def summary_notice(items: list[Item]) -> Notice:
    """The articles over a run's limit, all listed (the renderer says how many it could show)."""
    text = f"{len(items)} more new articles arrived than are posted one by one:"
    return Notice("summary", text, tuple((i.title, i.url) for i in items))


