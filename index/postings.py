"""The inverted index in SQLite: per term, the documents that contain it and how often.

A query reads only its own terms' postings, so its cost follows those terms, not the archive's
size. Postings are written in segments: a build writes one large segment per term from one sorted
batch, a new article appends one segment per term it touches without rewriting what is there, and
a term with too many segments is merged back into one (dropping removed documents) on the next
write. Document lengths and groups live in blocks of `BLOCK` documents, one row each, so a server
opens a 300,000-paragraph index by reading a few dozen rows; a removed document is forgotten at
once there (its length becomes `REMOVED`), and its postings at the next merge.

Reading, a term's postings are loaded once per generation (a generation ends at every committed
write: idf and the average length move then) into contiguous arrays, with each posting's BM25
contribution, the term's score upper bound (its largest contribution) and its best `TOP_M`
documents. The bound is taken when the postings are loaded, not stored with them: idf and the
average length move with every write, so a stored bound would be stale or loose, and the exact
one costs one pass over an array the load computes anyway. `top_k` prunes with those bounds
(MaxScore-style, see its docstring) and returns the same documents and scores as scoring
everything would.

Two indexes share this code: paragraphs (what is ranked and cited) and whole articles (title
plus text: the context a paragraph is read in).
"""

from __future__ import annotations

import math
import struct
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass

import numpy as np

from index import bm25
from index.store import Store

MAX_SEGMENTS = 8
CACHE_BYTES = 48 * 1024 * 1024  # loaded postings kept per index (serving memory budget)
BLOCK = 4096  # documents per row of `{name}_docs`
NO_DOC, REMOVED = -1, -2  # lengths of ids that never held a document / whose document went
TOP_M = 64  # best documents kept per loaded term: the first threshold of `top_k`
FIRST_IN_FULL = 512  # a rarest term with at most this many documents gives the first threshold
EXHAUSTIVE_BELOW = 2048  # postings under which scoring everything is cheaper than pruning
FLUSH_POSTINGS = 40_000_000  # buffered postings written at once (~0.5 GB while sorting)
SLACK = 1e-9  # pruning keeps documents this close under the threshold (float rounding)


class _TermIds(dict):
    """term -> a small integer, for sorting postings in bulk; ids live as long as the process."""

    def __missing__(self, term: str) -> int:
        with _TERMS_LOCK:  # a reindex and a new article may number terms at once
            tid = self.get(term)
            if tid is None:
                tid = len(_TERMS)
                _TERMS.append(term)
                self[term] = tid
            return tid


_TERMS_LOCK = threading.Lock()
_TERMS: list[str] = []
_TERM_IDS = _TermIds()


def term_ids(tokens: list[str]) -> np.ndarray:
    return np.fromiter(map(_TERM_IDS.__getitem__, tokens), np.int64, len(tokens))


# Sorting (term, doc, tf) packed in one int64 is twice as fast as sorting keys and permuting
# the counts: 23 bits of term id, 28 of document id, 12 of count (larger counts are patched).
_DOC_BITS, _TF_BITS = 28, 12
_TF_MAX = (1 << _TF_BITS) - 1
_TID_LIMIT = 1 << (63 - _DOC_BITS - _TF_BITS)


@dataclass(slots=True)
class _Batch:
    tids: np.ndarray  # term id of each run
    starts: np.ndarray
    ends: np.ndarray
    docs: np.ndarray  # int32, by term then document
    tfs: np.ndarray  # int32
    rows: np.ndarray  # (doc, length, group)


@dataclass(slots=True)
class _Term:
    """One term's live postings for one generation, laid out for the query path."""

    ids: np.ndarray  # int32, ascending
    tfs: np.ndarray  # unsigned or int32 (as stored)
    contribution: np.ndarray  # float64: the term's BM25 score in each document
    bound: float  # the largest contribution (0 when there are no postings)
    best_ids: np.ndarray | None  # see `best`
    idf: float

    @property
    def nbytes(self) -> int:
        return self.ids.nbytes + self.tfs.nbytes + self.contribution.nbytes

    def best(self, m: int) -> np.ndarray:
        """Ids of the (up to) m documents with the largest contributions (kept for TOP_M)."""
        if len(self.ids) <= m:
            return self.ids
        if m > TOP_M:
            return self.ids[np.argpartition(-self.contribution, m - 1)[:m]]
        if self.best_ids is None or len(self.best_ids) != TOP_M:
            self.best_ids = self.ids[np.argpartition(-self.contribution, TOP_M - 1)[:TOP_M]]
        return self.best_ids


_UNREAD = object()
_EMPTY_I = np.zeros(0, np.int32)
_EMPTY_TERM = _Term(_EMPTY_I, _EMPTY_I, np.zeros(0), 0.0, _EMPTY_I, 0.0)


class InvertedIndex:
    """BM25 over one kind of document, stored in `{name}_terms`, `{name}_postings`, `{name}_docs`
    (defined in `index.schema`)."""

    def __init__(self, store: Store, name: str) -> None:
        self.store = store
        self.name = name
        self.conn = store.conn
        self._lock = threading.RLock()
        self._generation: object = _UNREAD  # no statistics read yet (an empty index has none)
        self.last_plan = ""  # how the last top_k was answered (for tests and the bench)
        self._pending_keys: list[np.ndarray] = []
        self._pending_tfs: list[np.ndarray] = []
        self._pending_docs: list[np.ndarray] = []
        self._pending_ids: set[int] = set()
        self._pending_count = 0  # its tables are in `index.schema`

    # -- writing (inside Store.transaction) ---------------------------------------------------

    def add(self, doc: int, tokens: list[str], group: int = 0) -> None:
        """Buffer one document (`group`: the article a paragraph belongs to); `flush` stores it."""
        self.add_many(np.full(len(tokens), doc, np.int64), term_ids(tokens), [(doc, len(tokens), group)])

    def add_many(self, docs: np.ndarray, tids: np.ndarray, lengths: list[tuple[int, int, int]]) -> None:
        """Buffer documents given as parallel arrays (one entry per token: its document and its
        term id from `term_ids`) and their (doc, length, group) rows."""
        keys, tfs = np.unique((tids.astype(np.int64) << 32) | docs, return_counts=True)
        self.add_counted(keys, tfs, np.asarray(lengths, np.int64).reshape(-1, 3))

    def add_counted(self, keys: np.ndarray, tfs: np.ndarray, rows: np.ndarray) -> None:
        """Buffer documents already counted: one key per (term id << 32 | doc) with its term
        frequency, and an array of (doc, length, group) rows. Every document once."""
        self._pending_docs.append(rows)
        self._pending_ids.update(rows[:, 0].tolist())
        self._pending_keys.append(keys)
        self._pending_tfs.append(tfs.astype(np.int32))
        self._pending_count += len(keys)
        if self._pending_count > FLUSH_POSTINGS:
            self.flush()

    @property
    def pending_postings(self) -> int:
        return self._pending_count

    def remove(self, doc: int, tokens: list[str]) -> None:
        """Forget a document: its length goes now, its postings at the next merge."""
        if doc in self._pending_ids:
            self.flush()
        block, slot = divmod(doc, BLOCK)
        stored = self._read_blocks([block]).get(block)
        if stored is None or stored[0][slot] < 0:
            return
        lengths, groups = stored
        lengths[slot] = REMOVED
        self._write_blocks({block: (lengths, groups)})
        terms = set(tokens)
        self.conn.executemany(
            f"UPDATE {self.name}_terms SET df = df - 1 WHERE term = ?", [(t,) for t in terms]
        )
        self.conn.executemany(
            f"DELETE FROM {self.name}_terms WHERE term = ? AND df <= 0", [(t,) for t in terms]
        )
        self._bump()

    def flush(self) -> None:
        """Write the buffered documents: one new segment per term they contain, from one sort."""
        self.write(self.sorted_pending())

    def sorted_pending(self) -> _Batch | None:
        """The buffered documents' postings sorted by term then document, taken out of the
        buffer. Pure numpy (the sort releases the GIL): the indexer sorts both indexes at once."""
        if not self._pending_docs:
            return None
        keys = np.concatenate(self._pending_keys)
        tfs = np.concatenate(self._pending_tfs)
        rows = np.concatenate(self._pending_docs)
        self._reset_pending()
        if not len(keys):  # documents without a single term
            tids, docs, tfs = np.zeros(0, np.int64), _EMPTY_I, _EMPTY_I
        elif (keys.max() >> 32) < _TID_LIMIT and rows[:, 0].max() < 1 << _DOC_BITS:
            packed = ((keys >> 32) << (_DOC_BITS + _TF_BITS)) | ((keys & 0xFFFFFFFF) << _TF_BITS)
            packed |= np.minimum(tfs, _TF_MAX)
            big = tfs >= _TF_MAX
            overflow = dict(zip(keys[big].tolist(), tfs[big].tolist(), strict=True)) if big.any() else {}
            del keys, tfs
            packed.sort()
            tids = packed >> (_DOC_BITS + _TF_BITS)
            docs = ((packed >> _TF_BITS) & ((1 << _DOC_BITS) - 1)).astype(np.int32)
            tfs = (packed & _TF_MAX).astype(np.int32)
            del packed
            if overflow:
                at = np.flatnonzero(tfs == _TF_MAX)
                tfs[at] = [overflow.get((t << 32) | d, _TF_MAX) for t, d in zip(
                    tids[at].tolist(), docs[at].tolist(), strict=True)]
        else:
            order = np.argsort(keys)
            keys, tfs = keys[order], tfs[order]
            del order
            tids = keys >> 32
            docs = (keys & 0xFFFFFFFF).astype(np.int32)
            del keys
        bounds = np.flatnonzero(tids[1:] != tids[:-1]) + 1
        starts = np.concatenate(([0], bounds))
        ends = np.concatenate((bounds, [len(tids)]))
        return _Batch(tids[starts], starts, ends, docs, tfs, rows)

    def write(self, batch: _Batch | None) -> None:
        """Store a sorted batch: document rows, document frequencies, one segment per term."""
        if batch is None:
            return
        conn, name = self.conn, self.name
        terms = [_TERMS[t] for t in batch.tids.tolist()]
        starts, ends = batch.starts.tolist(), batch.ends.tolist()
        self._store_docs(batch.rows)
        conn.executemany(
            f"INSERT INTO {name}_terms (term, df) VALUES (?, ?) "
            "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            zip(terms, (batch.ends - batch.starts).tolist(), strict=True),
        )
        seg = self._next_segment()
        # Ids as gaps and counts as they are, each in the narrowest width (1, 2 or 4 bytes)
        # that holds the term's largest.
        gaps = np.diff(batch.docs, prepend=0)
        gaps[batch.starts] = 0  # each term's first id is written whole
        if len(gaps):
            widest_gap = np.maximum.reduceat(gaps, batch.starts).tolist()
            widest_tf = np.maximum.reduceat(batch.tfs, batch.starts).tolist()
        else:
            widest_gap = widest_tf = []
        gap_bytes = {w: gaps.astype(dtype).tobytes() for w, dtype in _WIDTHS.items()}
        tf_bytes = {w: batch.tfs.astype(dtype).tobytes() for w, dtype in _WIDTHS.items()}
        firsts = batch.docs[batch.starts].tolist()
        conn.executemany(
            f"INSERT INTO {name}_postings (term, seg, ids, tfs) VALUES (?, ?, ?, ?)",
            (
                (term, seg, _ID_HEAD.pack(g, first) + gap_bytes[g][g * (a + 1) : g * b],
                 tf_bytes[t][t * a : t * b])
                for term, a, b, first, g, t in zip(
                    terms, starts, ends, firsts, map(_width, widest_gap), map(_width, widest_tf), strict=True
                )
            ),
        )
        if seg > MAX_SEGMENTS:  # before that no term can have more segments than allowed
            self._merge_crowded(terms)
        self._bump()

    def discard(self) -> None:
        """Drop the buffered documents unwritten (their transaction was rolled back)."""
        self._reset_pending()

    def _reset_pending(self) -> None:
        self._pending_keys.clear()
        self._pending_tfs.clear()
        self._pending_docs.clear()
        self._pending_ids.clear()
        self._pending_count = 0

    def clear(self) -> None:
        """Drop everything (a full rebuild starts here)."""
        self._reset_pending()
        for table in ("terms", "postings", "docs"):
            self.conn.execute(f"DELETE FROM {self.name}_{table}")
        self.store.set_meta(f"{self.name}_segment", "0")
        self._bump()

    def _store_docs(self, rows: np.ndarray) -> None:
        """Put (doc, length, group) rows into their blocks."""
        rows = rows[np.argsort(rows[:, 0], kind="stable")]
        blocks = rows[:, 0] // BLOCK
        edges = np.flatnonzero(np.diff(blocks)) + 1
        touched = blocks[np.concatenate(([0], edges))].tolist()
        stored = self._read_blocks(touched)
        out = {}
        for block, part in zip(touched, np.split(rows, edges), strict=True):
            lengths, groups = stored.get(block) or (
                np.full(BLOCK, NO_DOC, np.int32), np.zeros(BLOCK, np.int64)
            )
            slots = part[:, 0] - block * BLOCK
            lengths[slots] = part[:, 1]
            groups[slots] = part[:, 2]
            out[block] = (lengths, groups)
        self._write_blocks(out)

    def _read_blocks(self, blocks: list[int]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        out = {}
        for start in range(0, len(blocks), 500):
            chunk = blocks[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for block, lengths, groups in self.conn.execute(
                f"SELECT block, lengths, groups FROM {self.name}_docs WHERE block IN ({marks})", chunk
            ):
                out[block] = (np.frombuffer(lengths, np.int32).copy(), np.frombuffer(groups, np.int64).copy())
        return out

    def _write_blocks(self, blocks: dict[int, tuple[np.ndarray, np.ndarray]]) -> None:
        self.conn.executemany(
            f"INSERT OR REPLACE INTO {self.name}_docs (block, lengths, groups) VALUES (?, ?, ?)",
            [(b, lengths.tobytes(), groups.tobytes()) for b, (lengths, groups) in blocks.items()],
        )

    def _next_segment(self) -> int:
        key = f"{self.name}_segment"
        seg = int(self.store.get_meta(key) or 0) + 1
        self.store.set_meta(key, str(seg))
        return seg

    def _bump(self) -> None:
        key = f"{self.name}_generation"
        self.store.set_meta(key, str(int(self.store.get_meta(key) or 0) + 1))

    def _merge_crowded(self, terms: list[str]) -> None:
        crowded = []
        for start in range(0, len(terms), 500):
            chunk = terms[start : start + 500]
            marks = ",".join("?" * len(chunk))
            crowded += [
                t for (t,) in self.conn.execute(
                    f"SELECT term FROM {self.name}_postings WHERE term IN ({marks}) "
                    f"GROUP BY term HAVING COUNT(*) > {MAX_SEGMENTS}", chunk,
                )
            ]
        if not crowded:
            return
        lengths, _ = self._all_docs()
        live = lengths >= 0
        seg = self._next_segment()
        for term in crowded:
            ids, tfs = self._read_postings(term)
            keep = ids < len(live)
            keep[keep] = live[ids[keep]]
            self.conn.execute(f"DELETE FROM {self.name}_postings WHERE term = ?", (term,))
            if keep.any():
                self.conn.execute(
                    f"INSERT INTO {self.name}_postings (term, seg, ids, tfs) VALUES (?, ?, ?, ?)",
                    (term, seg, _id_bytes(ids[keep]), _tf_bytes(tfs[keep])),
                )

    def _all_docs(self) -> tuple[np.ndarray, np.ndarray]:
        """Every block as two arrays indexed by doc id: lengths (NO_DOC, REMOVED) and groups."""
        rows = self.conn.execute(f"SELECT block, lengths, groups FROM {self.name}_docs").fetchall()
        size = (max((r[0] for r in rows), default=-1) + 1) * BLOCK
        lengths = np.full(size, NO_DOC, np.int32)
        groups = np.zeros(size, np.int64)
        for block, ls, gs in rows:
            lengths[block * BLOCK : (block + 1) * BLOCK] = np.frombuffer(ls, np.int32)
            groups[block * BLOCK : (block + 1) * BLOCK] = np.frombuffer(gs, np.int64)
        return lengths, groups

    def _read_postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        rows = self.conn.execute(
            f"SELECT ids, tfs FROM {self.name}_postings WHERE term = ? ORDER BY seg", (term,)
        ).fetchall()
        return _joined([r[0] for r in rows], [r[1] for r in rows])

    # -- reading ------------------------------------------------------------------------------

    def _prepare(self, terms) -> None:
        """Bring the corpus statistics up to date and load the terms not loaded yet, all from
        one read snapshot (a write committed meanwhile cannot mix two generations)."""
        conn = self.conn
        key = f"{self.name}_generation"
        with self.store.lock:
            if (
                self._generation is not _UNREAD
                and all(t in self._terms for t in terms)
                and self.store.get_meta(key) == self._generation
            ):
                cache = self._terms
                for term in terms:
                    cache.move_to_end(term)
                return
            in_tx = conn.in_transaction
            if not in_tx:
                conn.execute("BEGIN")
            try:
                generation = self.store.get_meta(key)
                if generation != self._generation:
                    self._refresh(generation)
                cache = self._terms
                for term in terms:
                    if term not in cache:
                        self._load(term)
                    cache.move_to_end(term)
                while self._cached_bytes > CACHE_BYTES and len(cache) > len(terms):
                    _, entry = cache.popitem(last=False)  # least recently used first
                    self._cached_bytes -= entry.nbytes
            finally:
                if not in_tx:
                    conn.execute("COMMIT")

    def _refresh(self, generation: str | None) -> None:
        """Reload corpus statistics: another write has committed since the last query."""
        lengths, groups = self._all_docs()
        live = lengths >= 0
        self.live = live
        self.group = groups
        self._any_removed = bool((lengths == REMOVED).any())
        self.n_docs = int(live.sum())
        self.avgdl = float(lengths[live].sum() / self.n_docs) if self.n_docs else 0.0
        self._norms = bm25.length_norms(lengths.astype(np.float64), self.avgdl)
        self._average_idf: float | None = None
        self._acc = np.zeros(len(lengths), np.float64)
        self._seen = np.zeros(len(lengths), bool)
        self._terms: OrderedDict[str, _Term] = OrderedDict()
        self._cached_bytes = 0
        self._vocabulary: tuple[list[str], np.ndarray] | None = None
        self._generation = generation
        self._loaded = True

    @property
    def average_idf(self) -> float:
        """Mean raw idf over the vocabulary (the floor of negative idfs), read only when a
        query needs it: from one row per distinct df, not one per term."""
        if self._average_idf is None:
            rows = self.conn.execute(f"SELECT df, COUNT(*) FROM {self.name}_terms GROUP BY df").fetchall()
            dfs = np.array([r[0] for r in rows], np.float64)
            counts = np.array([r[1] for r in rows], np.float64)
            total = counts.sum()
            raw = bm25.raw_idf(self.n_docs, dfs)
            self._average_idf = float(np.sum(raw * counts) / total) if total else 0.0
        return self._average_idf

    def _idf_of(self, df: int) -> float:
        if not df:
            return 0.0
        raw = math.log(self.n_docs - df + 0.5) - math.log(df + 0.5)
        return raw if raw >= 0 else bm25.EPSILON * self.average_idf

    def _load(self, term: str) -> None:
        """Load the live postings of `term`, with their BM25 contributions and bound."""
        rows = self.conn.execute(
            f"SELECT t.df, p.ids, p.tfs FROM {self.name}_terms t "
            f"JOIN {self.name}_postings p ON p.term = t.term WHERE t.term = ? ORDER BY p.seg",
            (term,),
        ).fetchall()
        if not rows:
            self._terms[term] = _EMPTY_TERM
            return
        ids, tfs = _joined([r[1] for r in rows], [r[2] for r in rows])
        if self._any_removed:
            keep = self.live[ids]
            if not keep.all():
                ids, tfs = ids[keep], tfs[keep]
        idf = self._idf_of(rows[0][0])
        contribution = bm25.scores_from_norms(idf, tfs, self._norms[ids])
        bound = float(contribution.max()) if len(ids) else 0.0
        entry = self._terms[term] = _Term(ids, tfs, contribution, bound, None, idf)
        self._cached_bytes += entry.nbytes

    def _get(self, terms) -> list[_Term]:
        return [self._terms[term] for term in terms]

    def idf(self, term: str) -> float:
        """The term's idf (0 for a term not in the index, as rank-bm25 gives it)."""
        with self._lock:
            self._prepare([term])
            return self._terms[term].idf

    def postings(self, terms: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray, float]]:
        """term -> (doc ids, term frequencies, idf) for the given terms."""
        with self._lock:
            self._prepare(terms)
            return {t: (e.ids, e.tfs, e.idf) for t, e in zip(terms, self._get(terms), strict=True)}

    def scores(self, query: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """BM25 scores of every document containing a query term: (doc ids, scores, groups),
        by ascending doc id.

        Equal to `rank_bm25.BM25Okapi(corpus).get_scores(query)` at those documents (the others
        score 0 there too).
        """
        with self._lock:
            counts = Counter(query)
            self._prepare(counts)
            entries = [(e, c) for e, c in zip(self._get(counts), counts.values(), strict=True) if len(e.ids)]
            docs, values = self._score_all(entries)
            return docs, values, self.group[docs]

    def _score_all(self, entries: list[tuple[_Term, int]]) -> tuple[np.ndarray, np.ndarray]:
        if not entries:
            return np.zeros(0, np.int64), np.zeros(0, np.float64)
        if len(entries) == 1:
            entry, count = entries[0]
            return entry.ids.astype(np.int64), entry.contribution * count
        acc = self._acc
        for entry, count in entries:
            acc[entry.ids] += entry.contribution * count if count > 1 else entry.contribution
        postings = sum(len(e.ids) for e, _ in entries)
        if postings > len(acc) // 16:
            seen = self._seen  # marking and scanning beats sorting this many ids
            for entry, _ in entries:
                seen[entry.ids] = True
            docs = np.flatnonzero(seen)
            seen[docs] = False
        else:
            docs = _distinct(np.concatenate([e.ids for e, _ in entries]))
        values = acc[docs].copy()
        acc[docs] = 0.0
        return docs, values

    def score_docs(self, query: list[str], docs: np.ndarray) -> np.ndarray:
        """BM25 scores of the given documents (0 for those holding no query term)."""
        with self._lock:
            counts = Counter(query)
            self._prepare(counts)
            entries = [(e, c) for e, c in zip(self._get(counts), counts.values(), strict=True) if len(e.ids)]
            return _exact(entries, np.asarray(docs, np.int64))

    def top_k(
        self, query: list[str], k: int, per_group: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The `k` best documents for `query` as (doc ids, scores, groups), best first (ties:
        lower doc id first); with `per_group`, at most that many documents of one group (the
        best paragraphs of different articles). Scores and choice are exactly those of ranking
        every document with `scores`.

        Pruning, MaxScore-style: each term's score bound `U_t` and its best documents are kept
        with its loaded postings. The rarest term's documents (when few) or every term's best
        documents, scored exactly, give a threshold `theta`: the k-th best of real documents
        (under a per-group limit, of a valid choice), so no higher than the true k-th best. A
        document scoring `theta` or more falls short of all bounds by at most
        `room = sum(U) - theta`, so it holds every term whose bound exceeds `room`, with at
        least `U_t - room` from it: that term's postings above the line hold every candidate.
        When no term is that strong, the terms whose bounds together stay under `theta` cannot
        lift a document there alone: candidates come from the other (essential) terms, and
        only those the non-essential bounds could still lift are looked up in them.
        """
        empty = (np.zeros(0, np.int64), np.zeros(0, np.float64), np.zeros(0, np.int64))
        if k <= 0:
            return empty
        with self._lock:
            counts = Counter(query)
            self._prepare(counts)
            entries = [(e, c) for e, c in zip(self._get(counts), counts.values(), strict=True) if len(e.ids)]
            if not entries:
                return empty
            # Scores are always summed over `entries` in query order, as `scores` sums them, so
            # equal scores come out bit-equal on every path and ties break the same way.
            total = sum(len(e.ids) for e, _ in entries)
            # Pruning needs positive contributions (a corpus where most documents hold a term
            # gives it a negative idf floor).
            if total <= EXHAUSTIVE_BELOW or any(e.idf <= 0 for e, _ in entries):
                return self._select_all(entries, k, per_group)
            # First threshold: the rarest term's documents if they are few (but k or more),
            # else every term's best documents.
            rarest = min(entries, key=lambda ec: len(ec[0].ids))[0]
            if k <= len(rarest.ids) <= FIRST_IN_FULL:
                first = rarest.ids.astype(np.int64)
            else:
                rarest = None
                first = _distinct(np.concatenate([e.best(max(k, TOP_M)) for e, _ in entries]))
            chosen = self._select(first, _exact(entries, first), k, per_group)
            if len(chosen[0]) < k:  # fewer than k documents (or groups) there: score all
                return self._select_all(entries, k, per_group)
            theta = float(chosen[1][-1])
            slack = SLACK * (1.0 + abs(theta))
            bounds = [e.bound * c for e, c in entries]
            # A document scoring theta or more falls short of the terms' bounds by at most
            # `room` in all, so it holds every term whose bound exceeds `room`, and gets at
            # least bound - room from each: one such term's postings hold every candidate.
            room = sum(bounds) - theta + slack
            candidates = None
            for (entry, count), bound in zip(entries, bounds, strict=True):
                if bound > room:
                    if entry is rarest:  # every candidate was among the first documents
                        self.last_plan = "first"
                        return chosen
                    scaled = entry.contribution * count if count > 1 else entry.contribution
                    ids = entry.ids[scaled >= bound - room]
                    if candidates is None or len(ids) < len(candidates):
                        candidates = ids
            if candidates is not None:
                self.last_plan = "required"
                candidates = _distinct(np.concatenate((first, candidates)))
                return self._select(candidates, _exact(entries, candidates), k, per_group)
            # MaxScore: terms whose bounds together stay under theta cannot lift a document
            # to it without one of the other (essential) terms. The essential terms' documents
            # are scored on those terms (accumulated in place), and only the ones the other
            # terms' bounds could still lift to theta are looked up in the other terms.
            essential, other, below = [], [], 0.0
            for i in sorted(range(len(entries)), key=bounds.__getitem__):
                below += bounds[i]
                (essential if below >= theta - slack else other).append(entries[i])
            self.last_plan = "essential"
            acc = self._acc
            for entry, count in essential:
                acc[entry.ids] += entry.contribution * count if count > 1 else entry.contribution
            every = np.concatenate([e.ids for e, _ in essential])
            lift = sum(e.bound * c for e, c in other)
            candidates = _distinct(every[acc[every] + lift >= theta - slack])
            acc[every] = 0.0
            return self._select(candidates, _exact(entries, candidates), k, per_group)

    def _select_all(self, entries, k: int, per_group: int | None):
        self.last_plan = "all"
        docs, values = self._score_all(entries)
        return self._select(docs, values, k, per_group)

    def _select(
        self, docs: np.ndarray, values: np.ndarray, k: int, per_group: int | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The best k of scored documents, ordered by score then doc id."""
        if per_group is None and len(docs) > k:
            cut = np.partition(values, len(values) - k)[len(values) - k]
            keep = values >= cut
            docs, values = docs[keep], values[keep]
        order = np.lexsort((docs, -values))
        docs, values = docs[order], values[order]
        groups = self.group[docs]
        if per_group is not None:
            _, inverse = np.unique(groups, return_inverse=True)
            rank = _rank_within(inverse)
            keep = rank < per_group
            docs, values, groups = docs[keep], values[keep], groups[keep]
        return docs[:k], values[:k], groups[:k]

    def top_n(self, query: list[str], n: int) -> list[tuple[int, float]]:
        docs, values, _ = self.top_k(query, n)
        return [(int(d), float(v)) for d, v in zip(docs.tolist(), values.tolist(), strict=True)]

    def stats(self) -> tuple[int, float]:
        with self._lock:
            self._prepare(())
            return self.n_docs, self.avgdl

    def vocabulary(self) -> tuple[list[str], np.ndarray]:
        """Every term in the index, sorted, with its document frequency, read once per
        generation (only a question with a word the index has never seen needs it)."""
        with self._lock:
            self._prepare(())
            if self._vocabulary is None:
                with self.store.lock:
                    terms, dfs = self.conn.execute(
                        f"SELECT group_concat(term, char(10)), group_concat(df, ' ') FROM {self.name}_terms"
                    ).fetchone()
                words = terms.split("\n") if terms else []
                counts = np.array(dfs.split(), np.int64) if dfs else np.zeros(0, np.int64)
                if any(a >= b for a, b in zip(words, words[1:], strict=False)):  # key order: by code point
                    order = sorted(range(len(words)), key=words.__getitem__)
                    words, counts = [words[i] for i in order], counts[order]
                self._vocabulary = (words, counts)
            return self._vocabulary


# A segment's ids are stored as (width, first id) then the gaps between ids, its counts as
# they are, both in the narrowest of these widths that holds the largest.
_WIDTHS = {1: np.uint8, 2: np.uint16, 4: np.int32}
_ID_HEAD = struct.Struct("<Bi")


def _width(largest: int) -> int:
    return 1 if largest < 256 else 2 if largest < 65536 else 4


def _id_bytes(ids: np.ndarray) -> bytes:
    gaps = np.diff(ids)
    width = _width(int(gaps.max()) if len(gaps) else 0)
    return _ID_HEAD.pack(width, int(ids[0])) + gaps.astype(_WIDTHS[width]).tobytes()


def _tf_bytes(tfs: np.ndarray) -> bytes:
    return tfs.astype(_WIDTHS[_width(int(tfs.max()))]).tobytes()


def _ids(blob: bytes) -> np.ndarray:
    width, first = _ID_HEAD.unpack_from(blob)
    gaps = np.frombuffer(blob, _WIDTHS[width], offset=_ID_HEAD.size)
    ids = np.empty(len(gaps) + 1, np.int32)
    ids[0] = first
    np.cumsum(gaps, dtype=np.int32, out=ids[1:])
    ids[1:] += first
    return ids


def _tfs(blob: bytes, count: int) -> np.ndarray:
    return np.frombuffer(blob, _WIDTHS[len(blob) // count])


def _joined(id_parts: list[bytes], tf_parts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """One term's segments as two arrays, by ascending doc id."""
    if not id_parts:
        return _EMPTY_I, _EMPTY_I
    if len(id_parts) == 1:
        ids = _ids(id_parts[0])
        return ids, _tfs(tf_parts[0], len(ids))
    id_arrays = [_ids(p) for p in id_parts]
    ids = np.concatenate(id_arrays)
    tfs = np.concatenate([_tfs(p, len(i)) for p, i in zip(tf_parts, id_arrays, strict=True)])
    if (ids[1:] <= ids[:-1]).any():  # ids are never reused, so only out of order
        order = np.argsort(ids, kind="stable")
        ids, tfs = ids[order], tfs[order]
    return ids, tfs


def _distinct(ids: np.ndarray) -> np.ndarray:
    """Sorted distinct ids as int64 (np.unique's hashing is slower on these)."""
    ids = np.sort(ids).astype(np.int64)
    if len(ids) > 1:
        ids = ids[np.concatenate(([True], ids[1:] != ids[:-1]))]
    return ids


def _exact(entries: list[tuple[_Term, int]], docs: np.ndarray) -> np.ndarray:
    """Exact scores of `docs` (ascending): each term's contribution, looked up by binary search."""
    values = np.zeros(len(docs), np.float64)
    if not len(docs):
        return values
    for entry, count in entries:
        ids = entry.ids
        pos = np.searchsorted(ids, docs)
        np.minimum(pos, len(ids) - 1, out=pos)
        hit = ids[pos] == docs
        found = entry.contribution[pos[hit]]
        values[hit] += found * count if count > 1 else found
    return values


def _rank_within(labels: np.ndarray) -> np.ndarray:
    """For each position, how many earlier positions carry the same label."""
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_labels[1:] != sorted_labels[:-1])))
    run_start = np.repeat(starts, np.diff(np.concatenate((starts, [len(labels)]))))
    rank = np.empty(len(labels), np.int64)
    rank[order] = np.arange(len(labels)) - run_start
    return rank
