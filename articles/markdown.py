"""Markdown articles, as static-site generators keep them: YAML front matter, then the text.

Front matter keys read: `title`, `date`/`published`, `author` (a name, a list, or {name: ...}),
`url`/`link`, `categories`/`tags` (a list or a comma-separated string), `image`, `id`, and
`description`/`summary`/`teaser` as the teaser. Without a front-matter title the first `# heading`
is the title. Markdown syntax is stripped lightly (headings, emphasis, code, links -> their text,
list and quote markers) since paragraphs are indexed and quoted as plain text. Images become
captions: `![alt](src "Credit: X")` gives the alt text with credit X, and a paragraph holding an
image plus text is a caption made of that text.

Every pattern here runs in time linear in its line, whatever the text (no pattern can scan past
the start of its next possible match, and whitespace runs are matched possessively); front
matter is read with libyaml when PyYAML has it, and the bounds of `articles.limits` and
MAX_MARKUP_CHARS keep a hostile file's cost small.
"""

from __future__ import annotations

import re
from typing import Any

from articles.archive_text import find_credit, make_paragraph
from articles.dates import parse_date
from articles.errors import ParseError
from articles.fields import first_of, person_names, text_list, text_value
from articles.identity import readable_link
from articles.limits import check_lines, check_paragraphs
from articles.model import Article, Paragraph

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_IMAGE = re.compile(
    r"!\[([^\[\]]*)\]\(\s*+<?([^()\s<>\[\]]*)>?(?:\s++[\"'(]([^\"'()\[\]]*)[\"')])?\s*+\)"
)
_LINK = re.compile(r"\[([^\[\]]*)\](?:\([^()]*\)|\[[^\[\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_STARS = re.compile(r"\*++(?:(?<!\s\*)|(?!\s))|~~++")
"""Emphasis markers `**bold**`, `*it*`, `~~gone~~`; a lone `*` between spaces (5 * 3) stays."""
_UNDERSCORES = re.compile(r"\b_++|_++\b")
"""`_it_` and `__bold__` at a word's edges; snake_case inside a word stays."""
_CODE = re.compile(r"`+([^`]*)`+")
_LIST_MARK = re.compile(r"^\s*+(?:>\s*+)*+(?:[-*+]|\d++[.)])?\s+|^\s*+(?:>\s*+)++")
_RULE = re.compile(r"^\s*+(?:[-*_]\s*+){3,}+$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LABEL = re.compile(r"^\s*(?:(?:image|photo)\s+)?(?:credits?|courtesy(?:\s+of)?)\s*:?\s*", re.I)
MAX_FRONT_MATTER_CHARS = 256 * 1024
"""Front matter holds a few keys; this much of it is not an article's."""
MAX_MARKUP_CHARS = 500_000
"""Inline syntax is stripped from this many characters of paragraphs; text beyond is kept as
written. No article is that long, and it bounds what a file dense with `![`, `**` or `[` costs."""


def parse_markdown(text: str) -> Article:
    """Read one Markdown article (see the module docstring)."""
    check_lines(text)
    text = text.lstrip("\ufeff")
    meta: dict[str, Any] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        meta = _front_matter(m[1])
        text = text[m.end():]
    title = text_value(meta.get("title"))
    paragraphs: list[Paragraph] = []
    budget = MAX_MARKUP_CHARS
    for block in _blocks(text):
        heading = _heading(block[0]) if len(block) == 1 else None
        if heading and heading[0] == 1 and not title:
            title = _inline(heading[1])
            continue
        budget -= sum(len(line) for line in block)
        paragraph = _paragraph(block) if budget >= 0 else _as_written(block)
        if paragraph:
            paragraphs.append(paragraph)
    check_paragraphs(len(paragraphs))
    if not title:
        raise ParseError("no title (no front matter title or # heading)")
    return Article(
        title=title,
        paragraphs=paragraphs,
        url=readable_link(text_value(first_of(meta, "url", "link"))),
        author=", ".join(person_names(meta.get("author"))) or None,
        published=parse_date(first_of(meta, "published", "date")),
        categories=text_list(first_of(meta, "categories", "tags")),
        guid=text_value(meta.get("id")),
        image=readable_link(text_value(meta.get("image"))),
        teaser=text_value(first_of(meta, "description", "summary", "teaser")),
    )


def _front_matter(source: str) -> dict[str, Any]:
    """The front matter's keys; ParseError with the first line of the reason when it is not a
    mapping YAML can read (bad syntax, nesting deeper than Python recurses, a 5,000-digit
    number, a date such as 2021-13-45)."""
    import yaml

    if len(source) > MAX_FRONT_MATTER_CHARS:
        raise ParseError(f"bad front matter: longer than {MAX_FRONT_MATTER_CHARS:,} characters")
    try:
        loaded = yaml.load(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except RecursionError:
        raise ParseError("bad front matter: nested too deeply") from None
    except (yaml.YAMLError, ValueError, OverflowError, TypeError) as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ParseError(f"bad front matter: {reason}") from None
    if loaded is not None and not isinstance(loaded, dict):
        raise ParseError("bad front matter: not a mapping of keys to values")
    return loaded or {}


def _heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line (`## Next stop ##`), or None."""
    stripped = line.lstrip()
    if len(line) - len(stripped) > 3:
        return None
    text = stripped.lstrip("#")
    level = len(stripped) - len(text)
    if not 1 <= level <= 6 or not text[:1].isspace():
        return None
    text = text.strip()
    unclosed = text.rstrip("#")
    if unclosed != text and (not unclosed or unclosed[-1].isspace()):
        text = unclosed.rstrip()
    return level, text


def _blocks(text: str) -> list[list[str]]:
    """Lines grouped at blank lines; fenced code and horizontal rules do not split paragraphs."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if _FENCE.match(line) or _RULE.match(line) or not line.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        if _heading(line):
            if current:
                blocks.append(current)
            blocks.append([line])
            current = []
            continue
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _as_written(block: list[str]) -> Paragraph | None:
    text = " ".join(" ".join(block).split())
    return make_paragraph(text) if text else None


def _paragraph(block: list[str]) -> Paragraph | None:
    raw = " ".join(_LIST_MARK.sub("", line, count=1).strip() for line in block)
    heading = _heading(raw)
    if heading:
        raw = heading[1]
    images = list(_IMAGE.finditer(raw))
    text = _inline(_IMAGE.sub(" ", raw))
    if not images:
        return make_paragraph(text) if text else None
    alt, _src, image_title = images[0].groups()
    credit = find_credit(text) if text else None
    if credit is None and image_title:
        credit = _LABEL.sub("", image_title).strip().rstrip(".") or None
    caption = text or _inline(alt)
    if not caption:
        return None
    if images[0].start() > 0 and raw[: images[0].start()].strip() and not find_credit(text):
        return make_paragraph(text)
    return Paragraph(caption, kind="caption", credit=credit)


def _inline(text: str) -> str:
    """Markdown inline syntax down to its plain words."""
    text = _CODE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _STARS.sub("", text)
    if "_" in text:
        text = _UNDERSCORES.sub("", text)
    return " ".join(text.split())
