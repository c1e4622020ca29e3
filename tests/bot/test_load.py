"""500 /ask interactions in under 10 s: every one answered or told to wait, none dropped, and the
gateway heartbeat kept going. Figures are printed; assertions are on counts only."""

from __future__ import annotations

import asyncio
import statistics

from tests.discord_standin import EPHEMERAL_FLAG, Member

QUESTIONS = [
    "When did Zhurong land?",
    "How far did Zhurong drive?",
    "Who built the Veyra gondola?",
    "Which role gets early seats at the Kestrel watch party?",
    "What is the airspeed velocity of an unladen swallow?",
]
TOTAL = 500
MEMBERS = 50
INTERVAL = 0.25


def test_500_questions_in_ten_seconds_are_all_handled(run_bot):
    async def scenario(standin, bot):
        members = [Member(800000000000000000 + i, f"reader{i}") for i in range(MEMBERS)]
        loop = asyncio.get_running_loop()
        start = loop.time()
        beats_before = len(standin.heartbeats)
        records = []
        for i in range(TOTAL):
            records.append(
                await standin.send_interaction(
                    "ask", {"question": QUESTIONS[i % len(QUESTIONS)]}, user=members[i % MEMBERS]
                )
            )
            await asyncio.sleep(0.008)
        sent_in = loop.time() - start
        await standin.wait_for(lambda: all(r.answered() for r in records), timeout=60)
        elapsed = loop.time() - start
        private = [r for r in records if r.messages[0]["flags"] & EPHEMERAL_FLAG]
        waits = [r for r in private if "try again in" in r.messages[0]["content"]]
        failed = [r for r in private if r not in waits]
        answers = [r for r in records if not r.messages[0]["flags"] & EPHEMERAL_FLAG]
        beats = standin.heartbeats[beats_before:]
        # Gaps between heartbeats, counting the window's edges: a stall at the end counts too.
        edges = [start, *beats, loop.time()]
        gaps = [b - a for a, b in zip(edges, edges[1:], strict=False)]
        times = sorted(r.answered_at - r.sent_at for r in records)
        print(
            f"\n{TOTAL} /ask sent in {sent_in:.2f} s, all handled after {elapsed:.2f} s: "
            f"{len(answers)} answered, {len(waits)} told to wait, {len(failed)} failed; "
            f"response p50 {statistics.median(times) * 1000:.0f} ms, "
            f"p99 {times[int(len(times) * 0.99) - 1] * 1000:.0f} ms; "
            f"{len(beats)} heartbeats, max delay {max(max(gaps) - INTERVAL, 0) * 1000:.0f} ms "
            f"(interval {INTERVAL * 1000:.0f} ms), latency {bot.latency * 1000:.1f} ms"
        )
        assert len(answers) + len(waits) == TOTAL, [r.messages[0]["content"] for r in failed]
        # Each member may ask ask_per_cooldown (3) questions per window: the rest are told to wait.
        assert len(answers) == MEMBERS * 3
        assert all(r.messages[0]["embeds"] for r in answers)
        assert not standin.rejected
        # The heartbeat kept running through the load (a generous count: a third of the schedule).
        assert len(beats) >= elapsed / INTERVAL / 3
        assert standin.identify_count == 1  # the gateway was never lost and re-identified

    run_bot(
        scenario,
        heartbeat_interval=INTERVAL,
        ask_per_cooldown=3,
        ask_cooldown_seconds=60.0,
        timeout=90,
    )
