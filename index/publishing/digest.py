"""Digests: the articles published in a window, newest first, as plain data.

Articles with a publication date come from the archive; pages without one still tell what the
site showed as recent (their Recent Posts block, dated from "2 days ago" and when the page was
saved), so those titles fill in. Rendering for Discord (within its limits) lives in the bot;
`archive-bot digest` prints the same data as text or JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from index.results import ArticleSummary
from index.store import parse_iso

GROUP_WHEN_MORE_THAN = 8
"""Above this many items (and no category asked for), a digest is grouped by category."""
OTHER = "Other"


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    teaser: str = ""
    categories: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url, "author": self.author,
                "published": self.published.isoformat() if self.published else None,
                "teaser": self.teaser, "categories": list(self.categories)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DigestItem:
        return cls(d["title"], d.get("url"), d.get("author"), parse_iso(d.get("published")),
                   d.get("teaser") or "", tuple(d.get("categories") or ()))


@dataclass
class Digest:
    since: datetime
    until: datetime
    items: list[DigestItem] = field(default_factory=list)
    category: str | None = None

    @property
    def grouped(self) -> bool:
        return self.category is None and len(self.items) > GROUP_WHEN_MORE_THAN

    def groups(self) -> list[tuple[str | None, list[DigestItem]]]:
        """(category, items) in order of each group's newest item; one group (None) when the
        digest is short or about one category. An item sits under its first category."""
        if not self.grouped:
            return [(None, list(self.items))]
        groups: dict[str, list[DigestItem]] = {}
        for item in self.items:
            groups.setdefault(item.categories[0] if item.categories else OTHER, []).append(item)
        return list(groups.items())

    def to_json(self) -> dict[str, Any]:
        return {"since": self.since.isoformat(), "until": self.until.isoformat(),
                "items": [i.to_json() for i in self.items]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Digest:
        return cls(parse_iso(d["since"]), parse_iso(d["until"]),
                   [DigestItem.from_json(i) for i in d["items"]], d.get("category"))


class DigestSource(Protocol):
    """What a digest reads: `Archive` provides both."""

    def published_between(self, since: datetime, until: datetime,
                          category: str | None = None) -> list[ArticleSummary]: ...

    def recent_posts_between(self, since: datetime, until: datetime) -> list[dict]: ...


def window(days: int, now: datetime) -> tuple[datetime, datetime]:
    """The last `days` days up to `now`."""
    return now - timedelta(days=max(1, days)), now


def build_digest(source: DigestSource, since: datetime, until: datetime,
                 category: str | None = None) -> Digest:
    """Articles published in [since, until), newest first; undated Recent Posts entries of the
    window are added when no category is asked for (they carry none)."""
    items = [_item(a) for a in source.published_between(since, until, category)]
    if category is None:
        seen = {i.title.casefold() for i in items}
        for rp in source.recent_posts_between(since, until):
            if rp["title"].casefold() not in seen:
                seen.add(rp["title"].casefold())
                items.append(DigestItem(rp["title"], published=rp.get("approx_date"),
                                        teaser=rp.get("teaser") or ""))
    items.sort(key=lambda i: i.published or since, reverse=True)
    return Digest(since, until, items, category)


def _item(a: ArticleSummary) -> DigestItem:
    return DigestItem(a.title, a.url, a.author, a.published, a.teaser, tuple(a.categories))


def format_digest(digest: Digest, when: Callable[[datetime], str] | None = None) -> str:
    """Plain text, for the terminal."""
    when = when or (lambda dt: dt.strftime("%Y-%m-%d %H:%M UTC"))
    span = f"{digest.since:%Y-%m-%d} to {digest.until:%Y-%m-%d}"
    if not digest.items:
        return f"No articles published from {span}."
    head = f"Digest: {len(digest.items)} articles from {span}"
    lines = [head + (f" in {digest.category}" if digest.category else "")]
    for name, items in digest.groups():
        if name:
            lines.append(f"\n## {name}")
        for item in items:
            meta = " · ".join(filter(None, [item.author, when(item.published) if item.published else None]))
            lines.append(f"\n- {item.title}" + (f" — {meta}" if meta else ""))
            if item.url:
                lines.append(f"  {item.url}")
            if item.teaser:
                lines.append(f"  {item.teaser}")
    return "\n".join(lines)
