"""What a channel is sent, as plain data rendered by the bot: an article's post, and notices
(a summary of articles over a run's limit, a failing or recovered source). Also which articles a
subscription wants."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
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
        """Hash of what a correction changes: title, link and teaser. A re-stamped date, a link
        that differs only by tracking parameters, or an author or thumbnail added later is not
        a correction, and edits nothing."""
        shown = [self.title, normalise_link(self.url) if self.url else None, self.teaser]
        return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:24]

    def differences(self, other: Post) -> list[str]:
        """What a reader would see change from `other` to this post, by field name."""
        pairs = [("title", self.title, other.title),
                 ("link", normalise_link(self.url) if self.url else None,
                  normalise_link(other.url) if other.url else None),
                 ("teaser", self.teaser, other.teaser), ("author", self.author, other.author),
                 ("thumbnail", self.image, other.image), ("categories", self.categories, other.categories)]
        return [name for name, new, old in pairs if new != old]


CORRECTED = ("title", "link", "teaser")
"""The fields whose change makes a post's message be edited."""


@dataclass(frozen=True)
class Listed:
    """An article named in a summary."""

    title: str
    url: str | None = None
    published: datetime | None = None
    feed: str | None = None  # the name of the source it came from

    def to_json(self) -> list:
        return [self.title, self.url, self.published.isoformat() if self.published else None, self.feed]

    @classmethod
    def from_json(cls, d: list) -> Listed:
        title, url, *rest = d  # summaries queued before feeds were named hold (title, url)
        return cls(title, url, parse_iso(rest[0]) if rest else None, rest[1] if len(rest) > 1 else None)


@dataclass(frozen=True)
class FeedRange:
    """How many of a summary's articles came from one source, and their dates."""

    feed: str
    count: int
    oldest: datetime | None
    newest: datetime | None


@dataclass(frozen=True)
class Notice:
    """A message that is not an article post: a summary of articles over a run's limit, or a
    broken/recovered source. A summary lists its articles newest first; the first `must_list`
    (those of the last 48 hours) are always listed in full, however many messages that takes."""

    kind: str
    text: str
    items: tuple[Listed, ...] = ()
    feeds: tuple[FeedRange, ...] = ()
    must_list: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "items": [i.to_json() for i in self.items],
                "feeds": [[f.feed, f.count, f.oldest.isoformat() if f.oldest else None,
                           f.newest.isoformat() if f.newest else None] for f in self.feeds],
                "must_list": self.must_list}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Notice:
        return cls(d["kind"], d["text"], tuple(Listed.from_json(i) for i in d.get("items") or ()),
                   tuple(FeedRange(f, n, parse_iso(o), parse_iso(w)) for f, n, o, w in d.get("feeds") or ()),
                   d.get("must_list") or 0)


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


RECENT = timedelta(hours=48)
"""Articles this recent are never hidden in a summary's "and N more"."""


def when(item: Item) -> datetime:
    """An item's place in time: when it was published, else when it was first seen."""
    return item.published or item.first_seen


def split_for_channel(items: list[Item], limit: int) -> tuple[list[Item], list[Item]]:
    """News first: of a channel's waiting articles, the `limit` newest are posted one by one
    (returned oldest first, so the newest ends up last in the channel); the rest, newest first,
    go into one summary."""
    ordered = sorted(items, key=lambda i: (when(i), i.seq))
    cut = max(0, len(ordered) - limit)
    return ordered[cut:], ordered[:cut][::-1]


def summary_notice(items: list[Item], *, posted: int, names: dict[str, str], now: datetime) -> Notice:
    """The articles over a run's limit (newest first), with their count and dates per source."""
    listed = tuple(Listed(i.title, i.url, when(i), names.get(i.source or "", i.source)) for i in items)
    by_source: dict[str | None, list[datetime]] = {}
    for item in items:
        by_source.setdefault(item.source, []).append(when(item))
    feeds = tuple(FeedRange(names.get(source or "", source or "?"), len(dates), min(dates), max(dates))
                  for source, dates in by_source.items())
    must = sum(1 for entry in listed if entry.published and entry.published >= now - RECENT)
    if posted:
        text = (f"{len(items)} more new articles arrived than are posted one by one: the {posted} newest "
                "are posted, and these older ones are listed here.")
    else:
        text = f"{len(items)} new articles arrived at once; they are listed here."
    return Notice("summary", text, listed, feeds, must)
