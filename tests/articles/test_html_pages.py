"""Article pages in HTML: trafilatura's main text, the page's own metadata first, captions."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles import html
from articles.errors import ParseError
from articles.html import html_paragraphs, parse_html
from articles.parse import parse_bytes

DATA = Path(__file__).parent / "data"
PAGE = (DATA / "page.html").read_text(encoding="utf-8")
FEATURE = (DATA / "feature_page.html").read_text(encoding="utf-8")


def test_metadata_from_open_graph_meta_and_json_ld():
    article = parse_html(PAGE, base_url="https://news.example.org/feed")
    assert article.title == "Hope Orbiter Maps Martian Dust Storms"
    assert article.url == "https://news.example.org/2022/03/hope-dust"
    assert article.image == "https://news.example.org/img/hope.jpg"
    assert article.author == "Omar Haddad"
    assert article.published == datetime(2022, 3, 2, 14, 0, tzinfo=UTC)
    assert article.categories == ["Mars", "UAE"]
    assert article.teaser == "The UAE spacecraft follows storms across a whole season."


def test_relative_canonical_without_base_falls_back_to_absolute_og_url():
    article = parse_html(PAGE)
    assert article.url == "https://news.example.org/hope-dust?utm_source=feed"
    assert article.image == "https://news.example.org/img/hope.jpg"


def test_body_skips_nav_aside_footer_and_keeps_links_text():
    texts = [p.text for p in parse_html(PAGE).paragraphs]
    assert texts[0] == ("The Emirates Mars Mission has watched regional dust storms grow and "
                        "fade over a full Martian season.")
    assert not any("Home" in t or "Read also" in t or "©" in t for t in texts)
    assert len(texts) == 4


def test_figcaption_is_a_caption_with_its_credit():
    caption = parse_html(PAGE).paragraphs[1]
    assert caption.kind == "caption"
    assert caption.credit == "EMM/MBRSC"


def test_paragraph_ending_in_a_credit_is_a_caption():
    last = parse_html(PAGE).paragraphs[-1]
    assert (last.kind, last.credit) == ("caption", "UAE Space Agency")


def test_line_break_reads_as_a_space():
    assert parse_html(PAGE).paragraphs[2].text.endswith("times of day. That had not been "
                                                       "possible before.")


def test_title_falls_back_to_h1_then_title_tag():
    h1 = parse_html("<html><body><h1>From H1</h1><p>Text.</p></body></html>")
    title = parse_html("<html><head><title>From Title</title></head><body><p>Text.</p></body>")
    assert (h1.title, title.title) == ("From H1", "From Title")


def test_author_and_date_from_meta_name_and_time_element():
    article = parse_html(
        '<html><head><meta name="author" content="Kofi Mensah"></head><body><article>'
        '<h1>T</h1><time datetime="2020-07-30T11:50:00Z">July 30</time><p>Launch.</p>'
        "</article></body></html>"
    )
    assert article.author == "Kofi Mensah"
    assert article.published == datetime(2020, 7, 30, 11, 50, tzinfo=UTC)


def test_truncated_page_keeps_what_arrived():
    kept = "Scientists say the orbit lets them"
    cut = PAGE[: PAGE.index(kept) + len(kept)]
    article = parse_html(cut)
    assert article.title == "Hope Orbiter Maps Martian Dust Storms"
    assert [p.kind for p in article.paragraphs] == ["body", "caption", "body"]
    assert article.paragraphs[-1].text == kept


def test_page_cut_before_any_text_is_refused():
    with pytest.raises(ParseError, match="no article text"):
        parse_html(PAGE[: PAGE.index("<article>")])


def test_page_without_title_is_refused():
    with pytest.raises(ParseError, match="no title"):
        parse_html("<html><body><p>Text without any heading.</p></body></html>")


def test_fragment_without_p_tags_splits_at_double_breaks():
    paragraphs = html_paragraphs("First part of the text.<br><br>Second part.")
    assert [p.text for p in paragraphs] == ["First part of the text.", "Second part."]


def test_unclosed_paragraphs_are_not_duplicated():
    paragraphs = html_paragraphs("<p>One sentence.<p>Another sentence.")
    assert [p.text for p in paragraphs] == ["One sentence.", "Another sentence."]


def test_main_text_keeps_headings_lists_tables_and_line_broken_text():
    texts = [p.text for p in parse_html(FEATURE).paragraphs]
    assert "What comes next" in texts
    assert "Integration tests through the autumn" in texts
    assert "Habitation module 10 tonnes" in texts
    assert ("The crossing takes about three weeks. A cargo ship chartered for the job will dock at "
            "Port Canaveral.") in texts


def test_main_text_leaves_out_menus_search_teasers_comments_byline_and_footer():
    text = parse_html(FEATURE).body_text
    for furniture in ("Missions", "Search the archive", "Meet the crew", "heat shield", "spacefan42",
                      "Three weeks at sea", "All rights reserved", "Related articles", "By Carla"):
        assert furniture not in text


def test_title_is_not_repeated_as_a_paragraph():
    article = parse_html(FEATURE)
    assert article.title == "Lunar Gateway Module Ships to Florida"
    assert article.title not in [p.text for p in article.paragraphs]


def test_captions_stand_where_the_page_has_them_with_their_credits():
    paragraphs = parse_html(FEATURE).paragraphs
    captions = [(i, p.credit) for i, p in enumerate(paragraphs) if p.kind == "caption"]
    assert captions == [(0, "Example Aerospace"), (len(paragraphs) - 2, "Example Space Agency")]
    assert paragraphs[-1].text.startswith("Launch of the first two elements")


def test_caption_class_and_copyright_credit():
    page = ("<html><head><title>T</title></head><body><article><h1>Probe Wakes Up</h1>"
            "<p>The probe answered its first call after a decade of hibernation, to the relief of the "
            "whole team that had waited by the antennas all night for the signal.</p>"
            '<div class="wp-caption"><img src="a.jpg"><p class="wp-caption-text">The antenna that '
            "heard it. \u00a9 Deep Space Network</p></div>"
            "<p>It will now be pointed at a comet, which it should reach in two years if all goes to "
            "plan and the fuel lasts as long as the engineers expect it to.</p></article></body></html>")
    [caption] = [p for p in parse_html(page).paragraphs if p.kind == "caption"]
    assert (caption.text, caption.credit) == ("The antenna that heard it. \u00a9 Deep Space Network",
                                              "Deep Space Network")


def page_with(head: str, body: str = "") -> str:
    return (f"<html><head><title>Comet Sample Lands</title>{head}</head><body><article>"
            f"<h1>Comet Sample Lands</h1>{body}<p>The capsule came down in the desert at dawn and "
            "was flown to the curation lab within hours, sealed in its own nitrogen-filled "
            "container.</p></article></body></html>")


BYLINE = ('<p class="byline">By <a rel="author" href="/a/nadia">Nadia Okafor</a> '
          '<time datetime="2024-09-24T14:42:00Z">Sept. 24</time></p>')
LD = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "Tomas Berg"},'
      ' "datePublished": "2024-09-23T08:00:00Z"}</script>')
META = ('<meta name="author" content="Ines Duarte">'
        '<meta property="article:published_time" content="2024-09-22T06:00:00Z">')


def test_author_and_date_from_meta_tags_before_json_ld_and_byline():
    article = parse_html(page_with(META + LD, BYLINE))
    assert (article.author, article.published) == ("Ines Duarte", datetime(2024, 9, 22, 6, tzinfo=UTC))


def test_author_and_date_from_json_ld_before_byline():
    article = parse_html(page_with(LD, BYLINE))
    assert (article.author, article.published) == ("Tomas Berg", datetime(2024, 9, 23, 8, tzinfo=UTC))


def test_author_and_date_from_trafilatura_reading_the_byline_when_the_page_says_nothing_else():
    article = parse_html(page_with("", BYLINE))
    assert article.author == "Nadia Okafor"
    assert article.published == datetime(2024, 9, 24, 14, 42, tzinfo=UTC)


def test_each_field_falls_back_on_its_own():
    article = parse_html(page_with('<meta name="author" content="Ines Duarte">', BYLINE))
    assert (article.author, article.published) == ("Ines Duarte", datetime(2024, 9, 24, 14, 42, tzinfo=UTC))


@pytest.mark.parametrize("graph", ["5", '"x"', "null", '{"@type": "NewsArticle", "headline": "H"}',
                                   '[[[["deep"]]]]'])
def test_odd_json_ld_shapes_are_passed_over(graph):
    page = page_with(f'<script type="application/ld+json">{{"@graph": {graph}}}</script>'
                     '<script type="application/ld+json">{"@type": [{"x": 1}], "author": 7}</script>')
    assert parse_html(page).title == "Comet Sample Lands"


@pytest.mark.parametrize("link", ["http://[::1", "https://news.example.org:99999/a", "javascript:x"])
def test_links_that_do_not_parse_are_left_out(link):
    page = page_with(f'<link rel="canonical" href="{link}"><meta property="og:image" content="{link}">')
    article = parse_html(page, base_url=link)
    assert (article.url, article.image) == (None, None)


@pytest.mark.parametrize("charset", ["zlib", "undefined", "unicode_escape", "no-such-charset", "utf-16"])
def test_declared_charsets_that_cannot_decode_a_page_are_ignored(charset):
    page = page_with(f'<meta charset="{charset}">').replace("desert", "d\u00e9sert").encode("utf-8")
    [article] = parse_bytes(page, "page.html")
    assert "d\u00e9sert" in article.body_text


def test_a_page_that_lies_about_its_charset_is_read_as_what_it_is():
    page = page_with('<meta charset="iso-8859-1">').replace("desert", "d\u00e9sert")
    [article] = parse_bytes(page.encode("utf-8"), "page.html")
    assert "d\u00e9sert" in article.body_text


RUSSIAN = ("\u041a\u0430\u043f\u0441\u0443\u043b\u0430 \u043f\u0440\u0438\u0437\u0435\u043c\u043b"
           "\u0438\u043b\u0430\u0441\u044c \u0432 \u043f\u0443\u0441\u0442\u044b\u043d\u0435 "
           "\u043d\u0430 \u0440\u0430\u0441\u0441\u0432\u0435\u0442\u0435")


def test_a_page_without_charset_is_detected():
    page = page_with("", f"<p>{RUSSIAN}. {RUSSIAN}, {RUSSIAN}.</p>")
    [article] = parse_bytes(page.encode("cp1251"), "page.html")
    assert RUSSIAN in article.body_text


def test_a_page_too_big_for_trafilatura_is_read_by_the_block_reader(monkeypatch):
    monkeypatch.setattr(html, "MAX_EXTRACTED_ELEMENTS", 10)
    paragraphs = parse_html(FEATURE).paragraphs
    texts = [p.text for p in paragraphs]
    assert [p.credit for p in paragraphs if p.kind == "caption"] == ["Example Aerospace",
                                                                     "Example Space Agency"]
    assert "Habitation module 10 tonnes" in texts
    assert "Missions" not in " ".join(texts)
