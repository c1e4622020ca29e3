"""New articles reach each subscribed channel exactly once: feeds served over real HTTP on
127.0.0.1 and changed between polls, restarts (a new Publisher on the same database file) and
crashes injected between sending and recording."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from index.archive import Archive
from index.publishing.deliveries import Subscription
from index.publishing.ledger import Ledger
from index.publishing.publisher import CROSSPOSTS_PER_HOUR, DeliveryFailed, Publisher
from index.publishing.why import why
from index.schema import publishing_path
from tests.feedserver import Entry, FeedServer
from tests.index.memory_channels import Crash, MemoryChannels

GENERAL, MARS, ROVERS, NEWS = 1, 2, 3, 4
INTERVAL = 60


class Clock:
    def __init__(self) -> None:
        self.t = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **kw: float) -> None:
        self.t += timedelta(**kw)


def entry(n: int, **kw) -> Entry:
    cats = kw.pop("categories", ("Mars",) if n % 2 else ("Moon",))
    return Entry(f"Story number {n}", f"http://news.test/story-{n}", guid=kw.pop("guid", f"id-{n}"),
                 body=kw.pop("body", f"Report {n}: the rover drove on." if n % 3 == 0 else f"Report {n}."),
                 categories=cats,
                 published=kw.pop("published", datetime(2024, 5, 1, tzinfo=UTC) + timedelta(hours=n)), **kw)


class World:
    """One bot's publishing, restartable; the feed server and the channels outlive restarts."""

    def __init__(self, tmp_path: Path, server: FeedServer, *, limit: int = 5) -> None:
        self.db = tmp_path / "archive.db"
        (tmp_path / "articles").mkdir(exist_ok=True)
        self.archive = Archive(self.db, [tmp_path / "articles"])
        self.server = server
        self.clock = Clock()
        self.channels = MemoryChannels()
        self.limit = limit
        self.ledger: Ledger | None = None
        self.start()

    def start(self) -> None:
        self.ledger = Ledger(publishing_path(self.db))
        self.pub = Publisher(self.ledger, self.channels, archive=self.archive, now=self.clock,
                             limit_per_run=self.limit, interval_s=INTERVAL, timeout=2)
        self.pub.register_feed(self.server.url("/feed"))

    def restart(self) -> None:
        self.ledger.close()
        self.start()

    def subscribe(self, channel: int, **kw) -> None:
        self.ledger.deliveries.subscribe(Subscription(channel, 9, **kw), self.clock())

    def cycle(self):
        self.clock.advance(seconds=INTERVAL)
        return asyncio.run(self.pub.run_once())

    def titles(self, channel: int) -> list[str]:
        return [p.title for p in self.channels.posts(channel)]


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


def test_first_poll_marks_existing_items_seen_and_posts_nothing(world: World, caplog) -> None:
    world.subscribe(GENERAL)
    world.server.set_feed("/feed", [entry(n) for n in range(1, 11)])
    with caplog.at_level(logging.INFO, logger="index.publishing"):
        report = world.cycle()
    assert report.polls[0].primed == 10 and report.posted == 0
    assert world.channels.messages[GENERAL] == []
    assert "10 existing articles marked seen, not posted" in caplog.text
    source = world.ledger.feeds.source(world.server.url("/feed"))
    assert source.primed_count == 10 and source.primed_at == world.clock()
    # The baseline is still indexed: answerable and searchable at once.
    assert world.archive.search("Story number 7").hits[0].article.title == "Story number 7"
    assert "marked seen and not posted" in " ".join(why(world.ledger, "Story number 3").lines())


def test_new_items_posted_once_and_restamped_reordered_items_are_not(world: World) -> None:
    world.subscribe(GENERAL)
    feed = [entry(n) for n in range(1, 4)]
    world.server.set_feed("/feed", feed)
    world.cycle()
    feed = [entry(4), *feed]
    world.server.set_feed("/feed", feed)
    assert world.cycle().posted == 1
    assert world.titles(GENERAL) == ["Story number 4"]
    assert world.cycle().polls[0].not_modified  # conditional GET: nothing re-read
    restamped = [entry(n, published=datetime(2025, 1, 1, tzinfo=UTC)) for n in (2, 4, 1, 3)]
    world.server.set_feed("/feed", restamped)
    report = world.cycle()
    assert report.posted == 0 and report.edited == 0 and report.polls[0].unchanged == 4
    assert world.titles(GENERAL) == ["Story number 4"]
    # New article is answerable at once.
    assert world.archive.article("Story number 4") is not None


def test_corrected_article_is_edited_in_place_not_reposted(world: World) -> None:
    world.subscribe(GENERAL)
    world.server.set_feed("/feed", [entry(1)])
    world.cycle()
    world.server.set_feed("/feed", [entry(2), entry(1)])
    world.cycle()
    fixed = Entry("Story number 2 (corrected)", "http://news.test/story-2", guid="id-2",
                  body="Report 2, with the landing date fixed to May 15.", categories=("Moon",))
    world.server.set_feed("/feed", [fixed, entry(1)])
    report = world.cycle()
    assert report.posted == 0 and report.edited == 1
    [message] = world.channels.messages[GENERAL]
    assert message.edits[-1].title == "Story number 2 (corrected)"
    assert world.archive.search("landing date fixed").hits[0].article.title == "Story number 2 (corrected)"
    assert world.cycle().edited == 0  # recorded: not edited again


def test_new_id_scheme_with_the_same_links_posts_nothing(world: World) -> None:
    world.subscribe(GENERAL)
    world.server.set_feed("/feed", [entry(n) for n in range(1, 6)])
    world.cycle()
    world.server.set_feed("/feed", [entry(n) for n in range(1, 7)])
    world.cycle()
    assert world.titles(GENERAL) == ["Story number 6"]
    reissued = [entry(n, guid=f"https://news.test/?p={n * 1000}") for n in range(1, 7)]
    for e in reissued:
        e.link += "?utm_source=rss"
    world.server.set_feed("/feed", reissued)
    report = world.cycle()
    assert report.posted == 0 and report.edited == 0
    assert world.titles(GENERAL) == ["Story number 6"]
    assert world.ledger.feeds.known_article(["guid:https://news.test/?p=3000"]) == "guid:id-3"


def test_restart_after_items_appeared_posts_exactly_those_oldest_first(world: World) -> None:
    world.subscribe(GENERAL)
    world.server.set_feed("/feed", [entry(n) for n in range(1, 4)])
    world.cycle()
    world.ledger.close()  # the bot is down while three items appear
    world.server.set_feed("/feed", [entry(n) for n in (6, 5, 4, 3, 2, 1)])
    world.start()
    world.cycle()
    assert world.titles(GENERAL) == ["Story number 4", "Story number 5", "Story number 6"]


def test_more_than_the_limit_posts_the_newest_and_summarises_the_older_ones(tmp_path, server) -> None:
    world = World(tmp_path, server, limit=3)
    world.subscribe(GENERAL)
    world.server.set_feed("/feed", [entry(1)])
    world.cycle()
    world.server.set_feed("/feed", [entry(n) for n in range(9, 0, -1)])
    report = world.cycle()
    assert (report.posted, report.summarised) == (3, 5)
    assert world.titles(GENERAL) == ["Story number 7", "Story number 8", "Story number 9"]
    [summary] = world.channels.notices(GENERAL, "summary")
    assert [i.title for i in summary.items] == [f"Story number {n}" for n in range(6, 1, -1)]
    assert summary.text.startswith("5 more new articles") and "the 3 newest are posted" in summary.text
    [feed] = summary.feeds
    assert (feed.count, feed.oldest, feed.newest) == (5, entry(2).published, entry(6).published)
    # The summary comes first, then the posts: the newest article ends up last in the channel.
    assert isinstance(world.channels.messages[GENERAL][0].body, type(summary))
    assert "summary" in " ".join(why(world.ledger, "http://news.test/story-4").lines())
    assert world.cycle().posted == 0 and len(world.channels.messages[GENERAL]) == 4
    world.ledger.close()


def test_crash_between_send_and_record_does_not_duplicate(world: World) -> None:
    world.subscribe(GENERAL)
    world.server.set_feed("/feed", [entry(1)])
    world.cycle()
    world.server.set_feed("/feed", [entry(n) for n in (4, 3, 2, 1)])
    world.channels.crash_after_sends = 2  # the second message is sent, then the process dies
    with pytest.raises(Crash):
        world.cycle()
    states = [d.state for d in world.ledger.deliveries.deliveries(channel_id=GENERAL)]
    assert states == ["sent", "sending", "queued"]
    world.restart()
    report = world.cycle()
    assert report.recovered == 1 and report.posted == 1
    assert world.titles(GENERAL) == ["Story number 2", "Story number 3", "Story number 4"]


def test_claimed_but_never_sent_is_sent_once_after_restart(world: World) -> None:
    world.subscribe(GENERAL)
    world.server.set_feed("/feed", [entry(1)])
    world.cycle()
    world.server.set_feed("/feed", [entry(2), entry(1)])
    world.channels.failing[GENERAL] = DeliveryFailed("gateway timeout", permanent=False)
    assert world.cycle().posted == 0
    assert world.ledger.deliveries.deliveries(channel_id=GENERAL)[0].state == "sending"
    del world.channels.failing[GENERAL]
    world.restart()
    assert world.cycle().posted == 1
    assert world.titles(GENERAL) == ["Story number 2"]
    world.channels.failing[GENERAL] = DeliveryFailed("Unknown Channel", permanent=True)
    world.server.set_feed("/feed", [entry(3), entry(2), entry(1)])
    world.cycle()
    assert world.ledger.deliveries.deliveries(article_id="guid:id-3")[0].state == "failed"
    assert "could not be posted (Unknown Channel)" in " ".join(why(world.ledger, "Story number 3").lines())


def test_failing_feed_warns_once_and_recovers_once(world: World) -> None:
    world.subscribe(GENERAL)
    world.subscribe(MARS, categories=("Mars",))
    url = world.server.url("/feed")
    world.server.set_feed("/feed", [entry(1)])
    world.cycle()
    world.server.failures["/feed"] = 500
    delays = []
    for _ in range(6):
        before = world.clock()
        report = asyncio.run(world.pub.poll(world.ledger.feeds.source(url)))
        assert "HTTP 500" in report.error
        delays.append(world.ledger.feeds.source(url).next_poll - before)
        asyncio.run(world.pub.deliver())
    assert delays == sorted(delays) and delays[-1] > delays[0]  # backing off
    for channel in (GENERAL, MARS):
        [warning] = world.channels.notices(channel, "warning")
        assert "failed 3 times in a row" in warning.text and "HTTP 500" in warning.text
    server_hits = len(world.server.hits("/feed"))
    world.clock.advance(minutes=30)
    asyncio.run(world.pub.run_once())  # not due yet: backoff respected
    assert len(world.server.hits("/feed")) == server_hits
    del world.server.failures["/feed"]
    world.server.set_feed("/feed", [entry(3), entry(1)])
    world.clock.advance(hours=7)
    world.cycle()
    world.cycle()
    for channel in (GENERAL, MARS):
        assert len(world.channels.notices(channel, "warning")) == 1
        assert len(world.channels.notices(channel, "recovered")) == 1
    assert world.titles(MARS) == ["Story number 3"]


def test_not_a_feed_and_timeout_count_as_failures(world: World) -> None:
    url = world.server.url("/feed")
    world.server.set("/feed", b"<html><p>maintenance</p></html>", "text/html")
    world.cycle()
    assert world.ledger.feeds.source(url).last_error.startswith("not a feed")
    world.server.set_feed("/feed", [entry(1)])
    world.server.stall["/feed"] = 0.3
    world.pub.timeout = 0.1
    world.clock.advance(hours=1)
    world.cycle()
    source = world.ledger.feeds.source(url)
    assert source.failures == 2 and source.primed_at is None


def test_filters_and_role_mentions(world: World) -> None:
    world.subscribe(GENERAL)
    world.subscribe(MARS, categories=("mars",), role_id=777)
    world.subscribe(ROVERS, keywords=("rovers",))
    world.server.set_feed("/feed", [entry(1)])
    world.cycle()
    world.server.set_feed("/feed", [entry(n) for n in range(6, 0, -1)])
    world.cycle()
    assert world.titles(GENERAL) == [f"Story number {n}" for n in range(2, 7)]
    assert world.titles(MARS) == ["Story number 3", "Story number 5"]
    assert world.titles(ROVERS) == ["Story number 3", "Story number 6"]
    assert {p.role_id for p in world.channels.posts(MARS)} == {777}
    assert {p.role_id for p in world.channels.posts(GENERAL) + world.channels.posts(ROVERS)} == {None}
    lines = " ".join(why(world.ledger, "Story number 4").lines(channel=lambda c: f"#{c}"))
    assert "#1: posted" in lines
    assert "#2: filtered out by the category filter: wants mars; the article has Moon" in lines
    assert "#3: filtered out by the keyword filter" in lines
    assert why(world.ledger, "Nothing like this").item is None
    assert "Not fetched yet" in why(world.ledger, "http://news.test/unknown").lines()[0]


def test_unsubscribe_drops_waiting_posts(world: World) -> None:
    world.subscribe(GENERAL)
    world.server.set_feed("/feed", [entry(1)])
    world.cycle()
    world.server.set_feed("/feed", [entry(2), entry(1)])
    asyncio.run(world.pub.poll(world.ledger.feeds.due_sources(world.clock() + timedelta(hours=1))[0]))
    assert world.ledger.deliveries.unsubscribe(GENERAL)
    world.cycle()
    assert world.channels.messages[GENERAL] == []


def test_announcement_posts_are_crossposted_within_the_hourly_budget(tmp_path, server) -> None:
    world = World(tmp_path, server, limit=20)
    world.subscribe(NEWS, announce=True)
    world.server.set_feed("/feed", [entry(0)])
    world.cycle()
    world.server.set_feed("/feed", [entry(n) for n in range(13, -1, -1)])
    report = world.cycle()
    assert report.posted == 13 and report.crossposted == CROSSPOSTS_PER_HOUR
    assert len(world.ledger.deliveries.waiting_crossposts()) == 3
    world.clock.advance(minutes=30)
    assert asyncio.run(world.pub.crosspost()).crossposted == 0  # still over budget: waits
    world.clock.advance(minutes=31)
    assert asyncio.run(world.pub.crosspost()).crossposted == 3
    assert all(m.crossposted for m in world.channels.messages[NEWS])
    world.ledger.close()


def test_404_then_silence_then_a_hundred_items(tmp_path, server) -> None:
    world = World(tmp_path, server, limit=5)
    world.subscribe(GENERAL)
    world.subscribe(MARS, categories=("Mars",))
    world.server.set_feed("/feed", [entry(0)])
    world.cycle()
    world.server.failures["/feed"] = 404
    world.cycle()
    del world.server.failures["/feed"]
    for _ in range(3):  # silence: same feed, answered 304
        world.clock.advance(hours=1)
        world.cycle()
    world.server.set_feed("/feed", [entry(n) for n in range(100, -1, -1)])
    world.clock.advance(hours=1)
    report = world.cycle()
    assert report.posted == 10 and report.summarised == 95 + 45
    assert sorted(world.channels.titles_delivered(GENERAL)) == sorted(
        f"Story number {n}" for n in range(1, 101))
    assert sorted(world.channels.titles_delivered(MARS)) == sorted(
        f"Story number {n}" for n in range(1, 101, 2))
    assert world.channels.notices(GENERAL, "warning") == []  # one 404 is not an outage
    world.ledger.close()


def test_folder_source_posts_new_files_and_edits_corrected_ones(world: World) -> None:
    folder = world.archive.article_dirs[0]
    (folder / "001.txt").write_text("Categories: Mars\n\nOld story\n\nAlready here.\n")
    world.server.set_feed("/feed", [])
    world.subscribe(GENERAL)
    world.pub.register_folder(folder)
    world.cycle()
    assert world.channels.messages[GENERAL] == []
    (folder / "002.txt").write_text("Categories: Mars\n\nA fresh story\n\nJust arrived.\n")
    world.cycle()
    assert world.titles(GENERAL) == ["A fresh story"]
    (folder / "002.txt").write_text("Categories: Mars\n\nA fresh story\n\nJust arrived, corrected.\n")
    report = world.cycle()
    assert report.posted == 0 and report.edited == 1
    assert world.archive.search("arrived corrected").hits[0].article.title == "A fresh story"


def test_soak_twenty_restarts_two_hundred_items_in_bursts(tmp_path, server) -> None:
    """Every item reaches every matching channel exactly once, none reaches the others."""
    world = World(tmp_path, server, limit=4)
    world.subscribe(GENERAL)
    world.subscribe(MARS, categories=("Mars",))
    world.subscribe(ROVERS, keywords=("rover",))
    rng = random.Random(7)
    published: list[Entry] = [entry(0)]
    world.server.set_feed("/feed", published)
    world.cycle()
    n = 0
    crashes = 0
    for _ in range(20):
        for _ in range(rng.randint(1, 3)):  # a few polls per life
            burst = rng.randint(3, 9)
            published = [entry(i) for i in range(n + burst, n, -1) if i <= 200] + published
            n = min(200, n + burst)
            world.server.set_feed("/feed", published[:60])  # feeds show only recent items
            if rng.random() < 0.4:
                world.channels.crash_after_sends = rng.randint(1, 6)
            try:
                world.cycle()
            except Crash:
                crashes += 1
                break
        world.channels.crash_after_sends = None
        world.restart()
    while n < 200:
        published = [entry(i) for i in range(min(200, n + 9), n, -1)] + published
        n = min(200, n + 9)
        world.server.set_feed("/feed", published[:60])
        world.cycle()
    world.cycle()
    expected = {
        GENERAL: {f"Story number {i}" for i in range(1, 201)},
        MARS: {f"Story number {i}" for i in range(1, 201, 2)},
        ROVERS: {f"Story number {i}" for i in range(3, 201, 3)},
    }
    for channel, titles in expected.items():
        delivered = world.channels.titles_delivered(channel)
        assert len(delivered) == len(titles), channel  # exactly once: no duplicates
        assert set(delivered) == titles, channel
    assert crashes >= 3
    assert world.channels.messages[NEWS] == []
    world.ledger.close()
