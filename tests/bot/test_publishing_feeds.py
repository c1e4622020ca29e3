"""Moderators' publishing through the real bot against the Discord stand-in, with feeds served on
127.0.0.1: feeds added from Discord and bound to channels (their warnings only there), news first
after a gap, edits only for corrections, and no SQLite call on the event loop."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

from index.publishing.posts import RECENT
from tests.bot.conftest import embed_text
from tests.discord_standin import ANNOUNCEMENT_CHANNEL_ID, TEXT_CHANNEL_ID
from tests.feedserver import Entry, FeedServer

NOW = datetime.now(UTC)


def news(feed: str, n: int, published: datetime, **kw) -> Entry:
    return Entry(kw.pop("title", f"{feed} bulletin {n}"), f"https://{feed.lower()}.test/{n}",
                 guid=f"{feed}-{n}", body=f"The {feed} bulletin number {n}.", published=published, **kw)


def posts(standin, channel: int) -> list[dict]:
    return [m for m in standin.channel_messages(channel) if m["embeds"] and m["embeds"][0].get("url")]


def notices(standin, channel: int, title: str) -> list[dict]:
    return [m for m in standin.channel_messages(channel)
            if m["embeds"] and (m["embeds"][0].get("title") or "").startswith(title)]


def watch_the_loop(cog) -> list[str]:
    """Statements the ledger runs on the event loop's thread (there must be none)."""
    loop_thread = threading.get_ident()
    on_loop: list[str] = []
    cog.publisher.ledger.db.conn.set_trace_callback(
        lambda sql: on_loop.append(sql) if threading.get_ident() == loop_thread else None)
    return on_loop


def test_a_feed_added_from_discord_is_bound_to_one_channel_and_warns_only_there(run_bot) -> None:
    with FeedServer() as server:
        nasa, esa = server.url("/nasa"), server.url("/esa")
        server.set_feed("/nasa", [news("NASA", 1, NOW - timedelta(hours=5))], title="NASA news")
        server.set_feed("/esa", [news("ESA", 1, NOW - timedelta(hours=5))], title="ESA news")

        async def scenario(standin, bot):
            cog = bot.get_cog("Publishing")
            on_loop = watch_the_loop(cog)
            mod = standin.moderator

            async def ask(command: str, options: dict, **kw) -> str:
                return embed_text(await standin.reply_to(await standin.send_interaction(
                    command, options, user=mod, **kw)))

            await cog.run_cycle(poll_all=True)  # ESA, from FEEDS, is read once: nothing posted
            assert "is not a web address" in await ask("feed add", {"url": "notaurl"})
            assert "cannot be read: HTTP 404" in await ask("feed add", {"url": server.url("/missing")})
            added = await ask("feed add", {"url": nasa})
            assert f"Added **NASA news** (<{nasa}>): it holds 1 article now, marked seen" in added
            rec = await standin.send_interaction("subscribe", {"channel": TEXT_CHANNEL_ID, "feed": "nas"},
                                                 user=mod, focused="feed")
            await standin.wait_for(lambda: rec.choices is not None)
            assert rec.choices == [{"name": "NASA news", "value": nasa}]
            bound = await ask("subscribe", {"channel": TEXT_CHANNEL_ID, "feed": nasa})
            assert "gets every new article from NASA news" in bound
            assert "from every feed" in await ask("subscribe", {"channel": ANNOUNCEMENT_CHANNEL_ID})
            assert "No feed matches" in await ask("subscribe", {"channel": TEXT_CHANNEL_ID, "feed": "Venus"})
            server.set_feed("/nasa", [news("NASA", 2, NOW - timedelta(hours=1)),
                                      news("NASA", 1, NOW - timedelta(hours=5))], title="NASA news")
            server.set_feed("/esa", [news("ESA", 2, NOW - timedelta(hours=2)),
                                     news("ESA", 1, NOW - timedelta(hours=5))], title="ESA news")
            await cog.run_cycle(poll_all=True)
            assert [p["embeds"][0]["title"] for p in posts(standin, TEXT_CHANNEL_ID)] == ["NASA bulletin 2"]
            assert [p["embeds"][0]["title"] for p in posts(standin, ANNOUNCEMENT_CHANNEL_ID)] == [
                "ESA bulletin 2", "NASA bulletin 2"]
            server.failures["/esa"] = 503
            for _ in range(3):
                await cog.run_cycle(poll_all=True)
            [warning] = notices(standin, ANNOUNCEMENT_CHANNEL_ID, "A feed is failing")
            assert "ESA news" in embed_text(warning) and "HTTP 503" in embed_text(warning)
            assert notices(standin, TEXT_CHANNEL_ID, "A feed") == []
            listing = await ask("feed list", {})
            assert f"**NASA news** <{nasa}>" in listing and "**ESA news**" in listing
            assert f"posted in: <#{TEXT_CHANNEL_ID}>, <#{ANNOUNCEMENT_CHANNEL_ID}>" in listing
            assert "failing (3 in a row: HTTP 503" in listing
            refused = await ask("feed remove", {"feed": esa})  # not this server's to drop
            assert "Cannot remove it: ESA news comes from FEEDS in the bot's settings" in refused
            removed = await ask("feed remove", {"feed": nasa})
            assert "Removed **NASA news**" in removed and "the 1 subscription bound to it went too" in removed
            hits = len(server.hits("/nasa"))
            await cog.run_cycle(poll_all=True)
            assert len(server.hits("/nasa")) == hits  # no longer read
            listing = await ask("feed list", {})
            assert "**NASA news**" not in listing and "**ESA news**" in listing
            assert "from every feed" in await ask("subscriptions", {})
            assert on_loop == []
            assert not standin.rejected

        run_bot(scenario, feeds=(esa,))


def test_three_hundred_new_articles_post_the_newest_and_list_every_recent_one(run_bot) -> None:
    with FeedServer() as server:
        server.set_feed("/feed", [news("NASA", 0, NOW - timedelta(days=50))])
        # 300 articles over seven weeks, 80 of them in the last two days.
        old = [news("NASA", n, NOW - timedelta(days=49) + timedelta(hours=5 * n)) for n in range(1, 221)]
        recent = [news("NASA", n, NOW - timedelta(hours=47) + timedelta(minutes=30 * (n - 221)))
                  for n in range(221, 301)]

        async def scenario(standin, bot):
            cog = bot.get_cog("Publishing")
            await cog.run_cycle(poll_all=True)
            await standin.send_interaction("subscribe", {"channel": TEXT_CHANNEL_ID}, user=standin.moderator)
            server.set_feed("/feed", (old + recent)[::-1])
            await cog.run_cycle(poll_all=True)
            messages = [m for m in standin.channel_messages(TEXT_CHANNEL_ID) if m["embeds"]]
            summary = [m for m in messages if m["embeds"][0]["title"].startswith("More new articles")]
            posted = [m["embeds"][0]["title"] for m in posts(standin, TEXT_CHANNEL_ID)]
            assert posted == [f"NASA bulletin {n}" for n in range(296, 301)]  # the newest, in date order
            assert len(summary) >= 2 and messages[:len(summary)] == summary  # the summary comes first
            text = "\n".join(embed_text(m) for m in summary)
            listed = [int(n) for n in re.findall(r"• \[NASA bulletin (\d+)\]", text)]
            assert listed[:75] == list(range(295, 220, -1))  # every recent one, newest first
            cutoff = datetime.now(UTC) - RECENT
            assert all(e.published < cutoff for e in old + recent
                       if int(e.title.split()[-1]) not in listed + list(range(296, 301)))
            hidden = 295 - len(listed)
            assert hidden > 0 and f"…and {hidden} more, from <t:" in text and "`/search`" in text
            assert "**Space news**: 295 articles, <t:" in text
            assert "the 5 newest are posted" in text
            assert not standin.rejected

        run_bot(scenario, feeds=(server.url("/feed"),))


def test_an_enrichment_edits_nothing_and_a_title_correction_edits_the_recent_post(run_bot) -> None:
    with FeedServer() as server:
        first = news("NASA", 1, NOW - timedelta(hours=3))
        server.set_feed("/feed", [first])

        async def scenario(standin, bot):
            cog = bot.get_cog("Publishing")
            await cog.run_cycle(poll_all=True)
            await standin.send_interaction("subscribe", {"channel": TEXT_CHANNEL_ID}, user=standin.moderator)
            second = news("NASA", 2, NOW - timedelta(hours=1), author=None)
            server.set_feed("/feed", [second, first])
            await cog.run_cycle(poll_all=True)
            [post] = posts(standin, TEXT_CHANNEL_ID)
            server.set_feed("/feed", [news("NASA", 2, NOW - timedelta(hours=1), author="Rhea Vance",
                                           image="https://nasa.test/2.jpg"), first])
            await cog.run_cycle(poll_all=True)
            patches = [r for r in standin.requests if r.method == "PATCH" and r.path.endswith(post["id"])]
            assert patches == [] and "author" not in post["embeds"][0]
            corrected = news("NASA", 2, NOW - timedelta(hours=1), author="Rhea Vance",
                             image="https://nasa.test/2.jpg", title="NASA bulletin 2 (corrected)")
            server.set_feed("/feed", [corrected, first])
            await cog.run_cycle(poll_all=True)
            [post] = posts(standin, TEXT_CHANNEL_ID)
            assert post["embeds"][0]["title"] == "NASA bulletin 2 (corrected)" and post["edited_timestamp"]
            assert post["embeds"][0]["author"]["name"] == "Rhea Vance"
            patches = [r for r in standin.requests if r.method == "PATCH" and r.path.endswith(post["id"])]
            assert len(patches) == 1

        run_bot(scenario, feeds=(server.url("/feed"),))
