"""What moderators asked of publishing, on feeds served over HTTP on 127.0.0.1 and a real SQLite
file: feeds bound to channels (and their warnings only there), news first after a gap, edits
only for recent corrections, each feed on its own timer, folders followed through the archive's
reindex, and an older ledger file migrated without a spurious edit."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from articles.sources import fetch_feed
from index.publishing.deliveries import Subscription
from index.publishing.ledger import Ledger
from index.publishing.posts import RECENT, Post
from index.publishing.publisher import Publisher
from index.schema import _PUBLISHING_V1 as V1
from index.schema import PUBLISHING, latest_version, publishing_path
from tests.feedserver import Entry, FeedServer
from tests.index.test_publisher import INTERVAL, World, entry

NASA, ESA, EVERYTHING = 11, 12, 13


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


@pytest.fixture
def world(tmp_path: Path, server: FeedServer) -> World:
    w = World(tmp_path, server)
    yield w
    w.ledger.close()
    w.archive.close()


def story(feed: str, n: int, published: datetime, **kw) -> Entry:
    return Entry(f"{feed} story {n}", f"http://{feed.lower()}.test/{n}", guid=f"{feed}-{n}",
                 body=f"{feed} report number {n}.", published=published, **kw)


def test_a_feed_bound_to_a_channel_posts_and_warns_only_there(world: World) -> None:
    nasa, esa = world.server.url("/nasa"), world.server.url("/esa")
    for url in (nasa, esa):
        world.pub.register_feed(url)
    world.subscribe(NASA, feed=nasa)
    world.subscribe(ESA, feed=esa, role_id=5)
    world.subscribe(EVERYTHING)
    t = datetime(2024, 5, 1, tzinfo=UTC)
    world.server.set_feed("/nasa", [story("NASA", 1, t)])
    world.server.set_feed("/esa", [story("ESA", 1, t)])
    world.server.set_feed("/feed", [])
    world.cycle()
    world.server.set_feed("/nasa", [story("NASA", 2, t + timedelta(hours=2)), story("NASA", 1, t)])
    world.server.set_feed("/esa", [story("ESA", 2, t + timedelta(hours=1)), story("ESA", 1, t)])
    world.cycle()
    assert world.titles(NASA) == ["NASA story 2"]
    assert world.titles(ESA) == ["ESA story 2"] and world.channels.posts(ESA)[0].role_id == 5
    assert world.titles(EVERYTHING) == ["ESA story 2", "NASA story 2"]
    world.server.failures["/nasa"] = 503
    for _ in range(3):
        world.clock.advance(hours=7)  # past any backoff
        world.cycle()
    assert len(world.channels.notices(NASA, "warning")) == 1
    assert len(world.channels.notices(EVERYTHING, "warning")) == 1
    assert world.channels.notices(ESA) == []
    [warning] = world.channels.notices(NASA, "warning")
    assert "Space news" in warning.text and "HTTP 503" in warning.text  # named by its title
    del world.server.failures["/nasa"]
    world.clock.advance(hours=7)
    world.cycle()
    assert len(world.channels.notices(NASA, "recovered")) == 1 and world.channels.notices(ESA) == []
    # A feed-bound subscription rules over the channel's all-feeds one for that feed.
    world.subscribe(EVERYTHING, feed=esa, categories=("Venus",))
    world.server.set_feed("/esa", [story("ESA", 3, t + timedelta(hours=5)), story("ESA", 1, t)])
    world.cycle()
    assert "ESA story 3" not in world.titles(EVERYTHING) and world.titles(ESA)[-1] == "ESA story 3"
    assert world.ledger.deliveries.unsubscribe(EVERYTHING) == 2


def test_three_hundred_items_after_seven_weeks_post_the_newest_and_hide_nothing_recent(
        tmp_path, server) -> None:
    world = World(tmp_path, server, limit=5)
    nasa, esa = world.server.url("/nasa"), world.server.url("/esa")
    world.pub.register_feed(nasa)
    world.pub.register_feed(esa)
    world.subscribe(EVERYTHING)
    start = world.clock()
    world.server.set_feed("/feed", [])
    world.server.set_feed("/nasa", [story("NASA", 0, start - timedelta(days=1))], title="NASA news")
    world.server.set_feed("/esa", [story("ESA", 0, start - timedelta(days=1))], title="ESA news")
    world.cycle()
    world.clock.advance(days=49)  # seven weeks of silence (the feeds answered 304)
    now = world.clock() + timedelta(seconds=INTERVAL)
    # 264 NASA items over the seven weeks, the last 40 of them within two days; 36 ESA items.
    nasa_items = [story("NASA", n, now - timedelta(days=49) + timedelta(hours=4 * n)) for n in range(1, 265)]
    nasa_items[-40:] = [story("NASA", n, now - timedelta(hours=47) + timedelta(minutes=70 * (n - 225)))
                        for n in range(225, 265)]
    esa_start = now - timedelta(days=40, minutes=30)
    esa_items = [story("ESA", n, esa_start + timedelta(days=n)) for n in range(1, 37)]
    world.server.set_feed("/nasa", nasa_items[::-1], title="NASA news")
    world.server.set_feed("/esa", esa_items[::-1], title="ESA news")
    report = world.cycle()
    assert (report.posted, report.summarised) == (5, 295)
    everything = sorted(nasa_items + esa_items, key=lambda e: e.published)
    assert world.titles(EVERYTHING) == [e.title for e in everything[-5:]]  # the newest, in date order
    [summary] = world.channels.notices(EVERYTHING, "summary")
    assert [i.title for i in summary.items] == [e.title for e in everything[:-5][::-1]]
    recent = {e.title for e in everything if e.published >= now - RECENT}
    listed = {i.title for i in summary.items[:summary.must_list]}
    assert len(recent) >= 40 and recent <= listed | set(world.titles(EVERYTHING))
    assert all(i.published >= now - RECENT for i in summary.items[:summary.must_list])
    ranges = {f.feed: (f.count, f.oldest, f.newest) for f in summary.feeds}
    for name, prefix in (("NASA news", "NASA"), ("ESA news", "ESA")):
        left = [e.published for e in everything[:-5] if e.title.startswith(prefix)]
        assert ranges[name] == (len(left), min(left), max(left))
    assert ranges["NASA news"][0] + ranges["ESA news"][0] == 295
    assert "the 5 newest are posted" in summary.text
    world.ledger.close()
    world.archive.close()


def test_an_enrichment_edits_nothing_and_a_correction_edits_only_recent_posts(world: World) -> None:
    world.subscribe(NASA)
    world.server.set_feed("/feed", [entry(1)])
    world.cycle()
    world.server.set_feed("/feed", [entry(2), entry(1)])
    world.cycle()
    enriched = entry(2, author="Rhea Vance", image="http://news.test/2.jpg")
    world.server.set_feed("/feed", [enriched, entry(1)])
    report = world.cycle()
    assert report.edited == 0
    [change] = report.polls[0].changed
    assert change.fields == ["author", "thumbnail"] and not change.corrected
    assert world.cycle().edited == 0
    corrected = replace(enriched, title="Story number 2, corrected")
    world.server.set_feed("/feed", [corrected, entry(1)])
    report = world.cycle()
    assert report.edited == 1 and report.polls[0].changed[0].was == "Story number 2"
    [message] = world.channels.messages[NASA]
    assert message.edits[-1].title == "Story number 2, corrected"
    assert message.edits[-1].author == "Rhea Vance"  # the enrichment shows once there is a correction
    world.clock.advance(days=8)  # past the edit window (7 days)
    world.server.set_feed("/feed", [replace(enriched, title="Story number 2, corrected again"), entry(1)])
    report = world.cycle()
    assert report.edited == 0 and report.polls[0].changed[0].corrected
    assert len(message.edits) == 1
    assert world.ledger.feeds.item("guid:id-2").title == "Story number 2, corrected again"


def test_each_feed_has_its_own_timer_counted_from_the_start_of_its_last_poll(world: World) -> None:
    slow = world.server.url("/slow")

    def slow_fetch(url, **kw):  # each fetch takes 25 s of the clock
        fetched = fetch_feed(url, **kw)
        world.clock.advance(seconds=25)
        return fetched

    world.pub.fetch = slow_fetch
    world.pub.register_feed(slow, interval_s=300)
    world.server.set_feed("/slow", [entry(1)])
    world.server.set_feed("/feed", [entry(1)])
    fast = world.server.url("/feed")
    started = {}
    for url in (fast, slow):
        started[url] = world.clock()
        asyncio.run(world.pub.poll(world.ledger.feeds.source(url)))
    for url, interval in ((fast, INTERVAL), (slow, 300)):
        source = world.ledger.feeds.source(url)
        assert source.last_poll == started[url]
        assert source.next_poll == started[url] + timedelta(seconds=interval)
    world.clock.t = started[fast] + timedelta(seconds=INTERVAL)
    assert [s.url for s in world.ledger.feeds.due_sources(world.clock())] == [fast]
    assert asyncio.run(world.pub.next_due()) == started[fast] + timedelta(seconds=INTERVAL)
    # Two new feeds read at the same time, serving the same article, record it once.
    world.pub.fetch = fetch_feed
    for twin in ("/twin1", "/twin2"):
        world.server.set_feed(twin, [entry(7)])
        world.pub.register_feed(world.server.url(twin))
    reports = asyncio.run(world.pub.poll_due())
    assert sorted(r.primed for r in reports if "twin" in r.source) == [0, 1]
    assert world.ledger.db.one("SELECT COUNT(*) FROM pub_items WHERE article_id = 'guid:id-7'")[0] == 1
    # The interval cannot go below the minimum interval setting.
    world.pub.min_interval_s = 120
    world.pub.register_feed(world.server.url("/other"), interval_s=1)
    assert world.ledger.feeds.source(world.server.url("/other")).interval_s == 120


def test_folders_are_watched_once_through_the_archive(world: World) -> None:
    folder = world.archive.article_dirs[0]
    (folder / "001.txt").write_text("Categories: Mars\n\nOld story\n\nAlready here.\n")
    world.server.set_feed("/feed", [])
    world.subscribe(NASA)
    world.pub.register_folder(folder)
    world.cycle()  # first look: marks what the archive holds as seen, reindexes nothing
    assert world.archive.article("Old story") is None
    (folder / "002.txt").write_text("Categories: Mars\n\nA fresh story\n\nJust arrived.\n")
    world.cycle()  # the archive's own reindex finds both; the older file is not news
    assert world.titles(NASA) == ["A fresh story"]
    assert world.archive.article("Old story") is not None
    assert set(world.archive.store.known_files(str(folder.resolve()))) == {"001.txt", "002.txt"}
    tables = {r[0] for r in world.ledger.db.all("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "pub_files" not in tables  # no file stamps of the publisher's own
    (folder / "003.txt").write_text("Categories: Mars\n\nA maintainer's story\n\nReindexed by hand.\n")
    world.archive.reindex()  # a maintainer's reindex: the publisher follows what it stored
    report = world.cycle()
    assert world.titles(NASA) == ["A fresh story", "A maintainer's story"] and report.posted == 1


def test_a_ledger_from_before_feeds_per_channel_migrates_without_editing_anything(tmp_path: Path) -> None:
    path = tmp_path / "archive.publishing.db"
    old = sqlite3.connect(path)
    old.executescript(V1)
    post = {"title": "Rover story", "url": "https://news.test/r", "author": "Ada Quill",
            "categories": ["Mars"], "teaser": "It drove.", "published": None, "image": None, "role_id": None}
    shown = [post["title"], "https://news.test/r", post["author"], post["categories"], post["teaser"], None]
    old_hash = hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:24]
    now = "2024-06-01T12:00:00+00:00"
    old.execute("INSERT INTO pub_subscriptions VALUES (7, 9, '[\"Mars\"]', '[]', NULL, 0, ?)", (now,))
    old.execute("INSERT INTO pub_items (article_id, source, title, url, published, first_seen, baseline, "
                "post, post_hash) VALUES ('guid:r', 'http://feed.test', 'Rover story', "
                "'https://news.test/r', NULL, ?, 0, ?, ?)", (now, json.dumps(post), old_hash))
    old.execute("INSERT INTO pub_deliveries (article_id, channel_id, state, message_id, post_hash, "
                "queued_at, sent_at) VALUES ('guid:r', 7, 'sent', 55, ?, ?, ?)", (old_hash, now, now))
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()
    ledger = Ledger(path)
    assert ledger.db.one("PRAGMA user_version")[0] == latest_version(PUBLISHING)
    assert ledger.deliveries.subscriptions() == [
        Subscription(7, 9, ("Mars",), (), None, False, datetime(2024, 6, 1, 12, tzinfo=UTC), None)]
    assert ledger.feeds.item("guid:r").post_hash == Post.from_json(post).shown_hash
    assert ledger.deliveries.stale_deliveries() == []  # the upgrade edits no message
    ledger.close()


def test_a_summary_names_a_folder_source_and_a_feed_without_title(tmp_path: Path, server: FeedServer) -> None:
    ledger = Ledger(publishing_path(tmp_path / "a.db"))
    pub = Publisher(ledger, None, limit_per_run=1)  # type: ignore[arg-type]
    url = server.url("/untitled")
    pub.register_feed(url)
    assert ledger.feeds.source(url).name == url
    pub.register_folder(tmp_path)
    assert ledger.feeds.source(f"folder:{tmp_path.resolve()}").name == str(tmp_path.resolve())
    ledger.close()
