"""Publishing on its timers, in exactly one process: the loop the bot (and `archive-bot watch`)
runs around a `Publisher`.

The loop wakes when the next source is due (each source has its own timer) or after `tick`
seconds at most (retries, digests and crossposts are checked then), and can be woken at once
(`wake`). It publishes only while this process holds the lease: the lease is renewed every
third of its time-to-live, by a task of its own so that a long cycle does not let it lapse, and a
process stops sending once less than `margin` of its lease is left unrenewed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta

from index.publishing.digest import Digest
from index.publishing.publisher import NotPublishing, Publisher, RunReport

log = logging.getLogger(__name__)


def holder_name(label: str = "") -> str:
    """Who holds the lease, as a moderator reading the database would want to know it."""
    return f"{socket.gethostname()} pid {os.getpid()}" + (f", {label}" if label else "")


class Runner:
    def __init__(
        self,
        publisher: Publisher,
        *,
        tick: float = 30.0,
        lease_seconds: float = 40.0,
        holder: str | None = None,
        build: Callable[[datetime, datetime, str | None], Digest] | None = None,
    ) -> None:
        self.publisher = publisher
        self.lease = publisher.ledger.lease
        self.tick = tick
        self.ttl = timedelta(seconds=lease_seconds)
        self.margin = min(timedelta(seconds=5), self.ttl / 4)
        self.holder = holder or holder_name()
        self.build = build
        self.held_until: datetime | None = None
        self.cycles = 0
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        publisher.may_send = self.holding

    def holding(self) -> bool:
        """Whether this process may publish now: it holds the lease with time to spare."""
        return self.held_until is not None and self.held_until - self.publisher.now() > self.margin

    async def acquire(self) -> bool:
        """Take or renew the lease; True while this process holds it."""
        was = self.holding()
        now = self.publisher.now()
        try:
            got = await asyncio.to_thread(self.lease.acquire, self.holder, now, self.ttl)
        except sqlite3.OperationalError as exc:  # busy: try again at the next renewal
            log.info("could not renew the publishing lease (%s)", exc)
            return self.holding()
        self.held_until = now + self.ttl if got else None
        if got and not was:
            log.info("this process (%s) now publishes", self.holder)
            self.wake()
        elif was and not got:
            log.warning("another process took over publishing")
        return got

    async def release(self) -> None:
        if self.held_until is not None:
            self.held_until = None
            await asyncio.to_thread(self.lease.release, self.holder)

    def wake(self) -> None:
        """Run the next cycle now (a subscription or a feed was added)."""
        self._wake.set()

    async def step(self, *, poll_all: bool = False) -> RunReport | None:
        """One cycle, if this process publishes; None when it does not."""
        async with self._lock:
            if not self.holding():
                return None
            try:
                report = await self.publisher.cycle(poll_all=poll_all, build=self.build)
            except NotPublishing:
                log.warning("stopped publishing mid-cycle: the lease was not renewed in time")
                return None
            self.cycles += 1
            return report

    async def run(self) -> None:
        """Publish until cancelled; the lease is released on the way out."""
        keeper = asyncio.create_task(self._keep_lease(), name="publishing-lease")
        try:
            await self.acquire()
            while True:
                failed = True
                try:
                    await self.step()
                    failed = False
                except sqlite3.OperationalError as exc:
                    log.info("publishing waits for the database (%s); next try in %g s", exc, self.tick)
                except Exception:
                    log.exception("publishing cycle failed; trying again in %g s", self.tick)
                await self._sleep(full=failed)
        finally:
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)
            await self.release()

    async def _keep_lease(self) -> None:
        while True:
            await asyncio.sleep(self.ttl.total_seconds() / 3)
            await self.acquire()

    async def _sleep(self, *, full: bool = False) -> None:
        """Until the next source is due, at most a tick (a whole tick after a failed cycle)."""
        delay = self.tick
        if self.holding() and not full:
            due = await self.publisher.next_due()
            if due is not None:
                delay = min(delay, max(0.0, (due - self.publisher.now()).total_seconds()))
        try:
            async with asyncio.timeout(delay):
                await self._wake.wait()
        except TimeoutError:
            pass
        self._wake.clear()
