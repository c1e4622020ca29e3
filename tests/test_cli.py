"""`archive-bot` from a terminal: the commands maintainers and members run, with odd values too.

Every failure must end in one line on stderr and its documented exit status, never a traceback.
Cases that need a real process (a closed pipe, a full disk, a terminal, a held lock) run one.
"""

from __future__ import annotations

import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot import cli
from bot.cli import EXIT_FAILED, EXIT_PARTIAL, EXIT_PIPE, EXIT_USAGE, main
from index.archive import Archive
from tests.index.conftest import write_article
from tests.permissions import run_python
from tests.pty_session import run_on_pty

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "articles" / "sample"
SEED = ROOT.parent / "shared" / "seeds" / "000_a920af7043c4b0ba.txt"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith(("ARCHIVE_", "DISCORD_", "FEED", "ASK_", "NO_COLOR")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("sample") / "archive.db"
    Archive(db, [SAMPLE]).reindex()
    return db


@pytest.fixture
def sample(sample_db, tmp_path) -> Path:
    """A copy of the indexed sample archive, for the test to use or break."""
    target = tmp_path / "sample.db"
    shutil.copy(sample_db, target)
    return target


@pytest.fixture
def small_archive(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "a.txt", "Rover reaches the crater rim",
                  ["The rover climbed 300 meters to reach the rim of Jezero crater on March 3, 2023.",
                   "Scientists cheered the view of ancient river deltas."],
                  url="https://news.example/rover-rim", published="2023-03-05T10:00:00+00:00")
    write_article(folder, "b.txt", "Comet flyby delights observers",
                  ["Amateur astronomers photographed the green comet passing Earth in February."],
                  published="2023-02-02T10:00:00+00:00", author="Ben Ortiz")
    return folder


def one_line(err: str) -> str:
    """The single line a failure prints, checked to be the only one and no traceback."""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("archive-bot")
    return lines[0]


def run_cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, **(env or {})}, **kwargs,
    )


# -- parsing and reindexing -----------------------------------------------------------------------


@pytest.mark.skipif(not SEED.exists(), reason="example article not present")
def test_parse_json_of_the_example_article(capsys):
    assert main(["parse", str(SEED), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["categories"] == ["China", "Mars"]
    assert out["author"] == "Nancy Atkinson"
    assert len(out["paragraphs"]) == 13
    assert sum(p["kind"] == "caption" for p in out["paragraphs"]) == 5
    assert all(p["credit"] for p in out["paragraphs"] if p["kind"] == "caption")
    assert not any("has been with" in p["text"] for p in out["paragraphs"])
    assert [p["age"] for p in out["recent_posts"]][:2] == ["17 hours ago", "18 hours ago"]
    assert len(out["recent_posts"]) == 6
    assert {"title", "url", "published"} <= set(out)


def test_parse_of_a_bad_or_missing_file_says_why_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert main(["parse", str(bad)]) == EXIT_FAILED
    assert "bad.txt" in one_line(capsys.readouterr().err)
    assert main(["parse", str(tmp_path)]) == EXIT_FAILED
    assert str(tmp_path) in one_line(capsys.readouterr().err)


def test_reindex_prints_a_one_line_summary(small_archive, tmp_path, capsys):
    assert main(["reindex", "--articles", str(small_archive), "--db", str(tmp_path / "a.db")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("added 2, updated 0, removed 0, unchanged 0, failed 0")


def test_reindex_with_bad_files_lists_them_and_exits_3(small_archive, tmp_path, capsys):
    (small_archive / "empty.txt").write_bytes(b"")
    assert main(["reindex", "--articles", str(small_archive), "--db", str(tmp_path / "a.db")]) == EXIT_PARTIAL
    captured = capsys.readouterr()
    assert captured.out.startswith("added 2,") and "failed 1" in captured.out
    assert "skipped " in captured.err and "empty.txt" in captured.err


def test_reindex_of_a_missing_folder_is_a_usage_error(tmp_path, capsys):
    argv = ["reindex", "--articles", str(tmp_path / "nope"), "--db", str(tmp_path / "a.db")]
    assert main(argv) == EXIT_USAGE
    assert "--articles: " in one_line(capsys.readouterr().err)


def test_a_database_path_inside_a_file_is_a_usage_error_naming_db(small_archive, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["reindex", "--articles", str(small_archive), "--db", str(blocker / "a.db")]) == EXIT_USAGE
    assert one_line(capsys.readouterr().err).startswith("archive-bot: --db: ")


def test_an_unusable_archive_db_setting_is_named(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ARCHIVE_DB", str(tmp_path))
    assert main(["stats"]) == EXIT_USAGE
    assert "ARCHIVE_DB (set in the environment)" in one_line(capsys.readouterr().err)
    bad = tmp_path / "archive.db"
    bad.write_bytes(b"not a database " * 100)
    monkeypatch.setenv("ARCHIVE_DB", str(bad))
    assert main(["stats"]) == EXIT_FAILED
    line = one_line(capsys.readouterr().err)
    assert line.startswith("archive-bot: ARCHIVE_DB (set in the environment): ") and "reindex --full" in line


def test_an_unreadable_folder_stops_reindex_in_one_line_and_keeps_the_index(small_archive, tmp_path):
    db = tmp_path / "a.db"
    assert main(["reindex", "--articles", str(small_archive), "--db", str(db)]) == 0
    locked = small_archive / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        result = run_python(
            f"import sys; from bot.cli import main; "
            f"sys.exit(main(['reindex', '--articles', {str(small_archive)!r}, '--db', {str(db)!r}]))",
            cwd=ROOT,
        )
    finally:
        locked.chmod(0o755)
    assert result.returncode == EXIT_FAILED
    assert "cannot list" in one_line(result.stderr) and "nothing was changed" in result.stderr
    assert Archive(db, [small_archive], read_only=True).stats()["articles"] == 2


def test_a_full_disk_during_reindex_is_one_line_and_the_index_stays(small_archive, tmp_path):
    db = tmp_path / "a.db"
    assert main(["reindex", "--articles", str(small_archive), "--db", str(db)]) == 0
    for i in range(150):
        write_article(small_archive, f"new{i:03}.txt", f"New story {i}", [f"Lander {i} touched down."] * 20)
    size = db.stat().st_size

    def no_room() -> None:  # the file system refuses to let the database grow further
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 64 * 1024, size + 64 * 1024))

    result = run_cli("reindex", "--articles", str(small_archive), "--db", str(db), preexec_fn=no_room)
    assert result.returncode == EXIT_FAILED
    line = one_line(result.stderr)
    assert "disk" in line and str(db) in line
    assert Archive(db, [small_archive], read_only=True).stats()["articles"] == 2


# -- damaged and busy databases -------------------------------------------------------------------


def test_a_damaged_database_says_how_to_recover_and_reindex_full_does_it(small_archive, tmp_path, capsys):
    db = tmp_path / "a.db"
    db.write_bytes(b"\x00garbage, not SQLite " * 300)
    assert main(["ask", "--db", str(db), "--articles", str(small_archive), "When?"]) == EXIT_FAILED
    assert "reindex --full" in one_line(capsys.readouterr().err)
    assert main(["reindex", "--db", str(db), "--articles", str(small_archive)]) == EXIT_FAILED
    assert "reindex --full" in one_line(capsys.readouterr().err)
    assert main(["reindex", "--full", "--db", str(db), "--articles", str(small_archive)]) == 0
    captured = capsys.readouterr()
    assert "the damaged database was moved to" in captured.err and "added 2" in captured.out
    [aside] = tmp_path.glob("a.db.damaged-*")
    assert aside.read_bytes().startswith(b"\x00garbage")
    assert main(["latest", "--db", str(db), "--articles", str(small_archive)]) == 0


def test_ask_answers_while_another_process_holds_the_write_lock(sample, capsys):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from index.store import Store
            store = Store({str(sample)!r})
            with store.transaction():
                store.set_meta("holding", "yes")
                print("holding", flush=True)
                sys.stdin.read()
        """)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        assert main(["ask", "--db", str(sample), "When did Zhurong land?"]) == 0
        assert "May 15, 2021" in capsys.readouterr().out
        assert main(["stats", "--db", str(sample), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["articles"] == 34
    finally:
        holder.communicate("")


def test_a_second_reindex_says_it_waits_for_the_first(sample, tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from index.store import Store
            store = Store({str(sample)!r})
            with store.transaction():
                print("holding", flush=True)
                sys.stdin.readline()
        """)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    second = None
    try:
        assert holder.stdout.readline().strip() == "holding"
        second = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "reindex", "--db", str(sample), "--articles", str(SAMPLE)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        waiting = second.stderr.readline()
        assert waiting.startswith("archive-bot: waiting for another archive-bot writing")
        holder.stdin.write("done\n")
        holder.stdin.flush()
        out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err
        assert out.startswith("added 0, updated 0, removed 0, unchanged 34")
    finally:
        holder.kill()
        holder.wait()
        if second is not None and second.poll() is None:
            second.kill()


def test_readers_work_on_a_database_they_may_not_write(sample, tmp_path):
    home = tmp_path / "ro"
    home.mkdir()
    db = home / "archive.db"
    shutil.copy(sample, db)
    db.chmod(0o444)
    home.chmod(0o555)
    try:
        result = run_python(
            "import sys; from bot.cli import main; "
            f"sys.exit(main(['ask', '--db', {str(db)!r}, 'When did Zhurong land?']) "
            f"or main(['latest', '2', '--db', {str(db)!r}]) or main(['stats', '--db', {str(db)!r}]))",
            cwd=ROOT,
        )
    finally:
        home.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert "May 15, 2021" in result.stdout and "articles: 34" in result.stdout


def test_reindex_into_a_read_only_database_is_one_line(sample, small_archive, tmp_path):
    home = tmp_path / "ro"
    home.mkdir()
    db = home / "archive.db"
    shutil.copy(sample, db)
    db.chmod(0o444)
    home.chmod(0o555)
    try:
        result = run_python(
            "import sys; from bot.cli import main; "
            f"sys.exit(main(['reindex', '--db', {str(db)!r}, '--articles', {str(small_archive)!r}]))",
            cwd=ROOT,
        )
    finally:
        home.chmod(0o755)
    assert result.returncode == EXIT_FAILED
    assert "read-only" in one_line(result.stderr)


# -- asking, searching, listing -------------------------------------------------------------------


def test_first_use_builds_the_index_and_says_so(small_archive, tmp_path, capsys):
    db = str(tmp_path / "fresh.db")
    assert main(["latest", "--articles", str(small_archive), "--db", db]) == 0
    captured = capsys.readouterr()
    assert "first use: building the index" in captured.err
    assert captured.out.splitlines()[0].startswith("2023-03-05  Rover reaches the crater rim")


def test_global_options_go_before_or_after_the_command(sample, capsys):
    for argv in (["--db", str(sample), "latest", "1"], ["latest", "1", "--db", str(sample)],
                 ["--color", "never", "latest", "--db", str(sample), "1"]):
        assert main(argv) == 0
        assert len(capsys.readouterr().out.splitlines()) == 1


def test_search_json_filters_by_author(small_archive, tmp_path, capsys):
    db = str(tmp_path / "a.db")
    main(["reindex", "--articles", str(small_archive), "--db", db])
    capsys.readouterr()
    assert main(["search", "comet", "crater", "--author", "Ortiz", "--db", db, "--json"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert [h["title"] for h in page["hits"]] == ["Comet flyby delights observers"]
    hit = page["hits"][0]
    assert [hit["paragraph"][s:e] for s, e in hit["highlights"]] == ["comet"]


def test_search_numbers_continue_on_the_last_page(sample, capsys):
    assert main(["search", "landing", "--page", "4", "--db", str(sample)]) == 0
    out = capsys.readouterr().out
    assert "(page 4 of 4)" in out
    numbers = [int(x.split(".")[0]) for x in out.splitlines() if x[:1].isdigit() and ". " in x]
    assert numbers[0] == 16 and "**" not in out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["search", "rover", "--limit", "0"], "--limit: must be between 1 and 25, got 0"),
        (["search", "rover", "--limit", "-1"], "--limit: must be between 1 and 25, got -1"),
        (["search", "rover", "--limit", "26"], "--limit: must be between 1 and 25, got 26"),
        (["search", "rover", "--page", "0"], "--page: must be at least 1, got 0"),
        (["search", "rover", "--page", "x"], "--page: must be a whole number, got 'x'"),
        (["search", "rover", "--since", "2021-13-01"], "not a date: '2021-13-01'"),
        (["search", "rover", "--since", "2022-01-01", "--until", "2021-01-01"],
         "--since 2022-01-01 is after --until 2021-01-01"),
        (["search", "rover", "--author", " "], "--author: cannot be empty"),
        (["search", "landing", "--page", "9"], "--page 9: 'landing' has 4 pages of 5 results"),
        (["search", " "], "search needs words"),
        (["latest", "1000"], "N: must be between 1 and 25, got 1000"),
        (["latest", "0"], "N: must be between 1 and 25, got 0"),
        (["ask", ""], "ask needs a question"),
        (["invite", "abc"], "an application id is a number"),
        (["invite"], "give the application id"),
        (["nosuch"], "invalid choice: 'nosuch'"),
        (["--color", "pink", "stats"], "--color/--colour: invalid choice"),
    ],
)
def test_out_of_range_values_are_refused_in_one_line(sample, capsys, argv, says):
    assert main(argv if argv[0] == "--color" else [*argv, "--db", str(sample)]) == EXIT_USAGE
    assert says in one_line(capsys.readouterr().err)


def test_an_empty_search_says_why(small_archive, tmp_path, capsys):
    db = str(tmp_path / "a.db")
    main(["reindex", "--articles", str(small_archive), "--db", db])
    capsys.readouterr()
    cases = [
        (["xylophone"], "no article uses the words of 'xylophone'"),
        (["comet", "--author", "Nobody"], "no article matches author 'Nobody' (1 without these filters)"),
        (["comet", "--since", "2023-03-01"], "1 article uses the words of 'comet' and 1 matches published "
                                             "since 2023-03-01, but none does both"),
        (["the", "of"], "has only very common words"),
    ]
    for args, why in cases:
        assert main(["search", *args, "--db", db]) == 0
        assert why in capsys.readouterr().out


def test_until_includes_its_whole_day(small_archive, tmp_path, capsys):
    db = str(tmp_path / "a.db")
    main(["reindex", "--articles", str(small_archive), "--db", db])
    capsys.readouterr()
    assert main(["search", "rover", "--until", "2023-03-05", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 1


def test_an_archive_without_articles_says_so_in_one_line(tmp_path, capsys, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    db = str(tmp_path / "a.db")
    for argv in (["ask", "When?"], ["search", "rover"], ["latest"]):
        assert main([*argv, "--db", db, "--articles", str(empty)]) == EXIT_FAILED
        err = capsys.readouterr().err.strip().splitlines()
        assert "the archive has no articles" in err[-1] and "Traceback" not in "".join(err)
    assert main(["stats", "--db", db, "--articles", str(empty)]) == 0
    assert "articles: 0" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO("When did Zhurong land?\n"))
    assert main(["chat", "--db", db, "--articles", str(empty)]) == 0
    assert "no articles yet" in capsys.readouterr().err


def test_ask_shows_more_sources_on_request(sample, capsys):
    assert main(["ask", "When did Zhurong land?", "--db", str(sample)]) == 0
    short = capsys.readouterr().out
    assert "add --more" in short and "[4]" not in short
    assert main(["ask", "When did Zhurong land?", "--more", "--db", str(sample)]) == 0
    assert "[4]" in capsys.readouterr().out


# -- help, version, colour, pipes -------------------------------------------------------------------


def test_every_option_of_every_command_is_described_with_examples():
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, cli.argparse._SubParsersAction))
    mine = {"ask", "search", "latest", "stats", "reindex", "parse", "chat", "run", "invite", "bench"}
    assert mine <= set(commands.choices)
    for name in mine:
        sub = commands.choices[name]
        assert "examples:" in (sub.epilog or ""), name
        for action in sub._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no description"


def test_version(capsys):
    assert main(["--version"]) == 0
    from bot import __version__

    assert capsys.readouterr().out.strip() == f"archive-bot {__version__}"


def test_help_and_version_import_nothing_heavy():
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent("""
            import sys
            from bot.cli import build_parser
            build_parser().format_help()
            heavy = {"numpy", "discord", "bs4", "feedparser", "rich", "sqlite_utils", "aiohttp",
                     "index", "articles", "asyncio", "sqlite3"}
            print(sorted(m for m in sys.modules if m.split(".")[0] in heavy))
        """)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.stdout.strip() == "[]", result.stderr


def test_colour_on_a_terminal_plain_when_piped_or_no_color(sample):
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    argv = ["search", "Jezero", "--db", str(sample)]
    status, coloured = run_on_pty(argv, env)
    assert status == 0 and "\x1b[1m" in coloured and "Jezero" in coloured
    status, plain = run_on_pty(argv, {**env, "NO_COLOR": "1"})
    assert status == 0 and "\x1b[" not in plain and "Jezero" in plain
    piped = run_cli(*argv, env={"TERM": "xterm-256color"})
    assert piped.returncode == 0 and "\x1b[" not in piped.stdout and "**" not in piped.stdout
    forced = run_cli(*argv, "--color", "always")
    assert "\x1b[1m" in forced.stdout


def test_a_closed_pipe_stops_quietly(sample):
    for command in ("latest 25", "search landing --limit 25", "ask When did Zhurong land?",
                    "digest --days 36500", "parse articles/sample/001_zhurong-lands.txt"):
        shell = f"{sys.executable} -m bot.cli {command} --db {sample} | head -1; exit ${{PIPESTATUS[0]}}"
        result = subprocess.run(["bash", "-c", shell], cwd=ROOT, capture_output=True, text=True)
        assert result.stderr == "", result.stderr
        assert result.returncode in (0, EXIT_PIPE)  # 0 when everything fit in the pipe first


def test_a_full_disk_for_the_output_is_one_line(sample):
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli", "latest", "25", "--db", str(sample)],
            cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True,
        )
    assert result.returncode == EXIT_FAILED
    assert "cannot write the output: No space left on device" in one_line(result.stderr)


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(sample, monkeypatch, capsys):
    import index.archive

    def broken(self, n=5):
        raise KeyError("surprise")

    monkeypatch.setattr(index.archive.Archive, "latest", broken)
    assert main(["latest", "--db", str(sample)]) == cli.EXIT_BUG
    assert "unexpected error: KeyError: 'surprise'" in one_line(capsys.readouterr().err)
    with pytest.raises(KeyError):
        main(["latest", "--db", str(sample), "--debug"])


def test_the_startup_bench_reports_each_command_against_its_target(capsys):
    assert main(["bench", "--startup", "--runs", "1", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures["commands"]) >= {"--help", "--version", "ask"}
    assert figures["commands"]["ask"]["target"] == 0.5
    assert all(0 < c["min"] <= c["median"] <= c["max"] for c in figures["commands"].values())
