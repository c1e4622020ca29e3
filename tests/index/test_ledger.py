"""The ledger on a real SQLite file: identities, claims, warnings once, and a busy database."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from articles.model import Article, Paragraph
from index.publishing.deliveries import Subscription
from index.publishing.feeds import identity_keys
from index.publishing.ledger import Ledger
from index.schema import PUBLISHING, latest_version
from index.store import StoreError

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    led = Ledger(tmp_path / "archive.db")
    yield led
    led.close()


def test_identity_keys_cover_id_link_and_text() -> None:
    a = Article("Title", [Paragraph("Text.")], url="HTTP://WWW.News.test/a/?utm_source=x", guid="g-1")
    assert identity_keys(a) == ["guid:g-1", "url:https://news.test/a", f"hash:{a.content_hash}"]
    b = Article("Title", [Paragraph("Text.")], source_path="x/1.txt")
    assert identity_keys(b) == ["path:x/1.txt", f"hash:{b.content_hash}"]


def test_schema_is_versioned_idempotent_and_refuses_a_newer_file(tmp_path: Path) -> None:
    path = tmp_path / "archive.publishing.db"
    led = Ledger(path)
    led.feeds.add_source("http://feed.test/rss", "feed", 60, NOW)
    led.close()
    led = Ledger(path)  # opening again migrates nothing and keeps the state
    assert led.feeds.source("http://feed.test/rss").interval_s == 60
    assert led.db.one("PRAGMA user_version")[0] == latest_version(PUBLISHING)
    led.db.conn.execute(f"PRAGMA user_version = {latest_version(PUBLISHING) + 1}")
    led.close()
    with pytest.raises(StoreError, match="newer archive-bot"):
        Ledger(path)


def test_claim_is_exclusive_and_recorded_before_sending(ledger: Ledger) -> None:
    ledger.deliveries.subscribe(Subscription(1, 9, ("Mars",), ("rover",), 5, True), NOW)
    assert ledger.deliveries.subscription(1) == Subscription(1, 9, ("Mars",), ("rover",), 5, True, NOW)
    ledger.feeds.record_item("guid:a", source="s", title="A", url=None, published=None, post={"title": "A"},
                       post_hash="h1", baseline=False, now=NOW)
    ledger.deliveries.add_delivery("guid:a", 1, state="queued", reason=None, now=NOW)
    ledger.deliveries.add_delivery("guid:a", 1, state="filtered", reason="late duplicate", now=NOW)  # ignored
    assert ledger.deliveries.claim("guid:a", 1, nonce="n1", post_hash="h1")
    assert not ledger.deliveries.claim("guid:a", 1, nonce="n2", post_hash="h1")
    [d] = ledger.deliveries.deliveries(state="sending")
    assert (d.nonce, d.post_hash, d.reason) == ("n1", "h1", None)
    ledger.deliveries.mark_sent("guid:a", 1, message_id=77, now=NOW)
    assert ledger.deliveries.stale_deliveries() == []
    ledger.feeds.update_item("guid:a", title="A2", url=None, post={"title": "A2"}, post_hash="h2")
    [(stale, item)] = ledger.deliveries.stale_deliveries()
    assert stale.message_id == 77 and item.title == "A2"


def test_a_failing_source_warns_once_per_outage(ledger: Ledger) -> None:
    ledger.feeds.add_source("u", "feed", 60, NOW)
    def fail(error: str) -> bool:
        return ledger.feeds.poll_failed("u", error, now=NOW, next_poll=NOW, warn_after=3)[1]

    warns = [fail("HTTP 500") for _ in range(5)]
    assert warns == [False, False, True, False, False]
    assert ledger.feeds.poll_succeeded("u", etag=None, last_modified=None, now=NOW, next_poll=NOW)
    assert not ledger.feeds.poll_succeeded("u", etag=None, last_modified=None, now=NOW, next_poll=NOW)
    warns = [fail("timeout") for _ in range(3)]
    assert warns == [False, False, True]  # a new outage warns again


def test_crossposts_count_per_rolling_hour(ledger: Ledger) -> None:
    for mid in range(3):
        ledger.deliveries.queue_crosspost(4, mid, NOW)
        ledger.deliveries.crosspost_done(4, mid, NOW + timedelta(minutes=mid))
    assert ledger.deliveries.crossposts_since(4, NOW) == 3
    assert ledger.deliveries.crossposts_since(4, NOW + timedelta(minutes=1, seconds=30)) == 1


def test_a_busy_database_fails_fast_and_loses_nothing(tmp_path: Path) -> None:
    led = Ledger(tmp_path / "archive.db", busy_timeout=0.1)
    writer = sqlite3.connect(str(tmp_path / "archive.db"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a reindex holding the file
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        led.feeds.add_source("u", "feed", 60, NOW)
    assert time.monotonic() - started < 5
    assert led.feeds.sources() == []  # reads still work
    writer.execute("COMMIT")
    led.feeds.add_source("u", "feed", 60, NOW)
    assert [s.url for s in led.feeds.sources()] == ["u"]
    writer.close()
    led.close()
