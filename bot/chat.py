"""`archive-bot chat`: the bot in a terminal, for trying the archive without Discord.

As in Discord, a line is a question and a command starts with `/` (`/search Jezero crater`); a few
one-word commands need no slash (`more`, `next`, `clear`, `help`, `quit`). A question is asked with
the conversation's earlier questions as context, so "and where?" follows on; `clear` starts a new
conversation. Answers go through the Discord renderer (`bot.render`) and are shown as a terminal
shows its markdown. On a terminal, arrow keys edit the line and recall earlier ones (readline),
and the history is kept between sessions.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.cli import article_line, search_blocks
from bot.config import Settings
from bot.terminal import Output, line, wants_colour
from index.archive import Archive
from index.results import Answer
from index.schema import StoreError

HELP = """Type a question (follow-up questions are understood), or a command:
  /ask QUESTION       answer a question, with the passages it comes from
  more                further sources for the last answer
  /search WORDS       ranked passages, one per article; `next` / `previous` turn the page
  /article TITLE      one article (a title, part of one, or a link)
  /latest [N]         the newest articles (1 to 25, default 5)
  /digest [DAYS]      the articles of the last DAYS days (default 7)
  /stats              what the index holds
  clear               start a new conversation (and clear the screen)
  help                this list
  quit                leave (Ctrl-D works too)"""

BARE = {"help", "quit", "exit", "more", "next", "previous", "prev", "clear", "stats", "latest", "digest"}
CONTEXT_QUESTIONS = 2  # earlier questions sent as context with a new one
MAX_DIGEST_DAYS = 3650
_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")


def _discord_time(match: re.Match) -> str:
    try:
        when = datetime.fromtimestamp(int(match.group(1)), UTC)
    except (OverflowError, OSError, ValueError):
        return match.group(0)
    return when.strftime("%Y-%m-%d" if match.group(2) in (None, "d", "D") else "%Y-%m-%d %H:%M UTC")


def show_embeds(out: Output, embeds: Iterable) -> None:
    """Discord embeds as a terminal shows them: the title, the markdown, fields, the footer."""
    for embed in embeds:
        if embed.title:
            out.print(line(_TIMESTAMP.sub(_discord_time, embed.title), "bold"))
        if embed.description:
            out.markdown(_TIMESTAMP.sub(_discord_time, embed.description))
        for f in embed.fields:
            out.print(line(f"{f.name}: {_TIMESTAMP.sub(_discord_time, f.value or '')}"))
        if embed.footer.text:
            out.print(line(embed.footer.text, "dim"))


class ChatSession:
    """One terminal conversation: its questions (the context of the next), the last answer (for
    `more`) and the last search (for paging)."""

    def __init__(self, archive: Archive, out: Output, *, on_clear: Callable[[], None] | None = None) -> None:
        self.archive = archive
        self.out = out
        self.on_clear = on_clear
        self.questions: list[str] = []
        self.last_answer: Answer | None = None
        self.last_search: tuple[str, int, int] | None = None  # query, page, pages
        self.recording = True

    def say(self, text: str, style: str | None = None) -> None:
        self.out.print(line(text.rstrip(), style))

    def handle(self, text: str) -> bool:
        """Run one line; False when the session should end."""
        text = text.strip()
        if not text:
            return True
        slash = text.startswith("/")
        command, _, rest = text.lstrip("/").partition(" ")
        command, rest = command.lower(), rest.strip()
        if command in ("quit", "exit", "q") and (slash or not rest):
            return False
        handler = getattr(self, f"cmd_{command}", None) if (slash or (command in BARE and not rest)) else None
        try:
            if handler is not None:
                handler(rest)
            elif slash:
                self.say(f"No command /{command}: type help for the list.", "yellow")
            else:
                self.cmd_ask(text)
                if command in BARE or hasattr(self, f"cmd_{command}"):
                    self.say(f"(asked as a question; for the command type /{text})", "dim")
        except (StoreError, sqlite3.Error) as exc:
            self.say(f"error: {exc}", "red")
        return True

    def cmd_help(self, rest: str) -> None:
        self.say(HELP)

    def cmd_ask(self, rest: str) -> None:
        if not rest:
            self.say("Ask what? e.g. When did Zhurong land?")
            return
        from bot.render import render_answer

        context = self.questions[-CONTEXT_QUESTIONS:] or None
        answer = self.archive.ask(rest, context=context)
        self.questions.append(rest)
        self.last_answer = answer
        question_id = self._record(rest, answer)
        show_embeds(self.out, render_answer(answer, question_id=question_id))
        if answer.found and answer.more_citations:
            n = len(answer.more_citations)
            self.say(f"{n} more source{'s' if n > 1 else ''}: type more", "dim")

    def _record(self, question: str, answer: Answer) -> int | None:
        if not self.recording:
            return None
        try:
            return self.archive.record_question(question, answer)
        except (StoreError, sqlite3.Error) as exc:
            self.recording = False
            self.say(f"(questions are not being recorded: {exc})", "dim")
            return None

    def cmd_more(self, rest: str) -> None:
        answer = self.last_answer
        if answer is None or not answer.found:
            self.say("Ask a question first; `more` shows further sources for its answer.")
            return
        if not answer.more_citations:
            self.say("No further sources for that answer.")
            return
        from bot.render import render_more_sources

        show_embeds(self.out, render_more_sources(answer.more_citations, len(answer.citations) + 1))
        answer.more_citations = []

    def cmd_clear(self, rest: str) -> None:
        self.questions.clear()
        self.last_answer = None
        self.last_search = None
        if self.on_clear:
            self.on_clear()
        self.say("New conversation: earlier questions are forgotten.", "dim")

    def cmd_search(self, rest: str, page: int = 1) -> None:
        if not rest:
            self.say("Search for what? e.g. /search Jezero crater")
            return
        result = self.archive.search(rest, page=page)
        self.last_search = (rest, result.page, result.pages) if result.hits else None
        why = self.archive.why_no_hits(rest) if not result.hits else None
        self.out.print(search_blocks(result, why, next_hint="next"))

    def _turn(self, step: int) -> None:
        if self.last_search is None:
            self.say("Search for something first, e.g. /search Jezero crater")
            return
        query, page, pages = self.last_search
        if not 1 <= page + step <= pages:
            self.say("That was the last page." if step > 0 else "That was the first page.")
            return
        self.cmd_search(query, page + step)

    def cmd_next(self, rest: str) -> None:
        self._turn(+1)

    def cmd_previous(self, rest: str) -> None:
        self._turn(-1)

    cmd_prev = cmd_previous

    def cmd_article(self, rest: str) -> None:
        if not rest:
            self.say("Which article? e.g. /article Zhurong")
            return
        summary = self.archive.article(rest)
        if summary is None:
            titles = self.archive.titles_matching(rest, 5)
            self.say(f"No article matches {rest!r}." + "".join(f"\n  - {t}" for t in titles))
            return
        when = summary.published.date().isoformat() if summary.published else "undated"
        blocks = [line(summary.title, "bold cyan"),
                  line(f"{summary.author or 'unknown author'}, {when}", indent=2)]
        if summary.categories:
            blocks.append(line(f"categories: {', '.join(summary.categories)}", indent=2))
        if summary.url:
            blocks.append(line(summary.url, "dim underline", indent=2))
        for kind, text, _ in self.archive.article_paragraphs(summary.id):
            blocks.append(line(""))
            blocks.append(line(("[caption] " if kind == "caption" else "") + text, indent=2))
        self.out.print(blocks)

    def cmd_latest(self, rest: str) -> None:
        n = _number(rest, 5, 25)
        if n is None:
            self.say("latest takes a number from 1 to 25, e.g. /latest 10")
            return
        self.out.print([article_line(a) for a in self.archive.latest(n)] or [line("The archive is empty.")])

    def cmd_digest(self, rest: str) -> None:
        days = _number(rest, 7, MAX_DIGEST_DAYS)
        if days is None:
            self.say(f"digest takes a number of days from 1 to {MAX_DIGEST_DAYS}, e.g. /digest 30")
            return
        from index.publishing.digest import build_digest, format_digest, window

        self.say(format_digest(build_digest(self.archive, *window(days, datetime.now(UTC)))))

    def cmd_stats(self, rest: str) -> None:
        self.say("\n".join(f"{key}: {value}" for key, value in self.archive.stats().items()))


def _number(text: str, default: int, maximum: int) -> int | None:
    if not text:
        return default
    try:
        value = int(text.split()[0])
    except ValueError:
        return None
    return value if 1 <= value <= maximum else None


def history_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "archive-bot" / "chat_history"


def _lines_from_terminal(prompt: str) -> Iterator[str]:
    """Lines typed at a terminal, with readline's editing and a history kept between sessions."""
    try:
        import readline
    except ImportError:  # no readline on this platform: plain input still works
        readline = None
    path = history_path()
    if readline is not None:
        readline.set_history_length(1000)
        try:
            readline.read_history_file(path)
        except OSError:
            pass
    try:
        while True:
            try:
                yield input(prompt)
            except KeyboardInterrupt:
                print()
                continue
            except EOFError:
                print()
                return
    finally:
        if readline is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                readline.write_history_file(path)
            except OSError:
                pass


def run_chat(
    settings: Settings, archive: Archive, stdin: TextIO, stdout: TextIO, *, colour: str = "auto"
) -> int:
    """Read lines until `quit` or end of input; 0 on a normal end."""
    out = Output(stdout, colour=wants_colour(stdout, colour))
    session = ChatSession(archive, out, on_clear=out.clear)
    interactive = stdin is sys.stdin and stdout is sys.stdout and stdin.isatty() and stdout.isatty()
    if interactive:
        session.say("archive-bot chat: ask a question, or type help. Ctrl-D leaves.", "dim")
        lines = _lines_from_terminal("archive> ")
    else:
        lines = (raw.rstrip("\n") for raw in iter(stdin.readline, ""))
    with closing(lines):  # a terminal's history is saved when the generator closes
        for text in lines:
            if not session.handle(text):
                break
    return 0
