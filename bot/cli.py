"""`archive-bot`: every core capability from a terminal, without Discord.

A thin argparse layer: each subcommand turns its options into one call on `index.archive.Archive`
(or a parser) and prints the result, as text or as JSON with `--json`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.config import ConfigError, Settings
from index.archive import Archive, ReindexBusyError
from index.reindex import ReindexError
from index.results import Answer, ReindexReport, SearchPage
from index.store import StoreError


def _date(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _progress_bar(stream=sys.stderr) -> Callable[[int, int, str], None] | None:
    """A one-line progress bar when stderr is a terminal; nothing otherwise."""
    if not stream.isatty():
        return None

    def show(done: int, total: int, path: str) -> None:
        width = 30
        filled = width * done // total if total else width
        name = Path(path).name[:40] if path else ""
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name:<40}")
        if total and done >= total:
            stream.write("\n")
        stream.flush()

    return show


def open_archive(args: argparse.Namespace, settings: Settings, *, build: bool = True) -> Archive:
    """The archive the options name; built on first use (said on stderr) when `build`."""
    archive = Archive(settings.db_path, list(settings.article_dirs))
    if build and not archive.is_built():
        dirs = ", ".join(str(d) for d in settings.article_dirs)
        print(f"First use: building the index from {dirs} into {settings.db_path} ...", file=sys.stderr)
        report = archive.reindex(progress=_progress_bar())
        print(f"Index built: {report.summary()}", file=sys.stderr)
        _print_failures(report)
    return archive


def _print_failures(report: ReindexReport) -> None:
    for path, reason in report.failed:
        print(f"skipped {path}: {reason}", file=sys.stderr)


def _print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=None, default=str))


# -- commands ---------------------------------------------------------------------------------


def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    archive = Archive(settings.db_path, list(settings.article_dirs))
    report = archive.reindex(full=args.full, progress=_progress_bar())
    _print_failures(report)
    print(report.summary())
    return 0


def cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    from articles.parse import ParseError, parse_file

    try:
        articles = parse_file(Path(args.file))
    except ParseError as exc:
        print(f"archive-bot: {args.file}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"archive-bot: {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if args.json:
        dicts = [a.to_dict() for a in articles]
        _print_json(dicts[0] if len(dicts) == 1 else dicts)
        return 0
    for a in articles:
        captions = sum(p.kind == "caption" for p in a.paragraphs)
        print(a.title)
        print(f"  id: {a.id}\n  url: {a.url or '-'}\n  author: {a.author or '-'}")
        print(f"  published: {a.published.isoformat() if a.published else 'unknown'}")
        print(f"  categories: {', '.join(a.categories) or '-'}")
        print(f"  paragraphs: {len(a.paragraphs)} ({captions} captions)")
        for i, p in enumerate(a.paragraphs):
            credit = f"  [credit: {p.credit}]" if p.credit else ""
            print(f"    {i:>2} {p.kind:<7} {p.text[:90]}{'…' if len(p.text) > 90 else ''}{credit}")
        print(f"  recent posts: {len(a.recent_posts)}")
        for rp in a.recent_posts:
            print(f"    - {rp.title} ({rp.age})")
    return 0


def format_answer(answer: Answer) -> str:
    """Plain-text rendering of an answer (terminal and `archive-bot chat`)."""
    lines = []
    if not answer.found:
        lines.append("Not found in the archive.")
        if answer.note:
            lines.append(answer.note)
        if answer.suggestions:
            lines.append("Nearest articles:")
            lines += [f"  - {s.title}" + (f" <{s.url}>" if s.url else "") for s in answer.suggestions]
        return "\n".join(lines)
    lines.append(answer.answer or "(no short answer; see the passages below)")
    if answer.note:
        lines.append(f"  ({answer.note})")
    for i, c in enumerate(answer.citations, 1):
        a = c.article
        meta = ", ".join(
            filter(None, [a.author, a.published.date().isoformat() if a.published else None])
        )
        lines.append(f"\n[{i}] {a.title}" + (f" — {meta}" if meta else ""))
        if a.url:
            lines.append(f"    {a.url}")
        lines.append(f"    paragraph {c.paragraph_index}, score {c.score:.2f}")
        lines.append(f"    “{c.paragraph}”")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    archive = open_archive(args, settings)
    question = " ".join(args.question)
    answer = archive.ask(question)
    if args.json:
        _print_json(answer.to_json())
    else:
        print(format_answer(answer))
    return 0


def format_search(page: SearchPage) -> str:
    if not page.hits:
        return f"No passages match {page.query!r}."
    lines = [f"{page.total} articles match {page.query!r} (page {page.page}/{page.pages})"]
    for i, hit in enumerate(page.hits, 1 + (page.page - 1) * len(page.hits)):
        text, out, last = hit.paragraph, [], 0
        for start, end in hit.highlights:
            out += [text[last:start], "**", text[start:end], "**"]
            last = end
        out.append(text[last:])
        a = hit.article
        lines.append(f"\n{i}. {a.title}" + (f" — {a.author}" if a.author else ""))
        if a.url:
            lines.append(f"   {a.url}")
        lines.append(f"   {''.join(out)}")
    return "\n".join(lines)


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    archive = open_archive(args, settings)
    page = archive.search(
        " ".join(args.query), author=args.author, category=args.category, since=args.since,
        until=args.until, limit=args.limit, page=args.page,
    )
    if args.json:
        _print_json(page.to_json())
    else:
        print(format_search(page))
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    stats = open_archive(args, settings).stats()
    if args.json:
        _print_json(stats)
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")
    return 0


def cmd_latest(args: argparse.Namespace, settings: Settings) -> int:
    items = open_archive(args, settings).latest(args.n)
    if args.json:
        _print_json([a.to_json() for a in items])
    else:
        for a in items:
            when = a.published.date().isoformat() if a.published else "undated"
            print(f"{when}  {a.title}" + (f" <{a.url}>" if a.url else ""))
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from index.bench import run_bench

    return run_bench(args)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.client import run

    return run(settings)


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.chat import run_chat

    return run_chat(settings, open_archive(args, settings), sys.stdin, sys.stdout)


def cmd_invite(args: argparse.Namespace, settings: Settings) -> int:
    from bot.invite import invite_url

    if not args.application_id:
        print("archive-bot: give the application id: archive-bot invite APPLICATION_ID "
              "(Discord Developer Portal > your application > General Information)", file=sys.stderr)
        return 2
    print(invite_url(args.application_id))
    return 0


# -- wiring -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, help="database file (default: ARCHIVE_DB or the user data folder)")
    common.add_argument("--articles", type=Path, action="append", metavar="DIR",
                        help="article folder (repeatable; default: ARCHIVE_DIRS or the sample archive)")
    parser = argparse.ArgumentParser(
        prog="archive-bot", description="Answer questions from an article archive, in Discord or here."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("reindex", parents=[common], help="bring the index up to date with the folders")
    p.add_argument("--full", action="store_true", help="rebuild from scratch")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("parse", parents=[common], help="show what a file parses to")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("ask", parents=[common], help="answer a question, with cited passages")
    p.add_argument("question", nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("search", parents=[common], help="ranked passages, one per article")
    p.add_argument("query", nargs="+")
    p.add_argument("--author")
    p.add_argument("--category")
    p.add_argument("--since", type=_date)
    p.add_argument("--until", type=_date)
    p.add_argument("--limit", type=int, default=5)
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("latest", parents=[common], help="the newest articles")
    p.add_argument("n", nargs="?", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_latest)

    p = sub.add_parser("stats", parents=[common], help="what the index holds")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("bench", parents=[common], help="measure index speed and memory")
    p.add_argument("--paragraphs", type=int, default=300_000)
    p.add_argument("--queries", type=int, default=2000)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("run", parents=[common], help="run the Discord bot (needs DISCORD_TOKEN)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("chat", parents=[common], help="a terminal session with the bot's commands")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("invite", parents=[common], help="print the bot's invite URL")
    p.add_argument("application_id", nargs="?")
    p.set_defaults(func=cmd_invite)

    try:
        from bot.cli_publishing import add_commands
    except ImportError:
        pass
    else:
        add_commands(sub, common)
    return parser


def settings_for(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    changes = {}
    if getattr(args, "db", None):
        changes["db_path"] = args.db
    if getattr(args, "articles", None):
        for d in args.articles:
            if not d.is_dir():
                raise ReindexError(f"no such folder: {d}")
        changes["article_dirs"] = tuple(args.articles)
    if changes:
        from dataclasses import replace

        settings = replace(settings, **changes)
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args, settings_for(args))
    except ConfigError as exc:
        print(f"archive-bot: configuration error: {exc}", file=sys.stderr)
        return 2
    except (ReindexError, StoreError) as exc:
        print(f"archive-bot: {exc}", file=sys.stderr)
        return 1
    except ReindexBusyError as exc:
        print(f"archive-bot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
