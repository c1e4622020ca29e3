"""RSS 2.0 and Atom feeds, read with feedparser: one Article per entry.

Feeds are how new articles arrive, so an entry keeps what identifies it across re-fetches (the
guid, the link) and what a channel post shows (title, teaser, image). Its paragraphs come from the
full content (`content:encoded`, Atom `<content>`) when the feed carries it, else from the
summary. Entries without a title are skipped; a well-formed feed with no entries gives [].
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from articles.errors import ParseError
from articles.html import html_paragraphs
from articles.model import Article


def parse_feed(data: bytes | str, *, base_url: str | None = None) -> list[Article]:
    """Read every entry of an RSS or Atom feed; relative links resolve against base_url."""
    return read_feed(data, base_url=base_url)[1]


def read_feed(data: bytes | str, *, base_url: str | None = None) -> tuple[str | None, list[Article]]:
    """The feed's own title (how moderators know it), and its entries as `parse_feed` reads them."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    headers = {"content-location": base_url} if base_url else None
    # A stream, never a str or bytes: feedparser would treat those as a URL or a file name.
    feed = feedparser.parse(io.BytesIO(raw), response_headers=headers)
    if not feed.get("version") and not feed.entries:
        raise ParseError("not an RSS or Atom feed")
    site = base_url or feed.feed.get("link")
    title = _clean(feed.feed.get("title")) or None
    return title, [_article(entry, site) for entry in feed.entries if _clean(entry.get("title"))]


def _article(entry: Any, site: str | None) -> Article:
    summary = entry.get("summary") or ""
    contents = entry.get("content") or []
    body = next((c.get("value") for c in contents if c.get("value")), None)
    return Article(
        title=_clean(entry.get("title")),
        paragraphs=html_paragraphs(body or summary),
        url=_resolve(entry.get("link"), site),
        author=_author(entry),
        published=_when(entry.get("published_parsed") or entry.get("updated_parsed")),
        categories=list(dict.fromkeys(
            _clean(t.get("term") or t.get("label")) for t in entry.get("tags") or []
            if _clean(t.get("term") or t.get("label"))
        )),
        guid=entry.get("id") or None,
        image=_resolve(_image(entry), site),
        teaser=_teaser(summary) or None,
    )


def _resolve(link: str | None, site: str | None) -> str | None:
    """Entry links relative to the site the feed names (or the URL it was fetched from)."""
    if not link:
        return None
    return urljoin(site, link) if site else link


def _clean(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _teaser(summary: str) -> str:
    return " ".join(p.text for p in html_paragraphs(summary)) if summary.strip() else ""


def _author(entry: Any) -> str | None:
    detail = entry.get("author_detail") or {}
    return _clean(detail.get("name") or entry.get("author")) or None


def _when(parsed: Any) -> datetime | None:
    """feedparser gives times as UTC struct_time tuples."""
    return datetime(*parsed[:6], tzinfo=UTC) if parsed else None


def _image(entry: Any) -> str | None:
    for thumb in entry.get("media_thumbnail") or []:
        if thumb.get("url"):
            return thumb["url"]
    for media in entry.get("media_content") or []:
        kind = media.get("medium") or media.get("type") or ""
        if media.get("url") and (kind == "image" or kind.startswith("image/")):
            return media["url"]
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and (link.get("type") or "").startswith("image/"):
            return link.get("href") or None
    return None
