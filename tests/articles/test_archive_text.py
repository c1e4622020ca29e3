"""The archive's text format: headers, categories, captions, author block, recent posts."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.archive_text import find_credit, parse_archive_text, split_categories
from articles.errors import ParseError

DATA = Path(__file__).parent / "data"


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_headers_fill_url_dates_author_guid_and_image():
    article = parse_archive_text(read("headed_article.txt"))
    assert article.url == "https://news.example.org/2021/05/zhurong-touchdown"
    assert article.published == datetime(2021, 5, 15, 1, 30, tzinfo=UTC)
    assert article.author == "Priya Raman"
    assert article.guid == "example-4471"
    assert article.image == "https://news.example.org/img/zhurong.jpg"
    assert article.categories == ["China", "Mars"]
    assert article.title == "Zhurong Rover Reaches the Martian Surface"


def test_header_keys_are_case_insensitive_and_dates_accept_written_forms():
    article = parse_archive_text(
        "PUBLISHED: May 15, 2021\nurl: https://x.example/a\nCategories: Mars\n\nTitle\n\nBody."
    )
    assert article.published == datetime(2021, 5, 15, tzinfo=UTC)
    assert article.url == "https://x.example/a"


def test_rfc2822_published_header_is_read_as_utc():
    article = parse_archive_text("Published: Sat, 15 May 2021 10:00:00 +0200\n\nTitle\n\nBody.")
    assert article.published == datetime(2021, 5, 15, 8, 0, tzinfo=UTC)


def test_unreadable_published_header_leaves_no_date():
    article = parse_archive_text("Published: sometime in spring\n\nTitle\n\nBody.")
    assert article.published is None
    assert article.title == "Title"


def test_file_without_headers_has_no_url_date_or_guid():
    article = parse_archive_text(read("plain_article.txt"))
    assert (article.url, article.published, article.guid) == (None, None, None)
    assert article.title == "Artemis Crew Trains for a Long Lunar Night"
    assert article.categories == ["Space Exploration", "Moon"]


def test_file_starting_with_the_title_parses():
    article = parse_archive_text("A Title Alone\n\nFirst paragraph here.\n\nSecond one.")
    assert article.title == "A Title Alone"
    assert [p.text for p in article.paragraphs] == ["First paragraph here.", "Second one."]
    assert article.categories == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ChinaMars", ["China", "Mars"]),
        ("NASAMars", ["NASA", "Mars"]),
        ("Space ExplorationMoon", ["Space Exploration", "Moon"]),
        ("JWSTNASA", ["JWST", "NASA"]),
        ("ESAExoMars", ["ESA", "ExoMars"]),
        ("SpaceXStarship", ["SpaceX", "Starship"]),
        ("Guide to SpaceBlack Holes", ["Guide to Space", "Black Holes"]),
        ("Tianwen-1Mars", ["Tianwen-1", "Mars"]),
        ("Astronomy", ["Astronomy"]),
        ("QXZWV", ["QXZWV"]),
        ("", []),
    ],
)
def test_categories_run_together_are_split(value, expected):
    assert split_categories(value) == expected


def test_empty_categories_line_gives_no_categories():
    article = parse_archive_text("Categories: \n\nTitle\n\nBody.")
    assert article.categories == []
    assert article.title == "Title"


@pytest.mark.parametrize(
    ("text", "credit"),
    [
        ("The orbiter above the ice cap. Credit: CNSA.", "CNSA"),
        ("The lander on the plain. Image Credit: CNSA/CLEP", "CNSA/CLEP"),
        ("Dunes seen from orbit. Credit: NASA/JPL-Caltech/Univ. of Arizona",
         "NASA/JPL-Caltech/Univ. of Arizona"),
        ("An artist's view of the probe. Image: ESA", "ESA"),
        ("The crew after landing. Photo: Roscosmos", "Roscosmos"),
        ("The launch pad at dawn. Image courtesy of Rocket Lab.", "Rocket Lab"),
        ("A nebula in infrared (Credit: ESO)", "ESO"),
    ],
)
def test_caption_credit_styles(text, credit):
    assert find_credit(text) == credit


@pytest.mark.parametrize(
    "text",
    [
        "The ad ran free of charge courtesy of a sponsor. It then won an award for its humour.",
        "Credit: the team. Then the rover drove on for many more days across the plain.",
        "A plain sentence with no credit at all.",
    ],
)
def test_prose_is_not_taken_for_a_credit(text):
    assert find_credit(text) is None


def test_caption_keeps_its_text_and_carries_the_credit():
    article = parse_archive_text(read("plain_article.txt"))
    caption = article.paragraphs[1]
    assert caption.kind == "caption"
    assert caption.credit == "NASA/JSC"
    assert caption.text == "The habitat sits inside a hangar in Texas. Credit: NASA/JSC"
    assert [p.kind for p in article.paragraphs] == ["body", "caption", "body"]


def test_author_glued_to_the_last_caption_is_split_off():
    article = parse_archive_text(read("headed_article.txt").replace("Author: Priya Raman\n", ""))
    assert article.author == "Priya Raman"
    last = article.paragraphs[-1]
    assert last.kind == "caption" and last.credit == "CNSA/CLEP"
    assert "Priya" not in last.text


def test_author_after_a_blank_line_is_found():
    article = parse_archive_text(read("plain_article.txt"))
    assert article.author == "Tomas Verhoeven"


def test_biography_is_not_a_paragraph():
    for name in ("plain_article.txt", "headed_article.txt"):
        article = parse_archive_text(read(name))
        assert not any("writes about" in p.text or "reported on" in p.text
                       for p in article.paragraphs)
        assert not any(p.text in ("Tomas Verhoeven", "Priya Raman") for p in article.paragraphs)


def test_author_header_wins_over_the_block():
    text = "Author: Someone Else\n\n" + read("plain_article.txt")
    article = parse_archive_text(text)
    assert article.author == "Someone Else"
    assert len(article.paragraphs) == 3


def test_closing_two_word_line_without_a_biography_stays_in_the_body():
    text = "Title\n\nA first paragraph.\n\nFurther Reading\n\nA list of links."
    article = parse_archive_text(text)
    assert article.author is None
    assert [p.text for p in article.paragraphs][-2:] == ["Further Reading", "A list of links."]


def test_recent_posts_are_title_teaser_age_triples():
    posts = parse_archive_text(read("headed_article.txt")).recent_posts
    assert [p.title for p in posts] == [
        "Europa Clipper Passes Its Final Review",
        "A Second Look at the Perseverance Core Samples",
        "Why the Sun Keeps Flipping Its Magnetic Field",
    ]
    assert [p.age for p in posts] == ["17 hours ago", "2 days ago", "a month ago"]


def test_recent_post_without_teaser_does_not_shift_the_others():
    posts = parse_archive_text(read("headed_article.txt")).recent_posts
    assert posts[1].teaser == ""
    assert posts[2].teaser == "Every eleven years the poles swap places."


def test_ages_become_approximate_dates_from_saved():
    posts = parse_archive_text(read("headed_article.txt")).recent_posts
    assert posts[0].approx_date == datetime(2021, 5, 19, 19, 0, tzinfo=UTC)
    assert posts[1].approx_date == datetime(2021, 5, 18, 12, 0, tzinfo=UTC)
    assert posts[2].approx_date == datetime(2021, 4, 20, 12, 0, tzinfo=UTC)


def test_without_saved_recent_posts_have_no_dates():
    text = read("headed_article.txt").replace("Saved: 2021-05-20T12:00:00Z\n", "")
    posts = parse_archive_text(text).recent_posts
    assert len(posts) == 3
    assert all(p.approx_date is None for p in posts)


def test_recent_posts_are_not_body_paragraphs():
    article = parse_archive_text(read("headed_article.txt"))
    assert not any("Europa" in p.text or p.text == "Recent Posts" for p in article.paragraphs)
    assert len(article.paragraphs) == 3


def test_headers_without_a_title_are_refused():
    with pytest.raises(ParseError, match="no title"):
        parse_archive_text("Categories: ChinaMars\nAuthor: Jane Doe\n\n   \n")


def test_name_closing_the_article_without_a_biography_is_its_author():
    text = "Title\n\nA first paragraph.\n\nThe second one ends here.\n\nAnnika Brodeur\n"
    article = parse_archive_text(text)
    assert article.author == "Annika Brodeur"
    assert [p.text for p in article.paragraphs] == ["A first paragraph.", "The second one ends here."]


def test_name_closing_the_article_before_recent_posts_is_its_author():
    text = ("Title\n\nA first paragraph.\n\nLorna Mabry\n\nRecent Posts\n\nAnother Story\n\n"
            "Its teaser…\n\n2 days ago\n")
    assert parse_archive_text(text).author == "Lorna Mabry"


@pytest.mark.parametrize(
    "closing", ["Clear Skies", "The End", "Read More", "NASA Goddard", "Further Reading"]
)
def test_closing_heading_or_sign_off_is_no_author(closing):
    text = f"Title\n\nA first paragraph.\n\n{closing}\n"
    article = parse_archive_text(text)
    assert article.author is None
    assert article.paragraphs[-1].text == closing


@pytest.mark.parametrize("where", ["first", "last"])
def test_byline_paragraph_names_the_author(where):
    body = ["The launch went well.", "The rocket reached orbit."]
    blocks = ["By Shun Morishima", *body] if where == "first" else [*body, "By Shun Morishima"]
    article = parse_archive_text("Title\n\n" + "\n\n".join(blocks) + "\n")
    assert article.author == "Shun Morishima"
    assert [p.text for p in article.paragraphs] == body


def test_a_lone_name_is_not_taken_from_an_article_of_one_paragraph():
    article = parse_archive_text("Title\n\nJane Doe\n")
    assert article.author is None
    assert [p.text for p in article.paragraphs] == ["Jane Doe"]


@pytest.mark.parametrize(
    "bio",
    [
        "Ines Harlow is a reporter for the site covering space stations. She is based in Houston.",
        "Tomas Okafor reports on lunar missions for the site from Tokyo.",
        "Callum Ferreira-Boyd is the site's European correspondent. He writes from Edinburgh.",
    ],
)
def test_a_closing_biography_without_a_name_line_names_the_author(bio):
    body = ["The crew docked on Sunday.", "The station now holds six people."]
    article = parse_archive_text("Title\n\n" + "\n\n".join([*body, bio]) + "\n")
    assert article.author == bio.split(" is ")[0].split(" reports ")[0]
    assert [p.text for p in article.paragraphs] == body


def test_a_closing_paragraph_about_someone_else_is_no_biography():
    closing = "Anders Coello is the chief executive of Lodestar, which owns the station."
    article = parse_archive_text("Title\n\nThe crew docked on Sunday.\n\n" + closing + "\n")
    assert article.author is None and article.paragraphs[-1].text == closing


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("Written by Shun Morishima, Staff Writer", "Shun Morishima"),
        ("Posted by Shun Morishima | Senior Editor", "Shun Morishima"),
        ("— Shun Morishima", "Shun Morishima"),
        ("By Shun Morishima and Ada Ilori", "Shun Morishima and Ada Ilori"),
    ],
)
def test_bylines_as_sites_write_them(byline, author):
    body = ["The launch went well.", "The rocket reached orbit."]
    article = parse_archive_text("Title\n\n" + "\n\n".join([*body, byline]) + "\n")
    assert article.author == author
    assert [p.text for p in article.paragraphs] == body


@pytest.mark.parametrize("closing", ["By the numbers", "— The End", "By 2030 the station will be gone"])
def test_a_closing_line_that_is_no_byline_stays_text(closing):
    article = parse_archive_text("Title\n\nThe launch went well.\n\n" + closing + "\n")
    assert article.author is None and article.paragraphs[-1].text == closing
