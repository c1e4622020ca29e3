"""Publishing in Discord: new articles to subscribed channels, digests now or on a schedule.

The decisions (what is new, what goes where, exactly once) are the core's `Publisher`; this cog
is its `Sender` over discord.py, a task loop that polls due sources, and the moderators' slash
commands. At start-up the first loop turn resolves deliveries a crash left half-done before
anything new is sent.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import UTC, datetime

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.client import ArchiveBot, reply_privately
from bot.permissions import moderator_only
from bot.render import discord_timestamp, escape
from bot.render_publishing import (
    has_marker,
    part_nonce,
    render_digest,
    render_notice,
    render_post,
)
from index.publishing.deliveries import Subscription
from index.publishing.digest import Digest, build_digest, window
from index.publishing.ledger import Ledger, ledger_path
from index.publishing.posts import Notice, Post
from index.publishing.publisher import DeliveryFailed, Publisher
from index.publishing.schedules import Schedule, ScheduleError
from index.publishing.why import why

log = logging.getLogger(__name__)

TICK_SECONDS = 30.0
BUSY_TIMEOUT = 0.5  # seconds a ledger write may hold up the event loop while a reindex writes
HISTORY = 50
NO_PINGS = discord.AllowedMentions.none()


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in (text or "").split(",") if p.strip()))


class DiscordSender:
    """The publisher's `Sender` over discord.py. Discord's refusals that retrying cannot fix
    (unknown channel, missing access) are permanent failures; the rest are retried later."""

    def __init__(self, bot: ArchiveBot) -> None:
        self.bot = bot

    async def _channel(self, channel_id: int) -> discord.abc.Messageable:
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(channel_id)
            except (discord.NotFound, discord.Forbidden) as exc:
                raise DeliveryFailed(f"cannot reach channel {channel_id}: {exc.text}",
                                     permanent=True) from None
            except (discord.HTTPException, OSError) as exc:
                raise DeliveryFailed(str(exc), permanent=False) from None
        return channel

    async def _call(self, coro):
        try:
            return await coro
        except (discord.NotFound, discord.Forbidden) as exc:
            raise DeliveryFailed(exc.text or str(exc), permanent=True) from None
        except (TimeoutError, discord.HTTPException, OSError) as exc:
            raise DeliveryFailed(str(exc), permanent=False) from None

    async def send(self, channel_id: int, message: Post | Notice, nonce: str) -> int:
        channel = await self._channel(channel_id)
        rendered = render_post(message, nonce) if isinstance(message, Post) else render_notice(message, nonce)
        sent = await self._call(channel.send(nonce=nonce, **rendered))
        return sent.id

    async def edit(self, channel_id: int, message_id: int, post: Post) -> None:
        channel = await self._channel(channel_id)
        old = await self._call(channel.fetch_message(message_id))
        nonce = (old.embeds[0].footer.text or "").removeprefix("ref ") if old.embeds else ""
        rendered = render_post(post, nonce)
        await self._call(old.edit(content=rendered["content"], embed=rendered["embed"],
                                  allowed_mentions=rendered["allowed_mentions"]))

    async def find_by_nonce(self, channel_id: int, nonce: str) -> int | None:
        channel = await self._channel(channel_id)
        me = self.bot.user.id if self.bot.user else None

        async def search() -> int | None:
            async for message in channel.history(limit=HISTORY):
                if message.author.id == me and has_marker(message, nonce):
                    return message.id
            return None

        return await self._call(search())

    async def crosspost(self, channel_id: int, message_id: int) -> None:
        channel = await self._channel(channel_id)
        message = channel.get_partial_message(message_id)
        try:
            await message.publish()
        except discord.HTTPException as exc:
            if exc.code == 40033:  # already crossposted: done before a restart
                return
            raise DeliveryFailed(exc.text or str(exc), permanent=isinstance(exc, discord.NotFound)) from None

    async def send_digest(self, channel_id: int, digest: Digest, nonce: str) -> list[int]:
        ids = []
        for i, part in enumerate(render_digest(digest, nonce)):
            found = await self.find_by_nonce(channel_id, part_nonce(nonce, i))
            if found is None:
                channel = await self._channel(channel_id)
                found = (await self._call(channel.send(nonce=part_nonce(nonce, i), **part))).id
            ids.append(found)
        return ids


class Publishing(commands.Cog):
    digest = app_commands.Group(name="digest", description="Digests of recent articles",
                                default_permissions=discord.Permissions(manage_guild=True),
                                guild_only=True)

    def __init__(self, bot: ArchiveBot) -> None:
        self.bot = bot
        settings = bot.settings
        self.ledger = Ledger(ledger_path(bot.archive.db_path), busy_timeout=BUSY_TIMEOUT)
        self.publisher = Publisher(
            self.ledger, DiscordSender(bot), index=bot.archive.add_article,
            limit_per_run=settings.posts_per_channel_per_run, interval_s=settings.feed_interval_seconds,
        )
        for url in settings.feeds:
            self.publisher.add_feed(url)
        for folder in bot.archive.article_dirs:
            self.publisher.add_folder(folder)
        self._lock = asyncio.Lock()
        self._recovered = False
        self.loop = tasks.loop(seconds=TICK_SECONDS)(self._tick)

    async def cog_load(self) -> None:
        self.loop.start()

    async def cog_unload(self) -> None:
        self.loop.cancel()
        self.ledger.close()

    async def _tick(self) -> None:
        await self.bot.wait_until_ready()
        try:
            await self.run_cycle()
        except sqlite3.OperationalError as exc:
            log.info("publishing waits for the database (%s); next cycle in %.0f s", exc, TICK_SECONDS)
        except Exception:
            log.exception("publishing cycle failed; trying again next time")

    async def run_cycle(self, *, poll_all: bool = False) -> None:
        """Recover (first time), poll due sources (or all), deliver, send due digests."""
        async with self._lock:
            if not self._recovered:
                report = await self.publisher.recover()
                self._recovered = True
                if report.recovered:
                    log.info("%d posts sent before a restart were found and recorded", report.recovered)
            if poll_all:
                for source in self.ledger.feeds.sources():
                    await self.publisher.poll(source)
            else:
                await self.publisher.poll_due()
            await self.publisher.deliver()
            await self.publisher.run_schedules(
                lambda since, until, category: build_digest(self.bot.archive, since, until, category))

    # -- subscriptions ------------------------------------------------------------------------

    @app_commands.command(name="subscribe", description="Post new articles in a channel")
    @app_commands.describe(
        channel="Where new articles are posted",
        categories="Only these categories (comma-separated); all when empty",
        keywords="Only articles mentioning one of these (comma-separated); all when empty",
        role="A role to mention in each post",
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only()
    async def subscribe(self, interaction: discord.Interaction,
                        channel: discord.TextChannel, categories: str | None = None,
                        keywords: str | None = None, role: discord.Role | None = None) -> None:
        sub = Subscription(channel.id, interaction.guild_id, _names(categories), _names(keywords),
                           role.id if role else None, channel.is_news())
        replaced = self.ledger.deliveries.subscribe(sub, datetime.now(UTC))
        text = (f"{'Updated' if replaced else 'Subscribed'}: {channel.mention} gets "
                f"{_describe(sub)}. Articles already in a source when the bot first reads it are "
                "marked seen, not posted.")
        if sub.announce:
            text += " Posts there are also published to following servers (up to 10 an hour)."
        await reply_privately(interaction, text)

    @app_commands.command(name="unsubscribe", description="Stop posting new articles in a channel")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only()
    async def unsubscribe(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        if self.ledger.deliveries.unsubscribe(channel.id):
            await reply_privately(interaction, f"{channel.mention} no longer gets new articles.")
        else:
            await reply_privately(interaction, f"{channel.mention} was not subscribed.")

    @app_commands.command(name="subscriptions", description="Which channels get which new articles")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only()
    async def subscriptions(self, interaction: discord.Interaction) -> None:
        subs = self.ledger.deliveries.subscriptions(interaction.guild_id)
        lines = [f"<#{s.channel_id}>: {_describe(s)}" for s in subs] or ["No channel is subscribed."]
        lines.append("\n**Sources**")
        for s in self.ledger.feeds.sources():
            state = ""
            if s.primed_at:
                state = (f"first read {discord_timestamp(s.primed_at, 'R')}: {s.primed_count} existing "
                         "articles marked seen, not posted")
            else:
                state = "not read yet"
            if s.failures:
                state += f"; failing ({s.failures} in a row: {escape(s.last_error or '')})"
            lines.append(f"{escape(s.url.removeprefix('folder:'))}: {state}")
        schedules = self.ledger.schedules.schedules(interaction.guild_id)
        if schedules:
            lines.append("\n**Scheduled digests**")
            for r in schedules:
                sched = Schedule(r.frequency, datetime.strptime(r.at_time, "%H:%M").time(), r.timezone,
                                 r.weekday)
                lines.append(f"<#{r.channel_id}>: {sched.describe()}"
                             + (f", {escape(r.category)} only" if r.category else ""))
        embed = discord.Embed(title="Subscriptions", description="\n".join(lines)[:4096])
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    @app_commands.command(name="why", description="Was an article seen, filtered out, or posted?")
    @app_commands.describe(article="The article's link or title")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only()
    async def why(self, interaction: discord.Interaction, article: str) -> None:
        report = why(self.ledger, article)
        lines = report.lines(channel=lambda c: f"<#{c}>", when=lambda dt: discord_timestamp(dt, "f"),
                             quote=escape)
        embed = discord.Embed(title="Why", description="\n".join(lines)[:4096])
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    # -- digests ------------------------------------------------------------------------------

    @digest.command(name="post", description="Post a digest of the articles of the last days")
    @app_commands.describe(days="How many days back (default 7)", category="Only this category",
                           channel="Where to post it (default: here)")
    @moderator_only()
    async def digest_post(self, interaction: discord.Interaction,
                          days: app_commands.Range[int, 1, 366] = 7, category: str | None = None,
                          channel: discord.TextChannel | None = None) -> None:
        target = channel or interaction.channel
        since, until = window(days, datetime.now(UTC))
        digest = await asyncio.to_thread(build_digest, self.bot.archive, since, until, category)
        if not digest.items:
            about = f" in {category}" if category else ""
            await reply_privately(interaction, f"No articles{escape(about)} were published in the last "
                                  f"{days} days: nothing was posted.")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        for part in render_digest(digest):
            await target.send(**part)
        await interaction.followup.send(
            f"Posted a digest of {len(digest.items)} articles in {target.mention}.", ephemeral=True)

    @digest.command(name="schedule", description="Post a digest regularly, when there is something new")
    @app_commands.describe(frequency="daily or weekly", time="Local time, HH:MM (24-hour)",
                           timezone="e.g. Europe/Paris, America/New_York, UTC",
                           weekday="For weekly digests: monday ... sunday",
                           channel="Where to post it (default: here)", category="Only this category")
    @app_commands.choices(frequency=[app_commands.Choice(name=f, value=f) for f in ("daily", "weekly")])
    @moderator_only()
    async def digest_schedule(self, interaction: discord.Interaction, frequency: str, time: str,
                              timezone: str, weekday: str | None = None,
                              channel: discord.TextChannel | None = None,
                              category: str | None = None) -> None:
        target = channel or interaction.channel
        try:
            schedule = Schedule.parse(frequency, time, timezone, weekday)
        except ScheduleError as exc:
            await reply_privately(interaction, f"Cannot schedule that: {exc}.")
            return
        first = self.publisher.schedule_digest(target.id, schedule, guild_id=interaction.guild_id,
                                               category=category)
        await reply_privately(
            interaction, f"Digest for {target.mention}: {schedule.describe()}, when there is something "
            f"new. Next: {discord_timestamp(first, 'F')}.")

    @digest.command(name="unschedule", description="Stop a channel's scheduled digest")
    @moderator_only()
    async def digest_unschedule(self, interaction: discord.Interaction,
                                channel: discord.TextChannel | None = None) -> None:
        target = channel or interaction.channel
        if self.ledger.schedules.remove_schedule(target.id):
            await reply_privately(interaction, f"{target.mention} gets no more scheduled digests.")
        else:
            await reply_privately(interaction, f"{target.mention} had no scheduled digest.")


def _describe(sub: Subscription) -> str:
    parts = ["every new article" if not (sub.categories or sub.keywords) else "new articles"]
    if sub.categories:
        parts.append(f"in {escape(', '.join(sub.categories))}")
    if sub.keywords:
        parts.append(f"mentioning {escape(', '.join(sub.keywords))}")
    if sub.role_id:
        parts.append(f"mentioning <@&{sub.role_id}>")
    return " ".join(parts)


async def setup(bot: ArchiveBot) -> None:
    await bot.add_cog(Publishing(bot))
