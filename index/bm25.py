"""BM25 Okapi exactly as rank-bm25 (`rank_bm25.BM25Okapi`) defines it.

    idf(t)      = ln(N - df(t) + 0.5) - ln(df(t) + 0.5)
                  (a negative idf is replaced by epsilon * mean idf over the whole vocabulary)
    score(d, q) = sum over query tokens t (repeats counted) of
                  idf(t) * tf(t, d) * (k1 + 1) / (tf(t, d) + k1 * (1 - b + b * |d| / avgdl))

with k1 = 1.5, b = 0.75, epsilon = 0.25, N the number of documents (paragraphs), avgdl their mean
length in tokens. This module only computes; where the numbers come from (postings in SQLite,
kept in memory per term) is `index.postings`.
"""

from __future__ import annotations

import math

import numpy as np

K1 = 1.5
B = 0.75
EPSILON = 0.25


def raw_idf(n_docs: int, df: np.ndarray | float) -> np.ndarray | float:
    return np.log(n_docs - df + 0.5) - np.log(df + 0.5)


def mean_idf(n_docs: int, all_dfs: np.ndarray) -> float:
    """Mean raw idf over the whole vocabulary: the reference for the epsilon floor."""
    if len(all_dfs) == 0:
        return 0.0
    return float(np.sum(raw_idf(n_docs, all_dfs.astype(np.float64))) / len(all_dfs))


def idf(n_docs: int, df: int, average_idf: float) -> float:
    value = math.log(n_docs - df + 0.5) - math.log(df + 0.5)
    return EPSILON * average_idf if value < 0 else value


def length_norms(doc_lens: np.ndarray, avgdl: float) -> np.ndarray:
    """k1 * (1 - b + b * |d| / avgdl) for each document: the part of every term's score that
    depends on the document alone."""
    return K1 * (1 - B + B * doc_lens / avgdl) if avgdl else np.full(len(doc_lens), K1 * (1 - B))


def scores_from_norms(idf_value: float, tfs: np.ndarray, norms: np.ndarray) -> np.ndarray:
    """`term_scores` from the documents' `length_norms`."""
    tfs = tfs.astype(np.float64)
    return idf_value * (tfs * (K1 + 1) / (tfs + norms))


def term_scores(idf_value: float, tfs: np.ndarray, doc_lens: np.ndarray, avgdl: float) -> np.ndarray:
    """One query token's contribution to each document that contains it."""
    tfs = tfs.astype(np.float64)
    return idf_value * (tfs * (K1 + 1) / (tfs + K1 * (1 - B + B * doc_lens / avgdl)))
