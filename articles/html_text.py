"""Text blocks of HTML, read with lxml: the paragraphs of a feed entry's or an export's HTML, the
captions of article pages, and the text of the main-text tree trafilatura gives back.

A block is an element that starts a paragraph (p, li, headings, figcaption, a table row, ...);
its text is everything inside it except nested blocks, so a malformed page that nests paragraphs
gives each text once. <br> reads as a space, and two in a row (or a blank line) end a paragraph.
A caption element (<figcaption>, or a class such as `wp-caption-text`) is one block whatever it
holds; its credit is a `credit` element or <cite> inside it or its <figure>, else the credit its
text ends with.

Every walk is iterative and visits each element once, so time is linear in the page and deep
nesting costs no recursion. lxml itself keeps at most 255 levels of nesting (libxml2's limit
without its `huge` option): text nested deeper is not read.
"""

from __future__ import annotations

import re
import threading
from itertools import islice
from typing import TYPE_CHECKING, NamedTuple

from articles.archive_text import find_credit, make_paragraph
from articles.limits import check_paragraphs, check_tags
from articles.model import Paragraph

if TYPE_CHECKING:
    from lxml import html
    from lxml.html import HtmlElement

HTML_BLOCKS = frozenset({
    "p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "figcaption", "figure", "tr", "caption", "section", "article", "main", "body", "ul", "ol",
    "dl", "table", "address", "details", "summary", "hr", "header", "form", "fieldset",
})
NEVER_TEXT = frozenset({
    "head", "title", "script", "style", "noscript", "template", "svg", "math", "button", "iframe",
    "select", "textarea", "object", "embed", "canvas",
})
"""Elements whose content is never article text: scripts, styles, widgets."""
FURNITURE = frozenset({"nav", "aside", "footer"})
"""Page furniture around an article: menus, related-post boxes, footers."""
HTML_SKIPPED = NEVER_TEXT | FURNITURE
EXTRACTED_BLOCKS = frozenset({"p", "head", "item", "quote", "row", "list", "table", "code", "div"})
"""Blocks of the tree trafilatura returns (its own vocabulary: `head` is a heading)."""
CELLS = frozenset({"td", "th", "cell"})
_BREAKS = frozenset({"br", "lb"})
_CAPTION_CLASS = re.compile(r"(?:^|[\s_-])caption(?:$|[\s_-])", re.IGNORECASE)
_CREDIT_CLASS = re.compile(r"credit", re.IGNORECASE)
_PARSERS = threading.local()
MAX_FIGURE_ELEMENTS = 100
MAX_BLOCK_ELEMENTS = 50_000
"""Trees with more elements are read as plain text rather than block by block."""
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]+")
"""Characters XML cannot hold: libxml2 drops or refuses them, and lxml refuses them in its API."""
_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)|copyright)\s*", re.IGNORECASE)
_COPYRIGHT_END = re.compile(r"©\s*([^©]{1,150})$")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


class Segment(NamedTuple):
    """A run of a block's text not interrupted by a nested block, in document order."""

    element: HtmlElement | None
    text: str
    caption: bool = False
    furniture: bool = False


def parse_markup(markup: str) -> HtmlElement | None:
    """An lxml tree of a page or fragment (fragments are wrapped in <html><body>), or None when
    there is nothing to parse. Characters XML cannot hold (controls, lone surrogates) are dropped
    first, since lxml refuses them wherever the tree is changed later; text is handed over as
    UTF-8 so a declaration inside the markup (`<?xml encoding=...?>`) cannot make lxml refuse it."""
    from lxml import etree, html

    if not markup.isprintable():  # cheap: most text has none of those characters
        markup = NOT_XML.sub("", markup)
    data = markup.encode("utf-8")
    if not data.strip():
        return None
    try:
        return html.document_fromstring(data, parser=_parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _parser() -> html.HTMLParser:
    """One HTML parser per thread (lxml parsers may be reused, not shared across threads)."""
    parser = getattr(_PARSERS, "html", None)
    if parser is None:
        from lxml import html

        parser = _PARSERS.html = html.HTMLParser(encoding="utf-8", remove_comments=True,
                                                 remove_pis=True, no_network=True,
                                                 default_doctype=False)
    return parser


def html_paragraphs(markup: str | HtmlElement) -> list[Paragraph]:
    """Paragraphs of an HTML fragment or page part: body text, captions with their credits.
    A tree of more than MAX_BLOCK_ELEMENTS elements is read as plain text (see text_paragraphs)."""
    if isinstance(markup, str):
        if "<" not in markup and "&" not in markup:  # plain text: no parser needed
            return segment_paragraphs(Segment(None, markup))
        check_tags(markup)
        root = parse_markup(markup)
    else:
        root = markup
    if root is None:
        return []
    if (not isinstance(markup, str) or markup.count("<") > MAX_BLOCK_ELEMENTS) and (
            element_count(root) > MAX_BLOCK_ELEMENTS):
        return text_paragraphs(root)
    paragraphs = [p for segment in segments(root) for p in segment_paragraphs(segment)]
    check_paragraphs(len(paragraphs))
    return paragraphs


def element_count(root: HtmlElement) -> int:
    """How many elements root holds, counted by libxml2 (no Python object per element)."""
    return int(root.xpath("count(.//*)"))


def text_paragraphs(root: HtmlElement) -> list[Paragraph]:
    """The text of a tree too big to walk element by element (a page of a million tags is no
    article, but may be a broken one): scripts, styles and furniture removed and the rest
    serialised as text by libxml2, split at blank lines."""
    from lxml import etree

    etree.strip_elements(root, *(HTML_SKIPPED - {"head", "title"}), with_tail=False)
    text = etree.tostring(root, method="text", encoding="unicode", with_tail=False)
    pieces = [clean(piece) for piece in _PARAGRAPH_BREAK.split(text)]
    check_paragraphs(len(pieces))
    return [make_paragraph(piece) for piece in pieces if piece]


def segment_paragraphs(segment: Segment) -> list[Paragraph]:
    """A segment as paragraphs: one caption, or body paragraphs split at blank lines."""
    if segment.caption:
        text = clean(segment.text)
        return [Paragraph(text, kind="caption", credit=caption_credit(segment.element, text))]
    text = segment.text
    pieces = (clean(piece) for piece in _PARAGRAPH_BREAK.split(text)) if "\n" in text else [clean(text)]
    return [make_paragraph(piece) for piece in pieces if piece]


def segments(
    root: HtmlElement,
    *,
    blocks: frozenset[str] = HTML_BLOCKS,
    skipped: frozenset[str] = HTML_SKIPPED,
    furniture: frozenset[str] = frozenset(),
) -> list[Segment]:
    """The text segments under root, in document order (see the module docstring). Elements in
    `skipped` are left out with their content; those in `furniture` start blocks whose segments
    are marked as furniture. One pass of libxml2's tree walker, each element opened and closed
    once (skipped ones without their children)."""
    from lxml import etree

    out: list[Segment] = []
    # each open block: (element, its text pieces, is a caption); the root is always open
    open_blocks: list[tuple[HtmlElement, list[str], bool]] = [(root, [], is_caption(root))]
    blocks = blocks | furniture
    furniture_depth = 0

    def flush() -> None:
        element, pieces, caption = open_blocks[-1]
        text = "".join(pieces)
        if text.strip():
            out.append(Segment(element, text, caption, furniture_depth > 0))
        pieces.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if element is root:
            if event == "start" and root.text:
                open_blocks[0][1].append(root.text)
            continue
        if event == "start":
            if not tag or tag in skipped:
                walker.skip_subtree()
            elif not open_blocks[-1][2]:
                caption = is_caption(element)
                if caption or tag in blocks:
                    flush()
                    open_blocks.append((element, [], caption))
            if tag in furniture:
                furniture_depth += 1
            pieces = open_blocks[-1][1]
            if tag in _BREAKS:
                pieces.append("\n")
            elif tag in CELLS:
                pieces.append(" ")
            if element.text and tag and tag not in skipped:
                pieces.append(element.text)
            continue
        if open_blocks[-1][0] is element:
            flush()
            open_blocks.pop()
        if tag in furniture:
            furniture_depth -= 1
        pieces = open_blocks[-1][1]
        if tag in CELLS:
            pieces.append(" ")
        if element.tail:
            pieces.append(element.tail)
    flush()
    return out


def is_caption(element: HtmlElement) -> bool:
    """A <figcaption>, or an element whose class names a caption (`wp-caption-text`)."""
    if element.tag == "figcaption":
        return True
    if element.tag not in ("p", "div", "span", "small", "td"):
        return False
    return bool(_CAPTION_CLASS.search(element.get("class") or ""))


def is_teaser(element: HtmlElement) -> bool:
    """A caption-looking element that is a link to another page (a related-article card): it
    sits inside a link, or links make up most of its text."""
    if any(True for _ in element.iterancestors("a")):
        return False if element.tag == "figcaption" and _in_figure_link(element) else True
    linked = sum(len(clean(a.text_content())) for a in element.iter("a"))
    return linked > 0 and linked >= len(clean(element.text_content())) / 2


def _in_figure_link(element: HtmlElement) -> bool:
    """A figcaption inside a link inside its own <figure> (an image linked to its full size)."""
    link = next(element.iterancestors("a"))
    return any(True for _ in link.iterancestors("figure"))


def caption_credit(element: HtmlElement, text: str) -> str | None:
    """The credit of a caption: a `credit` element or <cite> in it or its <figure>, else the
    credit its text ends with (`Credit: NASA`, `© ESA`)."""
    scopes = [element.iter()]
    figure = next((a for a in element.iterancestors("figure")), None)
    if figure is not None:  # the figure's first elements: its image, caption and credit
        scopes.append(islice(figure.iter(), MAX_FIGURE_ELEMENTS))
    for scope in scopes:
        for candidate in scope:
            tag = candidate.tag if isinstance(candidate.tag, str) else ""
            if tag == "cite" or _CREDIT_CLASS.search(candidate.get("class") or ""):
                credit = clean(candidate.text_content())
                if credit and credit != text:
                    return find_credit(credit) or _COPYRIGHT.sub("", credit) or credit
    if found := find_credit(text):
        return found
    m = _COPYRIGHT_END.search(text)
    return clean(m[1]).rstrip(".") or None if m else None


def clean(text: str | None) -> str:
    """Whitespace collapsed to single spaces."""
    return " ".join(text.split()) if text else ""
