"""`archive-bot watch` and `archive-bot digest`: publishing checked from a terminal, no Discord.

`watch` runs the real publisher against a throwaway ledger, with the terminal as the one
subscribed channel, so checking a feed before subscribing a channel changes nothing the bot
remembers. Like the bot, its first read of a feed posts nothing (it shows what it found); after
that it prints what changed, and stays quiet while nothing does. A fetch that fails for a
reason that may pass (no answer, a timeout, a server error) is retried with backoff before it
is reported, in one line.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # imported by the commands when they run: `archive-bot --help` stays fast
    from articles.sources import FeedFetch
    from bot.config import Settings
    from index.archive import Archive
    from index.publishing.digest import Digest
    from index.publishing.ledger import Ledger
    from index.publishing.polling import Change, PollReport
    from index.publishing.posts import Notice, Post
    from index.publishing.publisher import Publisher

TERMINAL = 0
PREVIEW = 3
MAX_DAYS = 36_500  # a hundred years: any archive fits
RETRY_FIRST_DELAY = 1.0


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

    async def send_post(self, channel_id: int, post: Post, nonce: str) -> int:
        print(f"POST  {format_post(post)}", file=self.out)
        return self._record(nonce)

    async def send_notice(self, channel_id: int, notice: Notice, nonce: str) -> list[int]:
        print(f"NOTE  {notice.text}", file=self.out)
        for feed in notice.feeds:
            span = (f", {feed.oldest:%Y-%m-%d} to {feed.newest:%Y-%m-%d}"
                    if feed.oldest and feed.newest else "")
            print(f"      {feed.feed}: {feed.count} articles{span}", file=self.out)
        for item in notice.items:
            print(f"      - {item.title}" + (f" <{item.url}>" if item.url else ""), file=self.out)
        return [self._record(nonce)]

    async def edit_post(self, channel_id: int, message_id: int, post: Post) -> None:
        print(f"EDIT  {format_post(post)}", file=self.out)

    async def find_by_nonce(self, channel_id: int, nonce: str) -> int | None:
        return self.sent.get(nonce)

    async def crosspost(self, channel_id: int, message_id: int) -> None:
        """A terminal has no followers to publish to."""

    async def send_digest(self, channel_id: int, digest: Digest, nonce: str) -> list[int]:
        from index.publishing.digest import format_digest

        print(format_digest(digest, _when), file=self.out)
        return [self._record(nonce)]


def transient(fetched: FeedFetch) -> bool:
    """A failure that may pass: no answer at all, a timeout, too many requests, a server error."""
    return not fetched.ok and (fetched.status is None or fetched.status == 429 or fetched.status >= 500)


def retrying(retries: int, first_delay: float = RETRY_FIRST_DELAY):
    """`fetch_feed`, trying again after 1 s, 2 s, 4 s ... when a failure may pass; the error
    of the last try says how many were made."""
    from articles.sources import fetch_feed

    def fetch(url: str, **kwargs) -> FeedFetch:
        delay = first_delay
        for attempt in range(retries + 1):
            fetched = fetch_feed(url, **kwargs)
            if not transient(fetched) or attempt == retries:
                break
            time.sleep(delay)
            delay *= 2
        if transient(fetched) and retries:
            fetched.error = f"{fetched.error} (tried {retries + 1} times)"
        return fetched
    return fetch


def _describe_change(change: Change) -> str:
    shown = [f for f in change.fields if f != "text"]
    if "title" in change.fields:
        what = f"corrected: title was “{change.was}”" + (
            f"; {', '.join(f for f in shown if f != 'title')} changed too" if len(shown) > 1 else "")
    elif change.corrected:
        what = f"corrected: {', '.join(shown)} changed"
    elif shown:
        what = f"{', '.join(shown)} changed (posts are not edited for that)"
    else:
        what = "text changed (the archive has the new text; the post looks the same)"
    return f"      “{change.title}”: {what}"


class WatchPrinter:
    """What `watch` prints after each poll: what changed, and a failing feed once per outage."""

    def __init__(self, ledger: Ledger, out: TextIO, err: TextIO, *, once: bool) -> None:
        self.ledger = ledger
        self.out = out
        self.err = err
        self.once = once
        self.failing: set[str] = set()

    def report(self, report: PollReport) -> None:
        from index.publishing.posts import Post

        out = self.out
        state = self.ledger.feeds.source(report.source)
        name = state.name if state else report.source
        label = f"{name} <{report.source}>" if name != report.source else report.source
        if report.error:
            if report.source not in self.failing:
                self.failing.add(report.source)
                again = "" if self.once else f"; trying again at {_when(report.next_poll)}"
                print(f"archive-bot: cannot read {report.source}: {report.error}{again}", file=self.err)
            return
        if report.source in self.failing:
            self.failing.discard(report.source)
            print(f"{label}: works again", file=out)
        if report.primed:
            print(f"{label}: first read: {report.primed} articles. A subscribed channel would "
                  "get none of these (they are marked seen), only articles that appear later. "
                  "The newest would look like:", file=out)
            for item in self.ledger.feeds.latest_items(report.source, PREVIEW):
                print(f"      {format_post(Post.from_json(item.post))}", file=out)
        elif report.new or report.changed:
            parts = [f"{len(report.new)} new" if report.new else "",
                     f"{len(report.changed)} changed" if report.changed else ""]
            print(f"{label}: {', '.join(filter(None, parts))}", file=out)
            for change in report.changed:
                print(_describe_change(change), file=out)
        elif self.once:
            print(f"{label}: nothing new", file=out)


async def _watch(publisher: Publisher, printer: WatchPrinter, *, once: bool, count: int | None) -> int:
    import asyncio

    rounds = 0
    while True:
        polls = await publisher.poll_due()
        for report in polls:
            printer.report(report)
        await publisher.deliver()
        printer.out.flush()
        rounds += bool(polls)
        if once:
            return 1 if polls and all(r.error for r in polls) else 0
        if count is not None and rounds >= count:
            return 0
        due = await publisher.next_due()
        await asyncio.sleep(max(0.01, (due - publisher.now()).total_seconds()) if due else 1.0)


def cmd_watch(args: argparse.Namespace, settings: Settings, archive: Archive | None = None) -> int:
    import asyncio

    from bot.cli import UsageError
    from index.publishing.deliveries import Subscription
    from index.publishing.ledger import Ledger
    from index.publishing.polling import FeedRefused, check_feed_url
    from index.publishing.publisher import Publisher

    feeds = args.feed or list(settings.feeds)
    if not feeds:
        raise UsageError("no feed to watch: give --feed URL or set FEEDS")
    try:
        feeds = [check_feed_url(url) for url in feeds]
    except FeedRefused as exc:
        raise UsageError(f"--feed: {exc}") from None
    if args.once and args.count:
        raise UsageError("--once and --count cannot go together (--once is --count 1 that also "
                         "reports unchanged feeds)")
    interval = args.interval or settings.feed_interval_seconds
    out = sys.stdout
    if not logging.getLogger().handlers:  # the publisher's log lines would repeat what is printed
        logging.getLogger("index.publishing").addHandler(logging.NullHandler())
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(Path(tmp) / "watch.db")
        try:
            publisher = Publisher(ledger, TerminalSender(out), interval_s=interval, timeout=args.timeout,
                                  min_interval_s=min(interval, settings.feed_min_interval_seconds),
                                  limit_per_run=settings.posts_per_channel_per_run,
                                  fetch=retrying(args.retries))
            ledger.deliveries.subscribe(Subscription(TERMINAL), publisher.now())
            for url in feeds:
                publisher.register_feed(url)
            if not args.once:
                print(f"Watching {len(feeds)} feed{'s' if len(feeds) != 1 else ''}, read every "
                      f"{interval:g} s; new articles and corrections are printed as they come "
                      "(Ctrl-C stops).", file=sys.stderr)
            printer = WatchPrinter(ledger, out, sys.stderr, once=args.once)
            return asyncio.run(_watch(publisher, printer, once=args.once, count=args.count))
        except KeyboardInterrupt:
            return 0
        finally:
            ledger.close()


def cmd_digest(args: argparse.Namespace, settings: Settings, archive: Archive | None = None) -> int:
    from index.publishing.digest import build_digest, format_digest, window

    if archive is None:
        from bot.cli import open_archive

        archive = open_archive(args, settings)
    now = datetime.now(UTC)
    since, until = window(args.days, now)
    digest = build_digest(archive, since, until, args.category)
    if args.json:
        print(json.dumps(digest.to_json(), ensure_ascii=False))
    elif digest.items:
        print(format_digest(digest, _when))
    else:
        about = f" in {args.category}" if args.category else ""
        print(f"No articles{about} were published in the last {args.days} day{'s' if args.days != 1 else ''} "
              f"(since {since:%Y-%m-%d}).")
        print(_newest_hint(archive, now, args.category))
    return 0


def _newest_hint(archive: Archive, now: datetime, category: str | None) -> str:
    """How far back the newest article is, and the window that would include it."""
    if category:
        dated = archive.published_between(now - timedelta(days=MAX_DAYS), now, category)
    else:
        dated = [a for a in archive.latest(1) if a.published]
    if not dated:
        about = f" in {category}" if category else ""
        return f"The archive has no dated articles{about}."
    newest = dated[0]
    age = (now - newest.published) / timedelta(days=1)
    ago = {0: "today", 1: "yesterday"}.get(int(age), f"{int(age)} days ago")
    days = min(MAX_DAYS, max(1, math.ceil(age)))
    flags = f" --category {json.dumps(category)}" if category else ""
    return (f"The newest{' ' + category if category else ''} article, “{newest.title}”, was published "
            f"{newest.published:%Y-%m-%d} ({ago}): `archive-bot digest --days {days}{flags}` includes it.")


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _days(value: str) -> int:
    n = _positive(value)
    if n > MAX_DAYS:
        raise argparse.ArgumentTypeError(f"at most {MAX_DAYS} (a hundred years), got {n}")
    return n


def _seconds(value: str) -> float:
    try:
        n = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not math.isfinite(n) or n <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {value}")
    return n


def _retries(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 0 <= n <= 10:
        raise argparse.ArgumentTypeError(f"must be between 0 and 10, got {n}")
    return n


def add_commands(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `watch` and `digest` to the `archive-bot` command line."""
    p = subparsers.add_parser(
        "watch", parents=[common], help="poll feeds and print what would be posted (changes nothing)",
        epilog="examples:\n  archive-bot watch --feed https://example.org/feed.xml --once\n"
               "  archive-bot watch --interval 60",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--feed", action="append", metavar="URL", help="feed to poll (repeatable; default: FEEDS)")
    p.add_argument("--once", action="store_true",
                   help="poll once and exit (status 1 when no feed could be read)")
    p.add_argument("--count", type=_positive, metavar="N", help="stop after N rounds of polls")
    p.add_argument("--interval", type=_seconds,
                   help="seconds between polls of each feed (default: FEED_INTERVAL_SECONDS)")
    p.add_argument("--timeout", type=_seconds, default=20.0, help="seconds to wait for a feed (default 20)")
    p.add_argument("--retries", type=_retries, default=3,
                   help="tries again after 1, 2, 4 ... s when a feed does not answer or fails on its "
                        "side, before saying so (default 3)")
    p.set_defaults(func=cmd_watch)

    p = subparsers.add_parser(
        "digest", parents=[common], help="the digest of recent articles",
        epilog="examples:\n  archive-bot digest --days 7\n"
               "  archive-bot digest --days 30 --category Mars --json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--days", type=_days, default=7,
                   help=f"window in days, up to now (default 7, at most {MAX_DAYS})")
    p.add_argument("--category", help="only articles in this category")
    p.add_argument("--json", action="store_true", help='print {"since", "until", "items": [...]}')
    p.set_defaults(func=cmd_digest)
