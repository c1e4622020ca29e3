"""Discord messages for publishing: article posts, notices, digests. (Kept apart from
`bot.render` so the two can change independently; the shared helpers live there.)

Every message the publisher sends carries its nonce in the footer (`ref …`): Discord does not
return nonces in channel history, so this visible marker is how a delivery left half-done by a
crash is found again. Only a subscription's own role can be pinged: every text from an article
is escaped, and `allowed_mentions` names that role alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import discord

from bot.render import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    discord_timestamp,
    escape,
    link,
    truncate,
)
from index.publishing.digest import Digest, DigestItem
from index.publishing.posts import Listed, Notice, Post

POST_COLOUR = discord.Colour.dark_teal()
NOTICE_COLOURS = {"warning": discord.Colour.orange(), "recovered": discord.Colour.green(),
                  "summary": discord.Colour.dark_teal()}
DIGEST_COLOUR = discord.Colour.blurple()
TEASER_CHARS = 300
DIGEST_TEASER_CHARS = 160
FOOTER_ROOM = 40  # the `ref …` footer, counted against the 6,000 characters of a message


def marker(nonce: str) -> str:
    return f"ref {nonce}"


def has_marker(message: discord.Message, nonce: str) -> bool:
    """Whether a message is the one sent with this nonce (by nonce, or by its footer marker)."""
    if message.nonce is not None and str(message.nonce) == nonce:
        return True
    return any((e.footer.text or "").endswith(marker(nonce)) for e in message.embeds)


def _http(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


def mentions_for(role_id: int | None) -> discord.AllowedMentions:
    roles = [discord.Object(id=role_id)] if role_id else False
    return discord.AllowedMentions(everyone=False, users=False, roles=roles, replied_user=False)


def render_post(post: Post, nonce: str) -> dict[str, Any]:
    """A new article: title (linked), author, categories, teaser, `<t:…:R>`, thumbnail."""
    lines = [escape(truncate(post.teaser, TEASER_CHARS))] if post.teaser else []
    if post.published:
        lines.append(f"Published {discord_timestamp(post.published, 'R')}")
    embed = discord.Embed(title=truncate(escape(post.title), 256), url=_http(post.url),
                          description="\n\n".join(lines) or None, colour=POST_COLOUR)
    if post.author:
        embed.set_author(name=truncate(post.author, 256))
    if post.categories:
        embed.add_field(name="Categories", value=truncate(escape(", ".join(post.categories)), 1024))
    if _http(post.image):
        embed.set_thumbnail(url=post.image)
    embed.set_footer(text=marker(nonce))
    return {"content": f"<@&{post.role_id}>" if post.role_id else None, "embed": embed,
            "allowed_mentions": mentions_for(post.role_id)}


NOTICE_TITLES = {"warning": "A feed is failing", "recovered": "A feed works again",
                 "summary": "More new articles"}
NOTICE_ROOM = DESCRIPTION_LIMIT - 200  # what a part's list may fill, leaving room for the last line


def _when(dt: datetime | None) -> str:
    return discord_timestamp(dt, "d") if dt else "?"


def _listed_line(item: Listed) -> str:
    line = f"\n• {link(truncate(item.title, 200), _http(item.url))}"
    return line + (f" · {discord_timestamp(item.published, 'd')}" if item.published else "")


def render_notice(notice: Notice, nonce: str) -> list[dict[str, Any]]:
    """A warning, a recovery, or a summary of the articles over a run's limit, as messages.

    A summary opens with its count and date range per source, then lists its articles newest
    first: every one of the last 48 hours (`must_list`), in as many messages as that takes, then
    as many older ones as fit; the last line says how many more there are, from when to when,
    and how to find them. Part i > 0 carries the marker of `part_nonce(nonce, i)`."""
    head = escape(notice.text)
    if notice.feeds:
        head += "\n" + "\n".join(
            f"**{escape(f.feed)}**: {f.count} article{'s' if f.count != 1 else ''}, "
            f"{_when(f.oldest)} to {_when(f.newest)}" for f in notice.feeds)
    parts = [head + ("\n" if notice.items else "")]
    shown = 0
    for i, item in enumerate(notice.items):
        line = _listed_line(item)
        if len(parts[-1]) + len(line) > NOTICE_ROOM:
            if i >= notice.must_list:
                break
            parts.append("")
            line = line.lstrip("\n")
        parts[-1] += line
        shown += 1
    rest = notice.items[shown:]
    if rest:
        dates = [r.published for r in rest if r.published]
        span = f", from {_when(min(dates))} to {_when(max(dates))}" if dates else ""
        parts[-1] += (f"\n…and {len(rest)} more{span}. All are in the archive: `/search` finds them "
                      "(`since:` and `until:` narrow it to those dates), `/latest` shows the newest.")
    messages = []
    for i, text in enumerate(parts):
        title = NOTICE_TITLES.get(notice.kind, "Notice") + (" (continued)" if i else "")
        embed = discord.Embed(title=title, description=text, colour=NOTICE_COLOURS.get(notice.kind))
        embed.set_footer(text=marker(nonce if i == 0 else part_nonce(nonce, i)))
        messages.append({"content": None, "embed": embed, "allowed_mentions": discord.AllowedMentions.none()})
    return messages


def _item_block(item: DigestItem) -> str:
    meta = [escape(item.author) if item.author else None,
            discord_timestamp(item.published, "R") if item.published else None]
    head = f"**{link(truncate(item.title, 200), _http(item.url))}**"
    if len(head) > 1000:  # an absurdly long link: the title alone
        head = f"**{escape(truncate(item.title, 200))}**"
    head += f" — {' · '.join(m for m in meta if m)}" if any(meta) else ""
    teaser = " ".join(item.teaser.split())
    return head + (f"\n{escape(truncate(teaser, DIGEST_TEASER_CHARS))}" if teaser else "")


def render_digest(digest: Digest, nonce: str | None = None) -> list[dict[str, Any]]:
    """The digest as messages (each: `embeds`), within Discord's limits: 4,096 characters per
    description, 10 embeds and 6,000 characters per message. Items are never cut in two:
    an item that does not fit starts the next embed. Empty digest: no messages."""
    if not digest.items:
        return []
    about = f" in {escape(digest.category)}" if digest.category else ""
    heading = (f"{len(digest.items)} articles{about}, "
               f"{discord_timestamp(digest.since, 'D')} to {discord_timestamp(digest.until, 'D')}")
    embeds: list[discord.Embed] = []
    for name, items in digest.groups():
        title = escape(name) if name else None
        blocks: list[str] = []
        for block in map(_item_block, items):
            if blocks and sum(len(b) + 2 for b in blocks) + len(block) > DESCRIPTION_LIMIT:
                embeds.append(_embed(title, blocks))
                title, blocks = (f"{escape(name)} (continued)" if name else None), []
            blocks.append(block)
        embeds.append(_embed(title, blocks))
    first = embeds[0]
    first.title = "Digest" + (f": {first.title}" if first.title else "")
    first.description = f"{heading}\n\n{first.description}"
    if len(first.description) > DESCRIPTION_LIMIT:  # the heading pushed it over: split it off
        first.description = first.description[len(heading) + 2:]
        embeds.insert(0, discord.Embed(title="Digest", description=heading, colour=DIGEST_COLOUR))
        first.title = first.title.removeprefix("Digest: ").removeprefix("Digest") or None
    messages: list[list[discord.Embed]] = []
    size = 0
    for embed in embeds:
        if not messages or len(messages[-1]) == EMBEDS_PER_MESSAGE or \
                size + len(embed) > EMBED_TOTAL_LIMIT - FOOTER_ROOM:
            messages.append([])
            size = 0
        messages[-1].append(embed)
        size += len(embed)
    out = []
    for i, group in enumerate(messages):
        if nonce is not None:
            group[-1].set_footer(text=marker(part_nonce(nonce, i)))
        out.append({"content": None, "embeds": group, "allowed_mentions": discord.AllowedMentions.none()})
    return out


def part_nonce(nonce: str, index: int) -> str:
    return f"{nonce}-{index}"


def _embed(title: str | None, blocks: list[str]) -> discord.Embed:
    return discord.Embed(title=title, description="\n\n".join(blocks), colour=DIGEST_COLOUR)
