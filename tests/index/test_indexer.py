"""The indexer writes the same index whether articles are tokenized here or in worker processes,
one by one or in batches, and rebuilds an index stored in an older layout."""

from __future__ import annotations

import os

import numpy as np
import pytest

from articles.model import Article, Paragraph
from index import indexer as indexing
from index.indexer import Indexer
from index.postings import _joined
from index.store import Store

WORDS = "orbit lander crater dust rover probe comet plume ridge basin ice mast relay wheel".split()


def articles(n: int, seed: int = 5) -> list[Article]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        paragraphs = [
            Paragraph(" ".join(rng.choice(WORDS, size=rng.integers(2, 12))).capitalize() + ".")
            for _ in range(rng.integers(1, 5))
        ]
        out.append(Article(f"Story {i} {WORDS[i % len(WORDS)]}", paragraphs, url=f"https://news.example/{i}"))
    return out


def dump(store: Store) -> dict:
    """Everything the two indexes hold, segment boundaries aside."""
    conn = store.conn
    out = {}
    for name in ("para", "article"):
        out[f"{name}_terms"] = conn.execute(f"SELECT term, df FROM {name}_terms ORDER BY term").fetchall()
        postings: dict[str, tuple[list, list]] = {}
        for term, ids, tfs in conn.execute(f"SELECT term, ids, tfs FROM {name}_postings ORDER BY term, seg"):
            got = postings.setdefault(term, ([], []))
            ids, tfs = _joined([ids], [tfs])
            got[0].extend(ids.tolist())
            got[1].extend(tfs.tolist())
        out[f"{name}_postings"] = postings
        out[f"{name}_docs"] = conn.execute(f"SELECT * FROM {name}_docs ORDER BY block").fetchall()
    return out


def build(path, items, **kw) -> Store:
    store = Store(path)
    indexer = Indexer(store, **kw)
    with store.transaction():
        for article in items:
            indexer.add(article)
        indexer.flush()
    return store


def never_seen_words(n: int, seed: int) -> list[Article]:
    """Articles in words no earlier test used: this process numbers them for the first time."""
    rng = np.random.default_rng(seed)
    vocabulary = [f"zq{seed}x{i}" for i in range(300)]
    return [
        Article(f"Story {i}", [Paragraph(" ".join(rng.choice(vocabulary, size=rng.integers(2, 30))))
                               for _ in range(rng.integers(1, 5))], url=f"https://news.example/n/{i}")
        for i in range(n)
    ]


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_worker_processes_write_the_same_index(tmp_path, monkeypatch, start):
    items = [*never_seen_words(60, seed=len(start)), *articles(20)]
    monkeypatch.setattr(indexing, "BATCH_PARAGRAPHS", 7)  # many batches, several in flight
    monkeypatch.setattr(indexing, "_context", lambda: indexing.multiprocessing.get_context(start))
    shared = build(tmp_path / "shared.db", items, workers=2, parallel_from=0)
    alone = build(tmp_path / "alone.db", items, workers=1)
    assert dump(shared) == dump(alone)
    assert len(dump(alone)["para_terms"]) > 300


def test_replacing_an_article_still_being_tokenized(tmp_path, monkeypatch):
    items = articles(30)
    newer = Article(items[3].title, [Paragraph("Comet plume over the ridge.")], url=items[3].url)
    monkeypatch.setattr(indexing, "BATCH_PARAGRAPHS", 5)
    replaced = build(tmp_path / "replaced.db", [*items, newer], workers=2, parallel_from=0)
    direct = build(tmp_path / "direct.db", [*items[:3], *items[4:], newer], workers=1)
    assert dump(replaced)["para_terms"] == dump(direct)["para_terms"]
    assert dump(replaced)["article_terms"] == dump(direct)["article_terms"]
    reader = Indexer(replaced)
    docs, _, groups = reader.paragraphs.scores(["comet", "plume"])
    assert len(docs) == len(Indexer(direct).paragraphs.scores(["comet", "plume"])[0])


def test_added_one_at_a_time_equals_one_batch(tmp_path):
    items = articles(20)
    batch = build(tmp_path / "batch.db", items, workers=1)
    store = Store(tmp_path / "single.db")
    indexer = Indexer(store, workers=1)
    for article in items:
        with store.transaction():
            indexer.add(article)
            indexer.flush()
    ours, theirs = dump(store), dump(batch)
    assert ours == theirs


def test_an_index_in_the_first_layout_is_rebuilt_when_a_writer_opens_it(tmp_path):
    from index import schema

    items = articles(12)
    store = build(tmp_path / "a.db", items, workers=1)
    expected = dump(store)
    with store.transaction():  # what schema version 1 left: the first layout, same articles
        for name in ("para", "article"):
            for table in ("terms", "postings", "docs"):
                store.conn.execute(f"DROP TABLE {name}_{table}")
        schema.run_script(store.conn, schema._postings("para") + schema._postings("article"))
    store.conn.execute("PRAGMA user_version = 1")
    store.close()
    with pytest.raises(schema.OutdatedDatabaseError):
        Store(tmp_path / "a.db", write=False)
    reopened = Store(tmp_path / "a.db")
    indexer = Indexer(reopened)
    assert dump(reopened) == expected
    assert len(indexer.paragraphs.top_k(["comet"], 3)[0]) == 3


def test_vocabulary_is_sorted_with_document_frequencies(tmp_path):
    store = build(tmp_path / "a.db", articles(15), workers=1)
    vocabulary, dfs = Indexer(store).paragraphs.vocabulary()
    rows = store.conn.execute("SELECT term, df FROM para_terms").fetchall()
    assert vocabulary == sorted(t for t, _ in rows)
    assert dict(zip(vocabulary, dfs.tolist(), strict=True)) == dict(rows)


@pytest.mark.parametrize("workers", [1, 2])
def test_clear_drops_what_was_queued(tmp_path, workers):
    store = Store(tmp_path / "a.db")
    indexer = Indexer(store, workers=workers, parallel_from=0)
    with store.transaction():
        for article in articles(5):
            indexer.add(article)
        indexer.clear()
        indexer.flush()
    assert store.conn.execute("SELECT COUNT(*) FROM para_terms").fetchone()[0] == 0
    assert len(indexer.paragraphs.scores(["comet"])[0]) == 0


def test_batches_count_exactly_the_terms_tokenize_gives(tmp_path):
    """The indexer reads words and numbers terms in one step; the result is `tokenize`'s."""
    from index.indexer import article_tokens
    from index.postings import InvertedIndex
    from index.tokenize import tokenize

    texts = [
        ["The 16th century Éclair reached Bolesław crater in 1,400 days.", "", "and the of"],
        ["Tianwen-1 and Tianwen 1 (Tianwen1) measured 1.85-meter dust; ÆTHER œuvre ﬁne."],
        ["Rover ROVER rover's rovers: the rover!", "Mars 2020, 3rd try, 2nd stage."],
    ]
    items = [Article(f"Title {i} of the Éclair probe", [Paragraph(t) for t in ts])
             for i, ts in enumerate(texts)]
    got = build(tmp_path / "batch.db", items, workers=1)
    reference = Store(tmp_path / "reference.db")
    paragraphs, articles_index = InvertedIndex(reference, "para"), InvertedIndex(reference, "article")
    with reference.transaction():
        pid = 0
        for num, article in enumerate(items, start=1):
            tokens = [tokenize(p.text) for p in article.paragraphs]
            for t in tokens:
                pid += 1
                paragraphs.add(pid, t, num)
            articles_index.add(num, article_tokens(article.title, tokens))
        paragraphs.flush()
        articles_index.flush()
    assert dump(got) == dump(reference)


def test_a_failed_flush_leaves_nothing_for_the_next_one(tmp_path, monkeypatch):
    store = Store(tmp_path / "a.db")
    indexer = Indexer(store, workers=1)
    doomed, kept = articles(2)
    def disk_full(batch):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError), store.transaction():
        indexer.add(doomed)
        monkeypatch.setattr(indexer.articles, "write", disk_full)
        indexer.flush()
    monkeypatch.undo()
    with store.transaction():
        indexer.add(kept)
        indexer.flush()
    fresh = build(tmp_path / "fresh.db", [kept], workers=1)
    assert dump(store)["para_terms"] == dump(fresh)["para_terms"]
    assert dump(store)["article_terms"] == dump(fresh)["article_terms"]


_PARENT = os.getpid()
_COUNTED = indexing.Counted


def _dies_in_a_worker(batch):
    if os.getpid() != _PARENT:
        os._exit(1)
    return _COUNTED(batch)


def test_a_worker_that_dies_leaves_the_batch_to_this_process(tmp_path, monkeypatch):
    items = articles(40)
    alone = build(tmp_path / "alone.db", items, workers=1)
    monkeypatch.setattr(indexing, "Counted", _dies_in_a_worker)
    monkeypatch.setattr(indexing, "BATCH_PARAGRAPHS", 9)
    monkeypatch.setattr(indexing, "_context", lambda: indexing.multiprocessing.get_context("fork"))
    survived = build(tmp_path / "survived.db", items, workers=2, parallel_from=0)
    assert dump(survived) == dump(alone)


def test_paragraphs_read_together_equal_paragraphs_read_one_by_one(tmp_path):
    store = Store(tmp_path / "archive.db")
    indexer = Indexer(store)
    with store.transaction():
        for article in articles(30):
            indexer.add(article)
        indexer.flush()
    ids = [r[0] for r in store.conn.execute("SELECT id FROM paragraphs ORDER BY id DESC")]
    wanted = ids + [max(ids) + 1000]  # one id that is not there
    together = store.paragraphs_by_id(wanted)
    assert together == {pid: store.paragraph(pid) for pid in ids}
    store.close()
