"""The archive's own plain-text format: one scraped article page per file.

Layout, top to bottom (only the title is required)::

    URL: https://example.org/2021/05/zhurong-lands        <- optional headers, any order,
    Published: 2021-05-15T08:00:00Z                           keys case-insensitive
    Saved: 2021-05-20
    Author: Jane Doe
    Id: example-12345
    Image: https://example.org/zhurong.jpg
    Categories: ChinaMars                                  <- names run together

    Title of the article                                   <- first non-blank line after headers

    Body paragraph, separated from the next by a blank line.

    A caption ends with a credit. Credit: CNSA.            <- kind "caption", credit "CNSA"
    Jane Doe                                               <- author block: the name alone ...

    Jane has written about rockets since ...               <- ... then the biography (dropped)

    Recent Posts                                           <- then title / teaser / age triples
    Another article's title
    Its one-line teaser…
    17 hours ago

Headers: `URL`, `Published` and `Saved` (ISO 8601 date or datetime, RFC 2822, or "May 15, 2021";
naive times are UTC; an unreadable date is ignored), `Author`, `Id` (becomes the guid), `Image`,
`Categories`. Files without headers (most of the archive starts at `Categories:`) parse the same.

Categories: the site's names run together with no separator, so the line is split where a new
capitalised word starts right after a lower-case letter or digit (`ChinaMars` -> China, Mars;
`Space ExplorationMoon` -> Space Exploration, Moon; spaces stay inside a name), and where an
acronym meets a capitalised word (`NASAMars` -> NASA, Mars). Names with inner capitals that must
not be cut (`SpaceX`, `ExoMars`, `InSight`, ...) are listed in KNOWN_NAMES. Acronyms run together
(`JWSTNASA`) are cut only when KNOWN_ACRONYMS covers the whole run (-> JWST, NASA); any other
capital run stays one name, because guessing would invent categories.

Captions: a paragraph whose last words are a credit (`Credit: CNSA.`, `Image Credit: CNSA/CLEP`,
`Image: ESA`, `Photo: ...`, `Courtesy of ...`, `Source: ...`) is a caption. Its text is kept as
written, credit included, and `Paragraph.credit` holds the credit alone, without label or final
period.

Author block: the author's name alone on a line (2-4 capitalised words, no final period), either as
its own paragraph or glued to the line after the last caption, then one biography paragraph. It is
taken as the author block only where it closes the article (just before `Recent Posts` or the end)
and, when it stands as its own paragraph, only when the biography starts with the author's first or
last name or He/She/They; neither the name nor the biography becomes a paragraph. A name that
closes the article alone, with no biography, is its author too (unless it reads as a heading or a
sign-off: "Further Reading", "Clear Skies"), and so is a byline paragraph ("By Jane Doe") that opens
or closes it. An `Author:` header wins over the block's name.

Recent Posts: after the heading, each post is a title, an optional teaser and an age ("17 hours
ago", "a month ago", "yesterday"). Posts are delimited by their ages, so a missing teaser does not
shift the rest. `approx_date` is `Saved` minus the age, or None without `Saved`.
"""

from __future__ import annotations

import re
from datetime import datetime

from articles.dates import before, parse_age, parse_date
from articles.errors import ParseError
from articles.identity import readable_link
from articles.limits import check_lines
from articles.model import Article, Paragraph, RecentPost

HEADER_KEYS = frozenset({"url", "published", "saved", "author", "id", "image", "categories"})
_HEADER = re.compile(r"^\s*([A-Za-z]+)\s*:(.*)$")

KNOWN_NAMES = (
    "SpaceX", "ExoMars", "InSight", "NuSTAR", "eROSITA", "OSIRIS-REx", "BepiColombo", "LightSail",
    "CubeSats", "CubeSat", "SpaceIL", "OneWeb", "JunoCam", "MarCO", "SmallSat", "DoD",
)
KNOWN_ACRONYMS = frozenset({
    "NASA", "ESA", "CNSA", "JAXA", "ISRO", "CSA", "UKSA", "ROSCOSMOS", "JWST", "HST", "ISS",
    "JPL", "ESO", "ALMA", "LIGO", "SETI", "TESS", "ULA", "SLS", "MRO", "LRO", "SOFIA", "SOHO",
    "UAE", "USA", "US", "UK", "EU", "NOAA", "IAU", "NSF", "VLT", "ELT", "GMT", "TMT", "SDO",
    "CERN", "DART",
})
_KNOWN_NAME = re.compile(
    "(?:" + "|".join(re.escape(n) for n in sorted(KNOWN_NAMES, key=len, reverse=True)) + ")"
    r"(?![a-z])"
)
MAX_ACRONYM_RUN = 24
"""Longer capital runs are not acronyms run together but shouting; they stay whole."""
_CAMEL_CUT = re.compile(r"(?<=[a-z0-9’')\]])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

_CREDIT_LABEL = re.compile(
    r"(?:^|(?<=[\s.!?(\[\"“”’'—–-]))"
    r"(?:(?:(?:image|photo|video|illustration|animation|artwork|graphic|picture)\s+)?credits?\s*:"
    r"|(?:(?:image|photo|video)\s+courtesy|(?-i:Courtesy))(?:\s+of)?\s*:?"
    r"|(?:image|photo|source)\s*:)\s*",
    re.IGNORECASE,
)
_SENTENCE_AFTER = re.compile(r"[.!?]\s+(?:\S+\s+){4}\S")
MAX_CREDIT_CHARS = 150
MAX_CREDIT_WORDS = 20
_MAX_LABEL_CHARS = 64
_LABEL_WORDS = ("credit", "courtesy", "image", "photo", "source")
"""Every credit label holds one of these: text without any is passed over without the full
pattern, which tries a dozen alternatives at every character."""
MAX_CATEGORIES_CHARS = 2_000
"""A `Categories:` value is read this far: the site lists a handful of names."""

MAX_NAME_CHARS = 100
"""An author's name line is a few words; longer lines are not looked at as names."""
_NAME_WORD = r"(?:[A-Z][\w’'-]*\.?|de|van|von|der|den|da|del|la|le|bin|al)"
_NAME = re.compile(rf"^[A-Z][\w’'-]*\.?(?:\s+{_NAME_WORD}){{1,3}}$")
_NOT_NAMES = frozenset({"recent posts", "related posts", "further reading", "read more",
                        "more information", "share this", "related articles", "see also"})
_RECENT_HEADING = re.compile(r"^recent posts:?$", re.IGNORECASE)
_BIO_PRONOUNS = frozenset({"he", "she", "they"})
# A biography closing an article without the name on a line of its own: "Noemi Castellane is a
# reporter for Zenith covering ...", "Wendell Okafor reports on lunar missions from Tokyo."
_BIO_OPENING = re.compile(
    rf"^([A-Z][\w’'-]*\.?(?:\s+{_NAME_WORD}){{1,3}})\s+(?:is|was|has been|reports|writes|covers|edits)\b"
)
_WRITES = re.compile(
    r"\b(?:reporter|writer|correspondent|editor|journalist|columnist|contributor|freelancer?|"
    r"reports (?:on|for|from|about)|writes (?:about|on|for|from)|covers)\b", re.I
)
MAX_BIO_CHARS = 400
_BYLINE = re.compile(
    r"^(?:(?:Written|Posted|Story|Reporting|Words|Text)\s+)?[Bb]y:?\s+(.+?)"
    r"(?:\s*[,|/]\s*(?:Staff|Senior|Contributing|Science|Space|Freelance)?\s*"
    r"(?:Writer|Reporter|Editor|Correspondent|Contributor))?$"
    r"|^[—–]\s*(.+?)$"
)
_HEADING_WORDS = frozenset({
    "the", "a", "an", "more", "read", "share", "related", "see", "follow", "about", "comments",
    "tags", "source", "sources", "references", "further", "image", "images", "photo", "photos",
    "credit", "credits", "advertisement", "editor's", "editors", "update", "updated", "clear",
    "ad", "subscribe", "sign", "join", "watch", "listen", "contact", "previous", "next", "back",
})
_TEASER_END = ("…", "...", ".", "!")


def split_categories(value: str) -> list[str]:
    """Split a `Categories:` value whose names run together (see the module docstring)."""
    names: list[str] = []
    continues = False
    for word in value.split():
        for i, piece in enumerate(_split_word(word)):
            if i == 0 and continues:
                names[-1] = f"{names[-1]} {piece}"
            else:
                names.append(piece)
        continues = True
    return names


def _split_word(word: str) -> list[str]:
    """Cut one space-free run into name pieces, known inner-capital names kept whole."""
    pieces: list[str] = []
    pos = 0
    for m in _KNOWN_NAME.finditer(word):
        if m.start() > pos:
            pieces.extend(_camel_pieces(word[pos:m.start()]))
        pieces.append(m.group())
        pos = m.end()
    if pos < len(word):
        pieces.extend(_camel_pieces(word[pos:]))
    return pieces


def _camel_pieces(run: str) -> list[str]:
    out: list[str] = []
    for piece in _CAMEL_CUT.split(run):
        if piece.isupper() and 3 < len(piece) <= MAX_ACRONYM_RUN and piece not in KNOWN_ACRONYMS:
            out.extend(_acronyms(piece) or [piece])
        elif piece:
            out.append(piece)
    return out


def _acronyms(run: str) -> list[str] | None:
    """Cover an all-capitals run with known acronyms, or None when they cannot cover it."""
    if not run:
        return []
    for size in range(len(run), 1, -1):
        head = run[:size]
        if head in KNOWN_ACRONYMS:
            rest = _acronyms(run[size:])
            if rest is not None:
                return [head, *rest]
    return None


def find_credit(text: str) -> str | None:
    """The credit a caption ends with ("Credit: CNSA." -> "CNSA"), or None for other text.

    Only the end of the text is searched: a label further back leaves a credit longer than
    MAX_CREDIT_CHARS, which is no credit (and a long paragraph costs no more than a short one)."""
    window = MAX_CREDIT_CHARS + _MAX_LABEL_CHARS
    start = 1 if len(text) > window else 0
    if start:
        text = text[-window - 1:]  # one character more, for the label's lookbehind
    lowered = text.lower()
    if not any(word in lowered for word in _LABEL_WORDS):  # the usual case, and the cheapest
        return None
    found = [at for at in (lowered.find(word, start) for word in _LABEL_WORDS) if at >= 0]
    if not found:
        return None
    # a label starts at most a prefix word ("illustration ") before its first label word
    matches = list(_CREDIT_LABEL.finditer(text, max(start, min(found) - 16)))
    if not matches:
        return None
    m = matches[-1]
    credit = text[m.end():].strip()
    if m.start() > 0 and text[m.start() - 1] in "([" and credit[-1:] in ")]":
        credit = credit[:-1].rstrip()
    credit = credit.rstrip(".").strip()
    if not credit or len(credit) > MAX_CREDIT_CHARS or len(credit.split()) > MAX_CREDIT_WORDS:
        return None
    if "\n" in credit or _SENTENCE_AFTER.search(credit):
        return None
    return credit


def make_paragraph(text: str) -> Paragraph:
    """A body paragraph, or a caption when the text ends with a credit."""
    credit = find_credit(text)
    if credit is None:
        return Paragraph(text)
    return Paragraph(text, kind="caption", credit=credit)


def parse_archive_text(text: str) -> Article:
    """Read one article in the archive's text format (see the module docstring)."""
    check_lines(text)
    lines = text.lstrip("\ufeff").splitlines()
    headers, pos = _read_headers(lines)
    while pos < len(lines) and not lines[pos].strip():
        pos += 1
    if pos == len(lines):
        raise ParseError("no title: nothing after the headers")
    title = " ".join(lines[pos].split())
    blocks = _blocks(lines[pos + 1:])
    recent_at = next((i for i, b in enumerate(blocks) if _is_recent_heading(b[0])), None)
    recent_lines = [] if recent_at is None else [
        line for b in blocks[recent_at:] for line in b
    ][1:]
    body, block_author = _split_author(
        blocks if recent_at is None else blocks[:recent_at], headers.get("author")
    )
    saved = parse_date(headers.get("saved", ""))
    return Article(
        title=title,
        paragraphs=[make_paragraph(" ".join(line.strip() for line in b)) for b in body],
        url=readable_link(headers.get("url")),
        author=headers.get("author") or block_author,
        published=parse_date(headers.get("published", "")),
        categories=split_categories(headers.get("categories", "")[:MAX_CATEGORIES_CHARS]),
        recent_posts=_recent_posts(recent_lines, saved),
        guid=headers.get("id") or None,
        image=readable_link(headers.get("image")),
    )


def _read_headers(lines: list[str]) -> tuple[dict[str, str], int]:
    headers: dict[str, str] = {}
    pos = 0
    while pos < len(lines):
        line = lines[pos]
        if line.strip():
            m = _HEADER.match(line)
            if not m or m[1].lower() not in HEADER_KEYS:
                break
            headers[m[1].lower()] = m[2].strip()
        pos += 1
    return headers, pos


def _blocks(lines: list[str]) -> list[list[str]]:
    """Group lines into paragraphs at blank lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_recent_heading(line: str) -> bool:
    return len(line) <= MAX_NAME_CHARS and bool(_RECENT_HEADING.match(" ".join(line.split())))


def _is_name(line: str) -> bool:
    if len(line) > MAX_NAME_CHARS:
        return False
    line = " ".join(line.split())
    return bool(_NAME.match(line)) and not line.endswith(".") and line.lower() not in _NOT_NAMES


def _closing_name(name: str) -> bool:
    """Whether a lone closing line reads as a person's name: it opens with no word a heading
    or a sign-off opens with ("The End", "Read More", "Clear Skies") and holds no word in
    capitals (an agency: "NASA Goddard")."""
    words = name.split()
    return words[0].lower() not in _HEADING_WORDS and not any(w.isupper() and len(w) > 1 for w in words)


def _is_bio(block: list[str], name: str) -> bool:
    first = re.sub(r"[’']s$", "", block[0].split()[0].strip(",:;")).lower()
    parts = name.lower().split()
    return first in _BIO_PRONOUNS or first in (parts[0], parts[-1])


def _byline(block: list[str]) -> str | None:
    """The name of a paragraph that is a byline alone ("By Jane Doe", "Written by Jane Doe,
    Staff Writer", "— Jane Doe"), or the two names of one ("By Jane Doe and John Roe")."""
    m = _BYLINE.match(" ".join(block[0].split())) if len(block) == 1 else None
    name = (m[1] or m[2]) if m else None
    if not name:
        return None
    names = re.split(r"\s+(?:and|&)\s+|,\s+", name)
    return name if len(names) <= 3 and all(_is_name(n) and _closing_name(n) for n in names) else None


def _split_author(
    blocks: list[list[str]], header_author: str | None
) -> tuple[list[list[str]], str | None]:
    """Take the closing author block (name, biography) off the body: (body blocks, name).

    The name may also close the article alone, with no biography after it (nothing that could
    be a paragraph of the story is a few capitalised words without a full stop), or open or
    close it as a byline ("By Jane Doe")."""
    if blocks and (name := _byline(blocks[0])):
        return blocks[1:], name
    if blocks and (name := _byline(blocks[-1])):
        return blocks[:-1], name
    for end in (len(blocks) - 2, len(blocks) - 1):
        if end < 0:
            continue
        block, bio = blocks[end], blocks[end + 1:]
        if len(block[-1]) > MAX_NAME_CHARS:
            continue
        name = " ".join(block[-1].split())
        if not _is_name(name):
            continue
        by_header = header_author is not None and name.lower() == header_author.strip().lower()
        if len(block) > 1 and find_credit(" ".join(block[:-1])):
            return [*blocks[:end], block[:-1]], name
        if len(block) == 1 and (by_header or (bio and _is_bio(bio[0], name))):
            return blocks[:end], name
        if len(block) == 1 and not bio and end > 0 and _closing_name(name):
            return blocks[:end], name
    if len(blocks) > 1 and (name := _bio_name(blocks[-1])):
        return blocks[:-1], name
    return blocks, None


def _bio_name(block: list[str]) -> str | None:
    """The writer a closing biography without its own name line is about, if it is one: a
    short paragraph opening "<Name> is a reporter ...", whose first sentence says writing."""
    text = " ".join(" ".join(block).split())
    m = _BIO_OPENING.match(text) if len(text) <= MAX_BIO_CHARS else None
    if not m or not _is_name(m[1]) or not _closing_name(m[1]):
        return None
    first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0]
    return m[1] if _WRITES.search(first) else None


def _recent_posts(lines: list[str], saved: datetime | None) -> list[RecentPost]:
    """Posts delimited by their age lines; lines without a following age make age-less posts."""
    posts: list[RecentPost] = []
    pending: list[str] = []
    for line in (" ".join(raw.split()) for raw in lines):
        age = parse_age(line)
        if age is None:
            pending.append(line)
            continue
        if pending:
            *earlier, (title, teaser) = _group_titles(pending)
            posts.extend(RecentPost(t, s) for t, s in earlier)
            approx = before(saved, age)
            posts.append(RecentPost(title, teaser, line, approx))
        pending = []
    posts.extend(RecentPost(t, s) for t, s in _group_titles(pending))
    return posts


def _group_titles(lines: list[str]) -> list[tuple[str, str]]:
    """(title, teaser) pairs: two lines are a title and its teaser; longer runs (an age went
    missing) start a new post at each line that does not read like a teaser."""
    if len(lines) <= 2:
        return [(lines[0], lines[1] if len(lines) == 2 else "")] if lines else []
    groups: list[tuple[str, str]] = []
    for line in lines:
        if groups and not groups[-1][1] and line.endswith(_TEASER_END):
            groups[-1] = (groups[-1][0], line)
        else:
            groups.append((line, ""))
    return groups
