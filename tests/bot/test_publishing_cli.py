"""`archive-bot watch` against a feed served on 127.0.0.1, and `archive-bot digest`."""

from __future__ import annotations

import json
import os
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
