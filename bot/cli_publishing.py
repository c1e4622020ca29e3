"""`archive-bot watch` and `archive-bot digest`: publishing checked from a terminal, no Discord.

`watch` runs the real publisher against a throwaway ledger, with the terminal as the one
subscribed channel, so checking a feed before subscribing a channel changes nothing the bot
remembers. Like the bot, its first read of a feed posts nothing (it shows what it found).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # imported by the commands when they run: `archive-bot --help` stays fast
    from bot.config import Settings
    from index.archive import Archive
    from index.digest import Digest
    from index.ledger import Ledger
    from index.publisher import Notice, PollReport, Post

TERMINAL = 0
PREVIEW = 3


def _when(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def format_post(post: Post) -> str:
    lines = [post.title]
    if post.url:
        lines.append(post.url)
    meta = [post.author, ", ".join(post.categories), _when(post.published) if post.published else None]
    if any(meta):
        lines.append(" · ".join(filter(None, meta)))
    if post.teaser:
        lines.append(post.teaser)
    if post.image:
        lines.append(f"thumbnail: {post.image}")
    return "\n      ".join(lines)


class TerminalSender:
    """The publisher's `Sender` for a terminal: prints what a channel would receive."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.sent: dict[str, int] = {}

    def _record(self, nonce: str) -> int:
        self.sent[nonce] = len(self.sent) + 1
        return self.sent[nonce]

    async def send(self, channel_id: int, message: Post | Notice, nonce: str) -> int:
        from index.publisher import Post

        if isinstance(message, Post):
            print(f"POST  {format_post(message)}", file=self.out)
        else:
            print(f"NOTE  {message.text}", file=self.out)
            for title, url in message.items:
                print(f"      - {title}" + (f" <{url}>" if url else ""), file=self.out)
        return self._record(nonce)

    async def edit(self, channel_id: int, message_id: int, post: Post) -> None:
        print(f"EDIT  {format_post(post)}", file=self.out)

    async def find_by_nonce(self, channel_id: int, nonce: str) -> int | None:
        return self.sent.get(nonce)

    async def crosspost(self, channel_id: int, message_id: int) -> None:
        """A terminal has no followers to publish to."""

    async def send_digest(self, channel_id: int, digest: Digest, nonce: str) -> list[int]:
        from index.digest import format_digest

        print(format_digest(digest, _when), file=self.out)
        return [self._record(nonce)]


def _report(report: PollReport, ledger: Ledger, out: TextIO) -> None:
    from index.publisher import Post

    if report.error:
        print(f"{report.source}: failed: {report.error}", file=out)
    elif report.not_modified:
        print(f"{report.source}: not modified", file=out)
    elif report.primed:
        print(f"{report.source}: first read: {report.primed} articles. A subscribed channel would "
              "get none of these (they are marked seen), only articles that appear later. "
              "The newest would look like:", file=out)
        for item in ledger.latest_items(report.source, PREVIEW):
            print(f"      {format_post(Post.from_json(item.post))}", file=out)
    elif report.new or report.changed:
        print(f"{report.source}: {len(report.new)} new, {len(report.changed)} corrected", file=out)
    else:
        print(f"{report.source}: nothing new", file=out)


def cmd_watch(args: argparse.Namespace, settings: Settings, archive: Archive | None = None) -> int:
    import asyncio

    from index.ledger import Ledger, Subscription
    from index.publisher import Publisher

    feeds = args.feed or list(settings.feeds)
    if not feeds:
        print("archive-bot: no feed to watch: give --feed URL or set FEEDS", file=sys.stderr)
        return 2
    interval = args.interval or settings.feed_interval_seconds
    out = sys.stdout
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(Path(tmp) / "watch.db")
        try:
            publisher = Publisher(ledger, TerminalSender(out), interval_s=interval, timeout=args.timeout,
                                  limit_per_run=settings.posts_per_channel_per_run)
            ledger.subscribe(Subscription(TERMINAL), publisher.now())
            for url in feeds:
                publisher.add_feed(url)
            while True:
                run = asyncio.run(publisher.run_once())
                for report in run.polls:
                    _report(report, ledger, out)
                out.flush()
                if args.once:
                    return 1 if all(r.error for r in run.polls) and run.polls else 0
                due = min(s.next_poll for s in ledger.sources())
                time.sleep(max(1.0, (due - publisher.now()).total_seconds()))
        except KeyboardInterrupt:
            return 0
        finally:
            ledger.close()


def cmd_digest(args: argparse.Namespace, settings: Settings, archive: Archive | None = None) -> int:
    from index.digest import build_digest, format_digest, window

    if archive is None:
        from bot.cli import open_archive

        archive = open_archive(args, settings)
    since, until = window(args.days, datetime.now(UTC))
    digest = build_digest(archive, since, until, args.category)
    if args.json:
        print(json.dumps(digest.to_json(), ensure_ascii=False))
    else:
        print(format_digest(digest, _when))
    return 0


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def add_commands(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `watch` and `digest` to the `archive-bot` command line."""
    p = subparsers.add_parser("watch", parents=[common],
                              help="poll feeds and print what would be posted (changes nothing)")
    p.add_argument("--feed", action="append", metavar="URL", help="feed to poll (repeatable; default: FEEDS)")
    p.add_argument("--once", action="store_true", help="poll once and exit")
    p.add_argument("--interval", type=_positive,
                   help="seconds between polls (default: FEED_INTERVAL_SECONDS)")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a feed (default 20)")
    p.set_defaults(func=cmd_watch)

    p = subparsers.add_parser("digest", parents=[common], help="the digest of recent articles")
    p.add_argument("--days", type=_positive, default=7, help="window in days, up to now (default 7)")
    p.add_argument("--category")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_digest)
