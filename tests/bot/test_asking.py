"""/ask, questions by mention in threads, feedback, cooldowns, escaping, long answers, errors."""

from __future__ import annotations

import sqlite3

from bot.render import group_embeds, render_answer
from index.questionlog import log_path
from index.results import Answer, ArticleSummary, Citation
from tests.bot.conftest import buttons, embed_text
from tests.discord_standin import APP_ID, EPHEMERAL_FLAG, TEXT_CHANNEL_ID, THREAD_ID

ZHURONG_Q = "When did Zhurong land?"


def test_ask_answers_with_the_date_and_cites_the_landing_passage(run_bot):
    async def scenario(standin, bot):
        rec = await standin.send_interaction("ask", {"question": ZHURONG_Q}, user=standin.member)
        msg = await standin.reply_to(rec)
        embed = msg["embeds"][0]
        assert "May 15, 2021" in embed["title"]
        assert "entry capsule separated" in embed["description"]
        assert "**May 15" in embed["description"]
        assert "#:~:text=" in embed["description"]
        assert rec.callbacks[0]["type"] == 5  # deferred first: the answer may take a moment
        assert all(
            p.get("allowed_mentions") == {"parse": []} for p in rec.payloads if "embeds" in p
        )
        assert set(buttons(msg)) == {"More sources", "Helpful", "Not helpful"}
        assert bot.archive.stats()["questions_asked"] == 1
        assert not standin.rejected

    run_bot(scenario)


def test_feedback_and_more_sources_buttons(run_bot):
    async def scenario(standin, bot):
        rec = await standin.send_interaction("ask", {"question": ZHURONG_Q}, user=standin.member)
        msg = await standin.reply_to(rec)
        press = await standin.send_interaction(
            custom_id=buttons(msg)["Helpful"]["custom_id"], message=msg, user=standin.other
        )
        thanks = await standin.reply_to(press)
        assert thanks["flags"] & EPHEMERAL_FLAG and "Thanks" in thanks["content"]
        with sqlite3.connect(log_path(bot.archive.db_path)) as db:
            rows = db.execute("SELECT helpful, user_id FROM feedback").fetchall()
        assert rows == [(1, standin.other.id)]
        more = buttons(msg)["More sources"]
        if more.get("disabled"):
            return
        press = await standin.send_interaction(
            custom_id=more["custom_id"], message=msg, user=standin.other
        )
        extra = await standin.reply_to(press)
        assert extra["flags"] & EPHEMERAL_FLAG and extra["embeds"][0]["title"] == "More sources"

    run_bot(scenario)


def test_unknown_question_says_so_and_shows_up_as_unanswered(run_bot):
    question = "What is the airspeed velocity of an unladen swallow?"

    async def scenario(standin, bot):
        rec = await standin.send_interaction("ask", {"question": question}, user=standin.member)
        msg = await standin.reply_to(rec)
        assert msg["embeds"][0]["title"] == "Not found in the archive"
        owner = await standin.send_interaction("unanswered", {"days": 1}, user=standin.owner)
        listing = await standin.reply_to(owner)
        assert "swallow" in listing["embeds"][0]["description"]

    run_bot(scenario)


def test_mention_opens_a_thread_and_follow_ups_there_keep_the_context(run_bot):
    async def scenario(standin, bot):
        asked = await standin.send_message(
            f"<@{APP_ID}> {ZHURONG_Q}", standin.member, mentions=[standin.bot]
        )
        thread_id = int(asked["id"])  # a thread started on a message takes the message's id
        answer = await standin.wait_for(
            lambda: next(iter(standin.channel_messages(thread_id)), None)
        )
        assert standin.channels[thread_id]["name"] == ZHURONG_Q
        assert "May 15, 2021" in embed_text(answer)
        assert answer["allowed_mentions"] == {"parse": []}
        await standin.send_message("When did it launch?", standin.member, channel=thread_id)
        follow = await standin.wait_for(lambda: standin.channel_messages(thread_id)[2:])
        # Alone, "when did it launch?" is about some other mission; in this thread, about Zhurong.
        first_cited = follow[0]["embeds"][0]["description"].split("](")[0]
        assert "Zhurong" in first_cited
        assert len(standin.channel_messages(TEXT_CHANNEL_ID)) == 1  # only the member's question

    run_bot(scenario)


def test_mention_inside_someone_elses_thread_is_answered_in_place(run_bot):
    async def scenario(standin, bot):
        await standin.send_message(
            f"<@{APP_ID}> {ZHURONG_Q}", standin.member, channel=THREAD_ID, mentions=[standin.bot]
        )
        answer = await standin.wait_for(lambda: standin.channel_messages(THREAD_ID)[1:])
        assert "May 15, 2021" in embed_text(answer[0])
        assert not [r for r in standin.requests if r.path.endswith("/threads")]
        await standin.send_message(f"<@{APP_ID}>", standin.member, mentions=[standin.bot])
        hint = await standin.wait_for(lambda: standin.channel_messages(TEXT_CHANNEL_ID)[1:])
        assert "Ask me about the archive" in hint[0]["content"]

    run_bot(scenario)


def test_ask_cooldown_is_per_member_and_private(run_bot):
    async def scenario(standin, bot):
        first = [
            await standin.send_interaction("ask", {"question": ZHURONG_Q}, user=standin.member)
            for _ in range(3)
        ]
        replies = [await standin.reply_to(r) for r in first]
        assert [bool(m["flags"] & EPHEMERAL_FLAG) for m in replies] == [False, False, True]
        assert "try again in" in replies[2]["content"]
        other = await standin.send_interaction("ask", {"question": ZHURONG_Q}, user=standin.other)
        assert "May 15, 2021" in embed_text(await standin.reply_to(other))
        await standin.send_message(
            f"<@{APP_ID}> {ZHURONG_Q}", standin.member, mentions=[standin.bot]
        )
        slow = await standin.wait_for(
            lambda: [
                m
                for m in standin.channel_messages(TEXT_CHANNEL_ID)
                if m["author"]["id"] == str(APP_ID) and m["type"] == 0  # not a slash reply
            ]
        )
        assert "try again in" in slow[0]["content"]

    run_bot(scenario, ask_per_cooldown=2, ask_cooldown_seconds=600.0)


def test_passage_with_mentions_and_markdown_is_quoted_literally(run_bot):
    async def scenario(standin, bot):
        rec = await standin.send_interaction(
            "ask",
            {"question": "Which role gets early seats at the Kestrel watch party?"},
            user=standin.member,
        )
        msg = await standin.reply_to(rec)
        text = embed_text(msg)
        assert "Kestrel" in text and "early seats" in text
        assert "@everyone" not in text and "<@&123>" not in text and "<#" not in text
        assert "\\*\\*bring a jacket\\*\\*" in text and "\\_cold\\_" in text
        assert all(
            p.get("allowed_mentions") == {"parse": []} for p in rec.payloads if "embeds" in p
        )

    run_bot(scenario)


def test_passage_of_a_very_long_paragraph_is_trimmed_around_the_answer(run_bot):
    async def scenario(standin, bot):
        rec = await standin.send_interaction(
            "ask",
            {"question": "How much ballast reserve did the Veyra gondola carry?"},
            user=standin.member,
        )
        msg = await standin.reply_to(rec)
        description = msg["embeds"][0]["description"]
        # Whether or not the short answer is trusted, the quote is cut around what answers it.
        assert "37 kilograms" in description and "…" in description
        assert len(description) < 4096
        assert not standin.rejected

    run_bot(scenario)


def test_a_6000_character_answer_goes_out_in_messages_discord_accepts(run_bot):
    summary = ArticleSummary(id="x", title="Long", url="https://orbit-archive.example/long/")
    answer = Answer(
        "q",
        " ".join(f"fact{i}" for i in range(1000)),
        "other",
        0.4,
        citations=[Citation(summary, "a paragraph " * 300, 0, 1.0)],
    )

    async def scenario(standin, bot):
        channel = bot.get_channel(TEXT_CHANNEL_ID)
        groups = group_embeds(render_answer(answer))
        for embeds in groups:
            await channel.send(embeds=embeds)
        assert not standin.rejected
        sent = standin.channel_messages(TEXT_CHANNEL_ID)
        assert len(sent) == len(groups) >= 2
        shown = " ".join(embed_text(m) for m in sent).split()
        assert all(f"fact{i}" in shown for i in range(1000))

    run_bot(scenario)


def test_a_failing_command_tells_only_the_invoker(run_bot):
    async def scenario(standin, bot):
        bot.archive.store.conn.close()  # the database went away under the bot
        for command, options in (("stats", {}), ("ask", {"question": ZHURONG_Q})):
            rec = await standin.send_interaction(command, options, user=standin.member)
            msg = await standin.reply_to(rec)
            assert msg["flags"] & EPHEMERAL_FLAG and "Something went wrong" in msg["content"]
            assert rec.messages == [msg]  # no public "thinking…" left behind

    run_bot(scenario)
