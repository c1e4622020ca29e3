"""How much one file may hold: bounds that keep every parser's time linear and small.

Each bound is far beyond any real article, export or feed, and is checked before the work it
bounds, with C-speed counting (`str.count`, an XPath count), so a hostile or broken file is
refused in milliseconds with a one-line reason instead of holding a reindex for minutes. Python
spends about a microsecond on each line, tag or paragraph it looks at; these bounds keep a 20 MB
file (the size limit) under two seconds whatever it holds.
"""

from __future__ import annotations

from articles.errors import ParseError

MAX_LINES = 100_000
"""Lines in one text or Markdown article (a long feature has a few hundred)."""
MAX_TAGS = 300_000
"""Tags in one file: a page, a feed, an export's HTML bodies (large real pages have tens of
thousands, a 10 MB export of 2,500 articles about 100,000)."""
MAX_REFERENCES = 1_500_000
"""Character and entity references (`&...;`) in one feed: escaped HTML spends two on each of
its at most `MAX_TAGS` tags and a few on quotes and ampersands. Each costs the XML repairs a
regular-expression match."""
MAX_PARAGRAPHS = 20_000
"""Paragraphs in one article."""
MAX_FILE_PARAGRAPHS = 50_000
"""Paragraphs in one export or feed, all articles together (a 10 MB export of 2,500 articles
holds about 40,000)."""
MAX_FEED_PARAGRAPHS = 20_000
"""Paragraphs in one feed, all entries together: a feed carries its newest tens of entries, and
each of its paragraphs is HTML to clean (about 50 microseconds each, against a few for an
export's plain text)."""
MAX_ARTICLES = 10_000
"""Articles in one export or feed."""


def check_lines(text: str) -> None:
    lines = text.count("\n")
    if lines > MAX_LINES:
        raise ParseError(f"{lines:,} lines (more than {MAX_LINES:,}: not one article)")


def check_tags(text: str, *, escaped: bool = False) -> None:
    """Count `<`, and with `escaped` also the `&lt;` of HTML inside XML and the `\\u003c` of
    HTML inside JSON strings."""
    tags = text.count("<")
    if escaped:
        tags += text.count("&lt;") + text.count("\\u003c") + text.count("\\u003C")
    if tags > MAX_TAGS:
        raise ParseError(f"{tags:,} tags (more than {MAX_TAGS:,} in one file)")


def check_references(text: str) -> None:
    references = text.count("&")
    if references > MAX_REFERENCES:
        raise ParseError(f"{references:,} character references (more than {MAX_REFERENCES:,} in one file)")


def check_paragraphs(count: int) -> None:
    if count > MAX_PARAGRAPHS:
        raise ParseError(f"{count:,} paragraphs (more than {MAX_PARAGRAPHS:,}: not one article)")


def check_file_paragraphs(count: int, limit: int = MAX_FILE_PARAGRAPHS) -> None:
    if count > limit:
        raise ParseError(f"more than {limit:,} paragraphs in one file: split it")


def check_articles(count: int, what: str) -> None:
    """`what` names the count in the reason: "entries", "items", "lines"."""
    if count > MAX_ARTICLES:
        raise ParseError(f"{count:,} {what} (more than {MAX_ARTICLES:,} in one file: split it)")
