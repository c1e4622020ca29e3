"""Asking the archive: `/ask`, a mention of the bot, follow-ups in the bot's threads, feedback.

A mention in a channel opens a thread on the member's message, so the conversation stays together;
later messages in that thread are asked with the thread's earlier questions as context ("and when
did it launch?" is about what the conversation is about). After a restart the thread's first
question is read back from its starter message.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import ArchiveBot, reply_privately
from bot.permissions import maintainer_only
from bot.render import group_embeds, render_answer, render_more_sources, render_unanswered, truncate
from index.results import Answer

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
FAILED = "Something went wrong answering that; the maintainers can find the details in the log."
THREAD_NAME_LIMIT = 100
HOW_TO_ASK = "Ask me about the archive in words, e.g. “@archive-bot when did Zhurong land?”"


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"archive:feedback:(?P<qid>[0-9]+):(?P<helpful>[01])",
):
    """Helpful / Not helpful. The question id lives in the custom id, so the buttons keep working
    after the view timed out or the bot restarted."""

    def __init__(self, question_id: int, helpful: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label="Helpful" if helpful else "Not helpful",
                style=discord.ButtonStyle.success if helpful else discord.ButtonStyle.secondary,
                custom_id=f"archive:feedback:{question_id}:{int(helpful)}",
            )
        )
        self.question_id = question_id
        self.helpful = helpful

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> FeedbackButton:
        return cls(int(match["qid"]), match["helpful"] == "1")

    async def callback(self, interaction: discord.Interaction) -> None:
        archive = interaction.client.archive
        await asyncio.to_thread(
            archive.record_feedback, self.question_id, self.helpful, user_id=interaction.user.id
        )
        await reply_privately(interaction, "Thanks, noted: it helps improve the answers.")


class AnswerView(discord.ui.View):
    """Buttons under an answer: more sources (while the view lives) and feedback (always)."""

    def __init__(self, bot: ArchiveBot, answer: Answer, question_id: int) -> None:
        super().__init__(timeout=bot.view_timeout)
        self.extra = answer.more_citations
        self.shown = len(answer.citations)
        self.message: discord.Message | discord.InteractionMessage | None = None
        self.more_sources.disabled = not self.extra
        self.add_item(FeedbackButton(question_id, True))
        self.add_item(FeedbackButton(question_id, False))

    @discord.ui.button(label="More sources", style=discord.ButtonStyle.primary)
    async def more_sources(
        self, interaction: discord.Interaction, button: discord.ui.Button
    ) -> None:
        embeds = group_embeds(render_more_sources(self.extra, self.shown + 1))[0]
        await interaction.response.send_message(
            embeds=embeds, ephemeral=True, allowed_mentions=NO_PINGS
        )

    async def on_timeout(self) -> None:
        self.more_sources.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                pass  # deleted, or the token expired: the buttons simply stay as they were


class Asking(commands.Cog):
    def __init__(self, bot: ArchiveBot) -> None:
        self.bot = bot
        s = bot.settings
        self.cooldowns = commands.CooldownMapping.from_cooldown(
            s.ask_per_cooldown, s.ask_cooldown_seconds, lambda user_id: user_id
        )
        self.thread_questions: dict[int, list[str]] = {}  # thread -> its questions, oldest first

    def _wait_for(self, user_id: int) -> int | None:
        """Seconds this member must wait before asking again, or None."""
        retry = self.cooldowns.update_rate_limit(user_id)
        return math.ceil(retry) if retry else None

    def _ask_and_record(
        self,
        question: str,
        context: list[str] | None,
        user_id: int,
        guild_id: int | None,
        channel_id: int | None,
    ) -> tuple[Answer, int]:
        archive = self.bot.archive
        answer = archive.ask(question, context=context)
        qid = archive.record_question(
            question, answer, user_id=user_id, guild_id=guild_id, channel_id=channel_id
        )
        return answer, qid

    async def answer(
        self,
        question: str,
        *,
        context: list[str] | None,
        user_id: int,
        guild_id: int | None,
        channel_id: int | None,
    ) -> tuple[list[list[discord.Embed]], AnswerView]:
        answer, qid = await asyncio.to_thread(
            self._ask_and_record, question, context, user_id, guild_id, channel_id
        )
        return group_embeds(render_answer(answer, question_id=qid)), AnswerView(
            self.bot, answer, qid
        )

    @app_commands.command(
        name="ask", description="Ask the archive a question; the answer cites its sources"
    )
    @app_commands.describe(question="For example: When did Zhurong land?")
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 500]
    ) -> None:
        wait = self._wait_for(interaction.user.id)
        if wait:
            await reply_privately(interaction, f"Slow down a little: try again in {wait} s.")
            return
        await interaction.response.defer(thinking=True)
        messages, view = await self.answer(
            question,
            context=None,
            user_id=interaction.user.id,
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
        )
        view.message = await interaction.edit_original_response(
            embeds=messages[0], view=view, allowed_mentions=NO_PINGS
        )
        for embeds in messages[1:]:
            await interaction.followup.send(embeds=embeds, allowed_mentions=NO_PINGS)

    @app_commands.command(
        name="unanswered", description="Questions the archive could not answer (maintainers)"
    )
    @app_commands.describe(days="How many days back to look (default 7)")
    @app_commands.default_permissions(manage_guild=True)
    @maintainer_only()
    async def unanswered(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 365] = 7
    ) -> None:
        rows = await asyncio.to_thread(self.bot.archive.unanswered, days, 20)
        await interaction.response.send_message(
            embed=render_unanswered(rows, days), ephemeral=True, allowed_mentions=NO_PINGS
        )

    # -- mentions and threads ---------------------------------------------------------------------

    def _question_in(self, message: discord.Message) -> str:
        me = self.bot.user
        text = re.sub(rf"<@!?{me.id}>", " ", message.content)
        return " ".join(text.split())

    async def _thread_questions(self, thread: discord.Thread) -> list[str]:
        """The questions asked so far in one of our threads (after a restart, the one that
        opened it, read from its starter message)."""
        if thread.id not in self.thread_questions and isinstance(
            thread.parent, discord.TextChannel
        ):
            try:
                starter = await thread.parent.fetch_message(thread.id)
            except discord.HTTPException:
                return []
            self.thread_questions[thread.id] = [self._question_in(starter)]
        return list(self.thread_questions.get(thread.id, []))

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if message.author.bot or message.guild is None or me is None:
            return
        channel = message.channel
        ours = isinstance(channel, discord.Thread) and channel.owner_id == me.id
        if not ours and not any(user.id == me.id for user in message.mentions):
            return
        question = self._question_in(message)
        if not question:
            await message.reply(HOW_TO_ASK, mention_author=False, allowed_mentions=NO_PINGS)
            return
        wait = self._wait_for(message.author.id)
        if wait:
            await message.reply(
                f"Slow down a little: try again in {wait} s.",
                mention_author=False,
                allowed_mentions=NO_PINGS,
                delete_after=max(wait, 5),
            )
            return
        context = (await self._thread_questions(channel) or None) if ours else None
        if ours:
            self.thread_questions.setdefault(channel.id, []).append(question)
        target: discord.abc.Messageable = channel
        if not isinstance(channel, discord.Thread):
            try:
                target = await message.create_thread(
                    name=truncate(question, THREAD_NAME_LIMIT), auto_archive_duration=1440
                )
                self.thread_questions[target.id] = [question]
            except discord.HTTPException:
                target = channel  # no thread permission: answer in the channel itself
        try:
            async with target.typing():
                messages, view = await self.answer(
                    question,
                    context=context,
                    user_id=message.author.id,
                    guild_id=message.guild.id,
                    channel_id=target.id,
                )
        except Exception:
            log.exception("answering a mention failed")
            await target.send(FAILED, allowed_mentions=NO_PINGS)
            return
        view.message = await target.send(embeds=messages[0], view=view, allowed_mentions=NO_PINGS)
        for embeds in messages[1:]:
            await target.send(embeds=embeds, allowed_mentions=NO_PINGS)


async def setup(bot: ArchiveBot) -> None:
    bot.add_dynamic_items(FeedbackButton)
    await bot.add_cog(Asking(bot))
