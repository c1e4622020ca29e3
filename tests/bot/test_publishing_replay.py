"""A day of a feed's polls replayed in a few seconds by the real bot, through the tick and
interval settings alone (no clock is patched): the feed server serves the day's 96 states one
per request (new articles, a burst, three failures, a quiet spell, every entry re-issued under a
new id scheme, a correction and an enrichment), and every new link reaches the channel once."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tests.bot.conftest import embed_text
from tests.discord_standin import TEXT_CHANNEL_ID
from tests.feedserver import Entry, FeedServer

INTERVAL = 0.05  # seconds between polls: a day of 15-minute polls takes about 5 s
POLLS = 96
DAY = datetime.now(UTC) - timedelta(days=1)


def item(n: int) -> Entry:
    return Entry(f"Launch log {n}", f"https://log.test/{n}", guid=f"log-{n}", body=f"Launch log entry {n}.",
                 published=DAY + timedelta(minutes=10 * n))


def the_day() -> tuple[list[Entry], list[list[Entry] | int], set[str]]:
    """The baseline, the 96 states of the day, and the links that are new during it."""
    base = [item(n) for n in range(5, 0, -1)]
    feed, states, new, n, target = list(base), [], set(), 5, ""
    for poll in range(POLLS):
        if poll in (30, 31, 32):
            states.append(404)
            continue
        if poll == 60:
            burst = [item(m) for m in range(n + 12, n, -1)]
            feed, n = burst + feed, n + 12
            new |= {e.link for e in burst}
        elif poll % 4 == 0 and not 50 <= poll < 60:
            n += 1
            feed = [item(n), *feed]
            new.add(item(n).link)
        if poll == 70:  # every entry re-issued under a new id scheme, links with tracking
            feed = [replace(e, guid=f"https://log.test/?p={e.link.rsplit('/', 1)[1]}",
                            link=e.link + "?utm_source=rss") for e in feed]
        if poll == 80:  # the article posted at poll 76 is corrected, then given an author
            target = item(n - 1).link
        if poll in (80, 85):
            i = next(i for i, e in enumerate(feed) if e.link.split("?")[0] == target)
            feed[i] = (replace(feed[i], title=feed[i].title + " (corrected)") if poll == 80
                       else replace(feed[i], author="Rhea Vance"))
        states.append(feed[:60])
    return base, states, new


def test_a_day_of_polls_replayed_in_seconds_posts_each_new_link_once(run_bot) -> None:
    base, states, new = the_day()
    with FeedServer() as server:
        url = server.url("/feed")
        server.set_feed("/feed", base)

        async def scenario(standin, bot):
            cog = bot.get_cog("Publishing")
            await cog.run_cycle(poll_all=True)
            await standin.send_interaction("subscribe", {"channel": TEXT_CHANNEL_ID}, user=standin.moderator)
            started = time.monotonic()
            server.script("/feed", states)
            while len(server.hits("/feed")) < POLLS + 4:
                await asyncio.sleep(0.05)
            elapsed = time.monotonic() - started
            await cog.run_cycle()  # whatever the last poll queued is delivered
            messages = [m for m in standin.channel_messages(TEXT_CHANNEL_ID) if m["embeds"]]
            posted = [m["embeds"][0]["url"] for m in messages if m["embeds"][0].get("url")]
            summaries = "\n".join(embed_text(m) for m in messages
                                  if m["embeds"][0]["title"].startswith("More new articles"))
            listed = re.findall(r"\]\((https://log\.test/\d+)\)", summaries)
            assert sorted(posted + listed) == sorted(new)  # each new link once, no other
            assert sum(m["embeds"][0]["title"] == "A feed is failing" for m in messages) == 1
            assert sum(m["embeds"][0]["title"] == "A feed works again" for m in messages) == 1
            patches = [r for r in standin.requests if r.method == "PATCH" and "/messages/" in r.path]
            assert len(patches) == 1  # the correction; the enrichment edited nothing
            nonces = [r.json.get("nonce") for r in standin.requests
                      if r.method == "POST" and r.path == f"/channels/{TEXT_CHANNEL_ID}/messages"]
            assert len(nonces) == len(set(nonces))  # no message was sent twice
            source = cog.publisher.ledger.feeds.source(url)
            # Each poll is timed from the start of the one before it.
            assert source.next_poll - source.last_poll == timedelta(seconds=INTERVAL)
            print(f"{POLLS} polls replayed in {elapsed:.1f} s")

        run_bot(scenario, feeds=(url,), publish_tick_seconds=0.02, feed_interval_seconds=INTERVAL,
                feed_min_interval_seconds=INTERVAL, posts_per_channel_per_run=3, timeout=120)
