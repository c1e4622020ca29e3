"""The one place that turns core results into Discord messages.

Discord refuses (400) any message over its limits rather than cutting it, and renders any markdown
or mention it finds in text. So every renderer here escapes what comes from articles and members,
and every embed passes through `fit_embed` (or `split_text` for long text) before it is sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from urllib.parse import quote

import discord

from index.results import Answer, ArticleSummary, Citation, ReindexReport, SearchHit, SearchPage

CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELDS_LIMIT = 25
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10

PASSAGE_CHARS = 700
SNIPPET_CHARS = 300
FRAGMENT_WORDS = 8
ANSWER_COLOUR = discord.Colour.blurple()
NOT_FOUND_COLOUR = discord.Colour.light_grey()

# `<@…>`, `<#…>`, `<t:…>`, `<:emoji:…>`, `</command:…>` render as mentions, links and emoji even
# inside embeds; a zero-width space after `<` leaves them as plain text.
_DISCORD_TAG = re.compile(r"<(?=[@#:/]|a:|t:)")
_ELLIPSIS = "…"


# -- generic helpers ------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Text from an article or a member, shown literally: no markdown, no pings, no tags."""
    text = discord.utils.escape_markdown(text)
    text = discord.utils.escape_mentions(text)
    return _DISCORD_TAG.sub("<\u200b", text)


def _escape_link_text(text: str) -> str:
    return escape(text).replace("[", "\\[").replace("]", "\\]")


def _safe_url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def link(text: str, url: str | None) -> str:
    """A markdown link with escaped text (plain escaped text when there is no URL)."""
    return f"[{_escape_link_text(text)}]({_safe_url(url)})" if url else escape(text)


def truncate(text: str, limit: int) -> str:
    """`text` cut at a word boundary to fit `limit`, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + _ELLIPSIS


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraph, line or word boundaries."""
    if limit < 1:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    text = text.strip()
    while len(text) > limit:
        window = text[: limit + 1]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            at = window.rfind(sep)
            if at > limit // 3:
                cut = at
                break
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].strip()
    if text:
        pieces.append(text)
    return pieces


def discord_timestamp(dt: datetime, style: str = "D") -> str:
    """`<t:unix:style>`: each reader sees the date in their own time zone and language."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return f"<t:{int(dt.timestamp())}:{style}>"


def text_fragment_link(url: str, paragraph: str, words: int = FRAGMENT_WORDS) -> str:
    """`url#:~:text=…`: browsers scroll to and highlight the paragraph's first words."""
    start = " ".join(paragraph.split()[:words]).rstrip(".,;:!?")
    if not start:
        return url
    encoded = quote(start, safe="").replace("-", "%2D")
    return f"{url.split('#', 1)[0]}#:~:text={encoded}"


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Trim an embed in place to Discord's limits; the description shrinks first, then fields go."""
    if embed.title:
        embed.title = truncate(embed.title, TITLE_LIMIT)
    if embed.description:
        embed.description = truncate(embed.description, DESCRIPTION_LIMIT)
    while len(embed.fields) > FIELDS_LIMIT:
        embed.remove_field(FIELDS_LIMIT)
    for i, f in enumerate(embed.fields):
        embed.set_field_at(
            i,
            name=truncate(f.name or "\u200b", FIELD_NAME_LIMIT),
            value=truncate(f.value or "\u200b", FIELD_VALUE_LIMIT),
            inline=f.inline,
        )
    if embed.footer.text:
        embed.set_footer(
            text=truncate(embed.footer.text, FOOTER_LIMIT), icon_url=embed.footer.icon_url
        )
    if embed.author.name:
        embed.set_author(
            name=truncate(embed.author.name, AUTHOR_LIMIT),
            url=embed.author.url,
            icon_url=embed.author.icon_url,
        )
    excess = len(embed) - EMBED_TOTAL_LIMIT
    if excess > 0 and embed.description:
        embed.description = truncate(embed.description, max(1, len(embed.description) - excess))
    while len(embed) > EMBED_TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed


def group_embeds(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds batched into messages: at most 10 per message and 6,000 characters in total."""
    groups: list[list[discord.Embed]] = []
    size = 0
    for embed in embeds:
        fit_embed(embed)
        if (
            not groups
            or len(groups[-1]) == EMBEDS_PER_MESSAGE
            or size + len(embed) > EMBED_TOTAL_LIMIT
        ):
            groups.append([])
            size = 0
        groups[-1].append(embed)
        size += len(embed)
    return groups


def embeds_from_text(
    title: str, text: str, *, colour: discord.Colour | None = None, footer: str | None = None
) -> list[discord.Embed]:
    """A long text as embeds: the first carries the title, the last the footer."""
    pieces = split_text(text, DESCRIPTION_LIMIT) or [""]
    embeds = [discord.Embed(description=piece or None, colour=colour) for piece in pieces]
    embeds[0].title = truncate(title, TITLE_LIMIT)
    if footer:
        embeds[-1].set_footer(text=truncate(footer, FOOTER_LIMIT))
    return [fit_embed(e) for e in embeds]


def _dated(summary: ArticleSummary) -> str:
    parts = [
        f"by {escape(summary.author)}" if summary.author else None,
        discord_timestamp(summary.published) if summary.published else None,
    ]
    return " · ".join(p for p in parts if p)


# -- answers --------------------------------------------------------------------------------------


def highlight_passage(
    paragraph: str, span: tuple[int, int] | None, limit: int = PASSAGE_CHARS,
    focus: tuple[int, int] | None = None,
) -> str:
    """The paragraph quoted and escaped, the answer in bold, trimmed around the answer when long
    (without an answer, around `focus`: the sentence most about the question, not in bold)."""
    text = paragraph
    start, end = span if span and 0 <= span[0] < span[1] <= len(text) else (0, 0)
    if end <= start and focus and 0 <= focus[0] < focus[1] <= len(text):
        centre = (focus[0] + min(focus[1], focus[0] + limit)) // 2
        if len(text) > limit:
            lo = max(0, min(centre - limit // 2, len(text) - limit))
            space = text.find(" ", lo) if lo > 0 else -1
            lo = space + 1 if 0 <= space < lo + 40 else lo
            hi = min(len(text), lo + limit)
            body = (_ELLIPSIS if lo > 0 else "") + escape(text[lo:hi]) + (_ELLIPSIS if hi < len(text) else "")
            return "> " + " ".join(body.split())
    if end - start > limit:
        start = end = 0
    lo, hi = 0, len(text)
    if len(text) > limit:
        centre = (start + end) // 2
        lo = max(0, min(centre - limit // 2, len(text) - limit))
        hi = lo + limit
        if end > start:
            lo, hi = min(lo, start), max(hi, end)
        if lo > 0:
            space = text.find(" ", lo, start if end > start else hi)
            lo = space + 1 if space != -1 else lo
        if hi < len(text):
            space = text.rfind(" ", max(lo, end), hi)
            hi = space if space > max(lo, end) else hi
    if end > start:
        body = (
            escape(text[lo:start])
            + "**"
            + escape(text[start:end].strip())
            + "**"
            + escape(text[end:hi])
        )
    else:
        body = escape(text[lo:hi])
    body = (_ELLIPSIS if lo > 0 else "") + body + (_ELLIPSIS if hi < len(text) else "")
    return "> " + " ".join(body.split())


def citation_block(number: int, citation: Citation) -> str:
    """One cited passage: the article linked to the paragraph itself, who and when, the quote."""
    article = citation.article
    url = text_fragment_link(article.url, citation.paragraph) if article.url else None
    head = f"**{number}. {link(article.title, url)}**"
    meta = _dated(article)
    if citation.kind == "caption":
        meta = " · ".join(filter(None, [meta, "image caption"]))
    lines = [
        head + (f"\n{meta}" if meta else ""),
        highlight_passage(citation.paragraph, citation.answer_span, focus=citation.focus),
    ]
    return "\n".join(lines)


def render_answer(answer: Answer, *, question_id: int | None = None) -> list[discord.Embed]:
    """The short answer on top, then the cited passages; several embeds only when very long."""
    if not answer.found:
        return [render_not_found(answer)]
    short = answer.answer or "No short answer"
    parts = []
    if answer.read_as:
        parts.append(f"-# Read as: {escape(answer.read_as)}")
    if answer.answer is None:
        parts.append("I could not pin down a short answer; these passages look related.")
    if len(short) > TITLE_LIMIT:
        parts.append(escape(short))
        title = "Answer"
    else:
        title = short
    if answer.note:
        parts.append(f"*{escape(answer.note)}*")
    if len(answer.articles) > 1:
        parts.append("\n".join(f"• {link(a.title, a.url)}" + (f" ({_dated(a)})" if _dated(a) else "")
                               for a in answer.articles))
    parts += [citation_block(i, c) for i, c in enumerate(answer.citations, 1)]
    footer = f"Confidence {answer.confidence:.0%}" if answer.answer else "No short answer given"
    if question_id is not None:
        footer += f" · question #{question_id}"
    return embeds_from_text(title, "\n\n".join(parts), colour=ANSWER_COLOUR, footer=footer)


def render_not_found(answer: Answer) -> discord.Embed:
    lines = [escape(answer.note or "The archive does not seem to cover this.")]
    if answer.suggestions:
        lines.append("\n**Nearest articles**")
        lines += [f"• {link(s.title, s.url)}" for s in answer.suggestions[:5]]
    embed = discord.Embed(
        title="Not found in the archive", description="\n".join(lines), colour=NOT_FOUND_COLOUR
    )
    return fit_embed(embed)


def render_more_sources(citations: Sequence[Citation], first_number: int) -> list[discord.Embed]:
    text = "\n\n".join(citation_block(i, c) for i, c in enumerate(citations, first_number))
    return embeds_from_text("More sources", text or "No further passages.", colour=ANSWER_COLOUR)


# -- browsing -------------------------------------------------------------------------------------


def _snippet(hit: SearchHit, limit: int = SNIPPET_CHARS) -> str:
    """The hit's paragraph around its first matched term, the matched terms in bold."""
    text = hit.paragraph
    spans = sorted(hit.highlights)
    lo = 0
    if spans and len(text) > limit:
        lo = max(0, spans[0][0] - limit // 3)
        lo = text.find(" ", lo) + 1 if lo else 0
    hi = min(len(text), lo + limit)
    if hi < len(text):
        cut = text.rfind(" ", lo, hi)
        hi = cut if cut > lo else hi
    out, last = [], lo
    for start, end in spans:
        if start < last or end > hi:
            continue
        out += [escape(text[last:start]), "**", escape(text[start:end]), "**"]
        last = end
    out.append(escape(text[last:hi]))
    body = "".join(out)
    return "> " + " ".join(
        ((_ELLIPSIS if lo else "") + body + (_ELLIPSIS if hi < len(text) else "")).split()
    )


def render_search_page(page: SearchPage, filters: str = "") -> discord.Embed:
    title = f"Search: {page.query}"
    if not page.hits:
        embed = discord.Embed(
            title=title,
            colour=NOT_FOUND_COLOUR,
            description="No passages match"
            + (f" ({escape(filters)})" if filters else "")
            + ". Try fewer or other words.",
        )
        return fit_embed(embed)
    blocks = []
    for number, hit in enumerate(page.hits, 1 + (page.page - 1) * page.per_page):
        article = hit.article
        url = text_fragment_link(article.url, hit.paragraph) if article.url else None
        meta = _dated(article)
        blocks.append(
            f"**{number}. {link(article.title, url)}**"
            + (f"\n{meta}" if meta else "")
            + "\n"
            + _snippet(hit)
        )
    per_block = DESCRIPTION_LIMIT // len(blocks) - 2
    description = "\n\n".join(truncate(b, per_block) for b in blocks)
    embed = discord.Embed(title=title, description=description, colour=ANSWER_COLOUR)
    footer = (
        f"Page {page.page} of {page.pages} · {page.total} article{'' if page.total == 1 else 's'}"
    )
    embed.set_footer(text=footer + (f" · {filters}" if filters else ""))
    return fit_embed(embed)


def render_article(
    summary: ArticleSummary, paragraphs: Iterable[tuple[str, str, str | None]] = ()
) -> discord.Embed:
    """An article card: title linked, teaser, its opening paragraphs, who, when, categories."""
    text = [escape(summary.teaser)] if summary.teaser else []
    body = [p for kind, p, _ in paragraphs if kind == "body"]
    for paragraph in body[:3]:
        if summary.teaser and paragraph.startswith(summary.teaser.rstrip(_ELLIPSIS)):
            continue
        text.append(escape(truncate(paragraph, 900)))
    embed = discord.Embed(
        title=summary.title,
        url=_safe_url(summary.url) if summary.url else None,
        description="\n\n".join(text) or None,
        colour=ANSWER_COLOUR,
    )
    if summary.author:
        embed.add_field(name="Author", value=escape(summary.author))
    embed.add_field(
        name="Published",
        value=discord_timestamp(summary.published) if summary.published else "unknown",
    )
    if summary.categories:
        embed.add_field(name="Categories", value=escape(", ".join(summary.categories)))
    if summary.image and summary.image.startswith(("http://", "https://")):
        embed.set_thumbnail(url=summary.image)
    return fit_embed(embed)


def render_article_list(title: str, summaries: Sequence[ArticleSummary]) -> discord.Embed:
    if not summaries:
        return fit_embed(
            discord.Embed(title=title, description="The archive is empty.", colour=NOT_FOUND_COLOUR)
        )
    lines = []
    for s in summaries:
        when = discord_timestamp(s.published) if s.published else "undated"
        lines.append(
            f"{when} · {link(s.title, s.url)}" + (f" · {escape(s.author)}" if s.author else "")
        )
    return fit_embed(discord.Embed(title=title, description="\n".join(lines), colour=ANSWER_COLOUR))


# -- maintaining ----------------------------------------------------------------------------------


def render_stats(stats: dict) -> discord.Embed:
    embed = discord.Embed(title="Archive statistics", colour=ANSWER_COLOUR)
    for key, value in stats.items():
        if value is None:
            shown = "never"
        elif key == "db_bytes":
            shown = f"{value / 1_000_000:.1f} MB"
        elif key == "last_reindex":
            when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            shown = discord_timestamp(when, "R")
        else:
            shown = escape(str(value))
        embed.add_field(name=key.replace("_", " ").capitalize(), value=shown)
    return fit_embed(embed)


def render_unanswered(rows: Sequence[tuple[str, int, datetime]], days: int) -> discord.Embed:
    title = f"Unanswered questions, last {days} days"
    if not rows:
        return fit_embed(
            discord.Embed(
                title=title,
                description="None: every question found an answer.",
                colour=ANSWER_COLOUR,
            )
        )
    lines = [
        f"`{count}×` {escape(truncate(question, 200))} · {discord_timestamp(last, 'R')}"
        for question, count, last in rows
    ]
    return fit_embed(
        discord.Embed(title=title, description="\n".join(lines), colour=NOT_FOUND_COLOUR)
    )


def render_progress(done: int, total: int, path: str) -> str:
    width = 20
    filled = width * done // total if total else width
    name = path.rsplit("/", 1)[-1] if path else ""
    line = f"Reindexing… `{'█' * filled}{'░' * (width - filled)}` {done}/{total} files"
    return truncate(line + (f"\n{escape(name)}" if name else ""), CONTENT_LIMIT)


def render_reindex_report(report: ReindexReport) -> discord.Embed:
    embed = discord.Embed(
        title="Reindex finished",
        description=escape(report.summary()),
        colour=NOT_FOUND_COLOUR if report.failed else ANSWER_COLOUR,
    )
    if report.failed:
        lines = [
            f"{escape(path.rsplit('/', 1)[-1])}: {escape(reason)}"
            for path, reason in report.failed[:10]
        ]
        more = len(report.failed) - 10
        if more > 0:
            lines.append(f"…and {more} more")
        embed.add_field(name="Skipped files", value="\n".join(lines), inline=False)
    return fit_embed(embed)
