"""A deterministic mutation corpus over every format, built from the project's own articles, and
the check every parsed input must pass.

The seeds are the bundled sample archive (articles/sample/) and the test data, plus the same
articles rendered as Markdown with front matter, JSON, JSON Lines, HTML pages, RSS and Atom.
Input i applies one or more mutations chosen by a generator seeded with i: truncations, byte
flips, odd encodings and charset declarations, huge lines of each format's special characters,
deep nesting, out-of-range dates, bad URLs, huge numbers and odd structures. An input passes when
`parse_bytes` gives articles whose fields are sane, or raises ParseError with a one-line reason,
within MAX_SECONDS of CPU time (wall-clock time is reported too: on a shared machine it also
counts other processes' turns); anything else is a finding.

    python -m tests.articles.fuzzing [--inputs N] [--only I] [--huge BYTES]

runs the corpus outside pytest and prints the figures (inputs, foreign exceptions, slow inputs,
wall time, the slowest inputs); `--only I` replays one input.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from articles.errors import ParseError
from articles.model import Article
from articles.parse import parse_bytes

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "articles" / "sample"
DATA = Path(__file__).parent / "data"
MAX_SECONDS = 2.0
DEFAULT_HUGE = 1024 * 1024
LONG_HUGE = 10 * 1024 * 1024

BAD_DATES = (
    "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "10000-01-01", "0000-00-00",
    "2021-13-45", "Mon, 01 Jan 10000 00:00:00 GMT", "Tue, 31 Dec 9999 23:00:00 -1200",
    "Sat, 01 Jan 0001 00:00:00 +1400", "999999999999 years ago", "1" * 5000, "1e309", "-1e20",
    "NaN", "May 99, 2021", "2021-05-15T25:61:61Z", "\u0661\u0669\u0667\u0660-01-01",
)
BAD_AGES = ("999999999999 years ago", "99999999999999999999 weeks ago", "0 seconds ago",
            "1" * 5000 + " days ago", "-5 days ago")
BAD_URLS = (
    "http://[::1", "http://[::1]:99999/x", "https://news.example.org:99999/a", "http://", "//",
    "javascript:alert(1)", "https://exa mple.org/a b", "http://user@:8080/", "http://[v1.x]/",
    "https://news.example.org/" + "a" * 9000, "\u0000http://x", "http://xn--/", "%", "?:",
    "https://news.example.org:-1/", "http://[::1]:80a/",
)
ODD_CHARSETS = ("zlib", "undefined", "unicode_escape", "utf-7", "cp037", "utf-16", "utf-32",
                "x-no-such", "base64", "rot13", "iso-2022-jp", "latin1", "shift_jis", "idna", "")
ENCODINGS = ("utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "shift_jis", "gb18030",
             "koi8-r", "utf-8-sig", "cp037", "iso-2022-jp", "big5")
SPECIALS = {
    "text": ("Credit: ", "Categories: ", "ago ", "A", "aB", "NASAESA", " ", "\t", ". ", "Image: X ",
             "\n", "\n\n", "Recent Posts\n", "17 hours ago\n", "Jane Doe\n", "(Credit: X) "),
    "markdown": ("![", "![a](", "![a](b ", "[", "](", "**", "*a", "_", "__", "~~", "`", "<a",
                 "<http:", "# ", "> ", "- ", "1. ", "#", " ", "\t", "---\n", "```\n", "![a](b \""),
    "html": ("<p>", "<div>", "<b>", "<a href=x>", "<br>", "<figcaption>", "&amp;", "<", "<!--",
             "<script>", "<p class=caption>", "<table><tr><td>", "</div>", "<meta charset=x>", " "),
    "json": ("[", "{", "\"", "\\u00", "1", "<p", "<div ", "\\ud800", " ", "{\"a\":"),
    "feed": ("<item>", "<![CDATA[", "&amp;", "<p>", "<", "<entry>", "&#x", " ", "<category>"),
}
NESTS = {
    "html": ("<p>", "<div>", "<span>", "<table><tr><td>", "<ul><li>", "<article>", "<figure>",
             "<b><i>", "<blockquote>"),
    "json": ("[", "{\"a\":", "{\"author\":"),
    "markdown": ("> ", "- ", "  - "),
    "feed": ("<div>", "<category>", "<p>"),
    "text": ("> ", "(", "["),
}


@dataclass(frozen=True)
class Seed:
    name: str
    data: bytes
    kind: str  # text, markdown, html, json, feed


@dataclass
class Outcome:
    index: int
    label: str
    name: str
    size: int
    seconds: float  # CPU time of this process: what the parse costs, whatever else runs
    wall: float
    result: str  # "articles", "refused" or "foreign"
    detail: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    wall_seconds: float = 0.0

    @property
    def foreign(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.result == "foreign"]

    @property
    def slow(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.seconds > MAX_SECONDS]

    def summary(self) -> str:
        kinds = Counter(o.name.rsplit(".", 1)[-1] for o in self.outcomes)
        results = Counter(o.result for o in self.outcomes)
        slowest = sorted(self.outcomes, key=lambda o: o.seconds, reverse=True)[:5]
        per_kind = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        lines = [
            f"inputs              {len(self.outcomes)} ({per_kind})",
            f"results             {results['articles']} read, {results['refused']} refused (ParseError)",
            f"foreign exceptions  {len(self.foreign)}",
            f"inputs over {MAX_SECONDS:g} s    {len(self.slow)} CPU time, "
            f"{sum(o.wall > MAX_SECONDS for o in self.outcomes)} wall-clock time",
            f"largest input       {max((o.size for o in self.outcomes), default=0):,} bytes",
            f"wall time           {self.wall_seconds:.1f} s",
            "slowest             " + "; ".join(
                f"#{o.index} {o.label} {o.size:,} B {o.seconds:.2f} s CPU" for o in slowest),
        ]
        lines += [f"FOREIGN #{o.index} {o.label} ({o.name}): {o.detail}" for o in self.foreign[:20]]
        lines += [f"SLOW #{o.index} {o.label} ({o.name}): {o.seconds:.2f} s" for o in self.slow[:20]]
        return "\n".join(lines)


# --- seeds ------------------------------------------------------------------------------------

@cache
def seeds() -> tuple[Seed, ...]:
    """The project's articles in every format."""
    out = [Seed(p.name, p.read_bytes(), "text") for p in sorted(SAMPLE.glob("*.txt"))[:12]]
    out += [Seed(p.name, p.read_bytes(), "text") for p in sorted(DATA.glob("*.txt"))]
    out += [Seed(p.name, p.read_bytes(), "html") for p in sorted(DATA.glob("*.html"))]
    out += [Seed(p.name, p.read_bytes(), "feed") for p in sorted(DATA.glob("feed.*"))]
    articles = [a for s in out if s.kind == "text" for a in parse_file_bytes(s)]
    for i, article in enumerate(articles):
        when = datetime(2021, 5, 15, 8, 30, tzinfo=UTC) + timedelta(days=7 * i)
        out.append(Seed(f"a{i}.md", _markdown(article, when).encode(), "markdown"))
        out.append(Seed(f"a{i}.json", json.dumps(_record(article, when)).encode(), "json"))
        out.append(Seed(f"a{i}.html", _html(article, when).encode(), "html"))
    records = [_record(a, datetime(2022, 1, 1, tzinfo=UTC)) for a in articles[:6]]
    out.append(Seed("export.jsonl", "\n".join(json.dumps(r) for r in records).encode(), "json"))
    out.append(Seed("export.json", json.dumps({"articles": records}).encode(), "json"))
    for i in range(0, len(articles), 2):
        group = articles[i:i + 2]
        out.append(Seed(f"f{i}.rss", _rss(group).encode(), "feed"))
        out.append(Seed(f"f{i}.atom", _atom(group, xhtml=i % 4 == 0).encode(), "feed"))
        out.append(Seed(f"f{i}.rdf", _rdf(group).encode(), "feed"))
    return tuple(out)


def parse_file_bytes(seed: Seed) -> list[Article]:
    return parse_bytes(seed.data, seed.name)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _markdown(article: Article, when: datetime) -> str:
    import yaml

    front = {"title": article.title, "date": when, "author": {"name": article.author or "Jane Doe"},
             "tags": article.categories, "link": article.url or "https://news.example.org/a",
             "image": "https://news.example.org/i.jpg", "id": f"md-{when:%j}",
             "description": article.summary(80)}
    body = []
    for p in article.paragraphs:
        if p.kind == "caption":
            body.append(f'![{p.text}](img.jpg "Credit: {p.credit or "NASA"}")')
        else:
            body.append(p.text.replace("the ", "**the** ", 1))
    return f"---\n{yaml.safe_dump(front, sort_keys=False)}---\n\n" + "\n\n".join(body) + "\n"


def _record(article: Article, when: datetime) -> dict[str, object]:
    return {"title": article.title, "url": article.url, "author": article.author,
            "published": when.isoformat(), "tags": article.categories, "id": article.guid,
            "paragraphs": [{"kind": p.kind, "text": p.text, "credit": p.credit}
                           for p in article.paragraphs]}


def _html(article: Article, when: datetime) -> str:
    parts = []
    for p in article.paragraphs:
        if p.kind == "caption":
            parts.append(f'<figure><img src="i.jpg"><figcaption>{_esc(p.text)}</figcaption></figure>')
        else:
            parts.append(f"<p>{_esc(p.text)}</p>")
    ld = json.dumps({"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": article.title, "datePublished": when.isoformat(),
         "author": [{"@type": "Person", "name": article.author or "Jane Doe"}]}]})
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{_esc(article.title)} | Example</title>"
        f'<meta property="og:title" content="{_esc(article.title)}">'
        f'<meta property="og:url" content="{_esc(article.url or "https://news.example.org/x")}">'
        f'<meta property="article:published_time" content="{when.isoformat()}">'
        f'<link rel="canonical" href="/{when:%Y/%m}/story">'
        f'<script type="application/ld+json">{ld}</script></head><body>'
        '<nav><a href="/">Home</a></nav><article>'
        f"<h1>{_esc(article.title)}</h1>{''.join(parts)}</article>"
        "<footer><p>Example</p></footer></body></html>"
    )


def _rss(articles: list[Article]) -> str:
    items = "".join(
        f"<item><title>{_esc(a.title)}</title><link>{_esc(a.url or '/x')}</link>"
        f"<guid>g{i}</guid><pubDate>Sat, 24 Jul 2021 18:30:00 -0400</pubDate>"
        f"<category>{_esc(', '.join(a.categories))}</category>"
        f"<description>{_esc(a.summary())}</description>"
        f"<content:encoded><![CDATA[{''.join(f'<p>{p.text}</p>' for p in a.paragraphs)}]]>"
        "</content:encoded></item>"
        for i, a in enumerate(articles)
    )
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Sample</title><link>https://news.example.org/</link>{items}</channel></rss>")


def _atom(articles: list[Article], *, xhtml: bool = False) -> str:
    def content(a: Article) -> str:
        paragraphs = "".join(f"<p>{_esc(p.text)}</p>" for p in a.paragraphs)
        if xhtml:
            return ('<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
                    f"{paragraphs}</div></content>")
        return f'<content type="html">{_esc(paragraphs)}</content>'

    entries = "".join(
        f"<entry><title>{_esc(a.title)}</title><link href=\"{_esc(a.url or '/x')}\"/>"
        f"<id>urn:x:{i}</id><updated>2021-07-24T18:30:00Z</updated>"
        f"<author><name>{_esc(a.author or 'Jane Doe')}</name></author>"
        f"<category term=\"{_esc(', '.join(a.categories))}\"/>{content(a)}</entry>"
        for i, a in enumerate(articles)
    )
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Sample</title><link href=\"https://news.example.org/\"/>{entries}</feed>")


def _rdf(articles: list[Article]) -> str:
    items = "".join(
        f'<item rdf:about="{_esc(a.url or "https://news.example.org/x")}"><title>{_esc(a.title)}</title>'
        f"<link>{_esc(a.url or '/x')}</link><dc:date>2021-07-24T18:30:00+02:00</dc:date>"
        f"<dc:creator>{_esc(a.author or 'Jane Doe')}</dc:creator>"
        f"<description>{_esc(a.summary())}</description></item>"
        for a in articles
    )
    return ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>Sample</title><link>https://news.example.org/</link></channel>{items}"
            "</rdf:RDF>")


# --- mutations --------------------------------------------------------------------------------

Mutation = Callable[[random.Random, Seed, int], Seed]


def truncate(rng: random.Random, seed: Seed, huge: int) -> Seed:
    return _with(seed, seed.data[: rng.randrange(max(len(seed.data), 1))])


def flip_bytes(rng: random.Random, seed: Seed, huge: int) -> Seed:
    data = bytearray(seed.data)
    for _ in range(rng.choice((1, 3, 20, 200))):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(1, 256)
    return _with(seed, bytes(data))


def splice(rng: random.Random, seed: Seed, huge: int) -> Seed:
    """Delete, duplicate or insert random bytes at random places."""
    data = seed.data
    a, b = sorted(rng.randrange(len(data) + 1) for _ in range(2))
    choice = rng.randrange(3)
    if choice == 0:
        data = data[:a] + data[b:]
    elif choice == 1:
        times = min(rng.choice((2, 10, 100)), max(huge // max(b - a, 1), 1))
        data = data[:b] + data[a:b] * times + data[b:]
    else:
        data = data[:a] + rng.randbytes(rng.choice((1, 8, 64))) + data[a:]
    return _with(seed, data)


def odd_encoding(rng: random.Random, seed: Seed, huge: int) -> Seed:
    text = seed.data.decode("utf-8", "replace")
    encoding = rng.choice(ENCODINGS)
    data = text.encode(encoding, "replace")
    if rng.random() < 0.3:  # a byte-order mark that does not match
        data = rng.choice((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xff\xfe\x00\x00")) + data
    return _with(seed, data)


def odd_charset(rng: random.Random, seed: Seed, huge: int) -> Seed:
    label = rng.choice(ODD_CHARSETS).encode()
    data = seed.data
    if seed.kind == "html":
        data = data.replace(b'charset="utf-8"', b"charset=" + label, 1)
        if b"charset=" + label not in data:
            data = b"<meta charset=" + label + b">" + data
        if rng.random() < 0.5:
            data = data.decode("utf-8", "replace").encode(rng.choice(("latin-1", "cp1252", "utf-8")),
                                                          "replace")
    elif seed.kind == "feed":
        data = data.replace(b'encoding="UTF-8"', b'encoding="' + label + b'"').replace(
            b'encoding="utf-8"', b'encoding="' + label + b'"')
    else:
        data = b"<?xml version='1.0' encoding='" + label + b"'?>" + data
    return _with(seed, data)


def huge_line(rng: random.Random, seed: Seed, huge: int) -> Seed:
    token = rng.choice(SPECIALS[seed.kind] + SPECIALS["html"][:3]).encode()
    size = rng.choice((huge // 16, huge // 4, huge))
    run = token * max(size // len(token), 1)
    lines = seed.data.split(b"\n")
    at = rng.randrange(len(lines) + 1)
    if rng.random() < 0.5 and at < len(lines):
        lines[at] = lines[at] + run
    else:
        lines.insert(at, run)
    return _with(seed, b"\n".join(lines))


def deep_nesting(rng: random.Random, seed: Seed, huge: int) -> Seed:
    depth = rng.choice((1000, 10_000, 10_000))
    opener = rng.choice(NESTS.get(seed.kind, NESTS["html"]))
    nest = (opener * depth).encode()
    if seed.kind == "json":
        if rng.random() < 0.5:
            return _with(seed, nest)
        closer = {"[": "]", "{\"a\":": "}", "{\"author\":": "}"}[opener] * depth
        return _with(seed, seed.data.replace(b'"author": ', b'"author": ' + nest + b'"x"' +
                                             closer.encode(), 1))
    if seed.kind == "markdown":
        if rng.random() < 0.5:
            flow = b"[" * depth + b"]" * depth
            return _with(seed, seed.data.replace(b"tags:", b"deep: " + flow + b"\ntags:", 1))
        block = b"".join(b"  " * i + b"k:\n" for i in range(min(depth, 2000)))
        return _with(seed, seed.data.replace(b"---\n", b"---\n" + block, 1) if rng.random() < 0.5
                     else seed.data + b"\n" + nest + b"deep\n")
    at = rng.randrange(len(seed.data) + 1)
    return _with(seed, seed.data[:at] + nest + b"text" + seed.data[at:])


def bad_dates(rng: random.Random, seed: Seed, huge: int) -> Seed:
    bad = rng.choice(BAD_DATES).encode()
    data = seed.data
    if seed.kind == "text":
        age = rng.choice(BAD_AGES).encode()
        data = b"Published: " + bad + b"\nSaved: " + rng.choice(BAD_DATES).encode() + b"\n" + data
        data = data.replace(b" ago\n", b" ago\n" + age + b"\n", 1)
        if b"Recent Posts" not in data:
            data += b"\n\nRecent Posts\nA title\nA teaser\n" + age + b"\n"
    elif seed.kind == "markdown":
        value = bad if rng.random() < 0.5 else b'"' + bad + b'"'
        data = data.replace(b"date: ", b"date: " + value + b"\nx: ", 1)
    elif seed.kind == "json":
        value = rng.choice((b'"' + bad + b'"', bad if bad.lstrip(b"-").isdigit() else b"1e400",
                            b"-62135596801", b"253402300800", b"1" * 400))
        data = data.replace(b'"published": ', b'"published": ' + value + b', "x": ', 1)
    elif seed.kind == "html":
        data = data.replace(b'content="20', b'content="' + bad + b'" data-x="20', 1)
        data = data.replace(b'"datePublished": "', b'"datePublished": "' + bad, 1)
        data = data.replace(b"<body>", b'<body><time datetime="' + bad + b'">x</time>', 1)
    else:
        for tag in (b"<pubDate>", b"<updated>"):
            data = data.replace(tag, tag + bad + b"</x>" if rng.random() < 0.2 else tag + bad)
    return _with(seed, data)


def bad_urls(rng: random.Random, seed: Seed, huge: int) -> Seed:
    bad = rng.choice(BAD_URLS).encode()
    data = seed.data
    for prefix in (b"https://news.example.org", b"https://orbit-archive.example", b"/img/", b"/20"):
        if prefix in data and rng.random() < 0.7:
            data = data.replace(prefix, bad, rng.choice((1, 100)))
    if seed.kind == "text":
        data = b"URL: " + bad + b"\nImage: " + bad + b"\n" + data
    elif seed.kind == "html":
        data = data.replace(b"<head>", b'<head><link rel="canonical" href="' + bad + b'">'
                            b'<meta property="og:image" content="' + bad + b'">', 1)
    elif seed.kind == "feed":
        data = data.replace(b"<link>", b"<link>" + bad, 1).replace(b'href="', b'href="' + bad, 1)
    elif seed.kind == "json":
        data = data.replace(b'"url": ', b'"url": ' + json.dumps(bad.decode()).encode() + b', "y": ', 1)
    else:
        data = data.replace(b"link: ", b"link: '" + bad.replace(b"'", b"") + b"'\nz: ", 1)
    return _with(seed, data)


def odd_structure(rng: random.Random, seed: Seed, huge: int) -> Seed:
    """Shapes each format allows but nobody expects."""
    data = seed.data
    if seed.kind == "json":
        value = rng.choice((b"1" * 5000, b"1" * 4000, b'"\\ud800\\udfff\\ud800"', b"[[[]]]", b"null",
                            b"true", b"1e999", b'{"name": {"name": {"name": ["x", 1, null]}}}',
                            b"NaN", b'"\\u0000"'))
        key = rng.choice((b'"title": ', b'"author": ', b'"paragraphs": ', b'"tags": ', b'"url": '))
        data = data.replace(key, key + value + b", \"w\": ", 1)
    elif seed.kind == "markdown":
        value = rng.choice((b"&a [*a]", b"&a {x: *a}", b"1" * 5000, b"!!python/object:os.system x",
                            b"!!binary xyz", b"[&b [*b, *b], &c [*b, *b, *b]]", b"{? [a]: b}",
                            b"2021-13-45", b"!!timestamp 0000-01-01", b"*undefined", b"|\n  x"))
        key = rng.choice((b"title: ", b"author:", b"tags: ", b"date: "))
        data = data.replace(key, b"x: " + value + b"\n" + key, 1)
    elif seed.kind == "html":
        value = rng.choice((b'{"@graph": 5}', b'{"@graph": "x"}', b'{"@type": [{"a": 1}]}',
                            b'{"@type": "NewsArticle", "author": 5, "image": [[]]}', b"[" * 5000,
                            b'{"@type": "NewsArticle", "headline": {"x": 1}, "datePublished": 7}',
                            b'{"@graph": {"@graph": {"@graph": []}}}', b"1" * 5000))
        data = data.replace(b"<head>", b'<head><script type="application/ld+json">' + value +
                            b"</script>", 1)
    elif seed.kind == "feed":
        value = rng.choice((b"&#xD800;", b"&#0;", b"&#x110000;", b"&bogus;", b"<![CDATA[",
                            b'<media:thumbnail url="http://[::1"/>', b"&#99999999999;",
                            b'<enclosure url="http://x:99999" type="image/png"/>'))
        data = data.replace(b"<title>", b"<title>" + value, 2)
    else:
        value = rng.choice((b"\x01\x02", b"\xef\xbf\xbf", b"\xed\xa0\x80", b"\r", b"\x0b\x0c",
                            b"\xe2\x80\xa8", b"\xc2\x85"))
        at = rng.randrange(len(data) + 1)
        data = data[:at] + value * rng.choice((1, 50)) + data[at:]
    return _with(seed, data)


MUTATIONS: tuple[Mutation, ...] = (truncate, flip_bytes, splice, odd_encoding, odd_charset,
                                   huge_line, deep_nesting, bad_dates, bad_urls, odd_structure)
NAME_SUFFIXES = {"text": ".txt", "markdown": ".md", "html": ".html", "json": ".json", "feed": ".xml"}


def _with(seed: Seed, data: bytes) -> Seed:
    return Seed(seed.name, data, seed.kind)


def corpus(count: int, *, huge: int = DEFAULT_HUGE, start: int = 0) -> Iterator[tuple[int, str, Seed]]:
    """(index, label, mutated seed) for inputs start .. start+count-1; the same index always
    gives the same input."""
    pool = seeds()
    for index in range(start, start + count):
        rng = random.Random(index)
        seed = pool[index % len(pool)]
        steps = [MUTATIONS[(index // len(pool)) % len(MUTATIONS)]]
        if rng.random() < 0.3:
            steps += rng.sample(MUTATIONS, rng.choice((1, 2)))
        for step in steps:
            seed = step(rng, seed, huge)
        if rng.random() < 0.1:  # the wrong name for the content
            seed = Seed("mislabeled" + rng.choice(list(NAME_SUFFIXES.values()) + [""]), seed.data,
                        seed.kind)
        yield index, "+".join(s.__name__ for s in steps), seed


# --- the check --------------------------------------------------------------------------------

def check_articles(articles: list[Article]) -> None:
    """What every parsed article must be: a title, text that SQLite and Discord accept, dates
    in range and aware, links that parse, an id and a JSON form."""
    assert isinstance(articles, list)
    for article in articles:
        assert isinstance(article.title, str) and article.title.strip()
        strings = [article.title, article.author or "", article.url or "", article.image or "",
                   article.teaser or "", article.guid or "", *article.categories,
                   *(p.text for p in article.paragraphs), *(p.credit or "" for p in article.paragraphs),
                   *(f"{r.title}{r.teaser}{r.age}" for r in article.recent_posts)]
        for text in strings:
            assert isinstance(text, str)
            text.encode("utf-8")
        for when in (article.published, *(r.approx_date for r in article.recent_posts)):
            assert when is None or (when.tzinfo is not None and 1000 <= when.year <= 9000)
        for link in (article.url, article.image):
            if link:
                urlsplit(link).port  # noqa: B018 - raises for a link that does not parse
        assert article.id and article.content_hash
        json.dumps(article.to_dict())
        article.summary()


def run_one(index: int, label: str, seed: Seed) -> Outcome:
    """Parse one input (timed) and check what it gave (not timed: the check's own work, such as
    hashing and serialising the articles, is not the parser's)."""
    started, cpu = time.perf_counter(), time.process_time()
    seconds = wall = 0.0
    try:
        try:
            articles = parse_bytes(seed.data, seed.name)
        finally:
            seconds, wall = time.process_time() - cpu, time.perf_counter() - started
        check_articles(articles)
        result, detail = "articles", ""
    except ParseError as exc:
        reason = str(exc)
        ok = bool(reason.strip()) and "\n" not in reason
        result, detail = ("refused", reason) if ok else ("foreign", f"ParseError not one line: {reason!r}")
    except Exception as exc:  # noqa: BLE001 - the finding this harness exists to report
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        result = "foreign"
        detail = f"{type(exc).__name__}: {str(exc)[:200]} at {Path(frame.filename).name}:{frame.lineno}"
    return Outcome(index, label, seed.name, len(seed.data), seconds, wall, result, detail)


def named_cases(size: int = LONG_HUGE) -> Iterator[tuple[str, Seed]]:
    """The cases the robustness issue measured, and a file of `size` bytes of each format."""
    pool = {s.name: s for s in seeds()}
    text, page, feed = pool["001_zhurong-lands.txt"], pool["feature_page.html"], pool["f0.rss"]
    body = text.data.split(b"\n\n", 2)[2]
    ten_mb = size
    mb = f"{size / 2**20:g} MB"
    yield f"{mb} archive text", Seed("big.txt", text.data + body * (ten_mb // len(body)), "text")
    yield f"{mb} one line", Seed("line.txt", b"Title\n\n" + b"word " * (ten_mb // 5), "text")
    yield "Recent Posts 999999999999 years ago", Seed("age.txt", text.data.replace(
        b"Categories:", b"Saved: 2021-05-19\nCategories:") + b"\nRecent Posts\nA post\nIts teaser\n"
        b"999999999999 years ago\n", "text")
    yield "Published year 1 +05:00", Seed("y1.txt", b"Published: 0001-01-01T00:00:00+05:00\n" + text.data,
                                          "text")
    md = pool["a0.md"].data
    yield f"{mb} Markdown", Seed("big.md", md + md.split(b"---\n", 2)[2] * (ten_mb // len(md)), "markdown")
    yield f"{mb} of ![a](", Seed("img.md", b"# T\n\n" + b"![a](" * (ten_mb // 5), "markdown")
    yield "YAML nested 1,000", Seed("deep.md", b"---\ntitle: " + b"[" * 1000 + b"]" * 1000 + b"\n---\nx\n",
                                    "markdown")
    yield "YAML 5,000 digits", Seed("num.md", b"---\ntitle: T\nn: " + b"1" * 5000 + b"\n---\nx\n",
                                    "markdown")
    yield f"{mb} page", Seed("big.html", page.data.replace(
        b"<main>", b"<main>" + b"<p>Filler paragraph of an overlong page.</p>" * (ten_mb // 42)), "html")
    yield "10,000 nested <p>", Seed("p.html", b"<html><body><h1>T</h1>" + b"<p>x " * 10_000, "html")
    yield "10,000 nested <div>", Seed("div.html", b"<html><body><h1>T</h1>" + b"<div>x " * 10_000, "html")
    yield f"{mb} text node", Seed("node.html", b"<html><body><h1>T</h1><p>" + b"word " * (ten_mb // 5),
                                  "html")
    yield "charset=zlib", Seed("z.html", page.data.replace(b'charset="utf-8"', b"charset=zlib"), "html")
    yield "charset=undefined", Seed("u.html", page.data.replace(b'charset="utf-8"', b"charset=undefined"),
                                    "html")
    yield "JSON-LD @graph 5", Seed("g.html", page.data.replace(
        b"<head>", b'<head><script type="application/ld+json">{"@graph": 5}</script>'), "html")
    yield "port 99999 and http://[::1", Seed("url.html", page.data.replace(
        b"https://news.example.org/2023/04/gateway-module-ships", b"http://[::1").replace(
        b"<head>", b'<head><meta property="og:image" content="https://x.org:99999/i.jpg">'), "html")
    record = pool["a0.json"].data
    yield f"{mb} JSON export", Seed("big.json", b"[" + b",".join([record] * (ten_mb // len(record))) + b"]",
                                    "json")
    yield "JSON nested 1,000", Seed("deep.json", b'{"title": "T", "author": ' + b"[" * 1000 + b"]" * 1000
                                    + b', "text": "x"}', "json")
    yield "JSON nested 10,000", Seed("deeper.json", b"[" * 10_000, "json")
    yield "JSON 5,000 digits", Seed("num.json", b'{"title": "T", "text": "x", "n": ' + b"1" * 5000 + b"}",
                                    "json")
    item = feed.data[feed.data.index(b"<item>"):feed.data.rindex(b"</item>") + 7]
    yield f"{mb} feed", Seed("big.rss", feed.data.replace(item, item * (ten_mb // len(item))), "feed")
    yield "year 10000 in a feed", Seed("y.rss", feed.data.replace(b"2021 18:30", b"10000 18:30"), "feed")
    yield "feed link port 99999", Seed("l.rss", feed.data.replace(b"https://news.example.org",
                                                                  b"https://news.example.org:99999"), "feed")


def run(count: int, *, huge: int = DEFAULT_HUGE, start: int = 0) -> Report:
    report = Report()
    started = time.perf_counter()
    for label, seed in named_cases(huge):
        report.outcomes.append(run_one(-1, label, seed))
    for index, label, seed in corpus(count, huge=huge, start=start):
        report.outcomes.append(run_one(index, label, seed))
    report.wall_seconds = time.perf_counter() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.articles.fuzzing",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=2000, help="how many inputs (default 2000)")
    parser.add_argument("--start", type=int, default=0, help="first input index")
    parser.add_argument("--only", type=int, help="run this one input and print what happens")
    parser.add_argument("--huge", type=int, default=LONG_HUGE, help="size of the largest huge line")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # skipped JSON lines are reported per input, not logged
    if args.only is not None:
        [(index, label, seed)] = list(corpus(1, huge=args.huge, start=args.only))
        print(f"#{index} {label} {seed.name} {len(seed.data):,} bytes: {seed.data[:300]!r}")
        outcome = run_one(index, label, seed)
        print(f"{outcome.result} in {outcome.seconds:.3f} s: {outcome.detail}")
        return 0 if outcome.result != "foreign" and outcome.seconds <= MAX_SECONDS else 1
    report = run(args.inputs, huge=args.huge, start=args.start)
    print(report.summary())
    return 1 if report.foreign or report.slow else 0


if __name__ == "__main__":
    sys.exit(main())
