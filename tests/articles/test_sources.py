"""Fetching feeds over real HTTP on 127.0.0.1, and noticing new and changed files in a folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from articles.sources import USER_AGENT, fetch_feed, scan_folder
from tests.feedserver import Entry, FeedServer


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


def test_fetch_parses_entries_and_remembers_validators(server: FeedServer) -> None:
    server.set_feed("/feed", [Entry("Rover drives 100 m", "http://news.test/rover?utm_source=x",
                                    guid="a1", categories=("Mars",), image="http://news.test/r.jpg")])
    got = fetch_feed(server.url("/feed"))
    assert got.ok and got.status == 200
    assert [a.title for a in got.articles] == ["Rover drives 100 m"]
    article = got.articles[0]
    assert (article.guid, article.categories, article.image) == ("a1", ["Mars"], "http://news.test/r.jpg")
    assert got.etag and got.last_modified
    assert server.hits("/feed")[0]["User-Agent"] == USER_AGENT


def test_unchanged_feed_answers_not_modified(server: FeedServer) -> None:
    server.set_feed("/feed", [Entry("One", "http://news.test/1")])
    first = fetch_feed(server.url("/feed"))
    second = fetch_feed(server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert second.ok and second.not_modified and second.articles == []
    assert server.hits("/feed")[1]["If-None-Match"] == first.etag
    server.set_feed("/feed", [Entry("One", "http://news.test/1"), Entry("Two", "http://news.test/2")])
    third = fetch_feed(server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert third.status == 200 and len(third.articles) == 2


def test_failures_come_back_as_errors(server: FeedServer) -> None:
    server.set_feed("/feed", [Entry("One", "http://news.test/1")])
    server.failures["/feed"] = 503
    assert "HTTP 503" in fetch_feed(server.url("/feed")).error
    assert "HTTP 404" in fetch_feed(server.url("/missing")).error
    server.set("/page", b"<html><body><p>Just a page</p></body></html>", "text/html")
    assert fetch_feed(server.url("/page")).error.startswith("not a feed")
    server.set_feed("/slow", [Entry("One", "http://news.test/1")])
    server.stall["/slow"] = 0.5
    slow = fetch_feed(server.url("/slow"), timeout=0.1)
    assert not slow.ok and slow.status is None and "cannot fetch" in slow.error


def test_refused_connection_is_an_error() -> None:
    with FeedServer() as s:
        url = s.url("/feed")
    got = fetch_feed(url, timeout=1)
    assert not got.ok and got.error.startswith("cannot fetch")


def test_scan_folder_reads_only_new_and_changed_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Categories: Mars\n\nFirst story\n\nSome body text.\n")
    (tmp_path / "b.txt").write_text("Categories: Moon\n\nSecond story\n\nMore body text.\n")
    files = sorted(tmp_path.glob("*.txt"))
    first = scan_folder(tmp_path, files, {})
    assert sorted(a.title for a in first.articles) == ["First story", "Second story"]
    assert {a.source_path for a in first.articles} == {"a.txt", "b.txt"}
    again = scan_folder(tmp_path, files, first.stamps)
    assert again.articles == [] and again.changed == []
    (tmp_path / "b.txt").write_text("Categories: Moon\n\nSecond story\n\nCorrected body text.\n")
    os.utime(tmp_path / "b.txt", ns=(1, 10**18))
    (tmp_path / "c.txt").write_text("")
    changed = scan_folder(tmp_path, sorted(tmp_path.glob("*.txt")), first.stamps)
    assert [a.title for a in changed.articles] == ["Second story"]
    assert changed.failed == [("c.txt", "empty file")]
    assert set(changed.stamps) == {"a.txt", "b.txt", "c.txt"}
