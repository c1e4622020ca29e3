"""The inverted index scores exactly as rank-bm25's BM25Okapi, however it was built."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from index import postings
from index.postings import InvertedIndex
from index.store import Store
from tests.index.conftest import build_index

WORDS = st.sampled_from([f"w{i}" for i in range(12)])
CORPUS = st.lists(st.lists(WORDS, min_size=1, max_size=12), min_size=1, max_size=25)
QUERY = st.lists(st.sampled_from([f"w{i}" for i in range(14)]), min_size=1, max_size=6)


def build(path, corpus, batches=1):
    return build_index(path, corpus, batches=batches)


def dense_scores(index, query, n):
    docs, values, _ = index.scores(query)
    out = np.zeros(n)
    out[docs - 1] = values
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpus=CORPUS, query=QUERY)
def test_scores_equal_rank_bm25(tmp_path_factory, corpus, query):
    store, index = build(tmp_path_factory.mktemp("bm25") / "a.db", corpus)
    expected = BM25Okapi(corpus).get_scores(query)
    np.testing.assert_allclose(dense_scores(index, query, len(corpus)), expected, rtol=0, atol=1e-9)
    store.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpus=CORPUS, query=QUERY, batches=st.integers(1, 12))
def test_added_in_batches_equals_one_build(tmp_path_factory, corpus, query, batches):
    store, index = build(tmp_path_factory.mktemp("bm25") / "a.db", corpus, batches)
    expected = BM25Okapi(corpus).get_scores(query)
    np.testing.assert_allclose(dense_scores(index, query, len(corpus)), expected, rtol=0, atol=1e-9)
    store.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpus=CORPUS, query=QUERY, data=st.data())
def test_removing_documents_equals_never_having_them(tmp_path_factory, corpus, query, data):
    store, index = build(tmp_path_factory.mktemp("bm25") / "a.db", corpus, batches=3)
    gone = data.draw(st.sets(st.integers(0, len(corpus) - 1), max_size=len(corpus) - 1))
    with store.transaction():
        for doc in sorted(gone):
            index.remove(doc + 1, corpus[doc])
    kept = [d for d in range(len(corpus)) if d not in gone]
    expected = BM25Okapi([corpus[d] for d in kept]).get_scores(query)
    scores = dense_scores(index, query, len(corpus))
    np.testing.assert_allclose(scores[kept], expected, rtol=0, atol=1e-9)
    assert not scores[sorted(gone)].any()
    store.close()


def test_many_segments_are_merged_without_changing_scores(tmp_path):
    corpus = [["mars", "rover", f"w{i % 5}"] for i in range(40)]
    store, index = build(tmp_path / "a.db", corpus, batches=40)
    segments = store.conn.execute(
        "SELECT COUNT(*) FROM para_postings WHERE term = 'mars'"
    ).fetchone()[0]
    assert segments <= 8
    expected = BM25Okapi(corpus).get_scores(["mars", "w3"])
    np.testing.assert_allclose(dense_scores(index, ["mars", "w3"], 40), expected, atol=1e-9)


def test_top_n_orders_by_score(tmp_path):
    corpus = [["a"], ["a", "b"], ["b", "b", "c"], ["c"], ["d"], ["e"], ["f"], ["g"]]
    store, index = build(tmp_path / "a.db", corpus)
    expected = BM25Okapi(corpus).get_scores(["b", "c"])
    top = index.top_n(["b", "c"], 2)
    assert [doc for doc, _ in top] == [3, 4]
    assert [score for _, score in top] == sorted(expected, reverse=True)[:2]


def test_a_second_connection_sees_committed_writes(tmp_path):
    store, index = build(tmp_path / "a.db", [["a", "b"], ["b"]])
    reader_store = Store(tmp_path / "a.db")
    reader = InvertedIndex(reader_store, "para")
    assert len(reader.scores(["a"])[0]) == 1
    with store.transaction():
        index.add(3, ["a"])
        index.flush()
    assert len(reader.scores(["a"])[0]) == 2


@pytest.mark.parametrize("doc_bits, tf_bits", [(28, 12), (28, 2), (3, 12)])
def test_packed_sort_and_its_fallbacks_store_the_same_counts(tmp_path, monkeypatch, doc_bits, tf_bits):
    """Counts too large for the packed sort are patched in; ids too large take the plain sort;
    counts are stored as wide as the largest of their term needs."""
    monkeypatch.setattr(postings, "_DOC_BITS", doc_bits)
    monkeypatch.setattr(postings, "_TF_BITS", tf_bits)
    monkeypatch.setattr(postings, "_TF_MAX", (1 << tf_bits) - 1)
    monkeypatch.setattr(postings, "_TID_LIMIT", 1 << (63 - doc_bits - tf_bits))
    rng = np.random.default_rng(11)
    corpus = [list(rng.choice(["a", "b", "c", "d"], size=rng.integers(1, 40), p=[0.7, 0.2, 0.05, 0.05]))
              for _ in range(30)]
    corpus[4] = ["a"] * 5000 + ["b"]  # counts stored 2 bytes wide
    corpus[7] = ["c"] * 70000  # and 4 bytes wide
    store, index = build(tmp_path / "a.db", corpus, batches=2)
    for query in (["a"], ["b", "c"], ["a", "d", "d"]):
        expected = BM25Okapi(corpus).get_scores(query)
        np.testing.assert_allclose(dense_scores(index, query, len(corpus)), expected, rtol=0, atol=1e-9)
    ids, tfs, _ = index.postings(["a"])["a"]
    assert tfs[ids.tolist().index(5)] == 5000
    ids, tfs, _ = index.postings(["c"])["c"]
    assert tfs[ids.tolist().index(8)] == 70000
    store.close()
