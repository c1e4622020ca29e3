"""Fuzzing every parser: whatever the bytes, articles or a one-line ParseError, within 2 s.

Two parts: the deterministic mutation corpus of tests/articles/fuzzing.py (the project's articles
in every format, mutated), and hypothesis strategies that build each format's structure from
arbitrary values. The default run takes seconds; FUZZ_INPUTS sets the corpus size for a long run
(which also grows the hypothesis examples and the huge lines to 10 MB):

    FUZZ_INPUTS=20000 python -m pytest tests/articles/test_fuzz.py -s
"""

from __future__ import annotations

import json
import os
import string
from datetime import datetime

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.dates import parse_age, parse_date
from articles.errors import ParseError
from articles.identity import absolute_link, normalise_link, readable_link, web_link
from articles.parse import parse_bytes
from tests.articles.fuzzing import (
    BAD_DATES,
    BAD_URLS,
    DEFAULT_HUGE,
    LONG_HUGE,
    MAX_SECONDS,
    check_articles,
    run,
)

DEFAULT_INPUTS = 300
FUZZ_INPUTS = int(os.environ.get("FUZZ_INPUTS", DEFAULT_INPUTS))
LONG_RUN = FUZZ_INPUTS > DEFAULT_INPUTS
EXAMPLES = max(FUZZ_INPUTS // 10, 60)
FUZZ = settings(max_examples=EXAMPLES, deadline=int(MAX_SECONDS * 1000), derandomize=not LONG_RUN,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def parses_or_refuses(data: bytes, name: str) -> None:
    try:
        articles = parse_bytes(data, name)
    except ParseError as exc:
        assert str(exc).strip() and "\n" not in str(exc)
    else:
        check_articles(articles)


def test_mutation_corpus_reads_or_refuses_every_input_in_time():
    report = run(FUZZ_INPUTS, huge=LONG_HUGE if LONG_RUN else DEFAULT_HUGE)
    print(f"\n{report.summary()}")
    assert not report.foreign, "\n".join(f"#{o.index} {o.label}: {o.detail}" for o in report.foreign)
    assert not report.slow, "\n".join(f"#{o.index} {o.label}: {o.seconds:.2f} s" for o in report.slow)
    assert {o.name.rsplit(".", 1)[-1] for o in report.outcomes} >= {"txt", "md", "html", "json",
                                                                     "jsonl", "rss", "atom", "rdf"}


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
    | st.sampled_from(BAD_DATES + BAD_URLS),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children,
                                                                       max_size=4),
    max_leaves=20,
)
KEYS = st.sampled_from(["title", "url", "link", "author", "published", "date", "tags", "categories",
                        "id", "image", "teaser", "paragraphs", "content", "body", "text", "name"])
RECORDS = st.dictionaries(KEYS, JSON_VALUES, max_size=8).map(
    lambda r: {"title": "A title", "text": "Some text.", **r})


@FUZZ
@given(records=st.lists(RECORDS, min_size=1, max_size=3), lines=st.booleans())
def test_json_exports_of_any_shape(records, lines):
    if lines:
        data = "\n".join(json.dumps(r) for r in records).encode("utf-8", "surrogatepass")
        parses_or_refuses(data, "export.jsonl")
    else:
        parses_or_refuses(json.dumps(records).encode("utf-8", "surrogatepass"), "export.json")


@FUZZ
@given(meta=RECORDS, body=st.text(max_size=300), raw=st.text(max_size=200))
def test_markdown_front_matter_of_any_shape(meta, body, raw):
    front = yaml.safe_dump(meta, allow_unicode=True)
    parses_or_refuses(f"---\n{front}---\n{body}".encode("utf-8", "surrogatepass"), "post.md")
    parses_or_refuses(f"---\n{raw}\n---\n# T\n{body}".encode("utf-8", "surrogatepass"), "post.md")


MARKUP = st.lists(
    st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<br>", "<figure>", "<figcaption>",
                     "</figcaption>", "<article>", "<h1>", "</h1>", "<a href='/x'>", "</a>",
                     "<span class='credit'>", "<table><tr><td>", "<li>", "<nav>", "<script>",
                     "&amp;", "&nbsp;", "<!--", "-->", "<p class='wp-caption-text'>", "Credit: X",
                     '<meta property="og:title" content="', '">', "<title>", "</title>",
                     '<meta charset="', '<script type="application/ld+json">{"@graph": ',
                     "</script>", '<link rel="canonical" href="'])
    | st.text(max_size=30) | st.sampled_from(BAD_DATES + BAD_URLS),
    max_size=60,
).map("".join)


@FUZZ
@given(markup=MARKUP)
def test_html_pages_of_any_shape(markup):
    parses_or_refuses(f"<!DOCTYPE html><html><head>{markup}".encode("utf-8", "surrogatepass"), "p.html")
    parses_or_refuses(f"<html><body><h1>T</h1>{markup}".encode("utf-8", "surrogatepass"), "p.html")


FEED_TEXT = st.text(max_size=40) | st.sampled_from(BAD_DATES + BAD_URLS + (
    "<![CDATA[<p>x</p>]]>", "&eacute;", "&bogus;", "&#xD800;", "<b>bold</b>", "<", "&"))


@FUZZ
@given(title=FEED_TEXT, link=FEED_TEXT, date=FEED_TEXT, body=MARKUP, atom=st.booleans(),
       base=st.none() | st.sampled_from(BAD_URLS))
def test_feeds_of_any_shape(title, link, date, body, atom, base):
    if atom:
        feed = (f'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>{title}</title>'
                f'<link href="{link}"/><updated>{date}</updated><content type="html">{body}'
                "</content></entry></feed>")
    else:
        feed = (f"<rss><channel><link>{link}</link><item><title>{title}</title><link>{link}</link>"
                f"<pubDate>{date}</pubDate><description>{body}</description></item></channel></rss>")
    try:
        articles = parse_bytes(feed.encode("utf-8", "surrogatepass"), "feed.xml", base_url=base)
    except ParseError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        check_articles(articles)


ARCHIVE_LINES = st.lists(
    st.sampled_from(["URL: ", "Published: ", "Saved: ", "Author: ", "Categories: ", "Image: ",
                     "Id: ", "Recent Posts", "17 hours ago", "a month ago", "Credit: NASA.", "",
                     "Jane Doe", "She writes.", "NASAESAJWSTMars"])
    | st.text(max_size=40) | st.sampled_from(BAD_DATES + BAD_URLS + ("999999999999 years ago",)),
    max_size=30,
).map("\n".join)


@FUZZ
@given(text=ARCHIVE_LINES)
def test_archive_text_of_any_shape(text):
    parses_or_refuses(text.encode("utf-8", "surrogatepass"), "a.txt")


@FUZZ
@given(value=st.one_of(st.text(max_size=60), st.sampled_from(BAD_DATES), st.integers(),
                       st.floats(), st.datetimes(timezones=st.timezones()), st.dates(),
                       st.datetimes()))
def test_dates_are_none_or_aware_and_in_range(value):
    parsed = parse_date(value)
    assert parsed is None or (parsed.tzinfo is not None and 1000 <= parsed.year <= 9000)
    if isinstance(value, str):
        age = parse_age(value)
        assert age is None or age.total_seconds() >= 0


URL_TEXT = st.text(alphabet=string.printable + "[]:@%\u00e9\u0000", max_size=60)


@FUZZ
@given(url=URL_TEXT | st.sampled_from(BAD_URLS), base=st.none() | URL_TEXT | st.sampled_from(BAD_URLS))
def test_links_never_raise(url, base):
    assert isinstance(normalise_link(url), str)
    readable_link(url)
    web_link(url)
    absolute_link([url, None, ""], base)


@pytest.mark.parametrize("value", ["999999999999 years ago", "99999999999999999999 weeks ago"])
def test_absurd_ages_are_capped(value):
    assert parse_age(value).days == 3_650_000


def test_out_of_range_dates_are_none():
    assert parse_date("0001-01-01T00:00:00+05:00") is None
    assert parse_date(datetime(9999, 12, 31, 23)) is None
