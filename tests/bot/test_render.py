"""Rendering for Discord: limits, escaping, passages and links, checked by the stand-in's rules."""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from bot.render import (
    discord_timestamp,
    escape,
    fit_embed,
    group_embeds,
    highlight_passage,
    render_answer,
    render_search_page,
    split_text,
    text_fragment_link,
)
from index.results import Answer, ArticleSummary, Citation, SearchHit, SearchPage
from tests.discord_standin import message_errors

ZHURONG = ArticleSummary(
    id="url:x",
    title="China Sets Down Its Zhurong Rover",
    author="M. Q.",
    url="https://orbit-archive.example/2021/05/zhurong/",
    published=datetime(2021, 5, 17, tzinfo=UTC),
)


def payload_errors(embeds: list[discord.Embed]) -> list[str]:
    return message_errors({"embeds": [e.to_dict() for e in embeds]})


def test_split_text_keeps_words_whole_and_fits_the_limit():
    text = " ".join(f"word{i}" for i in range(3000))
    pieces = split_text(text, 1000)
    assert all(len(p) <= 1000 for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_split_text_prefers_paragraph_breaks_and_cuts_a_giant_word():
    text = "first paragraph here\n\n" + "x" * 50 + " tail"
    assert split_text(text, 30)[0] == "first paragraph here"
    assert all(len(p) <= 30 for p in split_text("y" * 95, 30))


def test_escape_defuses_mentions_tags_and_markdown():
    raw = "@everyone the <@&123> role, <#456> and @here: **bold** _it_ ~~s~~ `code`"
    shown = escape(raw)
    assert "@everyone" not in shown and "@here" not in shown
    assert "<@&123>" not in shown and "<#456>" not in shown
    assert "\\*\\*bold\\*\\*" in shown and "\\_it\\_" in shown and "\\`code\\`" in shown


def test_text_fragment_link_encodes_the_paragraphs_first_words():
    link = text_fragment_link(
        "https://site.example/a#top",
        "Tianwen-1 entered orbit, in February of that year and then more words.",
    )
    assert link == (
        "https://site.example/a#:~:text="
        "Tianwen%2D1%20entered%20orbit%2C%20in%20February%20of%20that%20year"
    )


def test_discord_timestamp_treats_naive_times_as_utc():
    aware = datetime(2021, 5, 15, tzinfo=UTC)
    assert discord_timestamp(aware) == "<t:1621036800:D>"
    assert discord_timestamp(aware.replace(tzinfo=None), "R") == "<t:1621036800:R>"


def test_long_passage_is_trimmed_around_the_bold_answer():
    before, answer, after = "early days " * 200, "37 kilograms", " late weeks" * 200
    paragraph = before + answer + after
    span = (len(before), len(before) + len(answer))
    quoted = highlight_passage(paragraph, span, limit=300)
    assert quoted.startswith("> …") and quoted.endswith("…")
    assert "**37 kilograms**" in quoted
    assert len(quoted) < 330


def test_answer_embed_has_answer_on_top_and_linked_cited_passage():
    paragraph = (
        "A few months later the lander touched down, landing on May 15 after a tense descent."
    )
    start = paragraph.index("May 15")
    answer = Answer(
        "When did Zhurong land?",
        "May 15, 2021",
        "date",
        0.9,
        citations=[Citation(ZHURONG, paragraph, 4, 3.2, answer_span=(start, start + 6))],
    )
    [embed] = render_answer(answer, question_id=7)
    data = embed.to_dict()
    assert data["title"] == "May 15, 2021"
    assert "**May 15**" in data["description"]
    assert "#:~:text=A%20few%20months%20later" in data["description"]
    assert "<t:1621209600:D>" in data["description"]
    assert "question #7" in data["footer"]["text"]
    assert not payload_errors([embed])


def test_a_6000_character_answer_is_split_within_discord_limits():
    long_answer = " ".join(f"fact{i}" for i in range(1000))
    assert len(long_answer) > 6000
    citations = [Citation(ZHURONG, "word " * 400, i, 1.0) for i in range(3)]
    answer = Answer("everything?", long_answer, "other", 0.5, citations=citations)
    messages = group_embeds(render_answer(answer))
    assert len(messages) >= 2
    for embeds in messages:
        assert not payload_errors(embeds)
    shown = " ".join(e.description or "" for embeds in messages for e in embeds)
    assert all(f"fact{i}" in shown.split() for i in range(1000))


def test_fit_embed_trims_everything_discord_limits():
    embed = discord.Embed(title="t" * 300, description="d " * 3000)
    for _ in range(30):
        embed.add_field(name="n" * 300, value="v" * 2000)
    embed.set_footer(text="f" * 3000)
    fit_embed(embed)
    assert not payload_errors([embed])
    assert len(embed.fields) <= 25


def test_search_page_escapes_paragraphs_and_bolds_matched_terms():
    text = "The @everyone note: Zhurong *drove* south."
    hit = SearchHit(
        ZHURONG, text, 2, 1.5, highlights=[(text.index("Zhurong"), text.index("Zhurong") + 7)]
    )
    embed = render_search_page(
        SearchPage("zhurong", [hit], page=1, pages=3, total=11), "author: M. Q."
    )
    data = embed.to_dict()
    assert "**Zhurong**" in data["description"] and "\\*drove\\*" in data["description"]
    assert "@everyone" not in data["description"]
    assert data["footer"]["text"].startswith("Page 1 of 3 · 11 articles")


def test_the_last_search_page_numbers_on_from_the_pages_before():
    text = "Zhurong drove south across Utopia Planitia."
    hit = SearchHit(ZHURONG, text, 0, 1.0, highlights=[])
    embed = render_search_page(SearchPage("zhurong", [hit], page=4, pages=4, total=16, per_page=5))
    assert embed.to_dict()["description"].startswith("**16. ")
