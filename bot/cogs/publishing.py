"""Publishing in Discord: new articles to subscribed channels, digests now or on a schedule.

The decisions (what is new, what goes where, exactly once) are the core's `Publisher`; this cog
is its `Sender` over discord.py, the moderators' slash commands (each one call on the publisher,
which keeps SQLite off the event loop), and the core's `Runner`, which publishes on the sources'
timers while this process holds the publishing lease (one process of a sharded deployment does).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import discord
from discord import app_commands
from discord.ext import commands

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
from index.publishing.digest import Digest, window
from index.publishing.feeds import SourceState
from index.publishing.ledger import Ledger
from index.publishing.polling import FeedRefused
from index.publishing.posts import Notice, Post
from index.publishing.publisher import DeliveryFailed, Publisher, RunReport
from index.publishing.runner import Runner, holder_name
from index.publishing.schedules import Schedule, ScheduleError
from index.schema import publishing_path

log = logging.getLogger(__name__)

BUSY_TIMEOUT = 5.0  # seconds a ledger write (in a worker thread) waits for another process's
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

    async def send_post(self, channel_id: int, post: Post, nonce: str) -> int:
        channel = await self._channel(channel_id)
        sent = await self._call(channel.send(nonce=nonce, **render_post(post, nonce)))
        return sent.id

    async def send_notice(self, channel_id: int, notice: Notice, nonce: str) -> list[int]:
        parts = render_notice(notice, nonce)
        return await self._send_parts(channel_id, [(nonce if i == 0 else part_nonce(nonce, i), part)
                                                   for i, part in enumerate(parts)])

    async def edit_post(self, channel_id: int, message_id: int, post: Post) -> None:
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
        parts = render_digest(digest, nonce)
        return await self._send_parts(channel_id, [(part_nonce(nonce, i), part)
                                                   for i, part in enumerate(parts)])

    async def _send_parts(self, channel_id: int, parts: list[tuple[str, dict]]) -> list[int]:
        """Send a message's parts in order; a part already in the channel (by nonce) is not sent."""
        ids = []
        for nonce, part in parts:
            found = await self.find_by_nonce(channel_id, nonce)
            if found is None:
                channel = await self._channel(channel_id)
                found = (await self._call(channel.send(nonce=nonce, **part))).id
            ids.append(found)
        return ids


class Publishing(commands.Cog):
    feed = app_commands.Group(name="feed", description="The feeds new articles come from",
                              default_permissions=discord.Permissions(manage_guild=True), guild_only=True)
    digest = app_commands.Group(name="digest", description="Digests of recent articles",
                                default_permissions=discord.Permissions(manage_guild=True),
                                guild_only=True)

    def __init__(self, bot: ArchiveBot) -> None:
        self.bot = bot
        s = bot.settings
        self._ledger = Ledger(publishing_path(bot.archive.db_path), busy_timeout=BUSY_TIMEOUT)
        self.publisher = Publisher(
            self._ledger, DiscordSender(bot), archive=bot.archive,
            limit_per_run=s.posts_per_channel_per_run, interval_s=s.feed_interval_seconds,
            min_interval_s=s.feed_min_interval_seconds, edit_window=timedelta(days=s.edit_window_days),
        )
        shards = f"shards {','.join(map(str, s.shard_ids))} of {s.shard_count}" if s.shard_ids else ""
        self.runner = Runner(self.publisher, tick=s.publish_tick_seconds,
                             lease_seconds=s.publish_lease_seconds, holder=holder_name(shards))
        self._task: asyncio.Task | None = None

    async def cog_load(self) -> None:
        await self.publisher.seed(self.bot.settings.feeds, self.bot.archive.article_dirs)
        self._task = asyncio.create_task(self._run(), name="publishing")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.wait({self._task}, timeout=10)  # it gives the lease up on the way out
        self._ledger.close()

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        await self.runner.run()

    async def run_cycle(self, *, poll_all: bool = False) -> RunReport | None:
        """One publishing cycle now, if this process publishes (it takes the lease when free)."""
        await self.runner.acquire()
        return await self.runner.step(poll_all=poll_all)

    # -- feeds --------------------------------------------------------------------------------

    async def _feed_choices(self, interaction: discord.Interaction,
                            current: str) -> list[app_commands.Choice[str]]:
        text = current.strip().casefold()
        return [app_commands.Choice(name=_choice_name(s), value=_feed_key(s))
                for s in await self.publisher.sources()
                if s.kind == "feed" and (text in s.name.casefold() or text in s.url.casefold())][:25]

    async def _find_feed(self, text: str) -> SourceState | None:
        """A feed by what a moderator typed or picked: its address, or its title."""
        feeds = [s for s in await self.publisher.sources() if s.kind == "feed"]
        wanted = text.strip()
        return (next((s for s in feeds if wanted in (s.url, _feed_key(s))), None)
                or next((s for s in feeds if s.name.casefold() == wanted.casefold()), None))

    @feed.command(name="add", description="Read a feed's new articles (checked now; its title names it)")
    @app_commands.describe(url="The feed's address (RSS or Atom), e.g. https://example.org/feed.xml",
                           minutes="How often to read it (default: FEED_INTERVAL_SECONDS)")
    @moderator_only()
    async def feed_add(self, interaction: discord.Interaction, url: str,
                       minutes: app_commands.Range[int, 1, 1440] | None = None) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            added = await self.publisher.add_feed(url, interval_s=minutes * 60 if minutes else None,
                                                  added_by=interaction.user.id, added_in=interaction.guild_id)
        except FeedRefused as exc:
            await reply_privately(interaction, f"Cannot add that feed: {escape(str(exc))}.")
            return
        self.runner.wake()
        source = added.source
        name = f"**{escape(source.name)}** (<{source.url}>)"
        if added.existed:
            text = f"{name} was already there; it is read every {_every(source.interval_s)}."
        else:
            held = f"{added.primed} article{'s' if added.primed != 1 else ''}"
            text = (f"Added {name}: it holds {held} now, marked seen (not posted). "
                    f"New ones are read every {_every(source.interval_s)}. To post them in a channel: "
                    "`/subscribe` with this feed.")
        await reply_privately(interaction, text)

    @feed.command(name="remove", description="Stop reading a feed (its channel subscriptions go too)")
    @app_commands.describe(feed="The feed (start typing its title)")
    @moderator_only()
    async def feed_remove(self, interaction: discord.Interaction, feed: str) -> None:
        source = await self._find_feed(feed)
        try:
            removed = (await self.publisher.remove_feed(source.url, guild_id=interaction.guild_id)
                       if source else None)
        except FeedRefused as exc:
            await reply_privately(interaction, f"Cannot remove it: {escape(str(exc))}. To stop it in a "
                                  "channel here: `/unsubscribe` with this feed.")
            return
        if removed is None:
            await reply_privately(interaction, f"No feed matches “{escape(feed)}”: `/feed list` shows them.")
            return
        bound = removed.subscriptions
        text = f"Removed **{escape(removed.source.name)}**: it is no longer read"
        text += (f", and the {bound} subscription{'s' if bound != 1 else ''} bound to it went too."
                 if bound else ".")
        text += " `/feed add` brings it back."
        await reply_privately(interaction, text)

    @feed.command(name="list", description="The feeds, how they are doing, and which channels take them")
    @moderator_only()
    async def feed_list(self, interaction: discord.Interaction) -> None:
        view = await self.publisher.overview(interaction.guild_id)
        feeds = [s for s in view.sources if s.kind == "feed"]
        lines = []
        for s in feeds:
            channels = sorted({f"<#{sub.channel_id}>" for sub in view.subscriptions if sub.takes(s.url)})
            lines.append(f"**{escape(s.name)}** <{s.url}>\nread every {_every(s.interval_s)}, "
                         f"{_state(s)}; posted in: {', '.join(channels) or 'no channel'}")
        text = "\n\n".join(lines) or "No feeds yet: `/feed add` adds one (FEEDS in the settings seeds it)."
        embed = discord.Embed(title="Feeds", description=text[:4096])
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    feed_remove.autocomplete("feed")(_feed_choices)

    # -- subscriptions ------------------------------------------------------------------------

    @app_commands.command(name="subscribe", description="Post new articles in a channel")
    @app_commands.describe(
        channel="Where new articles are posted",
        feed="Only this feed (start typing its title); every feed when empty",
        categories="Only these categories (comma-separated); all when empty",
        keywords="Only articles mentioning one of these (comma-separated); all when empty",
        role="A role to mention in each post",
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only()
    async def subscribe(self, interaction: discord.Interaction,
                        channel: discord.TextChannel, feed: str | None = None, categories: str | None = None,
                        keywords: str | None = None, role: discord.Role | None = None) -> None:
        source = None
        if feed:
            source = await self._find_feed(feed)
            if source is None:
                await reply_privately(interaction, f"No feed matches “{escape(feed)}”: `/feed list` shows "
                                      "them, `/feed add` adds one.")
                return
        sub = Subscription(channel.id, interaction.guild_id, _names(categories), _names(keywords),
                           role.id if role else None, channel.is_news(), feed=source.url if source else None)
        replaced = await self.publisher.subscribe(sub)
        self.runner.wake()
        names = {source.url: source.name} if source else {}
        text = (f"{'Updated' if replaced else 'Subscribed'}: {channel.mention} gets {_describe(sub, names)}. "
                "Articles already in a source when the bot first reads it are marked seen, not posted.")
        if sub.announce:
            text += " Posts there are also published to following servers (up to 10 an hour)."
        await reply_privately(interaction, text)

    subscribe.autocomplete("feed")(_feed_choices)

    @app_commands.command(name="unsubscribe", description="Stop posting new articles in a channel")
    @app_commands.describe(channel="The channel",
                           feed="Only this feed's subscription; all of them when empty")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only()
    async def unsubscribe(self, interaction: discord.Interaction, channel: discord.TextChannel,
                          feed: str | None = None) -> None:
        source = await self._find_feed(feed) if feed else None
        if feed and source is None:
            await reply_privately(interaction, f"No feed matches “{escape(feed)}”: `/feed list` shows them.")
            return
        if await self.publisher.unsubscribe(channel.id, source.url if source else None):
            what = f" from **{escape(source.name)}**" if source else ""
            await reply_privately(interaction, f"{channel.mention} no longer gets new articles{what}.")
        else:
            await reply_privately(interaction, f"{channel.mention} was not subscribed"
                                  + (f" to **{escape(source.name)}**." if source else "."))

    unsubscribe.autocomplete("feed")(_feed_choices)

    @app_commands.command(name="subscriptions", description="Which channels get which new articles")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only()
    async def subscriptions(self, interaction: discord.Interaction) -> None:
        view = await self.publisher.overview(interaction.guild_id)
        names = {s.url: s.name for s in view.sources}
        lines = ([f"<#{s.channel_id}>: {_describe(s, names)}" for s in view.subscriptions]
                 or ["No channel is subscribed."])
        lines.append("\n**Sources**")
        for s in view.sources:
            if s.primed_at:
                state = (f"first read {discord_timestamp(s.primed_at, 'R')}: {s.primed_count} existing "
                         "articles marked seen, not posted")
            else:
                state = "not read yet"
            if s.failures:
                state += f"; failing ({s.failures} in a row: {escape(s.last_error or '')})"
            lines.append(f"{escape(s.name)}: {state}")
        if view.schedules:
            lines.append("\n**Scheduled digests**")
            for r in view.schedules:
                lines.append(f"<#{r.channel_id}>: {r.schedule.describe()}"
                             + (f", {escape(r.category)} only" if r.category else ""))
        embed = discord.Embed(title="Subscriptions", description="\n".join(lines)[:4096])
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    @app_commands.command(name="why", description="Was an article seen, filtered out, or posted?")
    @app_commands.describe(article="The article's link or title")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only()
    async def why(self, interaction: discord.Interaction, article: str) -> None:
        report = await self.publisher.why(article)
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
        digest = await self.publisher.build_digest(since, until, category)
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
        first = await self.publisher.schedule_digest(target.id, schedule, guild_id=interaction.guild_id,
                                                     category=category)
        await reply_privately(
            interaction, f"Digest for {target.mention}: {schedule.describe()}, when there is something "
            f"new. Next: {discord_timestamp(first, 'F')}.")

    @digest.command(name="unschedule", description="Stop a channel's scheduled digest")
    @moderator_only()
    async def digest_unschedule(self, interaction: discord.Interaction,
                                channel: discord.TextChannel | None = None) -> None:
        target = channel or interaction.channel
        if await self.publisher.unschedule_digest(target.id):
            await reply_privately(interaction, f"{target.mention} gets no more scheduled digests.")
        else:
            await reply_privately(interaction, f"{target.mention} had no scheduled digest.")


def _feed_key(source: SourceState) -> str:
    """An autocomplete value (at most 100 characters): the address, else the title."""
    return source.url if len(source.url) <= 100 else source.name[:100]


def _choice_name(source: SourceState) -> str:
    name = source.name if source.title else source.url
    return name if len(name) <= 100 else name[:99] + "…"


def _every(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def _state(s: SourceState) -> str:
    if s.failures:
        return f"failing ({s.failures} in a row: {escape(s.last_error or '')})"
    if s.last_ok:
        return f"read fine {discord_timestamp(s.last_ok, 'R')}"
    return "not read yet"


def _describe(sub: Subscription, names: dict[str, str]) -> str:
    parts = ["every new article" if not (sub.categories or sub.keywords) else "new articles"]
    parts.append(f"from {escape(names.get(sub.feed, sub.feed))}" if sub.feed else "from every feed")
    if sub.categories:
        parts.append(f"in {escape(', '.join(sub.categories))}")
    if sub.keywords:
        parts.append(f"mentioning {escape(', '.join(sub.keywords))}")
    if sub.role_id:
        parts.append(f"mentioning <@&{sub.role_id}>")
    return " ".join(parts)


async def setup(bot: ArchiveBot) -> None:
    await bot.add_cog(Publishing(bot))
