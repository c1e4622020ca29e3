"""JSON and JSON Lines exports: one object, a list of objects (or {"articles": [...]}), or one
object per line.

Keys read: `title`; `url`/`link`; `author` (a name, a list, or {"name": ...}); `published`/`date`
(ISO 8601, RFC 2822, or UNIX seconds); `categories`/`tags` (a list or a comma-separated string);
`id`/`guid`; `image`; `teaser`/`summary`/`description`; and the text, as `paragraphs` (strings,
or {"kind", "text", "credit"} objects) or else `content`/`body`/`text` (plain text with blank-line
paragraphs, or HTML, read like a page body).

A bad item (not an object, no title, no text) or a bad JSON line is skipped with a logged warning
as long as some other item reads: one broken record should not cost a whole export. When none
reads, ParseError names the first problem with its line or item number.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from articles.archive_text import make_paragraph
from articles.dates import parse_date
from articles.errors import ParseError
from articles.fields import first_of, person_names, text_list, text_value
from articles.html_text import html_paragraphs
from articles.identity import readable_link
from articles.limits import check_articles, check_file_paragraphs, check_paragraphs, check_tags
from articles.model import Article, Paragraph

log = logging.getLogger(__name__)

_LOOKS_HTML = re.compile(r"<(?:p|div|br|figure|figcaption|h[1-6]|ul|ol|span|a|img)\b[^<>]*>", re.I)
_BLANK_LINE = re.compile(r"\n\s*\n")
_LIST_KEYS = ("articles", "items", "entries", "posts")


def parse_json_export(text: str, *, lines: bool = False) -> list[Article]:
    """Read a JSON document, or JSON Lines when `lines` is set or the text holds several
    top-level values (see the module docstring)."""
    check_tags(text, escaped=True)
    if not lines:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if not exc.msg.startswith("Extra data"):
                raise ParseError(f"not valid JSON: {exc}") from None
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"not valid JSON: {_reason(exc)}") from None
        else:
            return _read_items(_items(data), "item")
    check_articles(text.count("\n"), "lines")
    records: list[tuple[int, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            records.append((number, ParseError(f"not valid JSON ({exc.msg})")))
        except (ValueError, RecursionError) as exc:
            records.append((number, ParseError(f"not valid JSON ({_reason(exc)})")))
    return _read_items(records, "line")


def _reason(exc: Exception) -> str:
    """What Python's JSON reader said beyond syntax: nesting too deep, a number too long."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _items(data: Any) -> list[tuple[int, Any]]:
    items = _all_items(data)
    check_articles(len(items), "items")
    return items


def _all_items(data: Any) -> list[tuple[int, Any]]:
    if isinstance(data, dict) and "title" not in data:
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if isinstance(data, list):
        return list(enumerate(data, start=1))
    return [(1, data)]


def _read_items(records: list[tuple[int, Any]], unit: str) -> list[Article]:
    """Articles from numbered records (a ParseError stands for a line that did not load)."""
    problems: list[str] = []
    articles: list[Article] = []
    paragraphs = 0
    for number, record in records:
        problem = record if isinstance(record, ParseError) else None
        if problem is None:
            try:
                articles.append(article_from_record(record))
            except ParseError as exc:
                problem = exc
            else:
                paragraphs += len(articles[-1].paragraphs)
                check_file_paragraphs(paragraphs)
        if problem is not None:
            problems.append(f"{unit} {number}: {problem}")
    if not articles:
        raise ParseError(problems[0] if problems else "no articles in the export")
    for problem in problems:
        log.warning("skipped %s", problem)
    return articles


def article_from_record(record: Any) -> Article:
    """One exported object as an Article."""
    if not isinstance(record, dict):
        raise ParseError("not a JSON object")
    title = text_value(record.get("title"))
    if not title:
        raise ParseError("no title")
    paragraphs = _paragraphs(record)
    if not paragraphs:
        raise ParseError("no text (no paragraphs, content, body or text)")
    return Article(
        title=title,
        paragraphs=paragraphs,
        url=readable_link(text_value(first_of(record, "url", "link"))),
        author=", ".join(person_names(record.get("author"))) or None,
        published=parse_date(first_of(record, "published", "date")),
        categories=text_list(first_of(record, "categories", "tags")),
        guid=text_value(first_of(record, "id", "guid")),
        image=readable_link(text_value(record.get("image"))),
        teaser=text_value(first_of(record, "teaser", "summary", "description")),
    )


def _paragraphs(record: dict[str, Any]) -> list[Paragraph]:
    given = record.get("paragraphs")
    if isinstance(given, list):
        check_paragraphs(len(given))
        return [p for p in (_paragraph(item) for item in given) if p]
    body = next((record[k] for k in ("content", "body", "text") if isinstance(record.get(k), str)),
                "")
    if _LOOKS_HTML.search(body):
        return html_paragraphs(body)
    blocks = _BLANK_LINE.split(body)
    check_paragraphs(len(blocks))
    return [make_paragraph(b) for b in (" ".join(b.split()) for b in blocks) if b]


def _paragraph(item: Any) -> Paragraph | None:
    if isinstance(item, str):
        text = " ".join(item.split())
        return make_paragraph(text) if text else None
    if not isinstance(item, dict):
        return None
    text = text_value(item.get("text"))
    if not text:
        return None
    if item.get("kind") == "caption" or item.get("credit"):
        return Paragraph(text, kind="caption", credit=text_value(item.get("credit")))
    if item.get("kind") == "body":
        return Paragraph(text)
    return make_paragraph(text)
