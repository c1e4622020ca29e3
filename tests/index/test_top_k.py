"""The pruned top-k gives exactly the documents and scores that ranking everything gives.

The pruning thresholds are lowered so that small random corpora take the pruned path (the
first threshold from a rarest term's documents or from every term's best documents, the
required-term cut, the MaxScore cut); ties come from repeated documents.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from index import postings
from tests.index.conftest import build_index

# Documents drawn from a small pool, so equal documents (equal scores) are common; words drawn
# unevenly, so terms have very different document frequencies and bounds.
WORD = st.integers(0, 60).map(lambda i: f"w{i // 3 if i < 30 else i - 20}")
DOC = st.lists(WORD, min_size=1, max_size=8)
CORPUS = st.lists(DOC, min_size=1, max_size=12).flatmap(
    lambda pool: st.lists(st.sampled_from(pool) | DOC, min_size=20, max_size=80)
)
QUERY = st.lists(st.sampled_from([f"w{i}" for i in range(44)]), min_size=1, max_size=6)
TUNING = st.fixed_dictionaries({
    "TOP_M": st.integers(1, 16),
    "FIRST_IN_FULL": st.integers(0, 12),
    "EXHAUSTIVE_BELOW": st.just(0),
})


def build(path, corpus, groups, batches=1):
    return build_index(path, corpus, groups, batches)


def ranked_everything(index, query, k, per_group):
    """The reference: every matching document scored, best first (ties by doc id), at most
    `per_group` of one group."""
    docs, values, groups = index.scores(query)
    order = np.lexsort((docs, -values))
    out, taken = [], {}
    for i in order:
        g = int(groups[i])
        if per_group is not None and taken.get(g, 0) >= per_group:
            continue
        taken[g] = taken.get(g, 0) + 1
        out.append(int(docs[i]))
        if len(out) == k:
            break
    return out


def check(index, corpus, query, k, per_group, kept=None):
    kept = list(range(len(corpus))) if kept is None else kept
    docs, values, groups = index.top_k(query, k, per_group=per_group)
    assert docs.tolist() == ranked_everything(index, query, k, per_group)
    reference = dict(zip(kept, BM25Okapi([corpus[d] for d in kept]).get_scores(query), strict=True))
    np.testing.assert_allclose(values, [reference[d - 1] for d in docs.tolist()], rtol=0, atol=1e-9)
    assert np.all(np.diff(values) <= 0)
    if per_group is None and len(docs):
        # Nothing left out scores above the k-th (rank-bm25's own numbers).
        chosen, matching = set(docs.tolist()), set(index.scores(query)[0].tolist())
        left_out = [s for d, s in reference.items() if d + 1 not in chosen and d + 1 in matching]
        assert all(s <= values[-1] + 1e-9 for s in left_out)
    return docs, values, groups


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpus=CORPUS, query=QUERY, k=st.integers(1, 12), tuning=TUNING, data=st.data())
def test_pruned_top_k_equals_ranking_everything(tmp_path_factory, corpus, query, k, tuning, data):
    groups = data.draw(st.lists(st.integers(0, 30), min_size=len(corpus), max_size=len(corpus)))
    per_group = data.draw(st.none() | st.integers(1, 3))
    batches = data.draw(st.integers(1, 4))
    store, index = build(tmp_path_factory.mktemp("topk") / "a.db", corpus, groups, batches)
    with pytest.MonkeyPatch.context() as mp:
        for name, value in tuning.items():
            mp.setattr(postings, name, value)
        docs, _, got_groups = check(index, corpus, query, k, per_group)
    assert got_groups.tolist() == [groups[d - 1] for d in docs.tolist()]
    store.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpus=CORPUS, query=QUERY, k=st.integers(1, 8), tuning=TUNING, data=st.data())
def test_pruned_top_k_after_removals(tmp_path_factory, corpus, query, k, tuning, data):
    groups = [0] * len(corpus)
    store, index = build(tmp_path_factory.mktemp("topk") / "a.db", corpus, groups, batches=3)
    gone = data.draw(st.sets(st.integers(0, len(corpus) - 1), max_size=len(corpus) - 1))
    with store.transaction():
        for doc in sorted(gone):
            index.remove(doc + 1, corpus[doc])
    kept = [d for d in range(len(corpus)) if d not in gone]
    with pytest.MonkeyPatch.context() as mp:
        for name, value in tuning.items():
            mp.setattr(postings, name, value)
        docs, _, _ = check(index, corpus, query, k, None, kept)
    assert not set(docs.tolist()) & {d + 1 for d in gone}
    store.close()


def test_every_pruning_path_is_taken(tmp_path, monkeypatch):
    """One corpus, queries that end in each of top_k's ways out."""
    rng = np.random.default_rng(3)
    vocab = [f"t{i}" for i in range(40)]
    weights = 1 / np.arange(4, 44)
    p = weights / weights.sum()
    corpus = [list(rng.choice(vocab, size=rng.integers(3, 15), p=p)) for _ in range(400)]
    corpus += [["solo", "t1"], ["solo"]]  # fewer documents than k: everything is scored
    store, index = build(tmp_path / "a.db", corpus, [i // 4 for i in range(402)])
    monkeypatch.setattr(postings, "EXHAUSTIVE_BELOW", 0)
    monkeypatch.setattr(postings, "FIRST_IN_FULL", 40)
    monkeypatch.setattr(postings, "TOP_M", 8)
    plans = set()
    queries = [
        ["t39", "t0"], ["t0", "t1"], ["t0", "t1", "t2", "t3"], ["t30", "t31", "t0"], ["t5", "t5", "t6"],
        ["t0", "t1", "t2", "t3", "t4", "t5"], ["t38", "t37", "t36", "t1"], ["solo"],
    ]
    for query in queries:
        for k in (1, 3, 8):
            for per_group in (None, 1, 2):
                check(index, corpus, query, k, per_group)
                plans.add(index.last_plan)
    assert plans == {"all", "first", "required", "essential"}
    store.close()


def test_top_n_and_top_k_agree_and_handle_nothing(tmp_path):
    corpus = [["a"], ["a", "b"], ["b", "b", "c"], ["c"], ["d"]]
    store, index = build(tmp_path / "a.db", corpus, [0, 0, 1, 1, 2])
    docs, values, _ = index.top_k(["b", "c"], 2)
    assert index.top_n(["b", "c"], 2) == list(zip(docs.tolist(), values.tolist(), strict=True))
    assert len(index.top_k(["zzz"], 3)[0]) == 0
    assert len(index.top_k(["a"], 0)[0]) == 0
    assert index.top_k(["b", "c"], 5, per_group=1)[2].tolist() == [1, 0]
    store.close()


def test_score_docs_matches_scores(tmp_path):
    corpus = [["a", "b"], ["b"], ["c"], ["a", "a", "c"]]
    store, index = build(tmp_path / "a.db", corpus, [0] * 4)
    docs, values, _ = index.scores(["a", "c", "c"])
    np.testing.assert_allclose(index.score_docs(["a", "c", "c"], docs), values, atol=1e-12)
    assert index.score_docs(["a"], np.array([2, 3])).tolist() == [0.0, 0.0]
    store.close()



def test_equal_scores_from_different_words_tie_the_same_way_on_every_path(tmp_path, monkeypatch):
    """Two documents that differ only in which of two equally rare words they hold score the
    same; every path must sum in one order, so the lower id wins as it does scoring all."""
    corpus = [["w0"]] * 20 + [["w0", "w0", "w1", "w9"], ["w0", "w0", "w1", "w8"]]
    corpus += [["w0", "w1", "w2", "w8"], ["w0", "w0", "w9", "w3", "w4"], ["w1", "w2"]]
    store, index = build(tmp_path / "a.db", corpus, [0] * len(corpus))
    monkeypatch.setattr(postings, "EXHAUSTIVE_BELOW", 0)
    monkeypatch.setattr(postings, "FIRST_IN_FULL", 0)
    monkeypatch.setattr(postings, "TOP_M", 1)
    for query in (["w0", "w1", "w9", "w8"], ["w8", "w1", "w0", "w9"], ["w0", "w1", "w1", "w8", "w9"]):
        for k in (1, 2, 3):
            check(index, corpus, query, k, None)
    store.close()
