"""The inputs the robustness issue measured, one by one: each gives articles or a one-line
ParseError, never another exception. (How long each takes is checked by the fuzz test.)"""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles import limits
from articles.errors import ParseError
from articles.feeds import parse_feed
from articles.identity import normalise_link
from articles.parse import parse_bytes

DATA = Path(__file__).parent / "data"
HEADED = (DATA / "headed_article.txt").read_bytes()
RSS = (DATA / "feed.rss").read_bytes()
PAGE = (DATA / "page.html").read_bytes()


def refused(data: bytes, name: str) -> str:
    with pytest.raises(ParseError) as info:
        parse_bytes(data, name)
    reason = str(info.value)
    assert reason and "\n" not in reason
    return reason


def test_an_age_of_999999999999_years_in_recent_posts():
    data = HEADED.replace(b"17 hours ago", b"999999999999 years ago")
    [article] = parse_bytes(data, "a.txt")
    post = next(p for p in article.recent_posts if p.age == "999999999999 years ago")
    assert post.approx_date is None


def test_published_in_year_one_east_of_greenwich():
    data = HEADED.replace(b"Published: 2021-05-15T09:30:00+08:00",
                          b"Published: 0001-01-01T00:00:00+05:00")
    [article] = parse_bytes(data, "a.txt")
    assert article.published is None


@pytest.mark.parametrize("link", [b"https://news.example.org:99999/a", b"http://[::1"])
def test_links_with_a_port_out_of_range_or_a_broken_ipv6_host(link):
    [article] = parse_bytes(HEADED.replace(b"https://news.example.org/2021/05/zhurong-touchdown", link),
                            "a.txt")
    assert article.url is None
    assert article.id.startswith("guid:")
    feed = parse_feed(RSS.replace(b"https://news.example.org/2021/07/ingenuity-ten", link),
                      base_url=link.decode())
    assert feed[0].url is None
    [page] = parse_bytes(PAGE.replace(b"/2022/03/hope-dust", link), "p.html", base_url=link.decode())
    assert page.url == "https://news.example.org/hope-dust?utm_source=feed"


@pytest.mark.parametrize("link", ["http://[::1", "https://x.org:99999/a", "http://[::1]:8080/x/"])
def test_normalising_a_link_that_does_not_parse_keeps_it_as_written(link):
    assert normalise_link(link) in (link, "https://::1:8080/x")


@pytest.mark.parametrize("front", [b"[" * 1000 + b"]" * 1000, b"{a: " * 1000 + b"1" + b"}" * 1000])
def test_yaml_front_matter_nested_a_thousand_levels(front):
    assert refused(b"---\ntitle: T\ndeep: " + front + b"\n---\nBody.\n", "a.md").startswith(
        "bad front matter")


@pytest.mark.parametrize("name", ["a.json", "a.jsonl"])
def test_json_nested_a_thousand_levels(name):
    deep = b'{"title": "T", "text": "x", "author": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    assert "nested too deeply" in refused(deep, name)


def test_a_5000_digit_integer_in_json_and_in_front_matter():
    number = b"1" * 5000
    assert refused(b'{"title": "T", "text": "x", "n": ' + number + b"}", "a.json").startswith(
        "not valid JSON")
    assert refused(b"---\ntitle: T\nn: " + number + b"\n---\nBody.\n", "a.md").startswith(
        "bad front matter")


def test_a_4000_digit_integer_is_just_a_value():
    [article] = parse_bytes(b'{"title": "T", "text": "x", "id": ' + b"1" * 4000 + b"}", "a.json")
    assert article.guid == "1" * 4000


def test_json_ld_graph_that_is_a_number():
    page = PAGE.replace(b'"@graph": [', b'"@graph": 5, "x": [')
    [article] = parse_bytes(page, "p.html")
    assert article.title == "Hope Orbiter Maps Martian Dust Storms"


def test_year_10000_in_a_feed():
    feed = parse_feed(RSS.replace(b"Sat, 24 Jul 2021 18:30:00 -0400", b"Sat, 24 Jul 10000 18:30:00 -0400"))
    assert feed[0].published is None
    assert feed[1].published == datetime(2021, 7, 23, 8, tzinfo=UTC)


def test_ten_thousand_nested_paragraphs_are_read():
    [article] = parse_bytes(b"<html><body><h1>Deep</h1>" + b"<p>word " * 10_000, "p.html")
    assert len(article.paragraphs) == 10_000


def test_ten_thousand_nested_divs_keep_what_the_parser_keeps():
    [article] = parse_bytes(b"<html><body><h1>Deep</h1>" + b"<div>word " * 10_000, "p.html")
    assert article.title == "Deep"
    assert "word word" in article.body_text


def test_a_lone_surrogate_from_json_becomes_a_replacement_character():
    [article] = parse_bytes(b'{"title": "T\\ud800", "text": "Body \\udfff."}', "a.json")
    assert article.title == "T\ufffd\ufffd\ufffd"
    article.title.encode("utf-8")


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"x\n" * (limits.MAX_LINES + 1), "a.txt", "lines"),
        (b"---\ntitle: T\n---\n" + b"x\n" * (limits.MAX_LINES + 1), "a.md", "lines"),
        (b"<html><h1>T</h1>" + b"<b>" * (limits.MAX_TAGS + 1), "a.html", "tags"),
        (b"<rss><channel><item><title>" + b"&#x" * (limits.MAX_REFERENCES + 1) + b"</title></item>",
         "a.rss", "character references"),
        (b"<rss><channel>" + b"<item><title>t</title></item>" * (limits.MAX_ARTICLES + 1)
         + b"</channel></rss>", "a.rss", "entries"),
        (b"\n".join([b'{"title": "t", "text": "x"}'] * (limits.MAX_ARTICLES + 2)), "a.jsonl", "lines"),
        (b'{"title": "t", "paragraphs": [' + b'"p",' * limits.MAX_PARAGRAPHS + b'"p"]}', "a.json",
         "paragraphs"),
    ],
)
def test_files_beyond_the_bounds_are_refused_with_the_count(data, name, reason):
    assert reason in refused(data, name)


def test_a_feed_with_too_many_paragraphs_in_all_is_refused():
    item = b"<item><title>t</title><description>" + b"&lt;p&gt;p&lt;/p&gt;" * 1000 + b"</description></item>"
    count = limits.MAX_FEED_PARAGRAPHS // 1000 + 1
    assert "split it" in refused(b"<rss><channel>" + item * count + b"</channel></rss>", "a.rss")


def test_an_export_with_too_many_paragraphs_in_all_is_refused():
    record = b'{"title": "t", "paragraphs": [' + b'"p",' * 999 + b'"p"]}'
    count = limits.MAX_FILE_PARAGRAPHS // 1000 + 1
    assert "split it" in refused(b"[" + b",".join([record] * count) + b"]", "a.json")


def test_a_credit_word_at_the_edge_of_the_searched_end_of_a_long_paragraph():
    from articles.archive_text import MAX_CREDIT_CHARS, find_credit

    for after in range(MAX_CREDIT_CHARS, 3 * MAX_CREDIT_CHARS):  # the searched end is in there
        assert find_credit("Credit" + "x" * after) is None
        assert find_credit("x" * after + " Image Credit: NASA/JPL") == "NASA/JPL"
