"""`archive-bot chat` on a real archive, and the invite URL's scopes and permission bits."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlparse

import discord
import pytest

from bot.chat import run_chat
from bot.config import Settings
from bot.invite import invite_url
from index.archive import Archive
from tests.bot.conftest import sample_dirs


def chat(db_copy, lines: str) -> str:
    archive = Archive(db_copy, sample_dirs())
    out = io.StringIO()
    try:
        assert run_chat(Settings(db_path=db_copy), archive, io.StringIO(lines), out) == 0
    finally:
        archive.close()
    return out.getvalue()


def test_chat_runs_every_command_and_stops_at_quit(db_copy):
    out = chat(
        db_copy,
        "help\nstats\nlatest 2\nsearch balloon\narticle Veyra\ndigest 3650\n"
        "latest lots\nquit\nstats\n",
    )
    assert "Commands:" in out
    assert out.count("articles: ") == 1  # `stats` after `quit` never ran
    assert "The Veyra Balloon Campaign Log, Day by Day" in out
    assert "**balloon**" in out.lower() or "**Balloon**" in out
    assert "Digest: " in out and "articles from " in out
    assert "latest takes a number" in out


def test_chat_answers_plain_questions_and_pages_searches(db_copy):
    out = chat(db_copy, "When did Zhurong land?\nnext\nsearch Mars\nnext\nprevious\n")
    assert "May 15, 2021" in out
    assert "Search for something first." in out
    assert "(page 2/" in out and out.count("(page 1/") == 2


def test_invite_asks_for_exactly_the_permissions_the_bot_uses():
    query = parse_qs(urlparse(invite_url("123456789012345678")).query)
    assert query["client_id"] == ["123456789012345678"]
    assert query["scope"] == ["bot applications.commands"]
    granted = discord.Permissions(int(query["permissions"][0]))  # read_messages = View Channel
    expected = {
        "read_messages",
        "send_messages",
        "send_messages_in_threads",
        "create_public_threads",
        "embed_links",
        "read_message_history",
        "manage_messages",
    }
    assert {name for name, on in granted if on} == expected
    assert not granted.mention_everyone and not granted.administrator


def test_invite_refuses_a_malformed_application_id():
    with pytest.raises(ValueError, match="application id"):
        invite_url("my-bot")
