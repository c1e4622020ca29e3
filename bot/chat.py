"""`archive-bot chat`: the bot's commands in a terminal, for trying the archive without Discord.

Same core calls as the Discord cogs, rendered as plain text. A line that is not a command is
taken as a question.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TextIO

from bot.cli import format_answer, format_search
from bot.config import Settings
from index.archive import Archive
from index.publishing.digest import build_digest, format_digest, window
from index.results import ArticleSummary

HELP = """Commands:
  ask QUESTION        answer a question, with the passages it comes from (or just type it)
  search WORDS        ranked passages, one per article; `next` / `previous` turn the page
  article TITLE       one article (a title, part of one, or a link)
  latest [N]          the newest articles
  digest [DAYS]       the articles of the last DAYS days (default 7)
  stats               what the index holds
  help                this list
  quit                leave (Ctrl-D works too)"""


class ChatSession:
    """One terminal conversation; remembers the last search for paging."""

    def __init__(self, archive: Archive, out: TextIO) -> None:
        self.archive = archive
        self.out = out
        self.last_search: tuple[str, int, int] | None = None  # query, page, pages

    def say(self, text: str) -> None:
        self.out.write(text.rstrip() + "\n")
        self.out.flush()

    def handle(self, line: str) -> bool:
        """Run one line; False when the session should end."""
        line = line.strip()
        if not line:
            return True
        command, _, rest = line.partition(" ")
        command, rest = command.lower(), rest.strip()
        if command in ("quit", "exit", "q"):
            return False
        handler = getattr(self, f"cmd_{command}", None)
        if handler is None:
            self.cmd_ask(line)
        else:
            handler(rest)
        return True

    def cmd_help(self, rest: str) -> None:
        self.say(HELP)

    def cmd_ask(self, rest: str) -> None:
        if not rest:
            self.say("Ask what? e.g. ask When did Zhurong land?")
            return
        answer = self.archive.ask(rest)
        self.archive.record_question(rest, answer)
        self.say(format_answer(answer))

    def cmd_search(self, rest: str, page: int = 1) -> None:
        if not rest:
            self.say("Search for what? e.g. search Jezero crater")
            return
        result = self.archive.search(rest, page=page)
        self.last_search = (rest, result.page, result.pages) if result.hits else None
        self.say(format_search(result))

    def _turn(self, step: int) -> None:
        if self.last_search is None:
            self.say("Search for something first.")
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

    def cmd_article(self, rest: str) -> None:
        summary = self.archive.article(rest) if rest else None
        if summary is None:
            titles = self.archive.titles_matching(rest, 5) if rest else []
            self.say(f"No article matches {rest!r}." + "".join(f"\n  - {t}" for t in titles))
            return
        when = summary.published.date().isoformat() if summary.published else "undated"
        lines = [summary.title, f"  {summary.author or 'unknown author'}, {when}"]
        if summary.categories:
            lines.append(f"  categories: {', '.join(summary.categories)}")
        if summary.url:
            lines.append(f"  {summary.url}")
        for kind, text, _ in self.archive.article_paragraphs(summary.id):
            lines.append(("\n  [caption] " if kind == "caption" else "\n  ") + text)
        self.say("\n".join(lines))

    def cmd_latest(self, rest: str) -> None:
        n = _number(rest, 5)
        if n is None:
            self.say("latest takes a number, e.g. latest 10")
            return
        items = self.archive.latest(n)
        self.say("\n".join(_article_line(a) for a in items) or "The archive is empty.")

    def cmd_digest(self, rest: str) -> None:
        days = _number(rest, 7)
        if days is None:
            self.say("digest takes a number of days, e.g. digest 7")
            return
        self.say(format_digest(build_digest(self.archive, *window(days, datetime.now(UTC)))))

    def cmd_stats(self, rest: str) -> None:
        self.say("\n".join(f"{key}: {value}" for key, value in self.archive.stats().items()))


def _number(text: str, default: int) -> int | None:
    if not text:
        return default
    try:
        value = int(text.split()[0])
    except ValueError:
        return None
    return value if value > 0 else None


def _article_line(a: ArticleSummary) -> str:
    when = a.published.date().isoformat() if a.published else "undated"
    return f"{when}  {a.title}" + (f" <{a.url}>" if a.url else "")


def run_chat(settings: Settings, archive: Archive, stdin: TextIO, stdout: TextIO) -> int:
    """Read commands until `quit` or end of input; 0 on a normal end."""
    session = ChatSession(archive, stdout)
    interactive = stdin.isatty()
    if interactive:
        session.say("archive-bot chat: type a question, or `help`.")
    while True:
        if interactive:
            stdout.write("archive> ")
            stdout.flush()
        line = stdin.readline()
        if not line or not session.handle(line):
            return 0
