"""/search with paging buttons, /article with autocomplete, /latest: through the stand-in."""

from __future__ import annotations

from tests.bot.conftest import buttons, embed_text
from tests.discord_standin import EPHEMERAL_FLAG


def footer(message: dict) -> str:
    return message["embeds"][0]["footer"]["text"]


def test_search_pages_forward_and_back_with_buttons_disabled_at_the_ends(run_bot):
    async def scenario(standin, bot):
        rec = await standin.send_interaction("search", {"query": "Mars"}, user=standin.member)
        msg = await standin.reply_to(rec)
        assert footer(msg).startswith("Page 1 of ")
        pages = int(footer(msg).split(" of ")[1].split()[0])
        assert pages >= 2
        assert buttons(msg)["Previous"]["disabled"] and not buttons(msg)["Next"].get("disabled")
        for expected in range(2, pages + 1):
            press = await standin.send_interaction(
                custom_id=buttons(msg)["Next"]["custom_id"], message=msg, user=standin.member
            )
            await standin.wait_for(lambda press=press: press.callbacks)
            assert press.callbacks[0]["type"] == 7
            assert footer(msg).startswith(f"Page {expected} of {pages}")
        assert buttons(msg)["Next"]["disabled"] and not buttons(msg)["Previous"].get("disabled")
        back = await standin.send_interaction(
            custom_id=buttons(msg)["Previous"]["custom_id"], message=msg, user=standin.member
        )
        await standin.wait_for(lambda: back.callbacks)
        assert footer(msg).startswith(f"Page {pages - 1} of {pages}")
        assert not standin.rejected

    run_bot(scenario)


def test_only_the_searcher_can_turn_pages(run_bot):
    async def scenario(standin, bot):
        rec = await standin.send_interaction("search", {"query": "Mars"}, user=standin.member)
        msg = await standin.reply_to(rec)
        before = embed_text(msg)
        press = await standin.send_interaction(
            custom_id=buttons(msg)["Next"]["custom_id"], message=msg, user=standin.other
        )
        refusal = await standin.reply_to(press)
        assert refusal["flags"] & EPHEMERAL_FLAG
        assert "Only the member who searched" in refusal["content"]
        assert embed_text(msg) == before

    run_bot(scenario)


def test_search_buttons_are_disabled_when_the_view_times_out(run_bot):
    async def scenario(standin, bot):
        rec = await standin.send_interaction("search", {"query": "Mars"}, user=standin.member)
        msg = await standin.reply_to(rec)
        assert not buttons(msg)["Next"].get("disabled")
        await standin.wait_for(
            lambda: all(b.get("disabled") for b in buttons(msg).values()), timeout=10
        )
        assert footer(msg).startswith("Page 1 of ")

    run_bot(scenario, bot_options={"view_timeout": 0.3})


def test_search_filters_by_author_and_refuses_a_bad_date(run_bot):
    async def scenario(standin, bot):
        rec = await standin.send_interaction(
            "search", {"query": "balloon flight", "author": "Test Writer"}, user=standin.member
        )
        msg = await standin.reply_to(rec)
        description = msg["embeds"][0]["description"]
        assert "Veyra" in description and footer(msg).startswith("Page 1 of 1 ·")
        hits = int(footer(msg).split(" · ")[1].split()[0])
        assert description.count("by Test Writer") == hits
        assert not msg["components"]
        bad = await standin.send_interaction(
            "search", {"query": "Mars", "since": "last tuesday"}, user=standin.member
        )
        refusal = await standin.reply_to(bad)
        assert refusal["flags"] & EPHEMERAL_FLAG and "YYYY-MM-DD" in refusal["content"]

    run_bot(scenario)


def test_article_autocompletes_titles_and_shows_the_card(run_bot):
    async def scenario(standin, bot):
        typing = await standin.send_interaction(
            "article", {"title_or_url": "Veyra"}, focused="title_or_url", user=standin.member
        )
        await standin.wait_for(lambda: typing.choices is not None)
        assert [c["value"] for c in typing.choices] == [
            "The Veyra Balloon Campaign Log, Day by Day"
        ]
        rec = await standin.send_interaction(
            "article", {"title_or_url": typing.choices[0]["value"]}, user=standin.member
        )
        card = (await standin.reply_to(rec))["embeds"][0]
        assert card["title"] == "The Veyra Balloon Campaign Log, Day by Day"
        assert card["url"] == "https://orbit-archive.example/2026/09/veyra-balloon-log/"
        assert {f["name"] for f in card["fields"]} >= {"Author", "Published", "Categories"}
        missing = await standin.send_interaction(
            "article", {"title_or_url": "No Such Story Anywhere"}, user=standin.member
        )
        refusal = await standin.reply_to(missing)
        assert refusal["flags"] & EPHEMERAL_FLAG and "No article called" in refusal["content"]

    run_bot(scenario)


def test_latest_lists_the_newest_articles(run_bot):
    async def scenario(standin, bot):
        newest = [a.title for a in bot.archive.latest(3)]
        rec = await standin.send_interaction("latest", {"n": 3}, user=standin.member)
        description = (await standin.reply_to(rec))["embeds"][0]["description"]
        lines = description.splitlines()
        assert len(lines) == 3
        for line, title in zip(lines, newest, strict=True):
            assert title.split()[0] in line

    run_bot(scenario)
