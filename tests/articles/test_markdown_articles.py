"""Markdown with YAML front matter."""

from datetime import UTC, datetime

import pytest

from articles.errors import ParseError
from articles.markdown import parse_markdown

FRONT = """---
title: "Lucy Swings Past Earth"
date: 2022-10-16
author:
  name: Mei Tanaka
tags: [Asteroids, NASA]
link: https://news.example.org/lucy-flyby
image: https://news.example.org/lucy.jpg
id: lucy-7
description: A gravity assist bends the probe's path.
---

The **Lucy** probe passed [Earth](https://example.org/earth) at a height of *350 km* today.

## Next stop

It heads for the `Trojan` asteroids next.

![The probe over the Pacific](lucy.jpg "Credit: NASA/Goddard")

![](arrival.jpg)
The spacecraft seen from a ground telescope. Image: Virtual Telescope Project

- first list item
- second list item
"""


def test_front_matter_fields():
    article = parse_markdown(FRONT)
    assert article.title == "Lucy Swings Past Earth"
    assert article.published == datetime(2022, 10, 16, tzinfo=UTC)
    assert article.author == "Mei Tanaka"
    assert article.categories == ["Asteroids", "NASA"]
    assert article.url == "https://news.example.org/lucy-flyby"
    assert article.guid == "lucy-7"
    assert article.image == "https://news.example.org/lucy.jpg"
    assert article.teaser == "A gravity assist bends the probe's path."


def test_markdown_syntax_is_stripped_to_text():
    texts = [p.text for p in parse_markdown(FRONT).paragraphs]
    assert texts[0] == "The Lucy probe passed Earth at a height of 350 km today."
    assert "Next stop" in texts
    assert "It heads for the Trojan asteroids next." in texts
    assert texts[-1] == "first list item second list item"


def test_image_with_credit_title_is_a_caption():
    captions = [p for p in parse_markdown(FRONT).paragraphs if p.kind == "caption"]
    assert captions[0].text == "The probe over the Pacific"
    assert captions[0].credit == "NASA/Goddard"


def test_image_followed_by_text_is_a_caption_of_that_text():
    captions = [p for p in parse_markdown(FRONT).paragraphs if p.kind == "caption"]
    assert captions[1].text.startswith("The spacecraft seen from a ground telescope.")
    assert captions[1].credit == "Virtual Telescope Project"


def test_title_from_first_heading_without_front_matter():
    article = parse_markdown("# Solar Max Arrives Early\n\nSunspots are up this year.\n")
    assert article.title == "Solar Max Arrives Early"
    assert [p.text for p in article.paragraphs] == ["Sunspots are up this year."]


def test_comma_separated_categories_and_published_key():
    article = parse_markdown(
        "---\ntitle: T\npublished: 2021-05-15T08:00:00+02:00\ncategories: China, Mars\n---\nBody\n"
    )
    assert article.categories == ["China", "Mars"]
    assert article.published == datetime(2021, 5, 15, 6, 0, tzinfo=UTC)


def test_markdown_without_title_is_refused():
    with pytest.raises(ParseError, match="no title"):
        parse_markdown("Just some text without a heading.\n")


def test_broken_front_matter_is_refused():
    with pytest.raises(ParseError, match="bad front matter"):
        parse_markdown("---\ntitle: [unclosed\n---\nBody\n")
