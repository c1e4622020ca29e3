"""Choosing the reader by file type and content, and source paths."""

import json
import shutil
from pathlib import Path

import pytest

from articles.parse import SUPPORTED_SUFFIXES, ParseError, parse_bytes, parse_file

DATA = Path(__file__).parent / "data"


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl",
                                  ".xml", ".rss", ".atom"}


def test_source_path_is_relative_to_root_in_posix_form(tmp_path):
    target = tmp_path / "2021" / "05" / "zhurong.txt"
    target.parent.mkdir(parents=True)
    shutil.copy(DATA / "headed_article.txt", target)
    [article] = parse_file(target, root=tmp_path)
    assert article.source_path == "2021/05/zhurong.txt"


def test_source_path_without_root_is_the_path_as_given():
    path = DATA / "plain_article.txt"
    [article] = parse_file(path)
    assert article.source_path == str(path)


def test_every_article_of_a_multi_article_file_gets_the_source_path(tmp_path):
    path = tmp_path / "feed.xml"
    shutil.copy(DATA / "feed.rss", path)
    articles = parse_file(path, root=tmp_path)
    assert [a.source_path for a in articles] == ["feed.xml", "feed.xml"]


@pytest.mark.parametrize(
    ("name", "suffix"),
    [("page.html", ".txt"), ("feed.atom", ".txt"), ("feed.rss", ""), ("page.html", ".xml")],
)
def test_content_wins_over_a_misleading_name(name, suffix):
    data = (DATA / name).read_bytes()
    expected = parse_bytes(data, name)
    assert [a.title for a in parse_bytes(data, f"saved{suffix}")] == [a.title for a in expected]


def test_front_matter_in_a_txt_file_is_read_as_markdown():
    [article] = parse_bytes(b"---\ntitle: From YAML\n---\nBody text.\n", "note.txt")
    assert article.title == "From YAML"


def test_archive_text_in_a_file_named_md_without_markdown_title_is_refused_clearly():
    with pytest.raises(ParseError, match="no title"):
        parse_bytes(b"Just words.\n", "note.md")


def test_json_in_a_txt_file_is_read_as_json():
    data = json.dumps({"title": "From JSON", "text": "Body."}).encode()
    assert [a.title for a in parse_bytes(data, "export.txt")] == ["From JSON"]


def test_title_starting_with_a_bracket_stays_archive_text():
    [article] = parse_bytes(b"[Video] Starship Static Fire\n\nThe engines lit.\n", "x.txt")
    assert article.title == "[Video] Starship Static Fire"


def test_jsonl_by_suffix_and_by_content():
    lines = "\n".join(json.dumps({"title": f"T{n}", "text": "B."}) for n in range(2)).encode()
    assert len(parse_bytes(lines, "dump.jsonl")) == 2
    assert len(parse_bytes(lines, "dump")) == 2


def test_name_may_be_a_url_path_with_query():
    data = (DATA / "feed.atom").read_bytes()
    assert len(parse_bytes(data, "/feeds/all.atom?page=2")) == 1


def test_unsupported_suffix_is_refused():
    with pytest.raises(ParseError, match=r"unsupported file type: \.pdf"):
        parse_bytes(b"Some plain words here.\n", "paper.pdf")


def test_extensionless_plain_text_is_archive_text():
    [article] = parse_bytes(b"Categories: Mars\n\nTitle\n\nBody.\n", "README")
    assert article.categories == ["Mars"]


def test_utf8_bom_and_crlf_line_ends_are_fine():
    data = "\ufeffCategories: ChinaMars\r\n\r\nTitle\r\n\r\nBody.\r\n".encode()
    [article] = parse_bytes(data, "a.txt")
    assert (article.categories, article.title) == (["China", "Mars"], "Title")


def test_utf16_with_bom_is_decoded():
    [article] = parse_bytes("Titel über alles\n\nText.\n".encode("utf-16"), "a.txt")
    assert article.title == "Titel über alles"


def test_html_declared_charset_is_honoured():
    page = ('<html><head><meta charset="iso-8859-1"><title>Caf\xe9 on the Moon</title></head>'
            "<body><p>A na\xefve plan.</p></body></html>")
    [article] = parse_bytes(page.encode("latin-1"), "page.html")
    assert article.title == "Café on the Moon"
    assert article.paragraphs[0].text == "A naïve plan."


def test_to_dict_is_json_ready():
    [article] = parse_file(DATA / "headed_article.txt")
    data = json.loads(json.dumps(article.to_dict()))
    assert data["published"] == "2021-05-15T01:30:00+00:00"
    assert data["recent_posts"][0]["approx_date"] == "2021-05-19T19:00:00+00:00"
