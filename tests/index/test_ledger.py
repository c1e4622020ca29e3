"""The ledger on a real SQLite file: identities, claims, warnings once, and a busy database."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from articles.model import Article, Paragraph
from index.archive import Archive
from index.ledger import Ledger, Subscription, ensure_ledger_schema, identity_keys
from index.store import connect

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


def test_schema_shares_the_archive_file_and_is_idempotent(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.db", [])
    archive.add_article(Article("Kept", [Paragraph("Still here.")]))
    led = Ledger(archive.db_path)
    ensure_ledger_schema(connect(archive.db_path))
    led.add_source("http://feed.test/rss", "feed", 60, NOW)
    led.close()
    assert Ledger(archive.db_path).source("http://feed.test/rss").interval_s == 60
    assert archive.article("Kept") is not None
    archive.close()


def test_claim_is_exclusive_and_recorded_before_sending(ledger: Ledger) -> None:
    ledger.subscribe(Subscription(1, 9, ("Mars",), ("rover",), 5, True), NOW)
    assert ledger.subscription(1) == Subscription(1, 9, ("Mars",), ("rover",), 5, True, NOW)
    ledger.record_item("guid:a", source="s", title="A", url=None, published=None, post={"title": "A"},
                       post_hash="h1", baseline=False, now=NOW)
    ledger.add_delivery("guid:a", 1, state="queued", reason=None, now=NOW)
    ledger.add_delivery("guid:a", 1, state="filtered", reason="late duplicate", now=NOW)  # ignored
    assert ledger.claim("guid:a", 1, nonce="n1", post_hash="h1")
    assert not ledger.claim("guid:a", 1, nonce="n2", post_hash="h1")
    [d] = ledger.deliveries(state="sending")
    assert (d.nonce, d.post_hash, d.reason) == ("n1", "h1", None)
    ledger.mark_sent("guid:a", 1, message_id=77, now=NOW)
    assert ledger.stale_deliveries() == []
    ledger.update_item("guid:a", title="A2", url=None, post={"title": "A2"}, post_hash="h2")
    [(stale, item)] = ledger.stale_deliveries()
    assert stale.message_id == 77 and item.title == "A2"


def test_a_failing_source_warns_once_per_outage(ledger: Ledger) -> None:
    ledger.add_source("u", "feed", 60, NOW)
    warns = [ledger.poll_failed("u", "HTTP 500", now=NOW, next_poll=NOW, warn_after=3)[1] for _ in range(5)]
    assert warns == [False, False, True, False, False]
    assert ledger.poll_succeeded("u", etag=None, last_modified=None, now=NOW, next_poll=NOW)
    assert not ledger.poll_succeeded("u", etag=None, last_modified=None, now=NOW, next_poll=NOW)
    warns = [ledger.poll_failed("u", "timeout", now=NOW, next_poll=NOW, warn_after=3)[1] for _ in range(3)]
    assert warns == [False, False, True]  # a new outage warns again


def test_crossposts_count_per_rolling_hour(ledger: Ledger) -> None:
    for mid in range(3):
        ledger.queue_crosspost(4, mid, NOW)
        ledger.crosspost_done(4, mid, NOW + timedelta(minutes=mid))
    assert ledger.crossposts_since(4, NOW) == 3
    assert ledger.crossposts_since(4, NOW + timedelta(minutes=1, seconds=30)) == 1


def test_a_busy_database_fails_fast_and_loses_nothing(tmp_path: Path) -> None:
    led = Ledger(tmp_path / "archive.db", busy_timeout=0.1)
    writer = sqlite3.connect(str(tmp_path / "archive.db"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a reindex holding the file
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        led.add_source("u", "feed", 60, NOW)
    assert time.monotonic() - started < 5
    assert led.sources() == []  # reads still work
    writer.execute("COMMIT")
    led.add_source("u", "feed", 60, NOW)
    assert [s.url for s in led.sources()] == ["u"]
    writer.close()
    led.close()
