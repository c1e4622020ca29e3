"""The Discord bot: owns the archive, loads one cog per feature, and starts up or explains why not.

The gateway heartbeat runs on the event loop, so nothing here blocks it: every archive call goes
through `asyncio.to_thread` in the cogs.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.config import Settings
from index.archive import Archive

log = logging.getLogger(__name__)

COGS = ("bot.cogs.asking", "bot.cogs.browsing", "bot.cogs.maintaining", "bot.cogs.publishing")
NO_TOKEN = (
    "archive-bot: DISCORD_TOKEN is not set: create a bot at "
    "https://discord.com/developers/applications (Bot > Reset Token) and put its token in .env; "
    "or try `archive-bot chat` without Discord"
)
TOKEN_REJECTED = (
    "archive-bot: Discord rejected the token in DISCORD_TOKEN: reset it in the Developer Portal "
    "(Bot > Reset Token) and update .env"
)
INTENT_MISSING = (
    "archive-bot: Discord refused the Message Content intent: enable it in the Developer Portal "
    "(Bot > Privileged Gateway Intents), or the bot cannot read questions asked by mention"
)


async def reply_privately(interaction: discord.Interaction, text: str) -> None:
    """An ephemeral reply only the invoker sees, whether or not the interaction was answered yet.

    After a public "thinking…" defer the first follow-up would replace the placeholder publicly,
    so the placeholder is deleted first.
    """
    if interaction.response.type is discord.InteractionResponseType.deferred_channel_message:
        try:
            await interaction.delete_original_response()
        except discord.HTTPException:
            pass  # already gone: the follow-up below is a new message either way
    if interaction.response.is_done():
        await interaction.followup.send(
            text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )
    else:
        await interaction.response.send_message(
            text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )


class ArchiveBot(commands.AutoShardedBot):
    """The bot and what it owns: settings, the archive, and timings tests may shorten.

    Sharded as Discord requires past 2,500 servers: SHARD_COUNT / SHARD_IDS choose the shards this
    process runs (default: all of them, as many as Discord recommends). Several processes can
    share one machine's SQLite files; exactly one of them publishes (see `index.publishing.lease`).
    """

    def __init__(
        self,
        settings: Settings,
        archive: Archive,
        *,
        view_timeout: float = 840.0,
        progress_interval: float = 2.0,
        **options,
    ) -> None:
        intents = discord.Intents.default()
        intents.message_content = True  # questions asked by mentioning the bot
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=settings.shard_count,
            shard_ids=list(settings.shard_ids) if settings.shard_ids else None,
            **options,
        )
        self.settings = settings
        self.archive = archive
        self.view_timeout = view_timeout  # buttons stop within the 15 minutes a token lives
        self.progress_interval = progress_interval
        self.gateway_task: asyncio.Task | None = None
        self.tree.error(self._on_app_command_error)

    async def setup_hook(self) -> None:
        built = await asyncio.to_thread(self.archive.ensure_built)
        if built is not None:
            log.info("index built: %s", built.summary())
        for name in COGS:
            await self.load_extension(name)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """To one server when DISCORD_GUILD_ID is set (instant), else globally (up to an hour)."""
        if self.settings.guild_id:
            guild = discord.Object(id=self.settings.guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("synced %d slash commands", len(synced))

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: mentions are questions, handled by the asking cog."""

    async def _on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        if isinstance(error, app_commands.CommandOnCooldown):
            text = f"Slow down a little: try again in {error.retry_after:.0f} s."
        elif isinstance(error, app_commands.CheckFailure):
            text = str(error) or "You cannot use this command here."
        else:
            log.error(
                "/%s failed",
                interaction.command.qualified_name if interaction.command else "?",
                exc_info=error,
            )
            text = "Something went wrong; the maintainers can find the details in the log."
        try:
            await reply_privately(interaction, text)
        except discord.HTTPException:
            log.warning("could not tell %s about an error", interaction.user.id)


async def start_bot(settings: Settings, archive: Archive, **options) -> ArchiveBot:
    """Log in (syncing commands), connect in the background, and return once the bot is ready.

    `options` go to `ArchiveBot` (and on to discord.py), e.g. `guild_ready_timeout`.
    """
    if settings.api_base:
        discord.http.Route.BASE = settings.api_base
    bot = ArchiveBot(settings, archive, **options)
    try:
        await bot.login(settings.discord_token or "")
        if settings.api_base and settings.shard_count:
            # Shards started by number connect to the default gateway: ask the API in use for its own.
            _, url, _ = await bot.http.get_bot_gateway()
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        bot.gateway_task = asyncio.create_task(bot.connect(), name="discord-gateway")
        ready = asyncio.create_task(bot.wait_until_ready())
        await asyncio.wait({bot.gateway_task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if bot.gateway_task.done():
            ready.cancel()
            bot.gateway_task.result()
    except BaseException:
        await bot.close()
        raise
    return bot


async def _serve(settings: Settings) -> int:
    archive = Archive(settings.db_path, list(settings.article_dirs))
    try:
        bot = await start_bot(settings, archive)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, bot.gateway_task.cancel)
        try:
            await bot.gateway_task
        except asyncio.CancelledError:
            log.info("stopping")
        finally:
            await bot.close()
    finally:
        archive.close()
    return 0


def run(settings: Settings) -> int:
    """`archive-bot run`: serve until stopped; 2 without a token, 1 when Discord refuses us."""
    if not settings.discord_token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    discord.utils.setup_logging(level=getattr(logging, settings.log_level, logging.INFO))
    try:
        return asyncio.run(_serve(settings))
    except discord.LoginFailure:
        print(TOKEN_REJECTED, file=sys.stderr)
    except discord.PrivilegedIntentsRequired:
        print(INTENT_MISSING, file=sys.stderr)
    return 1
