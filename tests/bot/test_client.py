"""Start-up: the real path through `start_bot`, command sync, intents, and refusing to start."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import discord
import pytest

from bot.client import run
from bot.config import Settings
from tests.discord_standin import (
    ANNOUNCEMENT_CHANNEL_ID,
    APP_ID,
    GUILD_ID,
    TEXT_CHANNEL_ID,
    DiscordStandin,
)

ROOT = Path(__file__).resolve().parents[2]


def test_run_without_token_prints_one_line_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ARCHIVE_"))}
    env.update(ARCHIVE_BOT_ENV_FILE=str(tmp_path / "none.env"), ARCHIVE_DB=str(tmp_path / "a.db"))
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DISCORD_TOKEN is not set" in lines[0] and "archive-bot chat" in lines[0]
    assert done.stdout == ""


def test_rejected_token_is_reported_without_echoing_it(tmp_path, capsys, db_copy):
    ready = threading.Event()
    holder: dict = {}

    def serve() -> None:
        async def main() -> None:
            standin = await DiscordStandin().start()
            holder["standin"], holder["loop"] = standin, asyncio.get_running_loop()
            holder["stop"] = asyncio.Event()
            ready.set()
            await holder["stop"].wait()
            await standin.stop()

        asyncio.run(main())

    thread = threading.Thread(target=serve)
    thread.start()
    ready.wait(10)
    secret = "not-the-right-token-4242"
    settings = replace(
        Settings(db_path=db_copy), discord_token=secret, api_base=holder["standin"].api_base
    )
    base = discord.http.Route.BASE
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        code = run(settings)
    finally:
        discord.http.Route.BASE = base
        root.handlers[:], root.level = handlers, level  # run() sets up logging for the process
        holder["loop"].call_soon_threadsafe(holder["stop"].set)
        thread.join(10)
    err = capsys.readouterr().err
    assert code == 2  # a configuration problem: restarting cannot fix it
    assert "Discord rejected the token" in err
    assert secret not in err


def test_bot_syncs_commands_to_the_guild_and_asks_for_message_content(run_bot):
    async def scenario(standin, bot):
        synced = [r for r in standin.requests if r.method == "PUT"]
        assert [r.path for r in synced] == [f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"]
        assert {"ask", "search", "article", "latest", "reindex", "stats", "unanswered"} <= set(
            standin.commands
        )
        assert not standin.rejected
        intents = discord.Intents._from_value(standin.identify["intents"])
        assert intents.message_content and intents.guilds and intents.guild_messages
        assert bot.allowed_mentions.to_dict() == {"parse": []}

    run_bot(scenario)


def test_standin_refuses_what_discord_refuses(run_bot):
    async def scenario(standin, bot):
        channel = bot.get_channel(TEXT_CHANNEL_ID)
        with pytest.raises(discord.HTTPException) as too_long:
            await channel.send("x" * 2001)
        assert too_long.value.status == 400 and too_long.value.code == 50035
        with pytest.raises(discord.HTTPException) as too_big:
            await channel.send(embeds=[discord.Embed(description="d" * 4000) for _ in range(2)])
        assert too_big.value.code == 50035
        with pytest.raises(discord.NotFound):
            await bot.http.request(discord.http.Route("GET", "/no/such/endpoint"))
        message = await channel.send("fine")
        with pytest.raises(discord.HTTPException) as wrong_channel:
            await message.publish()  # crossposting needs an announcement channel
        assert wrong_channel.value.code == 50024
        news = await bot.get_channel(ANNOUNCEMENT_CHANNEL_ID).send("news")
        await news.publish()
        assert standin.messages[news.id]["flags"] & 1
        assert len(standin.rejected) == 2

    run_bot(scenario)
