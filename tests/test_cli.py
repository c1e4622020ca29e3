"""`archive-bot` from a terminal: the commands maintainers and members run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.cli import main
from tests.index.conftest import write_article

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_a920af7043c4b0ba.txt"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith(("ARCHIVE_", "DISCORD_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def small_archive(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "a.txt", "Rover reaches the crater rim",
                  ["The rover climbed 300 meters to reach the rim of Jezero crater on March 3, 2023.",
                   "Scientists cheered the view of ancient river deltas."],
                  url="https://news.example/rover-rim", published="2023-03-05T10:00:00+00:00")
    write_article(folder, "b.txt", "Comet flyby delights observers",
                  ["Amateur astronomers photographed the green comet passing Earth in February."],
                  published="2023-02-02T10:00:00+00:00", author="Ben Ortiz")
    return folder


@pytest.mark.skipif(not SEED.exists(), reason="example article not present")
def test_parse_json_of_the_example_article(capsys):
    assert main(["parse", str(SEED), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["categories"] == ["China", "Mars"]
    assert out["author"] == "Nancy Atkinson"
    assert len(out["paragraphs"]) == 13
    assert sum(p["kind"] == "caption" for p in out["paragraphs"]) == 5
    assert all(p["credit"] for p in out["paragraphs"] if p["kind"] == "caption")
    assert not any("has been with" in p["text"] for p in out["paragraphs"])
    assert [p["age"] for p in out["recent_posts"]][:2] == ["17 hours ago", "18 hours ago"]
    assert len(out["recent_posts"]) == 6
    assert {"title", "url", "published"} <= set(out)


def test_parse_of_a_bad_file_says_why(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert main(["parse", str(bad)]) == 1
    assert "bad.txt" in capsys.readouterr().err


def test_reindex_prints_a_one_line_summary(small_archive, tmp_path, capsys):
    assert main(["reindex", "--articles", str(small_archive), "--db", str(tmp_path / "a.db")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("added 2, updated 0, removed 0, unchanged 0, failed 0")


def test_reindex_of_a_missing_folder_fails(tmp_path, capsys):
    assert main(["reindex", "--articles", str(tmp_path / "nope"), "--db", str(tmp_path / "a.db")]) == 1
    assert "no such folder" in capsys.readouterr().err


def test_reindex_into_an_unwritable_place_fails(small_archive, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["reindex", "--articles", str(small_archive), "--db", str(blocker / "a.db")]) == 1
    assert "cannot open database" in capsys.readouterr().err


def test_search_json_filters_by_author(small_archive, tmp_path, capsys):
    db = str(tmp_path / "a.db")
    main(["reindex", "--articles", str(small_archive), "--db", db])
    capsys.readouterr()
    assert main(["search", "comet", "crater", "--author", "Ortiz", "--db", db, "--json"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert [h["title"] for h in page["hits"]] == ["Comet flyby delights observers"]
    hit = page["hits"][0]
    assert [hit["paragraph"][s:e] for s, e in hit["highlights"]] == ["comet"]


def test_first_use_builds_the_index_and_says_so(small_archive, tmp_path, capsys):
    db = str(tmp_path / "fresh.db")
    assert main(["latest", "--articles", str(small_archive), "--db", db]) == 0
    captured = capsys.readouterr()
    assert "First use: building the index" in captured.err
    assert captured.out.splitlines()[0].startswith("2023-03-05  Rover reaches the crater rim")
