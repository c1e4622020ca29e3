"""The maintainer's reindex: incremental, tolerant of bad files, all-or-nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from index.archive import Archive
from tests.index.conftest import write_article

BODY = [
    "The orbiter circled the planet for months, mapping dust storms and polar ice.",
    "Engineers chose a landing site on a wide, flat plain with few boulders.",
]


def titles(archive: Archive) -> set[str]:
    return {a.title for a in archive.latest(25)}


def test_first_run_adds_every_file(folder, tmp_path):
    for i in range(3):
        write_article(folder, f"{i:03}.txt", f"Story {i}", BODY)
    report = Archive(tmp_path / "a.db", [folder]).reindex()
    assert (report.added, report.updated, report.removed, report.unchanged) == (3, 0, 0, 0)
    assert not report.failed


def test_second_run_reads_nothing_new(folder, tmp_path):
    for i in range(3):
        write_article(folder, f"{i:03}.txt", f"Story {i}", BODY)
    archive = Archive(tmp_path / "a.db", [folder])
    archive.reindex()
    report = archive.reindex()
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 3)


def test_a_changed_file_replaces_its_article(folder, tmp_path):
    path = write_article(folder, "001.txt", "Old title", BODY)
    archive = Archive(tmp_path / "a.db", [folder])
    archive.reindex()
    write_article(folder, "001.txt", "New title", BODY + ["A rover rolled off its ramp in June."])
    os.utime(path, ns=(1, 1))  # a different mtime even on coarse clocks
    report = archive.reindex()
    assert report.updated == 1
    assert titles(archive) == {"New title"}
    assert archive.search("rover ramp").hits[0].article.title == "New title"


def test_a_touched_but_identical_file_is_unchanged(folder, tmp_path):
    path = write_article(folder, "001.txt", "Same", BODY)
    archive = Archive(tmp_path / "a.db", [folder])
    archive.reindex()
    os.utime(path, ns=(5, 5))
    assert archive.reindex().unchanged == 1


def test_a_deleted_file_takes_its_article_away(folder, tmp_path):
    write_article(folder, "001.txt", "Stays", BODY)
    gone = write_article(folder, "002.txt", "Goes", ["A comet fragment burned up over the ocean."])
    archive = Archive(tmp_path / "a.db", [folder])
    archive.reindex()
    gone.unlink()
    report = archive.reindex()
    assert report.removed == 1
    assert titles(archive) == {"Stays"}
    assert archive.search("comet fragment").hits == []


def test_bad_files_are_reported_and_skipped(folder, tmp_path):
    write_article(folder, "good.txt", "Good one", BODY)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "latin1.txt").write_bytes("Categories: Mars\n\nCaf\xe9 on Mars\n\nA caf\xe9.".encode("latin-1"))
    (folder / "cut.html").write_text("<html><head><title>Cut", encoding="utf-8")
    (folder / "untitled.md").write_text("---\nauthor: X\n---\n", encoding="utf-8")
    with open(folder / "huge.txt", "wb") as f:
        f.write(os.urandom(1024) * (50 * 1024))
    report = Archive(tmp_path / "a.db", [folder]).reindex()
    failed = {Path(p).name: reason for p, reason in report.failed}
    assert set(failed) == {"empty.txt", "binary.txt", "latin1.txt", "cut.html", "untitled.md", "huge.txt"}
    assert all(reason and "\n" not in reason for reason in failed.values())
    assert report.added == 1


def test_a_file_gone_bad_keeps_what_was_indexed(folder, tmp_path):
    path = write_article(folder, "001.txt", "Was fine", BODY)
    archive = Archive(tmp_path / "a.db", [folder])
    archive.reindex()
    path.write_bytes(b"\x00\x01\x02 garbage")
    report = archive.reindex()
    assert len(report.failed) == 1
    assert titles(archive) == {"Was fine"}


def test_thousand_articles_second_run_reads_no_file(folder, tmp_path, monkeypatch):
    for i in range(1000):
        write_article(folder, f"{i:04}.txt", f"Generated story {i}",
                      [f"Probe {i} measured {i * 7} craters near site {i % 13}.", BODY[i % 2]])
    archive = Archive(tmp_path / "a.db", [folder])
    first = archive.reindex()

    def no_reading(path: Path) -> bytes:
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    second = archive.reindex()
    assert first.added == 1000 and second.unchanged == 1000 and not second.failed


def test_a_reindex_killed_midway_leaves_the_previous_index(folder, tmp_path):
    for i in range(5):
        write_article(folder, f"a{i}.txt", f"Before {i}", BODY)
    db = tmp_path / "a.db"
    Archive(db, [folder]).reindex()
    for i in range(200):
        write_article(folder, f"b{i:03}.txt", f"After {i}", [f"Lander {i} touched down."])
    script = textwrap.dedent(f"""
        import os, signal
        from index.archive import Archive
        def progress(done, total, path):
            if done == 100:
                os.kill(os.getpid(), signal.SIGKILL)
        Archive({str(db)!r}, [{str(folder)!r}]).reindex(progress=progress)
    """)
    run = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[2])
    assert run.returncode == -9
    archive = Archive(db, [folder])
    assert titles(archive) == {f"Before {i}" for i in range(5)}
    assert archive.search("landing site plain").total == 5
    assert archive.reindex().added == 200


def _terms(archive: Archive, table: str) -> set[tuple[str, int]]:
    return set(archive.store.conn.execute(f"SELECT term, df FROM {table}").fetchall())


def test_an_index_from_another_tokenizer_is_rebuilt_from_stored_text(folder, tmp_path):
    from articles.model import Article, Paragraph
    from index.tokenize import TOKENIZER_VERSION

    write_article(folder, "a.txt", "Orbiter maps dust in the 16th year", BODY)
    from_feed = Article("Relay reaches Bolesław crater", [Paragraph("The relay arrived on its 3rd try.")],
                        url="https://news.example/relay")
    old = Archive(tmp_path / "old.db", [folder])
    old.reindex()
    old.add_article(from_feed)
    with old.store.transaction():  # what an older tokenizer left behind
        old.store.set_meta("tokenizer_version", "1")
        old.store.conn.execute("INSERT INTO para_terms (term, df) VALUES ('16th', 1), ('bolesław', 1)")

    report = old.reindex()

    assert report.added == 0 and report.unchanged == 1
    assert old.store.get_meta("tokenizer_version") == str(TOKENIZER_VERSION)
    fresh = Archive(tmp_path / "fresh.db", [folder])
    fresh.reindex()
    fresh.add_article(from_feed)
    for table in ("para_terms", "article_terms"):
        assert _terms(old, table) == _terms(fresh, table)
    got = old.ask("When did the relay arrive at Boleslaw crater?")
    assert got.citations, got.note
    assert got.citations[0].article.title == from_feed.title


def test_bulk_indexing_pauses_the_collector_and_always_restores_it():
    import gc

    import pytest

    from index.indexer import bulk_indexing

    assert gc.isenabled()
    with pytest.raises(RuntimeError), bulk_indexing():
        assert not gc.isenabled()
        raise RuntimeError("a bad file midway")
    assert gc.isenabled()


def test_a_folder_that_cannot_be_listed_stops_the_reindex_and_keeps_the_index(folder, tmp_path):
    from tests.permissions import run_python

    for i in range(3):
        write_article(folder, f"top{i}.txt", f"Top {i}", BODY)
    inner = folder / "2021"
    inner.mkdir()
    write_article(inner, "deep.txt", "Deep", BODY)
    db = tmp_path / "a.db"
    Archive(db, [folder]).reindex()
    inner.chmod(0)
    try:
        result = run_python(textwrap.dedent(f"""
            from index.archive import Archive
            from index.reindex import ReindexError
            try:
                Archive({str(db)!r}, [{str(folder)!r}]).reindex()
            except ReindexError as exc:
                print(exc)
        """), cwd=Path(__file__).parents[2])
    finally:
        inner.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert "cannot list" in result.stdout and "2021" in result.stdout
    assert "nothing was changed" in result.stdout
    assert titles(Archive(db, [folder])) == {"Top 0", "Top 1", "Top 2", "Deep"}


def test_a_file_that_cannot_be_read_is_an_error_for_that_file_not_a_removal(folder, tmp_path):
    from tests.permissions import run_python

    write_article(folder, "keep.txt", "Kept", BODY)
    locked = write_article(folder, "locked.txt", "Locked away", ["A comet fragment burned up."])
    db = tmp_path / "a.db"
    Archive(db, [folder]).reindex()
    locked.chmod(0)
    os.utime(locked, ns=(7, 7))  # changed, so the reindex must read it
    try:
        result = run_python(textwrap.dedent(f"""
            from index.archive import Archive
            report = Archive({str(db)!r}, [{str(folder)!r}]).reindex()
            print(report.removed, report.failed)
        """), cwd=Path(__file__).parents[2])
    finally:
        locked.chmod(0o644)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("0 ") and "cannot read: Permission denied" in result.stdout
    assert titles(Archive(db, [folder])) == {"Kept", "Locked away"}


def test_a_parser_bug_costs_its_file_not_the_reindex(folder, tmp_path, monkeypatch):
    import index.reindex as reindexing

    write_article(folder, "good.txt", "Good one", BODY)
    write_article(folder, "trips.txt", "Trips the parser", BODY)
    real = reindexing.parse_bytes

    def buggy(data: bytes, name: str):
        if name == "trips.txt":  # as a parser with a bug would
            return {}["missing"]
        return real(data, name)

    monkeypatch.setattr(reindexing, "parse_bytes", buggy)
    report = Archive(tmp_path / "a.db", [folder]).reindex()
    assert report.added == 1
    [(path, reason)] = report.failed
    assert path.endswith("trips.txt") and reason == "cannot parse (KeyError: 'missing')"


def test_a_full_reindex_of_a_damaged_database_rebuilds_it_and_keeps_the_old_file(folder, tmp_path):
    import pytest

    from index.schema import DamagedDatabaseError

    write_article(folder, "a.txt", "Survivor", BODY)
    db = tmp_path / "a.db"
    db.write_bytes(b"garbage that is not SQLite " * 100)
    with pytest.raises(DamagedDatabaseError):
        Archive(db, [folder]).reindex()
    report = Archive(db, [folder]).reindex(full=True)
    assert report.added == 1 and report.damaged_copy
    assert Path(report.damaged_copy).read_bytes().startswith(b"garbage")
    assert titles(Archive(db, [folder], read_only=True)) == {"Survivor"}


def test_a_full_reindex_finds_damage_inside_a_readable_file(folder, tmp_path):
    for i in range(40):
        write_article(folder, f"{i:03}.txt", f"Story {i}", BODY * 20)
    db = tmp_path / "a.db"
    archive = Archive(db, [folder])
    archive.reindex()
    archive.close()
    data = bytearray(db.read_bytes())
    page = 4096
    data[page * 3 : page * 8] = os.urandom(page * 5)  # b-tree pages overwritten, header intact
    db.write_bytes(bytes(data))
    report = Archive(db, [folder]).reindex(full=True)
    assert report.damaged_copy and report.added == 40
    assert len(titles(Archive(db, [folder]))) == 25  # latest() shows at most 25
