"""`archive-bot`: every core capability from a terminal, without Discord.

A thin argparse layer: each subcommand turns its options into one call on `index.archive.Archive`
(or a parser) and prints the result: coloured on a terminal, plain when piped, JSON with `--json`.
Commands import what they use when they run, so `--help` and `--version` answer at once. Every
failure ends in one line on stderr and one of the exit statuses below, never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.terminal import Block, Output
    from index.archive import Archive
    from index.results import Answer, ReindexReport, SearchPage

PROG = "archive-bot"
EXIT_OK = 0
EXIT_FAILED = 1  # the command could not do its work (database, disk, network, files)
EXIT_USAGE = 2  # a bad command line or setting: nothing was done
EXIT_PARTIAL = 3  # reindex finished, but skipped files it could not read or parse
EXIT_BUG = 70  # an unexpected error: a bug to report (--debug shows the traceback)
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_PIPE = 141  # the reader of the output went away (`| head`): stop quietly, as Unix tools do


_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


class UsageError(Exception):
    """A value the command cannot use, found after parsing (exit status 2)."""


class CommandFailed(Exception):
    """The command could not do its work; the message is the one line to show (exit status 1)."""


# -- option values ----------------------------------------------------------------------------


def _max_results() -> int:
    from index.archive import MAX_RESULTS

    return MAX_RESULTS


def _count(maximum: Callable[[], int] | None = None) -> Callable[[str], int]:
    """A whole number from 1 (to `maximum()`), for argparse: its errors name the option."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {value!r}") from None
        top = maximum() if maximum else None
        if n < 1 or (top is not None and n > top):
            bound = f"between 1 and {top}" if top is not None else "at least 1"
            raise argparse.ArgumentTypeError(f"must be {bound}, got {n}")
        return n

    return parse


def _date(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date: {value!r} (use YYYY-MM-DD, e.g. 2021-05-15)"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _words(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("cannot be empty")
    return value.strip()


def _until(value: str) -> datetime:
    """`--until 2021-05-15` includes that whole day: the bound is the next midnight."""
    parsed = _date(value)
    if "T" in value or ":" in value:
        return parsed
    try:
        return parsed + timedelta(days=1)
    except OverflowError:
        return parsed.replace(hour=23, minute=59, second=59, microsecond=999_999)


# -- output -----------------------------------------------------------------------------------


def _out(args: argparse.Namespace) -> Output:
    from bot.terminal import Output, wants_colour

    return Output(sys.stdout, colour=wants_colour(sys.stdout, getattr(args, "color", "auto")))


def _err(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def _print_json(obj: object) -> None:
    import json

    print(json.dumps(obj, ensure_ascii=False, default=str))


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


def _waiting(db: Path) -> Callable[[], None]:
    def say() -> None:
        _err(f"waiting for another archive-bot writing {db} (a reindex?) to finish; Ctrl-C to stop")

    return say


def _print_failures(report: ReindexReport) -> None:
    for path, reason in report.failed:
        print(f"skipped {path}: {reason}", file=sys.stderr)
    if report.damaged_copy:
        _err(f"the damaged database was moved to {report.damaged_copy}")


def open_archive(args: argparse.Namespace, settings: Settings, *, build: bool = True) -> Archive:
    """The archive the options name, opened read-only; built on first use (said on stderr)."""
    from index.archive import Archive

    archive = Archive(settings.db_path, list(settings.article_dirs), read_only=True)
    if build and not archive.is_built():
        dirs = ", ".join(str(d) for d in settings.article_dirs)
        _err(f"first use: building the index from {dirs} into {settings.db_path} ...")
        report = archive.reindex(progress=_progress_bar(), on_wait=_waiting(settings.db_path))
        _err(f"index built: {report.summary()}")
        _print_failures(report)
    return archive


def _require_articles(archive: Archive, settings: Settings) -> None:
    if archive.store.counts()["articles"] == 0:
        dirs = ", ".join(str(d) for d in settings.article_dirs)
        raise CommandFailed(
            f"the archive has no articles: add article files to {dirs} and run `{PROG} reindex`"
        )


# -- rendering --------------------------------------------------------------------------------


def _dated(author: str | None, published: datetime | None) -> str:
    return ", ".join(filter(None, [author, published.date().isoformat() if published else None]))


def answer_blocks(answer: Answer, *, more: bool = False) -> list[Block]:
    """An answer for the terminal, section by section from the Answer's fields."""
    blocks: list[Block] = []
    for section in (_headline, _note, _citations, _more_citations if more else _more_hint, _suggestions):
        blocks += section(answer)
    return blocks


def _headline(answer: Answer) -> list[Block]:
    from bot.terminal import line

    if not answer.found:
        return [line("Not found in the archive.", "bold yellow")]
    return [line(answer.answer or "No short answer; the passages below say the most about it.",
                 "bold green" if answer.answer else "bold")]


def _note(answer: Answer) -> list[Block]:
    from bot.terminal import line

    return [line(answer.note, "italic", indent=2)] if answer.note else []


def citation_blocks(citations, first: int = 1) -> list[Block]:
    from bot.terminal import Block, highlighted, line

    blocks: list[Block] = []
    for number, c in enumerate(citations, first):
        a = c.article
        head = Block().add(f"\n[{number}] ", "bold").add(a.title, "bold cyan")
        meta = _dated(a.author, a.published)
        if meta:
            head.add(f" — {meta}", "dim")
        blocks.append(head)
        if a.url:
            blocks.append(line(a.url, "dim underline", indent=4))
        where = "image caption" if c.kind == "caption" else f"paragraph {c.paragraph_index}"
        blocks.append(line(f"{where}, score {c.score:.2f}", "dim", indent=4))
        span = [c.answer_span] if c.answer_span else []
        quote = highlighted(c.paragraph, span, "bold green", indent=4)
        quote.spans.insert(0, ("“", None))
        quote.add("”")
        blocks.append(quote)
    return blocks


def _citations(answer: Answer) -> list[Block]:
    return citation_blocks(answer.citations) if answer.found else []


def _more_citations(answer: Answer) -> list[Block]:
    return citation_blocks(answer.more_citations, len(answer.citations) + 1) if answer.found else []


def _more_hint(answer: Answer) -> list[Block]:
    from bot.terminal import line

    n = len(answer.more_citations) if answer.found else 0
    return [line(f"\n{n} more source{'s' if n > 1 else ''}: add --more", "dim")] if n else []


def _suggestions(answer: Answer) -> list[Block]:
    from bot.terminal import line

    if answer.found or not answer.suggestions:
        return []
    blocks = [line("Nearest articles:")]
    for s in answer.suggestions:
        blocks.append(line(f"- {s.title}" + (f" <{s.url}>" if s.url else ""), indent=2))
    return blocks


def format_answer(answer: Answer) -> str:
    """An answer as plain text."""
    return "\n".join(b.plain for b in answer_blocks(answer))


def search_blocks(
    page: SearchPage, why_empty: str | None = None, *, next_hint: str | None = None
) -> list[Block]:
    from bot.terminal import Block, highlighted, line

    if not page.hits:
        return [line(f"No passages match {page.query!r}" + (f": {why_empty}." if why_empty else "."))]
    blocks = [line(f"{page.total} article{'s' if page.total != 1 else ''} match {page.query!r} "
                   f"(page {page.page} of {page.pages})", "bold")]
    first = 1 + (page.page - 1) * page.per_page
    for number, hit in enumerate(page.hits, first):
        a = hit.article
        head = Block().add(f"\n{number}. ", "bold").add(a.title, "bold cyan")
        meta = _dated(a.author, a.published)
        if meta:
            head.add(f" — {meta}", "dim")
        blocks.append(head)
        if a.url:
            blocks.append(line(a.url, "dim underline", indent=3))
        blocks.append(highlighted(hit.paragraph, hit.highlights, "bold yellow", indent=3))
    if page.page < page.pages:
        blocks.append(line(f"\nmore: {next_hint or f'--page {page.page + 1}'}", "dim"))
    return blocks


def format_search(page: SearchPage, why_empty: str | None = None) -> str:
    """A search page as plain text; numbering continues across pages."""
    return "\n".join(b.plain for b in search_blocks(page, why_empty))


def article_line(a) -> Block:
    from bot.terminal import Block

    when = a.published.date().isoformat() if a.published else "undated  "
    block = Block().add(f"{when}  ", "dim").add(a.title, "bold")
    return block.add(f" <{a.url}>", "dim") if a.url else block


# -- commands ---------------------------------------------------------------------------------


def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    from index.archive import Archive

    archive = Archive(settings.db_path, list(settings.article_dirs))
    report = archive.reindex(full=args.full, progress=_progress_bar(), on_wait=_waiting(settings.db_path))
    _print_failures(report)
    print(report.summary())
    if report.failed:
        _err(f"{len(report.failed)} file{'s' if len(report.failed) > 1 else ''} skipped (listed above)")
        return EXIT_PARTIAL
    return EXIT_OK


def cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    from articles.parse import ParseError, parse_file

    try:
        articles = parse_file(Path(args.file))
    except ParseError as exc:
        raise CommandFailed(f"{args.file}: {exc}") from None
    except OSError as exc:
        raise CommandFailed(f"{args.file}: {exc.strerror or exc}") from None
    if args.json:
        dicts = [a.to_dict() for a in articles]
        _print_json(dicts[0] if len(dicts) == 1 else dicts)
        return EXIT_OK
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
    return EXIT_OK


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    question = " ".join(args.question).strip()
    if not question:
        raise UsageError('ask needs a question, e.g. archive-bot ask "When did Zhurong land?"')
    archive = open_archive(args, settings)
    _require_articles(archive, settings)
    answer = archive.ask(question)
    if args.json:
        _print_json(answer.to_json())
    else:
        _out(args).print(answer_blocks(answer, more=args.more))
    return EXIT_OK


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    query = " ".join(args.query).strip()
    if not query:
        raise UsageError("search needs words to look for, e.g. archive-bot search Jezero crater")
    until = args.until
    if args.since and until and args.since >= until:
        raise UsageError(f"--since {args.since.date()} is after --until "
                         f"{(until - timedelta(microseconds=1)).date()}: no article can match both")
    archive = open_archive(args, settings)
    _require_articles(archive, settings)
    filters = dict(author=args.author, category=args.category, since=args.since, until=until)
    page = archive.search(query, limit=args.limit, page=args.page, **filters)
    if page.total and args.page > page.pages:
        raise UsageError(f"--page {args.page}: {query!r} has {page.pages} page"
                         f"{'s' if page.pages > 1 else ''} of {page.per_page} results")
    why = archive.why_no_hits(query, **filters) if not page.hits else None
    if args.json:
        _print_json({**page.to_json(), **({"why_empty": why} if why else {})})
    else:
        _out(args).print(search_blocks(page, why))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    stats = open_archive(args, settings).stats()
    if args.json:
        _print_json(stats)
    else:
        from bot.terminal import Block

        _out(args).print([Block().add(f"{key}: ", "bold").add(str(value)) for key, value in stats.items()])
    return EXIT_OK


def cmd_latest(args: argparse.Namespace, settings: Settings) -> int:
    archive = open_archive(args, settings)
    _require_articles(archive, settings)
    items = archive.latest(args.n)
    if args.json:
        _print_json([a.to_json() for a in items])
    else:
        _out(args).print([article_line(a) for a in items])
    return EXIT_OK


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    if args.startup:
        from bot.startup_bench import run_startup_bench

        return run_startup_bench(runs=args.runs, as_json=args.json)
    from index.bench import run_bench

    return run_bench(args)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.client import run

    return run(settings)


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.chat import run_chat

    archive = open_archive(args, settings)
    if archive.store.counts()["articles"] == 0:
        _err(f"the archive has no articles yet: add files to the article folders and run `{PROG} reindex`")
    return run_chat(settings, archive, sys.stdin, sys.stdout, colour=getattr(args, "color", "auto"))


def cmd_invite(args: argparse.Namespace, settings: Settings) -> int:
    from bot.invite import invite_url

    if not args.application_id:
        raise UsageError("give the application id: archive-bot invite APPLICATION_ID "
                         "(Discord Developer Portal > your application > General Information)")
    try:
        print(invite_url(args.application_id))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK


# -- wiring -----------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (status 2) naming the option, and help text kept as written."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:
        message = message.replace("argument ", "", 1)
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _add_global_options(parser: argparse.ArgumentParser, *, sub: bool) -> None:
    """Options every command takes, before or after the command's name."""
    keep = {"default": argparse.SUPPRESS} if sub else {}
    parser.add_argument("--db", type=Path, metavar="FILE", **keep,
                        help="the SQLite database (default: ARCHIVE_DB, or "
                             "~/.local/share/archive-bot/archive.db); e.g. --db ./archive.db")
    parser.add_argument("--articles", type=Path, action="append", metavar="DIR", **keep,
                        help="an article folder, repeatable (default: ARCHIVE_DIRS, or the bundled "
                             "sample archive); e.g. --articles ~/site/articles")
    parser.add_argument("--color", "--colour", choices=("auto", "always", "never"), **keep,
                        **({} if sub else {"default": "auto"}),
                        help="colour and bold: auto (on a terminal, unless NO_COLOR is set), "
                             "always or never")
    parser.add_argument("--debug", action="store_true", **keep,
                        help="show the full traceback of an unexpected error")


def _json_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Answer questions from a news site's article archive, in Discord or here.",
        epilog=_examples(
            'archive-bot ask "When did Zhurong land?"',
            "archive-bot search Jezero crater --since 2020-01-01",
            "archive-bot --db ./archive.db reindex --articles ./articles",
            "archive-bot chat",
        ) + "\n\nexit status: 0 done, 1 failed, 2 bad command line or setting, "
            "3 reindex skipped files,\n130 interrupted. `archive-bot COMMAND --help` describes each command.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}",
                        help="print the version and exit")
    _add_global_options(parser, sub=False)
    common = argparse.ArgumentParser(add_help=False)
    _add_global_options(common, sub=True)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=_Parser)

    p = sub.add_parser(
        "ask", parents=[common], help="answer a question, with the passages it comes from",
        description="Answer a question from the archive: a short answer, then the cited passages.",
        epilog=_examples('archive-bot ask "When did Zhurong land?"',
                         "archive-bot ask how heavy is the Perseverance rover --more",
                         'archive-bot ask "Who built Tianwen-1?" --json'),
    )
    p.add_argument("question", nargs="+", help="the question, quoted or not")
    p.add_argument("--more", action="store_true", help="also show the further sources")
    _json_option(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser(
        "search", parents=[common], help="ranked passages, the best one per article",
        description="Search the archive: the best passage of each matching article, best first.",
        epilog=_examples("archive-bot search Jezero crater",
                         "archive-bot search landing --page 2 --limit 10",
                         'archive-bot search rover --author "Nancy Atkinson" --since 2021-01-01 '
                         "--until 2021-12-31",
                         "archive-bot search comet --category Comets --json"),
    )
    p.add_argument("query", nargs="+", help="words to look for")
    p.add_argument("--author", type=_words, help="only articles by an author whose name "
                   "contains this, e.g. --author Atkinson")
    p.add_argument("--category", type=_words,
                   help="only articles in this category, e.g. --category Mars")
    p.add_argument("--since", type=_date, metavar="DATE",
                   help="only articles published on or after DATE, e.g. --since 2021-05-01")
    p.add_argument("--until", type=_until, metavar="DATE",
                   help="only articles published up to DATE, that whole day included, "
                        "e.g. --until 2021-05-31")
    p.add_argument("--limit", type=_count(_max_results), default=5, metavar="N",
                   help="articles per page, 1 to 25 (default 5), e.g. --limit 10")
    p.add_argument("--page", type=_count(), default=1, metavar="P",
                   help="which page of results (default 1), e.g. --page 2")
    _json_option(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "latest", parents=[common], help="the newest articles",
        description="The newest articles in the archive, newest first.",
        epilog=_examples("archive-bot latest", "archive-bot latest 10 --json"),
    )
    p.add_argument("n", nargs="?", type=_count(_max_results), default=5, metavar="N",
                   help="how many, 1 to 25 (default 5)")
    _json_option(p)
    p.set_defaults(func=cmd_latest)

    p = sub.add_parser(
        "stats", parents=[common], help="what the index holds",
        description="Articles, paragraphs, questions answered, last reindex, database size.",
        epilog=_examples("archive-bot stats", "archive-bot stats --json"),
    )
    _json_option(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser(
        "reindex", parents=[common], help="bring the index up to date with the article folders",
        description="Bring the index up to date with the article folders: new and changed files\n"
                    "are read, removed ones forgotten, bad ones reported and skipped. Answers keep\n"
                    "coming from the previous index until the new one is complete.",
        epilog=_examples("archive-bot reindex",
                         "archive-bot reindex --articles ~/site/articles --articles ~/site/extra",
                         "archive-bot reindex --full    # rebuild; also repairs a damaged database"),
    )
    p.add_argument("--full", action="store_true",
                   help="rebuild from scratch (a damaged database file is moved aside first)")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser(
        "parse", parents=[common], help="show what a file parses to",
        description="What archive-bot reads in one article file (to see why it answers badly).",
        epilog=_examples("archive-bot parse articles/sample/001_zhurong-lands.txt",
                         "archive-bot parse page.html --json"),
    )
    p.add_argument("file", help="an article file (.txt, .md, .html, .json, .jsonl, .xml, ...)")
    _json_option(p)
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser(
        "chat", parents=[common], help="a terminal session with the bot's commands",
        description="Talk to the archive as in Discord: type a question, or a command such as\n"
                    "/search, /latest, more, clear, help. Arrow keys edit and recall lines.",
        epilog=_examples("archive-bot chat", "echo 'When did Zhurong land?' | archive-bot chat"),
    )
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser(
        "run", parents=[common], help="run the Discord bot (needs DISCORD_TOKEN)",
        description="Run the Discord bot until stopped (Ctrl-C or SIGTERM). Settings come from\n"
                    "the environment or .env (see .env.example).",
        epilog=_examples("DISCORD_TOKEN=... archive-bot run",
                         "archive-bot run --db /var/lib/archive-bot/archive.db"),
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "invite", parents=[common], help="print the bot's invite URL",
        description="The invite link a server admin opens to add the bot, with only the\n"
                    "permissions it uses.",
        epilog=_examples("archive-bot invite 123456789012345678"),
    )
    p.add_argument("application_id", nargs="?",
                   help="Developer Portal > your application > General Information > Application ID")
    p.set_defaults(func=cmd_invite)

    p = sub.add_parser(
        "bench", parents=[common], help="measure speed: the index, or start-up with --startup",
        description="Measure the index (build, query, memory) on a synthetic archive, or with\n"
                    "--startup how long commands take to start in a fresh process.",
        epilog=_examples("archive-bot bench --startup", "archive-bot bench --paragraphs 50000 --json"),
    )
    p.add_argument("--startup", action="store_true",
                   help="time --help, --version and ask in fresh processes instead")
    p.add_argument("--runs", type=_count(), default=7,
                   help="fresh processes per command with --startup (default 7)")
    p.add_argument("--paragraphs", type=int, default=300_000, help="synthetic archive size (default 300000)")
    p.add_argument("--queries", type=int, default=2000, help="queries to time (default 2000)")
    _json_option(p)
    p.set_defaults(func=cmd_bench)

    try:
        from bot.cli_publishing import add_commands
    except ImportError:
        pass
    else:
        add_commands(sub, common)
    return parser


def _version() -> str:
    from bot import __version__

    return __version__


def settings_for(args: argparse.Namespace) -> Settings:
    """Settings from the environment and .env, with the command line's --db and --articles."""
    from dataclasses import replace

    from bot.config import Settings, check_db_path

    settings = Settings.from_env()
    changes: dict = {}
    if getattr(args, "db", None):
        problem = check_db_path(args.db)
        if problem:
            raise UsageError(f"--db: {problem}")
        changes["db_path"] = args.db
        changes["sources"] = {**settings.sources, "ARCHIVE_DB": "--db"}
    if getattr(args, "articles", None):
        for d in args.articles:
            if not d.is_dir():
                raise UsageError(f"--articles: {d} is not a folder")
        changes["article_dirs"] = tuple(args.articles)
    return replace(settings, **changes) if changes else settings


def _about_db(message: str, settings: Settings | None) -> str:
    """Name the setting a database path came from, when it came from one."""
    if settings is None or str(settings.db_path) not in message:
        return message
    source = settings.sources.get("ARCHIVE_DB")
    if source == "--db":
        return f"--db: {message}"
    if source:
        return f"{settings.describe('ARCHIVE_DB')}: {message}"
    return message


def _quiet_stdout() -> None:
    """After the output failed (closed pipe, full disk), send what is left to /dev/null, so the
    interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    # No command does linear algebra; OpenBLAS starting a thread per core costs numpy's import
    # about a third of its time.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    args = None
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as done:  # --help, --version, or a usage error already printed
            return done.code if isinstance(done.code, int) else EXIT_USAGE
        return _run(args)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        _err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_PIPE
    except Exception as exc:
        if args is not None and getattr(args, "debug", False):
            raise
        _err(f"unexpected error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
             "(a bug: please report it; --debug shows where)")
        return EXIT_BUG


def _run(args: argparse.Namespace) -> int:
    import sqlite3

    from bot.config import ConfigError
    from index.schema import StoreError, UnusablePathError, explain

    settings = None
    try:
        settings = settings_for(args)
        status = args.func(args, settings)
        sys.stdout.flush()
        return status
    except (ConfigError, UsageError) as exc:
        _err(str(exc))
        return EXIT_USAGE
    except UnusablePathError as exc:
        _err(_about_db(str(exc), settings))
        return EXIT_USAGE
    except StoreError as exc:
        _err(_about_db(str(exc), settings))
        return EXIT_FAILED
    except sqlite3.Error as exc:
        _err(_about_db(str(explain(exc, settings.db_path if settings else Path("database"))), settings))
        return EXIT_FAILED
    except BrokenPipeError:
        raise
    except OSError as exc:
        if exc.filename is None and exc.errno in _OUTPUT_ERRNOS:  # no file named: the output
            _quiet_stdout()
            _err(f"cannot write the output: {exc.strerror}")
            return EXIT_FAILED
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        _err(f"{where}{exc.strerror or exc}")
        return EXIT_FAILED
    except CommandFailed as exc:
        _err(str(exc))
        return EXIT_FAILED
    except Exception as exc:
        if _known_failure(exc):
            _err(str(exc))
            return EXIT_FAILED
        raise


def _known_failure(exc: Exception) -> bool:
    """A reindex that could not run (folder, busy): only possible once its module is loaded."""
    archive, reindexing = sys.modules.get("index.archive"), sys.modules.get("index.reindex")
    return (archive is not None and isinstance(exc, archive.ReindexBusyError)) or (
        reindexing is not None and isinstance(exc, reindexing.ReindexError)
    )


if __name__ == "__main__":
    sys.exit(main())
