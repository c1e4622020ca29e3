"""JSON and JSON Lines exports."""

import json
import logging
from datetime import UTC, datetime

import pytest

from articles.errors import ParseError
from articles.jsonexport import parse_json_export

RECORD = {
    "title": "Parker Probe Touches the Corona",
    "link": "https://news.example.org/parker-corona",
    "author": {"name": "Sven Lund"},
    "date": "2021-12-14T17:00:00Z",
    "tags": "Sun, NASA",
    "guid": "parker-1",
    "image": "https://news.example.org/parker.jpg",
    "summary": "A first pass through the solar atmosphere.",
    "content": "The probe crossed the Alfvén surface in April.\n\nIt stayed inside for hours.",
}


def test_one_object_with_plain_text_content():
    [article] = parse_json_export(json.dumps(RECORD))
    assert article.title == "Parker Probe Touches the Corona"
    assert article.url == "https://news.example.org/parker-corona"
    assert article.author == "Sven Lund"
    assert article.published == datetime(2021, 12, 14, 17, 0, tzinfo=UTC)
    assert article.categories == ["Sun", "NASA"]
    assert (article.guid, article.image) == ("parker-1", "https://news.example.org/parker.jpg")
    assert article.teaser == "A first pass through the solar atmosphere."
    assert [p.text for p in article.paragraphs] == [
        "The probe crossed the Alfvén surface in April.", "It stayed inside for hours."
    ]


def test_html_content_is_read_like_a_page_body():
    record = {"title": "T", "body": "<p>One.</p><figure><figcaption>Two. Credit: ESA"
                                    "</figcaption></figure>"}
    [article] = parse_json_export(json.dumps(record))
    assert [(p.text, p.kind, p.credit) for p in article.paragraphs] == [
        ("One.", "body", None), ("Two. Credit: ESA", "caption", "ESA")
    ]


def test_paragraph_list_of_strings_and_objects():
    record = {"title": "T", "published": 1621065600, "paragraphs": [
        "Plain text.",
        {"kind": "caption", "text": "A crater rim.", "credit": "NASA/JPL"},
        {"kind": "body", "text": "Ends like a credit. Credit: nobody"},
    ]}
    [article] = parse_json_export(json.dumps(record))
    assert [(p.kind, p.credit) for p in article.paragraphs] == [
        ("body", None), ("caption", "NASA/JPL"), ("body", None)
    ]
    assert article.published == datetime(2021, 5, 15, 8, 0, tzinfo=UTC)


def test_list_of_objects_and_articles_wrapper():
    items = [{"title": f"Story {n}", "text": f"Text {n}."} for n in range(3)]
    assert [a.title for a in parse_json_export(json.dumps(items))] == ["Story 0", "Story 1",
                                                                       "Story 2"]
    wrapped = parse_json_export(json.dumps({"articles": items}))
    assert len(wrapped) == 3


def test_json_lines_detected_without_a_hint():
    text = "\n".join(json.dumps({"title": f"S{n}", "text": "Body."}) for n in range(2))
    assert [a.title for a in parse_json_export(text)] == ["S0", "S1"]


def test_bad_jsonl_lines_are_skipped_when_others_read(caplog):
    text = "\n".join([json.dumps({"title": "Good", "text": "Body."}), "{broken", "[1, 2]",
                      json.dumps({"text": "no title"})])
    with caplog.at_level(logging.WARNING):
        articles = parse_json_export(text, lines=True)
    assert [a.title for a in articles] == ["Good"]
    assert "line 2" in caplog.text and "line 4: no title" in caplog.text


def test_jsonl_with_no_readable_line_names_the_first_bad_line():
    with pytest.raises(ParseError, match=r"^line 2: not valid JSON"):
        parse_json_export('\n{oops\n{"title": ""}\n', lines=True)


def test_jsonl_with_only_broken_lines_is_refused():
    with pytest.raises(ParseError, match=r"^line 1: not valid JSON"):
        parse_json_export("{oops\nnot json either\n", lines=True)


def test_invalid_json_document_is_refused():
    with pytest.raises(ParseError, match="not valid JSON"):
        parse_json_export('{"title": "T", ')


def test_object_without_text_is_refused():
    with pytest.raises(ParseError, match="no text"):
        parse_json_export('{"title": "Only a title"}')
