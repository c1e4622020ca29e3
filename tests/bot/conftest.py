"""The bot, started through its real start-up path, against the Discord stand-in on 127.0.0.1.

The archive is the bundled sample plus tests/bot/data/special (a paragraph full of mentions and
markdown, a very long paragraph), indexed once per session into SQLite; each test gets a copy.

Tests are plain functions that call `run_bot(scenario)`: it starts the stand-in and the bot in
one event loop, runs `async def scenario(standin, bot)`, and shuts both down.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import discord
import pytest

from bot.client import ArchiveBot, start_bot
from bot.config import Settings
from index.archive import Archive
from tests.discord_standin import GUILD_ID, TOKEN, DiscordStandin

ROOT = Path(__file__).resolve().parents[2]
SPECIAL = Path(__file__).resolve().parent / "data" / "special"

Scenario = Callable[[DiscordStandin, ArchiveBot], Awaitable[None]]


def sample_dirs() -> list[Path]:
    return [ROOT / "articles" / "sample", SPECIAL]


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "archive.db"
    archive = Archive(path, sample_dirs())
    report = archive.reindex()
    assert not report.failed, report.failed
    archive.close()
    return path


@pytest.fixture
def db_copy(built_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "archive.db"
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(built_db) + suffix)
        if source.exists():
            shutil.copy(source, str(target) + suffix)
    return target


def embed_text(message: dict) -> str:
    """Everything a reader sees in a message's embeds, as one string."""
    parts = [message.get("content") or ""]
    for e in message.get("embeds", []):
        parts += [e.get("title") or "", e.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in e.get("fields", [])]
        parts.append((e.get("footer") or {}).get("text") or "")
    return "\n".join(parts)


def buttons(message: dict) -> dict[str, dict]:
    """The message's buttons by label."""
    return {c["label"]: c for row in message.get("components", []) for c in row["components"]}


@pytest.fixture
def run_bot(db_copy: Path, tmp_path: Path) -> Callable[..., None]:
    def run(
        scenario: Scenario,
        *,
        timeout: float = 60.0,
        heartbeat_interval: float = 0.5,
        dirs: list[Path] | None = None,
        bot_options: dict | None = None,
        **settings,
    ) -> None:
        article_dirs = dirs or sample_dirs()
        defaults = {"ask_cooldown_seconds": 60.0, "ask_per_cooldown": 1000}
        config = replace(
            Settings(db_path=db_copy, article_dirs=tuple(article_dirs)),
            discord_token=TOKEN,
            guild_id=GUILD_ID,
            **{**defaults, **settings},
        )

        async def main() -> None:
            standin = await DiscordStandin(heartbeat_interval=heartbeat_interval).start()
            archive = Archive(db_copy, article_dirs)
            base = discord.http.Route.BASE
            try:
                bot = await start_bot(
                    replace(config, api_base=standin.api_base),
                    archive,
                    guild_ready_timeout=0.05,
                    **(bot_options or {}),
                )
                try:
                    await asyncio.wait_for(scenario(standin, bot), timeout)
                finally:
                    await bot.close()
            finally:
                discord.http.Route.BASE = base
                await standin.stop()
                # Core calls still running in worker threads must end before the database closes.
                await asyncio.get_running_loop().shutdown_default_executor()
                archive.close()

        asyncio.run(main())

    return run
