"""RSS and Atom feeds."""

import threading
import urllib.request
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from articles.errors import ParseError
from articles.feeds import parse_feed
from articles.parse import parse_bytes

DATA = Path(__file__).parent / "data"
RSS = (DATA / "feed.rss").read_bytes()
ATOM = (DATA / "feed.atom").read_bytes()


def test_rss_entry_fields():
    first = parse_feed(RSS)[0]
    assert first.title == "Ingenuity Logs Its Tenth Flight"
    assert first.guid == "example-9001"
    assert first.url == "https://news.example.org/2021/07/ingenuity-ten"
    assert first.author == "Lena Fischer"
    assert first.published == datetime(2021, 7, 24, 22, 30, tzinfo=UTC)
    assert first.categories == ["Mars", "NASA"]
    assert first.image == "https://news.example.org/img/ingenuity.jpg"
    assert first.teaser == "The helicopter climbed to twelve metres for its tenth hop."


def test_rss_paragraphs_come_from_full_content_with_captions():
    paragraphs = parse_feed(RSS)[0].paragraphs
    assert [p.kind for p in paragraphs] == ["body", "caption", "body"]
    assert paragraphs[1].credit == "NASA/JPL-Caltech"


def test_rss_entry_without_content_uses_summary_and_enclosure_image():
    second = parse_feed(RSS)[1]
    assert [p.text for p in second.paragraphs] == ["Just one paragraph of summary."]
    assert second.image == "https://news.example.org/img/short.png"
    assert second.url == "https://news.example.org/2021/07/short"


def test_atom_entry_fields():
    [entry] = parse_feed(ATOM)
    assert entry.guid == "urn:example:webb-sunshield"
    assert entry.url == "https://news.example.org/2022/01/webb-sunshield"
    assert entry.author == "Ana Souza"
    assert entry.published == datetime(2022, 1, 4, 22, 15, tzinfo=UTC)
    assert entry.categories == ["JWST"]
    assert [p.text for p in entry.paragraphs] == [
        "Controllers finished tensioning the fifth layer on Tuesday.",
        "Mirror deployment comes next.",
    ]


def test_feed_given_as_text_parses_the_same():
    assert [a.title for a in parse_feed(ATOM.decode())] == ["Webb Unfolds Its Sunshield"]


def test_entries_without_title_are_skipped_and_empty_feed_gives_nothing():
    feed = b'<rss version="2.0"><channel><title>F</title><item><description>x</description>' \
           b"</item></channel></rss>"
    assert parse_feed(feed) == []


def test_html_page_is_not_a_feed():
    with pytest.raises(ParseError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body><p>Hello</p></body></html>")


def test_text_that_looks_like_a_path_is_never_opened():
    with pytest.raises(ParseError, match="not an RSS or Atom feed"):
        parse_feed(str(DATA / "feed.rss"))


@pytest.fixture
def served_data():
    """DATA served over HTTP on 127.0.0.1, as feeds and pages arrive in production."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(DATA))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_feed_fetched_over_http_resolves_links_against_its_address(served_data):
    url = f"{served_data}/feed.rss"
    with urllib.request.urlopen(url, timeout=10) as response:
        data = response.read()
    articles = parse_bytes(data, "feed.rss", base_url=url)
    assert articles[1].url == f"{served_data}/2021/07/short"
    assert articles[0].url == "https://news.example.org/2021/07/ingenuity-ten"


def test_page_fetched_over_http_without_extension_is_read_as_html(served_data):
    with urllib.request.urlopen(f"{served_data}/page.html", timeout=10) as response:
        data = response.read()
    [article] = parse_bytes(data, "hope-dust", base_url=f"{served_data}/hope-dust")
    assert article.title == "Hope Orbiter Maps Martian Dust Storms"
    assert article.url == f"{served_data}/2022/03/hope-dust"
