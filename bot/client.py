"""The Discord bot: owns the archive, loads one cog per feature, and starts up or explains why not.

The gateway heartbeat runs on the event loop, so nothing here blocks it: every archive call goes
through `asyncio.to_thread` in the cogs.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Awaitable, Callable

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
        self.connect_attempts = RETRY_ATTEMPTS
        self._connect_tries: dict[int, int] = {}
        self.tree.error(self._on_app_command_error)

    async def launch_shard(self, gateway: yarl.URL, shard_id: int, *, initial: bool = False) -> None:
        """discord.py retries a shard that cannot connect every 5 s, forever. Before the bot is
        first ready, a shard gets `connect_attempts` tries, then the bot stops with one line."""
        if not self.is_ready():
            self._connect_tries[shard_id] = tries = self._connect_tries.get(shard_id, 0) + 1
            if tries > self.connect_attempts:
                raise ConnectionFailed(f"cannot connect to Discord's gateway at {gateway} "
                                       f"(tried {tries - 1} times)")
        await super().launch_shard(gateway, shard_id, initial=initial)

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


class ConnectionFailed(Exception):
    """Discord could not be reached, after retrying; the message is the one line to show."""


RETRY_ATTEMPTS = 5
RETRY_FIRST_DELAY = 2.0  # seconds; doubled after each failed attempt (2, 4, 8, 16: 30 s in all)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, discord.DiscordServerError):
        return f"server error {exc.status}"
    if isinstance(exc, asyncio.TimeoutError):
        return "no answer"
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())


async def _until_reachable(what: str, attempt: Callable[[], Awaitable[None]], *, attempts: int,
                           delay: float) -> None:
    """Run `attempt` until it succeeds, waiting `delay` (doubling) between failures."""
    import aiohttp

    for n in range(1, attempts + 1):
        try:
            await attempt()
            return
        except (TimeoutError, OSError, aiohttp.ClientError, discord.DiscordServerError) as exc:
            if n == attempts:
                raise ConnectionFailed(
                    f"cannot reach {what}: {_reason(exc)} (tried {attempts} times)"
                ) from exc
            log.warning("cannot reach %s (%s); trying again in %.0f s", what, _reason(exc), delay)
            await asyncio.sleep(delay)
            delay *= 2


async def _check_api(api: str) -> None:
    """One unauthenticated GET: a connection, and an answer that is not a server error."""
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=15)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(f"{api}/gateway") as resp:
        if resp.status >= 500:
            raise discord.DiscordServerError(resp, await resp.text())


async def _gateway_of(api: str) -> str:
    """The gateway address the API at `api` gives (`GET /gateway`)."""
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=15)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(f"{api}/gateway") as resp:
        return (await resp.json())["url"]


async def _check_gateway(url: str) -> None:
    """A TCP (and TLS) connection to the gateway's host."""
    import yarl

    target = yarl.URL(url)
    secure = target.scheme in ("wss", "https")
    port = target.port or (443 if secure else 80)
    _, writer = await asyncio.wait_for(
        asyncio.open_connection(target.host, port, ssl=secure or None), timeout=15
    )
    writer.close()


async def start_bot(
    settings: Settings,
    archive: Archive,
    *,
    attempts: int = RETRY_ATTEMPTS,
    retry_delay: float = RETRY_FIRST_DELAY,
    **options,
) -> ArchiveBot:
    """Log in (syncing commands), connect in the background, and return once the bot is ready.

    Discord's API and gateway are first checked, retrying with backoff (`attempts`,
    `retry_delay`), so an outage or a dead network ends in one `ConnectionFailed` line instead
    of a traceback. `options` go to `ArchiveBot` (and on to discord.py), e.g. `guild_ready_timeout`.
    """
    if settings.api_base:
        discord.http.Route.BASE = settings.api_base
    api = discord.http.Route.BASE
    await _until_reachable(f"Discord's API at {api}", lambda: _check_api(api),
                           attempts=attempts, delay=retry_delay)
    if settings.api_base:  # a proxy (or a stand-in) names its own gateway, shards included
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(await _gateway_of(api))
    gateway = str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    await _until_reachable(f"Discord's gateway at {gateway}", lambda: _check_gateway(gateway),
                           attempts=attempts, delay=retry_delay)
    bot = ArchiveBot(settings, archive, **options)
    bot.connect_attempts = attempts
    try:
        await bot.login(settings.discord_token or "")
        bot.gateway_task = asyncio.create_task(bot.connect(), name="discord-gateway")
        ready = asyncio.create_task(bot.wait_until_ready())
        await asyncio.wait({bot.gateway_task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if bot.gateway_task.done():
            ready.cancel()
            if bot.ws is None and not isinstance(bot.gateway_task.exception(), discord.ClientException):
                # discord.py gives up on a first connection that fails with an AttributeError
                raise ConnectionFailed(f"cannot connect to Discord's gateway at {gateway}")
            bot.gateway_task.result()
    except BaseException:
        await bot.close()
        raise
    return bot


async def _serve(settings: Settings, **options) -> int:
    archive = Archive(settings.db_path, list(settings.article_dirs))
    try:
        bot = await start_bot(settings, archive, **options)
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


def _one_line_reconnects(record: logging.LogRecord) -> bool:
    """discord.py logs each reconnect attempt with a traceback; one line says as much (the
    traceback stays available with LOG_LEVEL=DEBUG)."""
    if record.exc_info and ("reconnect" in str(record.msg) or "Retrying" in str(record.msg)):
        exc = record.exc_info[1]
        record.msg = f"{record.getMessage()} ({type(exc).__name__}: {_reason(exc)})"
        record.args = ()
        record.exc_info = record.exc_text = None
    return True


def run(settings: Settings, **options) -> int:
    """`archive-bot run`: serve until stopped; 2 without a usable token or intent (restarting
    cannot help), 1 when Discord cannot be reached; one line either way. `options` go to
    `start_bot`."""
    if not settings.discord_token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    discord.utils.setup_logging(level=getattr(logging, settings.log_level, logging.INFO))
    if settings.log_level != "DEBUG":
        for name in ("discord.client", "discord.shard"):
            logging.getLogger(name).addFilter(_one_line_reconnects)
    import aiohttp

    try:
        return asyncio.run(_serve(settings, **options))
    except discord.LoginFailure:
        print(TOKEN_REJECTED, file=sys.stderr)
        return 2  # fixed in the settings or the Developer Portal, not by restarting
    except discord.PrivilegedIntentsRequired:
        print(INTENT_MISSING, file=sys.stderr)
        return 2
    except ConnectionFailed as exc:
        print(f"archive-bot: {exc}", file=sys.stderr)
    except (TimeoutError, discord.HTTPException, aiohttp.ClientError, OSError) as exc:
        print(f"archive-bot: lost the connection to Discord: {_reason(exc)}", file=sys.stderr)
    return 1
