"""RSS 2.0, RSS 1.0 and Atom feeds, read with lxml: one Article per entry.

Feeds are how new articles arrive, so an entry keeps what identifies it across re-fetches (the
guid or Atom id, the link) and what a channel post shows (title, teaser, image). Its paragraphs
come from the full content (`content:encoded`, Atom `<content>`) when the feed carries it, else
from the summary. Entries without a title are skipped; a well-formed feed with no entries gives [].

The feed is decoded like a page (declared encoding, else detection) and parsed by lxml's XML
parser in recovery mode: an unclosed tag costs that part, not the feed; a bare `&` is read as
itself and HTML entities such as `&eacute;` as the characters they name. Elements are matched by
local name, so namespace prefixes and dialects (Atom 0.3 and 1.0, RSS 0.9x to 2.0, dc:,
content:, media:) read the same. Parsing is C and each entry is a bounded number of look-ups
among its children, so time is linear in the feed (within the bounds of `articles.limits`).
Links that do not parse (a port out of range, a broken IPv6 host) are left out, and so are dates
a calendar cannot hold (year 10000).
"""

from __future__ import annotations

import html
import html.entities
import re
from copy import deepcopy
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from articles.dates import parse_date
from articles.decoding import declared_charset, decode_text
from articles.errors import ParseError
from articles.html_text import NOT_XML, html_paragraphs
from articles.identity import readable_link
from articles.limits import (
    MAX_FEED_PARAGRAPHS,
    check_articles,
    check_file_paragraphs,
    check_references,
    check_tags,
)
from articles.model import Article, without_lone_surrogates

if TYPE_CHECKING:
    from lxml.etree import _Element

MAX_SAME_CHILDREN = 50
"""Children of one name read per entry (categories, links): a feed lists a handful."""
FEED_ROOTS = frozenset({"rss", "feed", "RDF", "channel"})
_BARE_AMPERSAND = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,10}|#[xX][0-9A-Fa-f]{1,8});)")
_HTML_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z][A-Za-z0-9]{1,31});")
_NUMERIC_REFS = {name: f"&#{code};" for name, code in html.entities.name2codepoint.items()}
"""HTML's named entities, which XML does not know, as references to the characters they name."""
_SURROGATE_REF = re.compile(
    r"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}|0*(?:5529[6-9]|55[3-9][0-9]{2}|56[0-9]{3}|57[0-2][0-9]{2}"
    r"|573[0-3][0-9]|5734[0-3]));"
)
"""A reference to half a surrogate pair: libxml2 keeps its bytes and lxml then fails to read them."""
_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
_AUTHOR_EMAIL = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")
_DATE_TAGS = ("published", "pubDate", "issued", "date", "created", "updated", "modified")


def parse_feed(data: bytes | str, *, base_url: str | None = None) -> list[Article]:
    """Read every entry of an RSS or Atom feed; relative links resolve against base_url."""
    return read_feed(data, base_url=base_url)[1]


def read_feed(data: bytes | str, *, base_url: str | None = None) -> tuple[str | None, list[Article]]:
    """The feed's own title (how moderators know it), and its entries as `parse_feed` reads them."""
    root = _parse(data)
    if root is None or _local(root) not in FEED_ROOTS:
        raise ParseError("not an RSS or Atom feed")
    channel = next((c for c in root if _local(c) == "channel"), root)
    entries = list(root.iter("{*}item", "{*}entry"))
    check_articles(len(entries), "entries")
    site = readable_link(base_url) or _link(channel)
    articles, paragraphs = [], 0
    for entry in entries:
        article = _article(entry, site)
        if article is not None:
            articles.append(without_lone_surrogates(article))
            paragraphs += len(article.paragraphs)
            check_file_paragraphs(paragraphs, MAX_FEED_PARAGRAPHS)
    title = _clean(_plain(_text(next((c for c in channel if _local(c) == "title"), None)))) or None
    return title, articles


def _parse(data: bytes | str) -> _Element | None:
    """The feed's XML tree, or None when the bytes hold no XML element."""
    from lxml import etree

    if isinstance(data, bytes):
        data = decode_text(data, page=True, declared=declared_charset(data))
    check_tags(data, escaped=True)
    check_references(data)
    text = NOT_XML.sub("", data).lstrip("\ufeff")
    text = _BARE_AMPERSAND.sub("&amp;", text)
    text = _HTML_ENTITY.sub(lambda m: _NUMERIC_REFS.get(m[1], m[0]), text)
    text = _SURROGATE_REF.sub("&#xFFFD;", text)
    if not text.strip():
        return None
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        return etree.fromstring(text.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _article(entry: _Element, site: str | None) -> Article | None:
    children: dict[str, list[_Element]] = {}
    for child in entry:
        name = _local(child)
        if name and len(children.setdefault(name, [])) < MAX_SAME_CHILDREN:
            children[name].append(child)
    title = _clean(_plain(_text(_first(children, "title"))))
    if not title:
        return None
    summary = _markup(_first(children, "summary", "description"))
    # Atom's <content> holds the text; media:content (same local name) an image with a url
    atom_content = [c for c in children.get("content", []) if c.get("url") is None]
    contents = children.get("encoded", []) + atom_content
    body = _markup(contents[0] if contents else None)
    link = _entry_link(children)
    guid = _text(_first(children, "guid", "id")) or entry.get(_RDF_ABOUT)
    teaser = html_paragraphs(summary) if summary.strip() else []
    return Article(
        title=title,
        paragraphs=html_paragraphs(body) if body.strip() else teaser,
        url=_resolve(link or _permalink(children), site),
        author=_author(children),
        published=_published(children),
        categories=_categories(children),
        guid=_clean(guid) or None,
        image=_resolve(_image(children), site),
        teaser=" ".join(p.text for p in teaser) or None,
    )


def _local(element: _Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _first(children: dict[str, list[_Element]], *names: str) -> _Element | None:
    return next((children[n][0] for n in names if children.get(n)), None)


def _text(element: _Element | None) -> str:
    """An element's whole text (an Atom `<title type="xhtml">` holds elements)."""
    if element is None:
        return ""
    return element.text or "" if len(element) == 0 else "".join(element.itertext())


def _plain(text: str) -> str:
    """Text that may hold escaped HTML (titles often do), as plain text."""
    if "<" not in text:
        return text
    return " ".join(p.text for p in html_paragraphs(text)) or text


def _markup(element: _Element | None) -> str:
    """The HTML an entry's summary or content holds: escaped or CDATA HTML as is, Atom
    `type="text"` escaped so it stays text, `type="xhtml"` serialised without namespaces."""
    from lxml import etree

    if element is None:
        return ""
    if len(element) == 0:
        text = element.text or ""
        return html.escape(text) if element.get("type") == "text" else text
    copy = deepcopy(element)
    copy.tail = None
    for node in copy.iter():
        if isinstance(node.tag, str):
            try:
                node.tag = _local(node)
            except ValueError:  # what recovery made of `<:` is no tag name once unprefixed
                node.tag = "span"
    return etree.tostring(copy, encoding="unicode", method="html")


def _entry_link(children: dict[str, list[_Element]]) -> str | None:
    """RSS `<link>text</link>`, or Atom's alternate `<link href>` (a link without rel is one)."""
    for element in children.get("link", []):
        href = element.get("href")
        if href is None:
            if _text(element).strip():
                return _text(element).strip()
        elif element.get("rel", "alternate") == "alternate":
            return href
    return None


def _permalink(children: dict[str, list[_Element]]) -> str | None:
    """An RSS guid that is a permalink stands in for a missing link."""
    guid = _first(children, "guid")
    if guid is None or guid.get("isPermaLink", "true").lower() != "true":
        return None
    text = _text(guid).strip()
    return text if text.startswith(("http://", "https://")) else None


def _link(channel: _Element) -> str | None:
    """The site a feed names (its alternate link), against which entry links resolve."""
    return readable_link(_entry_link({"link": [c for c in channel if _local(c) == "link"]}))


def _resolve(link: str | None, site: str | None) -> str | None:
    """Entry links relative to the site the feed names (or the URL it was fetched from)."""
    link = readable_link(link)
    if not link or not site:
        return link
    try:
        return readable_link(urljoin(site, link))
    except ValueError:
        return link


def _clean(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _author(children: dict[str, list[_Element]]) -> str | None:
    """Atom `<author><name>`, dc:creator, or RSS `<author>` ("lena@example.org (Lena Fischer)")."""
    for element in children.get("author", []) + children.get("creator", []):
        name = next((c for c in element if _local(c) == "name"), None)
        text = _clean(_text(name) if name is not None else _text(element))
        m = _AUTHOR_EMAIL.match(text)
        if text:
            return _clean(m[1]) if m else text
    return None


def _published(children: dict[str, list[_Element]]) -> datetime | None:
    for name in _DATE_TAGS:
        for element in children.get(name, []):
            when = parse_date(_text(element))
            if when is not None:
                return when
    return None


def _categories(children: dict[str, list[_Element]]) -> list[str]:
    found = [
        _clean(e.get("term") or e.get("label") or _text(e))
        for e in children.get("category", []) + children.get("subject", [])
    ]
    return list(dict.fromkeys(c for c in found if c))


def _image(children: dict[str, list[_Element]]) -> str | None:
    for thumb in children.get("thumbnail", []):
        if thumb.get("url"):
            return thumb.get("url")
    groups = children.get("group", [])
    media = children.get("content", []) + [c for g in groups for c in g if _local(c) == "content"]
    for element in media:
        kind = element.get("medium") or element.get("type") or ""
        if element.get("url") and (kind == "image" or kind.startswith("image/")):
            return element.get("url")
    for element in children.get("enclosure", []) + children.get("link", []):
        is_image = (element.get("type") or "").startswith("image/")
        if is_image and element.get("rel", "enclosure") == "enclosure":
            return element.get("url") or element.get("href")
    return None
