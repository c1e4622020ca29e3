"""Article pages in HTML."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.errors import ParseError
from articles.html import html_paragraphs, parse_html

PAGE = (Path(__file__).parent / "data" / "page.html").read_text(encoding="utf-8")


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
