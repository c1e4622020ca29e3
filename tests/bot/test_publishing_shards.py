"""Two `archive-bot run` processes, one shard each, over the same SQLite files, against the Discord
stand-in: exactly one publishes (it holds the lease), each article reaches the channel once, and
when that process is killed (SIGKILL, mid-whatever) the other takes over without a duplicate."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import sys
from pathlib import Path

from index.schema import publishing_path
from tests.bot.conftest import sample_dirs
from tests.discord_standin import GUILD_ID, TEXT_CHANNEL_ID, TOKEN, DiscordStandin
from tests.feedserver import Entry, FeedServer

LEASE = 2.0  # seconds; the default is 40


def story(n: int) -> Entry:
    return Entry(f"Orbiter story {n}", f"https://news.test/orbiter-{n}", guid=f"o{n}",
                 body=f"The orbiter number {n} reached its orbit.")


def lease_holder(db: Path) -> str | None:
    """Who holds the publishing lease, read as an operator would (read-only)."""
    try:
        conn = sqlite3.connect(f"file:{publishing_path(db)}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT holder FROM pub_lease").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def test_two_processes_with_two_shards_post_each_article_once_and_survive_a_kill(db_copy, tmp_path) -> None:
    with FeedServer() as server:
        server.set_feed("/feed", [story(1)])

        async def until(predicate, what: str, timeout: float = 30.0) -> None:
            for _ in range(int(timeout / 0.05)):
                if predicate():
                    return
                await asyncio.sleep(0.05)
            raise AssertionError(f"timed out waiting for {what}; logs in {tmp_path}")

        async def main() -> None:
            standin = await DiscordStandin().start()
            base = {k: v for k, v in os.environ.items() if not k.startswith(("ARCHIVE_", "DISCORD_", "FEED"))}
            env = base | {
                "ARCHIVE_BOT_ENV_FILE": str(tmp_path / "no.env"), "DISCORD_TOKEN": TOKEN,
                "DISCORD_API_BASE": standin.api_base, "DISCORD_GUILD_ID": str(GUILD_ID),
                "ARCHIVE_DB": str(db_copy), "ARCHIVE_DIRS": ",".join(map(str, sample_dirs())),
                "FEEDS": server.url("/feed"), "SHARD_COUNT": "2", "PUBLISH_TICK_SECONDS": "0.1",
                "FEED_MIN_INTERVAL_SECONDS": "0.1", "FEED_INTERVAL_SECONDS": "0.2",
                "PUBLISH_LEASE_SECONDS": str(LEASE), "LOG_LEVEL": "INFO",
            }
            procs, logs = {}, []
            for shard in (0, 1):
                logs.append(open(tmp_path / f"shard{shard}.log", "w"))  # noqa: SIM115 (closed below)
                procs[shard] = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot.cli", "run", env=env | {"SHARD_IDS": str(shard)},
                    cwd=tmp_path, stdout=logs[-1], stderr=logs[-1])
            try:
                await until(lambda: standin.identify_count >= 2 and lease_holder(db_copy), "both shards")
                shards = sorted(tuple(s) for *_, s in standin._sockets)
                assert shards == [(0, 2), (1, 2)]
                rec = await standin.send_interaction("subscribe", {"channel": TEXT_CHANNEL_ID},
                                                     user=standin.moderator)
                assert "Subscribed" in (await standin.reply_to(rec, timeout=20))["content"]

                def titles() -> list[str]:
                    return [m["embeds"][0]["title"] for m in standin.channel_messages(TEXT_CHANNEL_ID)
                            if m["embeds"] and m["embeds"][0].get("url")]

                server.set_feed("/feed", [story(3), story(2), story(1)])
                await until(lambda: len(titles()) >= 2, "the first posts")
                holder = lease_holder(db_copy)
                pid = int(re.search(r"pid (\d+)", holder).group(1))
                [victim] = [s for s, p in procs.items() if p.pid == pid]
                procs[victim].kill()  # no clean shutdown: the lease stays until it expires
                await procs[victim].wait()
                server.set_feed("/feed", [story(n) for n in range(6, 0, -1)])
                await until(lambda: len(titles()) >= 5, "the survivor's posts", timeout=LEASE * 10)
                await asyncio.sleep(LEASE)  # time for any duplicate to show up
                assert sorted(titles()) == sorted(f"Orbiter story {n}" for n in range(2, 7))
                nonces = [r.json.get("nonce") for r in standin.requests
                          if r.method == "POST" and r.path == f"/channels/{TEXT_CHANNEL_ID}/messages"]
                assert len(nonces) == len(set(nonces)) == 5  # every message sent once
                survivor = lease_holder(db_copy)
                assert survivor != holder and f"shards {1 - victim} of 2" in survivor
            finally:
                for p in procs.values():
                    if p.returncode is None:
                        p.terminate()
                        await p.wait()
                for log in logs:
                    log.close()
                await standin.stop()
            assert procs[1 - victim].returncode == 0  # the survivor stopped cleanly on SIGTERM

        asyncio.run(main())
