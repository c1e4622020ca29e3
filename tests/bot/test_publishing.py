"""Publishing through the real bot against the Discord stand-in, with feeds on 127.0.0.1:
posts with their look and pings, crossposts, crash recovery by the footer marker, moderators'
commands."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from index.publishing.posts import Post
from tests.bot.conftest import embed_text
from tests.discord_standin import (
    ANNOUNCEMENT_CHANNEL_ID,
    CROSSPOSTED_FLAG,
    EPHEMERAL_FLAG,
    MODERATOR_ROLE_ID,
    TEXT_CHANNEL_ID,
)
from tests.feedserver import Entry, FeedServer

RECENT = datetime.now(UTC) - timedelta(days=1)


def story(n: int, **kw) -> Entry:
    return Entry(f"Lander story {n}", f"https://news.test/lander-{n}", guid=f"g{n}",
                 body=kw.pop("body", f"The lander number {n} touched down safely."),
                 categories=kw.pop("categories", ("Mars",)), published=RECENT + timedelta(minutes=n), **kw)


def public(standin, channel: int) -> list[dict]:
    """What everyone sees in the channel (not the ephemeral replies to commands)."""
    return [m for m in standin.channel_messages(channel) if not m["flags"] & EPHEMERAL_FLAG]


def posts(standin, channel: int) -> list[dict]:
    return [m for m in standin.channel_messages(channel) if m["embeds"] and m["embeds"][0].get("url")]


def test_subscribed_channels_get_new_articles_once_with_role_and_crosspost(run_bot) -> None:
    with FeedServer() as server:
        server.set_feed("/feed", [story(1)])

        async def scenario(standin, bot):
            cog = bot.get_cog("Publishing")
            await cog.run_cycle(poll_all=True)  # first read: marked seen, nothing posted
            rec = await standin.send_interaction(
                "subscribe", {"channel": TEXT_CHANNEL_ID, "categories": "mars", "role": MODERATOR_ROLE_ID},
                user=standin.moderator)
            reply = await standin.reply_to(rec)
            assert reply["flags"] & EPHEMERAL_FLAG and "Subscribed" in reply["content"]
            rec = await standin.send_interaction("subscribe", {"channel": ANNOUNCEMENT_CHANNEL_ID},
                                                 user=standin.moderator)
            assert "published to following servers" in (await standin.reply_to(rec))["content"]
            server.set_feed("/feed", [
                story(3, categories=("Moon",)),
                story(2, body="A lander with a @everyone ping and **bold** claim.",
                      image="https://news.test/lander.jpg"),
                story(1)])
            await cog.run_cycle(poll_all=True)
            await cog.run_cycle(poll_all=True)
            [post] = posts(standin, TEXT_CHANNEL_ID)
            embed = post["embeds"][0]
            assert embed["title"] == "Lander story 2" and embed["url"] == "https://news.test/lander-2"
            assert embed["author"]["name"] == "Ada Quill"
            assert embed["thumbnail"]["url"] == "https://news.test/lander.jpg"
            assert f"<t:{int((RECENT + timedelta(minutes=2)).timestamp())}:R>" in embed["description"]
            assert (embed["fields"][0]["name"], embed["fields"][0]["value"]) == ("Categories", "Mars")
            assert post["content"] == f"<@&{MODERATOR_ROLE_ID}>"
            assert [int(r) for r in post["allowed_mentions"]["roles"]] == [MODERATOR_ROLE_ID]
            assert post["allowed_mentions"]["parse"] == []
            assert "@everyone" not in embed["description"].replace("@\u200beveryone", "")
            news = posts(standin, ANNOUNCEMENT_CHANNEL_ID)
            assert [m["embeds"][0]["title"] for m in news] == ["Lander story 2", "Lander story 3"]
            assert all(m["flags"] & CROSSPOSTED_FLAG for m in news)
            assert news[0]["content"] == "" and not news[0]["allowed_mentions"].get("roles")
            assert news[0]["allowed_mentions"]["parse"] == []
            # /why: posted here, filtered there.
            rec = await standin.send_interaction("why", {"article": "https://news.test/lander-3?utm_source=x"},
                                                 user=standin.moderator)
            text = embed_text(await standin.reply_to(rec))
            assert f"<#{TEXT_CHANNEL_ID}>: filtered out by the category filter" in text
            assert f"<#{ANNOUNCEMENT_CHANNEL_ID}>: posted" in text
            # The new article is answerable at once.
            hits = bot.archive.search("lander number 3 touched down").hits
            assert hits[0].article.title == "Lander story 3"

        run_bot(scenario, feeds=(server.url("/feed"),))


def test_a_post_sent_before_a_crash_is_found_by_its_marker(run_bot) -> None:
    with FeedServer() as server:
        server.set_feed("/feed", [story(1)])

        async def scenario(standin, bot):
            cog = bot.get_cog("Publishing")
            await cog.run_cycle(poll_all=True)
            await standin.reply_to(await standin.send_interaction("subscribe", {"channel": TEXT_CHANNEL_ID},
                                                                 user=standin.moderator))
            cog._task.cancel()  # the background loop must not deliver while the crash is staged
            await asyncio.wait({cog._task})
            server.set_feed("/feed", [story(2), story(1)])
            ledger = cog.publisher.ledger
            await cog.publisher.poll(ledger.feeds.source(server.url("/feed")))
            [item] = ledger.deliveries.queued_items(TEXT_CHANNEL_ID)
            # Claimed and sent, then the process died before recording it.
            assert ledger.deliveries.claim(item.article_id, TEXT_CHANNEL_ID, nonce="crashtest0001",
                                           post_hash=item.post_hash)
            await cog.publisher.sender.send_post(TEXT_CHANNEL_ID, Post.from_json(item.post), "crashtest0001")
            for m in standin.channel_messages(TEXT_CHANNEL_ID):
                m["nonce"] = None  # Discord's history does not return nonces: only the footer tells
            await cog.run_cycle()
            assert len(posts(standin, TEXT_CHANNEL_ID)) == 1
            [delivery] = ledger.deliveries.deliveries(channel_id=TEXT_CHANNEL_ID)
            assert delivery.state == "sent"
            assert delivery.message_id == int(posts(standin, TEXT_CHANNEL_ID)[0]["id"])
            # A correction edits that message in place.
            server.set_feed("/feed", [story(2, body="The lander number 2 touched down on its second try."),
                                      story(1)])
            await cog.run_cycle(poll_all=True)
            [post] = posts(standin, TEXT_CHANNEL_ID)
            assert "second try" in post["embeds"][0]["description"] and post["edited_timestamp"]

        run_bot(scenario, feeds=(server.url("/feed"),))


def test_moderator_commands_and_refusals(run_bot) -> None:
    with FeedServer() as server:
        server.set_feed("/feed", [story(1)])

        async def scenario(standin, bot):
            cog = bot.get_cog("Publishing")
            await cog.run_cycle(poll_all=True)
            for command, options in [("subscribe", {"channel": TEXT_CHANNEL_ID}),
                                     ("digest post", {}), ("subscriptions", {}), ("why", {"article": "x"})]:
                rec = await standin.send_interaction(command, options, user=standin.member)
                assert "Only moderators" in (await standin.reply_to(rec))["content"]
            assert cog.publisher.ledger.deliveries.subscriptions() == []
            rec = await standin.send_interaction("subscriptions", {}, user=standin.moderator)
            text = embed_text(await standin.reply_to(rec))
            assert "No channel is subscribed" in text
            assert "1 existing articles marked seen, not posted" in text
            rec = await standin.send_interaction(
                "digest schedule", {"frequency": "weekly", "time": "09:00", "timezone": "Mars/Olympus",
                                    "weekday": "monday"}, user=standin.moderator)
            assert "unknown time zone" in (await standin.reply_to(rec))["content"]
            rec = await standin.send_interaction(
                "digest schedule", {"frequency": "weekly", "time": "09:00", "timezone": "Europe/Paris",
                                    "weekday": "monday"}, user=standin.moderator)
            assert "every Monday at 09:00 Europe/Paris" in (await standin.reply_to(rec))["content"]
            assert [r.channel_id for r in cog.publisher.ledger.schedules.schedules()] == [TEXT_CHANNEL_ID]
            rec = await standin.send_interaction("digest unschedule", {}, user=standin.moderator)
            assert "no more scheduled digests" in (await standin.reply_to(rec))["content"]
            rec = await standin.send_interaction("unsubscribe", {"channel": TEXT_CHANNEL_ID},
                                                 user=standin.moderator)
            assert "was not subscribed" in (await standin.reply_to(rec))["content"]

        run_bot(scenario, feeds=(server.url("/feed"),))


def test_digest_post_and_empty_window(run_bot) -> None:
    with FeedServer() as server:
        server.set_feed("/feed", [story(n) for n in range(1, 31)])

        async def scenario(standin, bot):
            cog = bot.get_cog("Publishing")
            await cog.run_cycle(poll_all=True)  # the feed's items are indexed, with their dates
            before = len(public(standin, TEXT_CHANNEL_ID))
            rec = await standin.send_interaction("digest post", {"days": 3, "category": "Venus"},
                                                 user=standin.moderator)
            reply = await standin.reply_to(rec)
            assert reply["flags"] & EPHEMERAL_FLAG and "nothing was posted" in reply["content"]
            assert len(public(standin, TEXT_CHANNEL_ID)) == before
            rec = await standin.send_interaction("digest post", {"days": 3}, user=standin.moderator)
            await standin.wait_for(lambda: any("Posted a digest" in (m.get("content") or "")
                                               for m in rec.messages))
            digest = public(standin, TEXT_CHANNEL_ID)[before:]
            text = "\n".join(embed_text(m) for m in digest)
            assert all(f"Lander story {n}]" in text for n in range(1, 31))
            assert text.index("Lander story 30]") < text.index("Lander story 1]")
            assert not standin.rejected

        run_bot(scenario, feeds=(server.url("/feed"),))
