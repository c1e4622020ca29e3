"""`archive-bot chat` on a real archive (and on a real terminal), and the invite URL."""

from __future__ import annotations

import io
import os
from urllib.parse import parse_qs, urlparse

import discord
import pytest

from bot.chat import run_chat
from bot.config import Settings
from bot.invite import invite_url
from index.archive import Archive
from tests.bot.conftest import sample_dirs
from tests.pty_session import PtySession, plain


class Recording(Archive):
    """The real archive, remembering the context each question was asked with."""

    contexts: list[tuple[str, list[str] | None]]

    def ask(self, question: str, *, context: list[str] | None = None):
        self.contexts.append((question, context))
        return super().ask(question, context=context)


def chat(db_copy, lines: str) -> tuple[str, Recording]:
    archive = Recording(db_copy, sample_dirs(), read_only=True)
    archive.contexts = []
    out = io.StringIO()
    try:
        assert run_chat(Settings(db_path=db_copy), archive, io.StringIO(lines), out) == 0
    finally:
        archive.close()
    return out.getvalue(), archive


def test_chat_runs_every_command_and_stops_at_quit(db_copy):
    out, archive = chat(
        db_copy,
        "help\n/stats\n/latest 2\n/search balloon\n/article Veyra\n/digest 3650\n"
        "/latest lots\n/latest 1000\n/nosuch\nquit\n/stats\n",
    )
    assert "/search WORDS" in out
    assert out.count("articles: ") == 1  # `/stats` after `quit` never ran
    assert "The Veyra Balloon Campaign Log, Day by Day" in out
    assert "**" not in out  # highlights are styles on a terminal, not literal markup
    assert "Digest: " in out and "articles from " in out
    assert out.count("latest takes a number from 1 to 25") == 2
    assert "No command /nosuch" in out
    assert archive.contexts == []


def test_a_line_is_a_question_and_a_command_needs_its_slash(db_copy):
    out, archive = chat(db_copy, "latest news about the Mars helicopter?\nsearch Jezero crater\n")
    assert [q for q, _ in archive.contexts] == [
        "latest news about the Mars helicopter?", "search Jezero crater"
    ]
    assert "(asked as a question; for the command type /search Jezero crater)" in out


def test_follow_up_questions_carry_the_conversation_until_clear(db_copy):
    out, archive = chat(
        db_copy, "When did Zhurong land?\nWhere did it land?\nclear\nWhere did it land?\n"
    )
    assert archive.contexts == [
        ("When did Zhurong land?", None),
        ("Where did it land?", ["When did Zhurong land?"]),
        ("Where did it land?", None),
    ]
    first, follow_up, alone = out.split("· question #")[:3]
    assert "May 15, 2021" in first
    assert "Read as: Where did Zhurong land?" in follow_up  # about what the conversation is about
    assert "Zhurong" in follow_up.split("Read as:")[1]
    assert "New conversation" in alone


def test_more_shows_the_further_sources_numbered_after_the_first(db_copy):
    out, _ = chat(db_copy, "more\nWhen did Zhurong land?\nmore\nmore\n")
    assert out.startswith("Ask a question first")
    assert "more sources: type more" in out or "more source: type more" in out
    assert "More sources" in out
    assert "\n4. " in out.split("More sources")[1]  # numbering continues after the cited three
    assert "No further sources for that answer." in out


def test_searches_page_with_numbers_that_continue(db_copy):
    out, _ = chat(db_copy, "next\n/search Mars\nnext\nprevious\n")
    assert out.startswith("Search for something first")
    assert "(page 2 of" in out and out.count("(page 1 of") == 2
    page_two = out.split("(page 2 of")[1]
    assert "\n6. " in page_two


def test_chat_on_a_terminal_edits_lines_and_recalls_history(db_copy, tmp_path):
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    args = ["chat", "--db", str(db_copy), *(a for d in sample_dirs() for a in ("--articles", str(d)))]
    session = PtySession(args, env)
    try:
        session.read_until("archive> ")
        # Typed with a slip, then fixed with the arrow keys: only readline makes this one question.
        session.send("When did Zhurong lnd?" + "\x1b[D" * 3 + "a\r")
        session.read_until(r"May 15, 2021[\s\S]*archive> ")
        assert "\x1b[1m" in session.output  # bold on a terminal
        before = session.output.count("May 15, 2021")
        session.send("\x1b[A\r")  # up arrow: the same question again
        session.read_until(r"archive> [\s\S]*archive> [\s\S]*archive> ")
        assert session.output.count("May 15, 2021") > before
        session.send("\x04")  # Ctrl-D
        assert session.close() == 0
    finally:
        if session.proc.poll() is None:
            session.proc.kill()
    text = plain(session.output)
    assert "^[[" not in text
    assert (tmp_path / "state" / "archive-bot" / "chat_history").read_text().count("Zhurong land?") >= 1


def test_invite_asks_for_exactly_the_permissions_the_bot_uses():
    query = parse_qs(urlparse(invite_url("123456789012345678")).query)
    assert query["client_id"] == ["123456789012345678"]
    assert query["scope"] == ["bot applications.commands"]
    granted = discord.Permissions(int(query["permissions"][0]))  # read_messages = View Channel
    expected = {
        "read_messages",
        "send_messages",
        "send_messages_in_threads",
        "create_public_threads",
        "embed_links",
        "read_message_history",
        "manage_messages",
    }
    assert {name for name, on in granted if on} == expected
    assert not granted.mention_everyone and not granted.administrator


@pytest.mark.parametrize("bad", ["my-bot", "abc", "", "12 34", "-5", str(2**64), "١٢٣"])
def test_invite_refuses_a_malformed_application_id(bad):
    with pytest.raises(ValueError, match="application id"):
        invite_url(bad)
