"""Exactly one process publishes: the lease row on a real SQLite file, and two runners (two
bots' publishers, each with its own connection) sharing one ledger and one set of channels,
with the real clock and a short lease."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from index.archive import Archive
from index.publishing.deliveries import Subscription
from index.publishing.ledger import Ledger
from index.publishing.publisher import Publisher
from index.publishing.runner import Runner
from index.schema import publishing_path
from tests.feedserver import FeedServer
from tests.index.memory_channels import Crash, MemoryChannels
from tests.index.test_publisher import entry

T0 = datetime(2024, 6, 1, 12, tzinfo=UTC)
TTL = timedelta(seconds=40)
CHANNEL = 3


def test_the_lease_goes_to_one_holder_until_it_expires(tmp_path: Path) -> None:
    a, b = Ledger(tmp_path / "p.db"), Ledger(tmp_path / "p.db")
    assert a.lease.acquire("a", T0, TTL)
    assert not b.lease.acquire("b", T0 + timedelta(seconds=39), TTL)
    assert a.lease.acquire("a", T0 + timedelta(seconds=30), TTL)  # renewed until T0 + 70 s
    assert not b.lease.acquire("b", T0 + timedelta(seconds=69), TTL)
    assert b.lease.acquire("b", T0 + timedelta(seconds=70), TTL)
    assert not a.lease.acquire("a", T0 + timedelta(seconds=71), TTL)
    assert a.lease.state().holder == "b"
    b.lease.release("b")
    assert a.lease.state() is None and a.lease.acquire("a", T0 + timedelta(seconds=72), TTL)
    a.close()
    b.close()


def test_a_second_runner_takes_over_when_the_first_stops_renewing(tmp_path: Path) -> None:
    """Runner A publishes and dies in the middle of a send (its lease left in place); runner B,
    running all along, stays idle, takes over once the lease expires, resolves A's half-sent post
    by its nonce and goes on: every article reaches the channel once."""
    channels = MemoryChannels()
    archive = Archive(tmp_path / "archive.db", [])

    with FeedServer() as server:
        url = server.url("/feed")

        def runner(name: str) -> Runner:
            ledger = Ledger(publishing_path(archive.db_path))
            pub = Publisher(ledger, channels, archive=archive, interval_s=0.1, min_interval_s=0.1, timeout=2)
            pub.register_feed(url)
            return Runner(pub, tick=0.05, lease_seconds=1.0, holder=name)

        async def scenario() -> None:
            a, b = runner("a"), runner("b")
            a.publisher.ledger.deliveries.subscribe(Subscription(CHANNEL), T0)
            server.set_feed("/feed", [entry(1)])
            assert await a.acquire()
            await a.step()  # first read
            b_task = asyncio.create_task(b.run())
            server.set_feed("/feed", [entry(n) for n in (3, 2, 1)])
            await asyncio.sleep(0.15)
            await a.acquire()
            channels.crash_after_sends = 2  # A sends two posts and dies before recording the second
            with pytest.raises(Crash):
                await a.step(poll_all=True)
            assert b.cycles == 0 and not b.holding()  # B never published while A held the lease
            server.set_feed("/feed", [entry(n) for n in (5, 4, 3, 2, 1)])
            for _ in range(100):  # within the lease (1 s) and one renewal period
                await asyncio.sleep(0.05)
                if len(channels.posts(CHANNEL)) == 4:
                    break
            assert b.holding() and b.publisher.ledger.lease.state().holder == "b"
            assert [p.title for p in channels.posts(CHANNEL)] == [f"Story number {n}" for n in (2, 3, 4, 5)]
            b_task.cancel()
            await asyncio.gather(b_task, return_exceptions=True)
            assert b.publisher.ledger.lease.state() is None  # released on the way out
            a.publisher.ledger.close()
            b.publisher.ledger.close()

        asyncio.run(scenario())
    archive.close()
