"""Browsing the archive: `/search` with paging buttons, `/article` with autocomplete, `/latest`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import ArchiveBot, reply_privately
from bot.render import render_article, render_article_list, render_search_page, truncate
from index.results import SearchPage

NO_PINGS = discord.AllowedMentions.none()
PER_PAGE = 5
CHOICE_LIMIT = 100  # Discord's limit on an autocomplete choice's name and value


def parse_date(text: str) -> datetime:
    """YYYY-MM-DD (or a full ISO date-time) as an aware datetime; ValueError otherwise."""
    parsed = datetime.fromisoformat(text.strip())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class SearchView(discord.ui.View):
    """Previous / Next under a search page; only the member who searched can turn pages."""

    def __init__(
        self, bot: ArchiveBot, owner_id: int, query: str, filters: dict, page: SearchPage
    ) -> None:
        super().__init__(timeout=bot.view_timeout)
        self.bot = bot
        self.owner_id = owner_id
        self.query = query
        self.filters = filters
        self.page = page
        self.interaction: discord.Interaction | None = None
        self._sync_buttons()

    def describe_filters(self) -> str:
        return ", ".join(
            f"{k}: {v.date().isoformat() if isinstance(v, datetime) else v}"
            for k, v in self.filters.items()
            if v
        )

    def embed(self) -> discord.Embed:
        return render_search_page(self.page, self.describe_filters())

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page.page <= 1
        self.next.disabled = self.page.page >= self.page.pages

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await reply_privately(
            interaction,
            "Only the member who searched can turn these pages: run /search yourself to browse.",
        )
        return False

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.page = await asyncio.to_thread(
            self.bot.archive.search,
            self.query,
            limit=PER_PAGE,
            page=self.page.page + step,
            **self.filters,
        )
        self._sync_buttons()
        await interaction.response.edit_message(
            embed=self.embed(), view=self, allowed_mentions=NO_PINGS
        )

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._turn(interaction, +1)

    async def on_timeout(self) -> None:
        for item in self.children:
            item.disabled = True
        if self.interaction is not None:
            try:
                await self.interaction.edit_original_response(view=self)
            except discord.HTTPException:
                pass  # the message is gone or the token expired; nothing left to disable


class Browsing(commands.Cog):
    def __init__(self, bot: ArchiveBot) -> None:
        self.bot = bot

    @app_commands.command(name="search", description="Search the archive's paragraphs")
    @app_commands.describe(
        query="Words to look for",
        author="Only articles by this author",
        category="Only articles in this category",
        since="Only articles published on or after this date (YYYY-MM-DD)",
    )
    async def search(
        self,
        interaction: discord.Interaction,
        query: app_commands.Range[str, 1, 300],
        author: str | None = None,
        category: str | None = None,
        since: str | None = None,
    ) -> None:
        try:
            since_date = parse_date(since) if since else None
        except ValueError:
            await reply_privately(
                interaction,
                f"“{truncate(since, 40)}” is not a date: use YYYY-MM-DD, e.g. 2021-05-15.",
            )
            return
        filters = {"author": author, "category": category, "since": since_date}
        await interaction.response.defer(thinking=True)
        page = await asyncio.to_thread(
            self.bot.archive.search, query, limit=PER_PAGE, page=1, **filters
        )
        view = SearchView(self.bot, interaction.user.id, query, filters, page)
        view.interaction = interaction
        if page.pages > 1:
            await interaction.edit_original_response(
                embed=view.embed(), view=view, allowed_mentions=NO_PINGS
            )
        else:
            view.stop()
            await interaction.edit_original_response(embed=view.embed(), allowed_mentions=NO_PINGS)

    @app_commands.command(name="article", description="Show one article of the archive")
    @app_commands.describe(title_or_url="The article's title (start typing to pick) or its link")
    async def article(
        self, interaction: discord.Interaction, title_or_url: app_commands.Range[str, 1, 500]
    ) -> None:
        archive = self.bot.archive
        summary = await asyncio.to_thread(archive.article, title_or_url)
        if summary is None:
            await reply_privately(
                interaction,
                f"No article called “{truncate(title_or_url, 100)}” in "
                "the archive: pick one of the suggestions while typing.",
            )
            return
        paragraphs = await asyncio.to_thread(archive.article_paragraphs, summary.id)
        await interaction.response.send_message(
            embed=render_article(summary, paragraphs), allowed_mentions=NO_PINGS
        )

    @article.autocomplete("title_or_url")
    async def article_titles(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        titles = await asyncio.to_thread(self.bot.archive.titles_matching, current, 25)
        # A choice holds 100 characters; a cut title still finds its article by prefix.
        return [
            app_commands.Choice(name=truncate(t, CHOICE_LIMIT), value=t[:CHOICE_LIMIT])
            for t in titles
        ]

    @app_commands.command(name="latest", description="The newest articles in the archive")
    @app_commands.describe(n="How many (1-10, default 5)")
    async def latest(
        self, interaction: discord.Interaction, n: app_commands.Range[int, 1, 10] = 5
    ) -> None:
        summaries = await asyncio.to_thread(self.bot.archive.latest, n)
        await interaction.response.send_message(
            embed=render_article_list("Latest articles", summaries), allowed_mentions=NO_PINGS
        )


async def setup(bot: ArchiveBot) -> None:
    await bot.add_cog(Browsing(bot))
