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


def test_rss_1_0_items_with_dublin_core():
    feed = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://news.example.org/"><title>F</title><link>https://news.example.org/</link></channel>
  <item rdf:about="https://news.example.org/2020/06/vega-returns">
    <title>Vega Returns to Flight</title><link>https://news.example.org/2020/06/vega-returns</link>
    <dc:creator>Giulia Conti</dc:creator><dc:date>2020-09-03T01:51:10+00:00</dc:date>
    <dc:subject>Launchers</dc:subject><description>Fifty-three satellites on one ride.</description>
  </item>
</rdf:RDF>"""
    [item] = parse_feed(feed)
    assert (item.title, item.author, item.guid) == (
        "Vega Returns to Flight", "Giulia Conti", "https://news.example.org/2020/06/vega-returns")
    assert item.published == datetime(2020, 9, 3, 1, 51, 10, tzinfo=UTC)
    assert item.categories == ["Launchers"]


def test_atom_xhtml_content_and_links_by_rel():
    feed = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry>
  <title type="html">Starliner &lt;em&gt;Docks&lt;/em&gt;</title><id>urn:x:1</id>
  <link rel="self" href="https://news.example.org/feed/1"/>
  <link rel="alternate" href="https://news.example.org/2024/06/starliner-docks"/>
  <link rel="enclosure" type="image/jpeg" href="https://news.example.org/img/starliner.jpg"/>
  <updated>2024-06-06T17:34:00Z</updated>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>It docked on the second try.</p>
    <p>Two thrusters stayed off.</p></div></content>
</entry></feed>"""
    [entry] = parse_feed(feed)
    assert entry.title == "Starliner Docks"
    assert entry.url == "https://news.example.org/2024/06/starliner-docks"
    assert entry.image == "https://news.example.org/img/starliner.jpg"
    assert [p.text for p in entry.paragraphs] == ["It docked on the second try.", "Two thrusters stayed off."]


def test_html_entities_an_email_byline_and_a_permalink_guid():
    feed = b"""<rss version="2.0"><channel><title>F</title><item>
  <title>Caf&eacute; on the&nbsp;Moon</title>
  <guid>https://news.example.org/2021/01/cafe</guid>
  <author>lena@example.org (Lena Fischer)</author>
  <description>A caf&eacute; &amp; a view.</description>
</item></channel></rss>"""
    [item] = parse_feed(feed)
    assert item.title == "Caf\u00e9 on the Moon"
    assert item.author == "Lena Fischer"
    assert item.url == "https://news.example.org/2021/01/cafe"
    assert item.teaser == "A caf\u00e9 & a view."


def test_a_broken_feed_is_read_as_far_as_it_makes_sense():
    feed = (b"<rss version='2.0'><channel><title>F & friends</title>"
            b"<item><title>First & Only</title><link>https://news.example.org/a</link>"
            b"<description><p>Unescaped <b>markup</description></item>"
            b"<item><title>Second</title><description>cut off here")
    items = parse_feed(feed)
    assert items[0].title == "First & Only"
    assert items[0].url == "https://news.example.org/a"
    assert "Unescaped markup" in items[0].body_text


def test_a_feed_in_a_declared_legacy_encoding():
    feed = ('<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><item>'
            "<title>Caf\u00e9 in Orbit</title>"
            "<description>Cr\u00e8me br\u00fbl\u00e9e at 400 km.</description></item></channel></rss>"
            ).encode("iso-8859-1")
    [item] = parse_feed(feed)
    assert item.title == "Caf\u00e9 in Orbit"
    assert item.body_text == "Cr\u00e8me br\u00fbl\u00e9e at 400 km."


def test_markup_that_recovery_turns_into_odd_tag_names_is_still_read():
    feed = (b"<rss><channel><item><title>Odd</title><description>before <: <a:b>kept</a:b> after"
            b"</description></item></channel></rss>")
    [item] = parse_feed(feed)
    assert item.title == "Odd"
    assert "kept" in item.body_text
