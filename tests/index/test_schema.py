"""The project's SQLite files: versions, migrations by the writer only, and read-only readers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from index import schema
from index.archive import Archive
from index.schema import (
    ARCHIVE,
    PUBLISHING,
    QUESTIONS,
    DamagedDatabaseError,
    MissingDatabaseError,
    OutdatedDatabaseError,
    open_db,
)
from index.store import Store
from tests.index.conftest import write_article
from tests.permissions import run_python

ROOT = Path(__file__).resolve().parents[2]


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


@pytest.mark.parametrize(
    ("kind", "table"), [(ARCHIVE, "para_postings"), (QUESTIONS, "feedback"), (PUBLISHING, "pub_items")]
)
def test_a_writer_creates_each_file_at_the_latest_version(tmp_path, kind, table):
    conn = open_db(tmp_path / f"{kind}.db", kind)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.latest_version(kind)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert table in tables(tmp_path / f"{kind}.db")


def test_a_reader_of_a_missing_file_creates_nothing(tmp_path):
    with pytest.raises(MissingDatabaseError):
        open_db(tmp_path / "none.db", ARCHIVE, write=False)
    assert not list(tmp_path.iterdir())


def test_a_file_from_before_versions_were_kept_counts_as_version_1(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:  # what earlier releases wrote: tables, user_version 0
        conn.execute("CREATE TABLE articles (num INTEGER PRIMARY KEY)")
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn = schema.connect(path, write=False)
    assert schema.file_version(conn, ARCHIVE) == 1
    conn.close()


def test_only_the_writer_migrates_and_the_reader_says_how(tmp_path, monkeypatch):
    path = tmp_path / "archive.db"
    Store(path).close()
    before = path.read_bytes()
    monkeypatch.setitem(
        schema.MIGRATIONS, ARCHIVE, (*schema.MIGRATIONS[ARCHIVE], "CREATE TABLE extra (x INTEGER)")
    )
    with pytest.raises(OutdatedDatabaseError, match="archive-bot reindex"):
        Store(path, write=False)
    assert path.read_bytes() == before
    Store(path).close()
    assert "extra" in tables(path)
    reader = Store(path, write=False)
    assert reader.conn.execute("PRAGMA user_version").fetchone()[0] == schema.latest_version(ARCHIVE)
    reader.close()


def test_a_file_from_a_newer_release_is_refused(tmp_path):
    path = tmp_path / "archive.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    for write in (True, False):
        with pytest.raises(OutdatedDatabaseError, match="newer archive-bot"):
            Store(path, write=write)


def test_a_file_that_is_not_a_database_is_called_damaged_with_the_way_out(tmp_path):
    path = tmp_path / "archive.db"
    path.write_bytes(b"this is not SQLite at all, " * 200)
    for write in (True, False):
        with pytest.raises(DamagedDatabaseError, match=r"reindex --full"):
            Store(path, write=write)


def test_a_reader_never_writes(folder, tmp_path):
    write_article(folder, "a.txt", "Dust storm season", ["A dust storm covered the landing site."])
    db = tmp_path / "archive.db"
    Archive(db, [folder]).reindex()
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    reader = Archive(db, [folder], read_only=True)
    assert reader.search("dust storm").hits
    assert reader.stats()["articles"] == 1
    with pytest.raises(schema.StoreError, match="read-only"), reader.store.transaction():
        pass
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.store.set_meta("x", "y")
    reader.close()
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before
    assert not schema.questions_path(db).exists()  # not even an empty question log


def test_a_reader_answers_while_another_process_holds_the_write_lock(folder, tmp_path):
    write_article(folder, "a.txt", "Dust storm season", ["A dust storm covered the landing site."])
    db = tmp_path / "archive.db"
    Archive(db, [folder]).reindex()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from index.store import Store
            store = Store({str(db)!r})
            with store.transaction():
                store.set_meta("holding", "yes")
                print("holding", flush=True)
                sys.stdin.read()
        """)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        reader = Archive(db, [folder], read_only=True)
        reader.store.conn.execute("PRAGMA busy_timeout = 0")  # waiting at all would fail now
        assert reader.search("dust storm").hits[0].article.title == "Dust storm season"
        assert reader.is_built()
        reader.close()
    finally:
        holder.communicate("")
    assert holder.returncode == 0


def test_a_reader_works_on_a_file_it_may_not_write(folder, tmp_path):
    write_article(folder, "a.txt", "Dust storm season", ["A dust storm covered the landing site."])
    home = tmp_path / "home"
    home.mkdir()
    db = home / "archive.db"
    Archive(db, [folder]).reindex()
    db.chmod(0o444)
    home.chmod(0o555)
    try:
        result = run_python(
            textwrap.dedent(f"""
                from index.archive import Archive
                reader = Archive({str(db)!r}, [], read_only=True)
                print(reader.search("dust storm").hits[0].article.title)
                print(reader.stats()["articles"])
            """),
            cwd=ROOT,
        )
    finally:
        home.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["Dust storm season", "1"]
