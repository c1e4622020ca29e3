"""Maintaining the archive: `/reindex` with live progress in one message, and `/stats`.

The reindex runs in a worker thread on its own database connection, so questions keep being
answered from the previous index while it works.
"""

from __future__ import annotations

import asyncio
import sqlite3

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import ArchiveBot, reply_privately
from bot.permissions import maintainer_only
from bot.render import render_progress, render_reindex_report, render_stats
from index.archive import ReindexBusyError
from index.reindex import ReindexError
from index.schema import StoreError, explain

NO_PINGS = discord.AllowedMentions.none()
BUSY = "A reindex is already running; its message shows the progress. Try again when it is done."


class Maintaining(commands.Cog):
    def __init__(self, bot: ArchiveBot) -> None:
        self.bot = bot
        self.running = False

    @app_commands.command(
        name="reindex", description="Bring the index up to date with the article folders"
    )
    @app_commands.describe(full="Rebuild everything instead of only what changed")
    @app_commands.default_permissions(manage_guild=True)
    @maintainer_only()
    async def reindex(self, interaction: discord.Interaction, full: bool = False) -> None:
        if self.running:
            await reply_privately(interaction, BUSY)
            return
        self.running = True
        try:
            await interaction.response.defer(thinking=True)
            await self._run(interaction, full)
        finally:
            self.running = False

    async def _run(self, interaction: discord.Interaction, full: bool) -> None:
        latest: list[tuple[int, int, str] | None] = [None]

        def progress(done: int, total: int, path: str) -> None:
            latest[0] = (done, total, path)  # set in the worker thread, read on the loop

        job = asyncio.ensure_future(
            asyncio.to_thread(self.bot.archive.reindex, full=full, progress=progress)
        )
        shown = None
        while not job.done():
            await asyncio.wait({job}, timeout=self.bot.progress_interval)
            if not job.done() and latest[0] is not None and latest[0] != shown:
                shown = latest[0]
                await interaction.edit_original_response(
                    content=render_progress(*shown), allowed_mentions=NO_PINGS
                )
        try:
            report = job.result()
        except ReindexBusyError:
            await interaction.edit_original_response(content=BUSY)
            return
        except (ReindexError, StoreError, sqlite3.Error) as exc:
            if isinstance(exc, sqlite3.Error):
                exc = explain(exc, self.bot.archive.db_path)
            await interaction.edit_original_response(content=f"Reindex failed: {exc}")
            return
        await interaction.edit_original_response(
            content=None, embed=render_reindex_report(report), allowed_mentions=NO_PINGS
        )

    @app_commands.command(
        name="stats", description="What the archive holds and how much it is asked"
    )
    async def stats(self, interaction: discord.Interaction) -> None:
        stats = await asyncio.to_thread(self.bot.archive.stats)
        await interaction.response.send_message(
            embed=render_stats(stats), allowed_mentions=NO_PINGS
        )


async def setup(bot: ArchiveBot) -> None:
    await bot.add_cog(Maintaining(bot))
