"""/reindex (maintainers, one message of progress, one run at a time), /stats, /unanswered,
and who counts as a maintainer."""

from __future__ import annotations

from pathlib import Path

from tests.bot.conftest import embed_text, sample_dirs
from tests.discord_standin import EPHEMERAL_FLAG, MODERATOR_ROLE_ID


def write_articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        paragraphs = "\n\n".join(
            f"Survey note {i}-{j}: the dust monitor number {j} on plateau {i} recorded a calm week "
            f"with readings between {j} and {j + i} units and no faults to report."
            for j in range(12)
        )
        (folder / f"{i:04d}.txt").write_text(
            f"Categories: Surveys\n\nPlateau Survey Report Number {i}\n\n{paragraphs}\n",
            encoding="utf-8",
        )
    return folder


def test_members_cannot_reindex_or_list_unanswered_questions(run_bot):
    async def scenario(standin, bot):
        for command in ("reindex", "unanswered"):
            rec = await standin.send_interaction(command, {}, user=standin.member)
            refusal = await standin.reply_to(rec)
            assert refusal["flags"] & EPHEMERAL_FLAG
            assert "Only the bot's maintainers" in refusal["content"]
        # Manage Server makes a moderator, not a maintainer.
        rec = await standin.send_interaction("reindex", {}, user=standin.moderator)
        assert "Only the bot's maintainers" in (await standin.reply_to(rec))["content"]

    run_bot(scenario)


def test_configured_maintainer_role_replaces_the_owner_default(run_bot):
    async def scenario(standin, bot):
        rec = await standin.send_interaction("unanswered", {"days": 3}, user=standin.moderator)
        msg = await standin.reply_to(rec)
        assert msg["flags"] & EPHEMERAL_FLAG
        assert msg["embeds"][0]["title"] == "Unanswered questions, last 3 days"
        owner = await standin.send_interaction("unanswered", {}, user=standin.owner)
        assert "Only the bot's maintainers" in (await standin.reply_to(owner))["content"]

    run_bot(scenario, maintainer_role_ids=frozenset({MODERATOR_ROLE_ID}))


def test_stats_shows_what_the_archive_holds(run_bot):
    async def scenario(standin, bot):
        expected = bot.archive.stats()["articles"]
        rec = await standin.send_interaction("stats", {}, user=standin.member)
        embed = (await standin.reply_to(rec))["embeds"][0]
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        assert fields["Articles"] == str(expected)
        assert fields["Last reindex"].startswith("<t:") and fields["Last reindex"].endswith(":R>")

    run_bot(scenario)


def test_reindex_shows_progress_in_one_message_while_questions_are_answered(run_bot, tmp_path):
    more = write_articles(tmp_path / "more", 300)

    async def scenario(standin, bot):
        rec = await standin.send_interaction("reindex", {}, user=standin.owner)
        await standin.wait_for(
            lambda: any((p.get("content") or "").startswith("Reindexing") for p in rec.payloads)
        )
        asks = [
            await standin.send_interaction(
                "ask", {"question": "When did Zhurong land?"}, user=standin.member
            )
            for _ in range(5)
        ]
        second = await standin.send_interaction("reindex", {}, user=standin.owner)
        refusal = await standin.reply_to(second)
        assert refusal["flags"] & EPHEMERAL_FLAG and "already running" in refusal["content"]
        for ask in asks:
            assert "May 15, 2021" in embed_text(await standin.reply_to(ask))
        await standin.wait_for(lambda: rec.original["embeds"], timeout=20)
        report = rec.original["embeds"][0]
        assert report["title"] == "Reindex finished"
        assert "added 300" in report["description"]
        assert rec.followups == []  # progress and report share the one message
        progress = [p for p in rec.payloads if (p.get("content") or "").startswith("Reindexing")]
        assert 1 <= len(progress) <= len(rec.payloads)
        # Answers did not wait for the reindex: some came before its final report.
        order = {id(r): i for i, r in enumerate(standin.requests)}
        report_at = min(
            order[id(r)]
            for r in standin.requests
            if rec.token in r.path and (r.json or {}).get("embeds")
        )
        answers_at = [
            min(
                order[id(r)]
                for r in standin.requests
                if a.token in r.path and (r.json or {}).get("embeds")
            )
            for a in asks
        ]
        assert min(answers_at) < report_at
        assert not standin.rejected

    run_bot(scenario, dirs=[*sample_dirs(), more], bot_options={"progress_interval": 0.05})
