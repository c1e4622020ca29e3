"""Digests from a real archive: the window, newest first, categories, grouping, Recent Posts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from articles.model import Article, Paragraph, RecentPost
from index.archive import Archive
from index.publishing.digest import GROUP_WHEN_MORE_THAN, Digest, build_digest, format_digest, window

NOW = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)


def article(n: int, days_ago: float, categories: list[str], **kw) -> Article:
    return Article(f"Story {n}", [Paragraph(f"Text of story {n}.")], url=f"https://news.test/{n}",
                   author="Ada Quill", published=NOW - timedelta(days=days_ago), categories=categories,
                   **kw)


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    a = Archive(tmp_path / "archive.db", [])
    yield a
    a.close()


def test_window_newest_first_and_category(archive: Archive) -> None:
    for n, days, cats in [(1, 1, ["Mars"]), (2, 3, ["Moon"]), (3, 6.9, ["Mars", "China"]),
                          (4, 8, ["Mars"]), (5, -1, ["Mars"])]:
        archive.add_article(article(n, days, cats))
    since, until = window(7, NOW)
    digest = build_digest(archive, since, until)
    assert [i.title for i in digest.items] == ["Story 1", "Story 2", "Story 3"]
    assert not digest.grouped and digest.groups() == [(None, digest.items)]
    mars = build_digest(archive, since, until, "mars")
    assert [i.title for i in mars.items] == ["Story 1", "Story 3"]
    item = digest.items[0]
    assert (item.url, item.author, item.categories, item.teaser) == (
        "https://news.test/1", "Ada Quill", ("Mars",), "Text of story 1.")


def test_json_shape_round_trips(archive: Archive) -> None:
    archive.add_article(article(1, 1, ["Mars"]))
    digest = build_digest(archive, *window(7, NOW))
    data = digest.to_json()
    assert set(data) == {"since", "until", "items"}
    assert set(data["items"][0]) == {"title", "url", "author", "published", "teaser", "categories"}
    assert data["items"][0]["published"] == (NOW - timedelta(days=1)).isoformat()
    assert Digest.from_json(data) == digest


def test_many_items_are_grouped_by_first_category(archive: Archive) -> None:
    cats = [["Mars"], ["Moon"], ["Mars", "China"], [], ["Moon"]]
    for n in range(GROUP_WHEN_MORE_THAN + 2):
        archive.add_article(article(n, 0.1 + n / 10, cats[n % len(cats)]))
    digest = build_digest(archive, *window(7, NOW))
    assert digest.grouped
    groups = digest.groups()
    assert [name for name, _ in groups] == ["Mars", "Moon", "Other"]
    assert sum(len(items) for _, items in groups) == len(digest.items)
    for _, items in groups:
        assert items == sorted(items, key=lambda i: i.published, reverse=True)
    assert not build_digest(archive, *window(7, NOW), category="Mars").grouped


def test_recent_posts_fill_in_for_undated_pages(archive: Archive) -> None:
    archive.add_article(article(1, 2, ["Mars"]))
    archive.add_article(Article("An undated page", [Paragraph("No date here.")], recent_posts=[
        RecentPost("Story 1", "dup of a dated article", "2 days ago", NOW - timedelta(days=2)),
        RecentPost("Helicopter flies again", "Ingenuity's next hop", "1 day ago", NOW - timedelta(days=1)),
        RecentPost("Old news", "too old", "3 weeks ago", NOW - timedelta(weeks=3)),
    ]))
    digest = build_digest(archive, *window(7, NOW))
    assert [i.title for i in digest.items] == ["Helicopter flies again", "Story 1"]
    assert digest.items[0].teaser == "Ingenuity's next hop" and digest.items[0].url is None


def test_empty_window_and_text_format(archive: Archive) -> None:
    empty = build_digest(archive, *window(7, NOW))
    assert empty.items == [] and format_digest(empty).startswith("No articles published from")
    archive.add_article(article(1, 1, ["Mars"]))
    text = format_digest(build_digest(archive, *window(7, NOW)))
    assert "Story 1 — Ada Quill · 2024-06-09 12:00 UTC" in text and "https://news.test/1" in text
