"""Every kind of bad input gives a ParseError with a one-line reason, never another error."""

import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.parse import MAX_FILE_BYTES, ParseError, parse_bytes, parse_file


def refuse(data: bytes, name: str) -> str:
    with pytest.raises(ParseError) as info:
        parse_bytes(data, name)
    reason = str(info.value)
    assert reason and "\n" not in reason
    return reason


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.html", "a.json", "a.jsonl", "a.xml"])
def test_empty_file(name):
    assert refuse(b"", name) == "empty file"
    assert refuse(b" \n\t\n", name) == "empty file"


@pytest.mark.parametrize("name", ["a.txt", "a.html", "a.json", "a.rss"])
def test_binary_file_with_nul_bytes(name):
    png_like = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    assert refuse(png_like, name).startswith("binary")


def test_latin1_text_is_not_utf8():
    data = "Categories: Mars\n\nCaf\xe9 au lait sur Mars\n\nTexte.\n".encode("latin-1")
    assert refuse(data, "a.txt") == "not UTF-8 text (byte 0xe9 at offset 21)"


def test_control_characters_are_garbage():
    data = b"Title\n\n" + bytes(range(1, 9)) * 50
    assert refuse(data, "a.txt") == "binary or garbage content"


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.html", "a.json", "a.atom", "a"])
def test_random_bytes(seed, name):
    data = random.Random(seed).randbytes(4096)
    refuse(data, name)
    refuse(data.replace(b"\x00", b"\x01"), name)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"Categories: ChinaMars\n\n\n", "a.txt"),
        (b"---\nauthor: X\n---\nBody only.\n", "a.md"),
        (b"<html><body><p>No heading anywhere.</p></body></html>", "a.html"),
        (b'{"text": "no title"}', "a.json"),
    ],
)
def test_no_title(data, name):
    assert "no title" in refuse(data, name)


def test_truncated_html_without_text():
    assert "no article text" in refuse(b"<!DOCTYPE html><html><head><title>Cut", "a.html")


def test_bad_json_and_not_a_feed():
    assert refuse(b'{"title": "x", "text": ', "a.json").startswith("not valid JSON")
    assert refuse(b"<?xml version='1.0'?><urlset><url/></urlset>", "a.xml") == (
        "not an RSS or Atom feed"
    )


def test_fifty_megabytes_of_garbage_is_refused_by_size(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
        f.seek(0)
        f.write(os.urandom(4096))
    with pytest.raises(ParseError, match=r"^too large: 52\.4 MB > 20 MB$"):
        parse_file(path)


def test_oversized_bytes_are_refused():
    assert refuse(b"x" * (MAX_FILE_BYTES + 1), "a.txt").startswith("too large")


def test_missing_file_and_directory_are_parse_errors(tmp_path):
    with pytest.raises(ParseError, match="cannot read"):
        parse_file(tmp_path / "gone.txt")
    with pytest.raises(ParseError, match="cannot read"):
        parse_file(tmp_path)


FORMAT_NAMES = st.sampled_from(["a.txt", "a.md", "a.html", "a.json", "a.jsonl", "a.rss", "a"])
PREFIXES = st.sampled_from([b"", b"<html><body>", b"---\n", b'{"title": ', b"<rss>", b"Id: x\n"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=PREFIXES, body=st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
       name=FORMAT_NAMES)
def test_any_input_gives_articles_or_a_parse_error(prefix, body, name):
    try:
        articles = parse_bytes(prefix + body, name)
    except ParseError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert all(a.title for a in articles)
