"""One entry point for every file the archive may hold: pick the reader, report bad input.

The reader is chosen by content first and by file name second, because archives mislabel files:
a saved page named `.txt`, a feed named `.xml` or not, front matter in a `.txt`. Only the name
decides when the content is not telling (archive text vs Markdown without front matter).

Every refusal is a ParseError with a one-line reason (empty, too large, binary, no title, ...),
so a reindex can report the file and go on; no other exception escapes, whatever the bytes.
Text is decoded by `articles.decoding`: UTF-8 (a byte-order mark may say UTF-16 or 32), and for
HTML pages their declared charset or charset detection.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from articles.archive_text import HEADER_KEYS, parse_archive_text
from articles.decoding import bom_encoding, declared_charset, decode_text
from articles.errors import ParseError
from articles.feeds import parse_feed
from articles.html import parse_html
from articles.jsonexport import parse_json_export
from articles.markdown import parse_markdown
from articles.model import Article, without_lone_surrogates

__all__ = ["MAX_FILE_BYTES", "SUPPORTED_SUFFIXES", "ParseError", "parse_bytes", "parse_file"]

MAX_FILE_BYTES = 20 * 1024 * 1024
SUFFIX_KINDS = {
    ".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
    ".json": "json", ".jsonl": "jsonl", ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(SUFFIX_KINDS)

_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)\b")
_HTML_START = re.compile(r"<(?:!doctype html|html|head|body|article|main|div|p|h1)\b")
_HEADER_LINE = re.compile(r"^([a-z]+)\s*:", re.IGNORECASE)


def parse_file(path: Path, *, root: Path | None = None) -> list[Article]:
    """Parse one file; source_path is the posix path relative to root when given."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ParseError(too_large(size))
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror or exc}") from None
    articles = parse_bytes(data, path.name)
    source = str(path)
    if root is not None:
        try:
            source = path.relative_to(root).as_posix()
        except ValueError:
            pass
    for article in articles:
        article.source_path = source
    return articles


def parse_bytes(data: bytes, name: str, *, base_url: str | None = None) -> list[Article]:
    """Parse a file's bytes; name gives the extension hint (a URL path or file name)."""
    if len(data) > MAX_FILE_BYTES:
        raise ParseError(too_large(len(data)))
    if not data.strip():
        raise ParseError("empty file")
    bom = bom_encoding(data)
    if b"\x00" in data and bom not in ("utf-16", "utf-32"):
        raise ParseError("binary file (contains NUL bytes)")
    suffix = PurePosixPath(name.split("?", 1)[0].split("#", 1)[0]).suffix.lower()
    head = (data[:4096].decode(bom, errors="replace") if bom else data[:4096].decode("latin-1"))
    kind = _sniff(head.lstrip("\ufeff \t\r\n").lower(), suffix)
    if kind == "feed":
        return parse_feed(data, base_url=base_url)
    if kind == "html":
        text = decode_text(data, page=True, declared=declared_charset(data))
    else:
        text = decode_text(data)
    if kind is None:
        kind = _sniff_json(text) or SUFFIX_KINDS.get(suffix) or ("text" if not suffix else None)
    if kind is None:
        raise ParseError(f"unsupported file type: {suffix}")
    return [without_lone_surrogates(article) for article in _READERS[kind](text, base_url)]


def too_large(size: int) -> str:
    """The one-line reason for a file over the size limit."""
    return f"too large: {size / 1e6:.1f} MB > {MAX_FILE_BYTES / 2**20:g} MB"


def _sniff(head: str, suffix: str) -> str | None:
    """The reader the content itself asks for, when it says clearly."""
    if head.startswith("<?xml"):
        return "html" if "<html" in head and not _FEED_ROOT.search(head) else "feed"
    if _FEED_ROOT.match(head):
        return "feed"
    if _HTML_START.match(head) or (head.startswith("<") and SUFFIX_KINDS.get(suffix) == "html"):
        return "html"
    if head.startswith("---") and SUFFIX_KINDS.get(suffix) not in ("json", "jsonl"):
        return "markdown"
    header = _HEADER_LINE.match(head)
    if header and header[1] in HEADER_KEYS and SUFFIX_KINDS.get(suffix) != "markdown":
        return "text"
    if head.startswith(("{", "[")) and SUFFIX_KINDS.get(suffix) in ("json", "jsonl"):
        return SUFFIX_KINDS[suffix]
    return None


def _sniff_json(text: str) -> str | None:
    """JSON under another name: only when it actually loads (a title may start with "[")."""
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return None
    try:
        json.loads(stripped)
    except json.JSONDecodeError as exc:
        first = stripped.split("\n", 1)[0]
        if exc.msg.startswith("Extra data") and first.startswith("{"):
            try:
                json.loads(first)
            except (ValueError, RecursionError):
                return None
            return "jsonl"
        return None
    except (ValueError, RecursionError):
        return "json"  # JSON the reader refuses with its reason (too deep, too long a number)
    return "json"


_READERS: dict[str, Callable[[str, str | None], list[Article]]] = {
    "text": lambda text, _base: [parse_archive_text(text)],
    "markdown": lambda text, _base: [parse_markdown(text)],
    "html": lambda text, base: [parse_html(text, base_url=base)],
    "json": lambda text, _base: parse_json_export(text),
    "jsonl": lambda text, _base: parse_json_export(text, lines=True),
    "feed": lambda text, base: parse_feed(text, base_url=base),
}
