"""Article pages as a news site serves them, read with BeautifulSoup's built-in parser.

Metadata comes from what sites publish for link previews and search engines (Open Graph,
`article:*` meta tags, JSON-LD), because those are present far more reliably than any visible
byline. The text comes from <p> and <figcaption> inside <article> (else <main>, else <body>),
leaving out navigation, headers, footers, asides and scripts, so menus and "related posts"
teasers do not become paragraphs. A cut-off page is read as far as it goes: it still makes an
article when a title and some text survive.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, CData, NavigableString, Tag

from articles.archive_text import find_credit, make_paragraph
from articles.dates import parse_date
from articles.errors import ParseError
from articles.model import Article, Paragraph

SKIPPED_TAGS = ("head", "title", "nav", "header", "footer", "aside", "script", "style",
                "noscript", "form", "template", "svg", "button", "iframe")
ARTICLE_TYPES = frozenset({"Article", "NewsArticle", "BlogPosting", "Report", "TechArticle",
                           "ScholarlyArticle", "AnalysisNewsArticle", "ReportageNewsArticle"})
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_BLANK_LINE = re.compile(r"\n\s*\n")


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in its first bytes (<meta charset>, http-equiv, <?xml?>),
    when Python knows it."""
    head = data[:4096]
    m = _XML_ENCODING.match(head) or _CHARSET.search(head)
    if not m:
        return None
    name = m[1].decode("ascii")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def parse_html(text: str, *, base_url: str | None = None) -> Article:
    """Read one article page (see the module docstring)."""
    soup = BeautifulSoup(text, "html.parser")
    ld = _json_ld_article(soup)
    title = _clean(
        _meta(soup, "og:title")
        or _first_text(soup, "h1")
        or _str(ld.get("headline"))
        or _first_text(soup, "title")
    )
    if not title:
        raise ParseError("no title (no og:title, <h1> or <title>)")
    url = _absolute(
        [_link(soup, "canonical"), _meta(soup, "og:url"), _str(ld.get("url")), base_url], base_url
    )
    image = _absolute([_meta(soup, "og:image"), _ld_image(ld.get("image"))], base_url or url)
    paragraphs = html_paragraphs(_container(soup))
    if not paragraphs:
        raise ParseError("no article text (empty or truncated page)")
    return Article(
        title=title,
        paragraphs=paragraphs,
        url=url,
        author=_page_author(soup, ld),
        published=parse_date(
            _meta(soup, "article:published_time") or _str(ld.get("datePublished"))
            or _time_datetime(soup) or ""
        ),
        categories=_categories(soup, ld),
        image=image,
        teaser=_clean(_meta(soup, "og:description") or _meta(soup, "description")) or None,
    )


def html_paragraphs(markup: str | Tag) -> list[Paragraph]:
    """Paragraphs of an HTML page part or fragment: <p> as body (or caption when it ends with a
    credit), <figcaption> as caption; text without <p> is split at blank lines and <br><br>."""
    root = BeautifulSoup(markup, "html.parser") if isinstance(markup, str) else markup
    for tag in root.find_all(SKIPPED_TAGS):
        tag.decompose()
    paragraphs: list[Paragraph] = []
    for el in root.find_all(["p", "figcaption"]):
        text = _own_text(el)
        if not text:
            continue
        if el.name == "figcaption" or "caption" in " ".join(el.get("class") or []):
            credit_el = el.find(class_=re.compile("credit")) or el.find("cite")
            credit = _clean(credit_el.get_text()) if credit_el else find_credit(text)
            paragraphs.append(Paragraph(text, kind="caption", credit=credit or None))
        else:
            paragraphs.append(make_paragraph(text))
    if paragraphs:
        return paragraphs
    for br in root.find_all("br"):
        br.replace_with("\n")
    blocks = (_clean(b) for b in _BLANK_LINE.split(root.get_text()))
    return [make_paragraph(b) for b in blocks if b]


def _own_text(el: Tag) -> str:
    """Text of a paragraph element without any paragraph nested in it (malformed pages nest
    unclosed <p>s), with <br> read as a space."""
    parts: list[str] = []
    for node in el.descendants:
        if isinstance(node, Tag):
            if node.name == "br":
                parts.append(" ")
            continue
        if type(node) not in (NavigableString, CData):
            continue
        if node.find_parent(["p", "figcaption"]) is el:
            parts.append(str(node))
    return _clean("".join(parts))


def _container(soup: BeautifulSoup) -> Tag:
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda a: sum(len(p.get_text()) for p in a.find_all("p")))
    return soup.find("main") or soup.body or soup


def _absolute(candidates: list[str | None], base: str | None) -> str | None:
    """The first candidate that is, or resolves against base to, an absolute http(s) link: a
    relative link alone would not identify the page."""
    for candidate in candidates:
        if candidate:
            link = urljoin(base, candidate) if base else candidate
            if urlsplit(link).scheme in ("http", "https") and urlsplit(link).netloc:
                return link
    return None


def _clean(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _meta(soup: BeautifulSoup, key: str) -> str | None:
    for attr in ("property", "name"):
        tag = soup.find("meta", attrs={attr: re.compile(f"^{re.escape(key)}$", re.IGNORECASE)})
        if tag and _str(tag.get("content")):
            return tag["content"].strip()
    return None


def _meta_all(soup: BeautifulSoup, key: str) -> list[str]:
    tags = soup.find_all("meta", attrs={"property": re.compile(f"^{re.escape(key)}$", re.I)})
    return [t["content"].strip() for t in tags if _str(t.get("content"))]


def _link(soup: BeautifulSoup, rel: str) -> str | None:
    for tag in soup.find_all("link", href=True):
        if rel in [r.lower() for r in (tag.get("rel") or [])]:
            return tag["href"].strip() or None
    return None


def _first_text(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find(name)
    return _clean(tag.get_text()) or None if tag else None


def _time_datetime(soup: BeautifulSoup) -> str | None:
    tag = soup.find("time", datetime=True)
    return tag["datetime"] if tag else None


def _json_ld_article(soup: BeautifulSoup) -> dict[str, Any]:
    """The first JSON-LD object describing an article; unreadable blocks are ignored."""
    for script in soup.find_all("script", type=re.compile("ld\\+json", re.I)):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                kinds = item.get("@type")
                kinds = set(kinds) if isinstance(kinds, list) else {kinds}
                if kinds & ARTICLE_TYPES:
                    return item
                stack.extend(item.get("@graph") or [])
    return {}


def _names(value: Any) -> list[str]:
    """Person names from JSON-LD's string, {"name": ...} or list forms."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _page_author(soup: BeautifulSoup, ld: dict[str, Any]) -> str | None:
    meta = _meta(soup, "author") or _meta(soup, "article:author")
    if meta and not meta.startswith(("http://", "https://")):
        return meta
    names = _names(ld.get("author"))
    if names:
        return ", ".join(names)
    rel = soup.find("a", rel="author")
    return _clean(rel.get_text()) or None if rel else None


def _ld_image(value: Any) -> str | None:
    if isinstance(value, list):
        return _ld_image(value[0]) if value else None
    if isinstance(value, dict):
        return _str(value.get("url"))
    return _str(value)


def _categories(soup: BeautifulSoup, ld: dict[str, Any]) -> list[str]:
    found = [*_meta_all(soup, "article:section"), *_meta_all(soup, "article:tag")]
    if not found:
        for key in ("articleSection", "keywords"):
            value = ld.get(key)
            items = value.split(",") if isinstance(value, str) else value
            if isinstance(items, list):
                found.extend(s.strip() for s in items if isinstance(s, str))
    return list(dict.fromkeys(c for c in found if c))
