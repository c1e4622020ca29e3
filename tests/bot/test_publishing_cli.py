"""`archive-bot watch` against a feed served on 127.0.0.1, and `archive-bot digest`."""

from __future__ import annotations

import json
import os
import re
import socket
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import main
from tests.feedserver import Entry, FeedServer
from tests.index.conftest import write_article


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith(("ARCHIVE_", "DISCORD_", "FEED")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


def test_watch_once_shows_the_first_read_and_changes_nothing(tmp_path, capsys) -> None:
    with FeedServer() as server:
        server.set_feed("/feed", [
            Entry("Older story", "http://news.test/1", guid="1"),
            Entry("Newest story", "http://news.test/2", guid="2", categories=("Mars",),
                  published=datetime(2024, 5, 2, 8, tzinfo=UTC), image="http://news.test/2.jpg"),
        ])
        assert main(["watch", "--once", "--feed", server.url("/feed"), "--db", str(tmp_path / "a.db")]) == 0
        out = capsys.readouterr().out
        assert "first read: 2 articles" in out and "get none of these" in out
        assert out.index("Newest story") < out.index("Older story")
        assert "Ada Quill · Mars · 2024-05-02 08:00 UTC" in out and "thumbnail: http://news.test/2.jpg" in out
        assert "POST" not in out
        assert not (tmp_path / "a.db").exists()  # the bot's state is untouched
        server.failures["/feed"] = 404
        assert main(["watch", "--once", "--feed", server.url("/feed")]) == 1
        captured = capsys.readouterr()
        [line] = captured.err.splitlines()  # one line; a 404 is not retried
        assert line == f"archive-bot: cannot read {server.url('/feed')}: HTTP 404 Not Found"
        assert len(server.hits("/feed")) == 2


def test_watch_needs_a_feed(capsys) -> None:
    assert main(["watch", "--once"]) == 2
    assert "--feed" in capsys.readouterr().err


def test_digest_json_and_text(tmp_path, capsys) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    now = datetime.now(UTC)
    write_article(folder, "a.txt", "Rover reaches the rim", ["The rover climbed to the rim."],
                  url="https://news.example/rim", published=(now - timedelta(days=2)).isoformat())
    write_article(folder, "b.txt", "Old comet story", ["A comet passed."],
                  published=(now - timedelta(days=20)).isoformat(), categories="Comets")
    args = ["--db", str(tmp_path / "a.db"), "--articles", str(folder)]
    assert main(["digest", "--days", "7", "--json", *args]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"since", "until", "items"}
    [item] = data["items"]
    assert item["title"] == "Rover reaches the rim" and item["url"] == "https://news.example/rim"
    assert set(item) == {"title", "url", "author", "published", "teaser", "categories"}
    assert item["categories"] == ["Mars"] and item["author"] == "Ada Quill"
    assert main(["digest", "--days", "30", *args]) == 0
    text = capsys.readouterr().out
    assert text.index("Rover reaches the rim") < text.index("Old comet story")
    assert main(["digest", "--days", "1", *args]) == 0
    lines = capsys.readouterr().out.splitlines()
    since = now - timedelta(days=1)
    assert lines[0] == f"No articles were published in the last 1 day (since {since:%Y-%m-%d})."
    assert lines[1].startswith("The newest article, “Rover reaches the rim”, was published")
    assert "(2 days ago): `archive-bot digest --days 3` includes it." in lines[1]
    assert main(["digest", "--days", "1", "--category", "Comets", *args]) == 0
    assert "`archive-bot digest --days 21 --category \"Comets\"`" in capsys.readouterr().out


def test_watch_refuses_an_address_that_is_not_a_feeds_in_one_line(capsys) -> None:
    assert main(["watch", "--feed", "notaurl", "--once"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("archive-bot: --feed: 'notaurl' is not a web address")


def test_watch_retries_a_failing_feed_then_says_so_in_one_line(capsys) -> None:
    with FeedServer() as server:
        server.set_feed("/feed", [Entry("Story", "http://news.test/1", guid="1")])
        server.failures["/feed"] = 503
        assert main(["watch", "--once", "--retries", "1", "--feed", server.url("/feed")]) == 1
        err = capsys.readouterr().err
        assert err == (f"archive-bot: cannot read {server.url('/feed')}: HTTP 503 Service Unavailable "
                       "(tried 2 times)\n")
        assert len(server.hits("/feed")) == 2
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/feed"
    assert main(["watch", "--once", "--retries", "0", "--feed", closed]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"archive-bot: cannot read {closed}: cannot fetch:") and "refused" in line


def test_watch_prints_what_changed_and_nothing_while_nothing_does(capsys) -> None:
    older = Entry("Older story", "http://news.test/1", guid="1")
    newer = Entry("Newer story", "http://news.test/2", guid="2")
    with FeedServer() as server:
        server.script("/feed", [
            [newer, older],
            [Entry("Newest story", "http://news.test/3", guid="3"),
             replace(newer, title="Newer story, fixed"), replace(older, author="Rhea Vance")],
        ])
        assert main(["watch", "--interval", "0.05", "--count", "4", "--feed", server.url("/feed")]) == 0
        out = capsys.readouterr().out
        assert len(server.hits("/feed")) == 4
    lines = out.splitlines()
    assert f"Space news <{server.url('/feed')}>: 1 new, 2 changed" in lines
    assert "      “Newer story, fixed”: corrected: title was “Newer story”" in lines
    assert "      “Older story”: author changed (posts are not edited for that)" in lines
    assert "POST  Newest story" in lines
    assert "not modified" not in out and "nothing new" not in out
    assert sum(line.startswith("Space news") for line in lines) == 2  # the first read, then the change


def test_digest_refuses_an_absurd_window(capsys) -> None:
    assert main(["digest", "--days", "999999999"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("archive-bot digest: --days: at most 36500 (a hundred years), got 999999999")


def test_digest_on_the_sample_archive_says_how_far_back_the_newest_article_is(capsys) -> None:
    assert main(["digest"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("No articles were published in the last 7 days (since ")
    hint = re.fullmatch(r"The newest article, “(.+)”, was published \d{4}-\d\d-\d\d \((\d+) days ago\): "
                        r"`archive-bot digest --days (\d+)` includes it\.", lines[1])
    assert hint, lines[1]
    assert main(["digest", "--days", hint.group(3)]) == 0
    assert hint.group(1) in capsys.readouterr().out
