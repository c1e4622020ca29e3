"""The inverted index in SQLite: per term, the documents that contain it and how often.

A query reads only its own terms' postings, so its cost follows those terms, not the archive's
size. Postings are written in segments: a reindex or a new article appends one segment per term
it touches, without rewriting what is there, and a term with too many segments is merged back
into one (dropping removed documents) on the next write. Removed documents are forgotten at once
through the document-length table, which is also what every query reads for |d|.

Two indexes share this code: paragraphs (what is ranked and cited) and whole articles (title
plus text: the context a paragraph is read in).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict, defaultdict

import numpy as np

from index import bm25
from index.store import Store

MAX_SEGMENTS = 8
CACHE_BYTES = 96 * 1024 * 1024


class _TermIds(dict):
    """term -> a small integer, for sorting postings in bulk; ids live as long as the process."""

    def __missing__(self, term: str) -> int:
        tid = self[term] = len(_TERMS)
        _TERMS.append(term)
        return tid


_TERMS: list[str] = []
_TERM_IDS = _TermIds()


def term_ids(tokens: list[str]) -> np.ndarray:
    return np.fromiter(map(_TERM_IDS.__getitem__, tokens), np.int64, len(tokens))


class InvertedIndex:
    """BM25 over one kind of document, stored in `{name}_terms`, `{name}_postings`, `{name}_docs`
    (defined in `index.schema`)."""

    def __init__(self, store: Store, name: str) -> None:
        self.store = store
        self.name = name
        self.conn = store.conn
        self._lock = threading.RLock()
        self._generation: str | None = None
        self._loaded = False  # statistics read at least once (an empty index has no generation)
        self._pending_keys: list[np.ndarray] = []
        self._pending_docs: list[tuple[int, int, int]] = []
        self._pending_ids: set[int] = set()
        self._pending_count = 0  # its tables are in `index.schema`

    # -- writing (inside Store.transaction) ---------------------------------------------------

    def add(self, doc: int, tokens: list[str], group: int = 0) -> None:
        """Buffer one document (`group`: the article a paragraph belongs to); `flush` stores it."""
        self.add_many(np.full(len(tokens), doc, np.int64), term_ids(tokens), [(doc, len(tokens), group)])

    def add_many(self, docs: np.ndarray, tids: np.ndarray, lengths: list[tuple[int, int, int]]) -> None:
        """Buffer documents given as parallel arrays (one entry per token: its document and its
        term id from `term_ids`) and their (doc, length, group) rows."""
        self._pending_docs.extend(lengths)
        self._pending_ids.update(doc for doc, _, _ in lengths)
        self._pending_keys.append((tids << 32) | docs)
        self._pending_count += len(tids)
        if self._pending_count > 8_000_000:
            self.flush()

    def remove(self, doc: int, tokens: list[str]) -> None:
        """Forget a document: its length row goes now, its postings at the next merge."""
        if doc in self._pending_ids:
            self.flush()
        self.conn.execute(f"DELETE FROM {self.name}_docs WHERE doc = ?", (doc,))
        terms = set(tokens)
        self.conn.executemany(
            f"UPDATE {self.name}_terms SET df = df - 1 WHERE term = ?", [(t,) for t in terms]
        )
        self.conn.executemany(
            f"DELETE FROM {self.name}_terms WHERE term = ? AND df <= 0", [(t,) for t in terms]
        )
        self._bump()

    def flush(self) -> None:
        """Write the buffered documents: one new segment per term they contain."""
        if not self._pending_docs:
            return
        conn, name = self.conn, self.name
        keys, tfs = np.unique(np.concatenate(self._pending_keys), return_counts=True)
        tids = keys >> 32
        docs = (keys & 0xFFFFFFFF).astype(np.int32)
        tfs = tfs.astype(np.int32)
        bounds = np.flatnonzero(np.diff(tids)) + 1
        starts = np.concatenate(([0], bounds))
        ends = np.concatenate((bounds, [len(tids)]))
        terms = [_TERMS[t] for t in tids[starts].tolist()]
        conn.executemany(
            f"INSERT OR REPLACE INTO {name}_docs (doc, length, grp) VALUES (?, ?, ?)", self._pending_docs
        )
        conn.executemany(
            f"INSERT INTO {name}_terms (term, df) VALUES (?, ?) "
            "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            zip(terms, (ends - starts).tolist(), strict=True),
        )
        seg = self._next_segment()
        conn.executemany(
            f"INSERT INTO {name}_postings (term, seg, ids, tfs) VALUES (?, ?, ?, ?)",
            (
                (term, seg, docs[a:b].tobytes(), tfs[a:b].tobytes())
                for term, a, b in zip(terms, starts.tolist(), ends.tolist(), strict=True)
            ),
        )
        key = f"{name}_max_doc"
        highest = max(int(self.store.get_meta(key) or 0), max(self._pending_ids))
        self.store.set_meta(key, str(highest))
        self._pending_keys.clear()
        self._pending_docs.clear()
        self._pending_ids.clear()
        self._pending_count = 0
        self._merge_crowded(terms)
        self._bump()

    def clear(self) -> None:
        """Drop everything (a full rebuild starts here)."""
        self._pending_keys.clear()
        self._pending_docs.clear()
        self._pending_ids.clear()
        self._pending_count = 0
        for table in ("terms", "postings", "docs"):
            self.conn.execute(f"DELETE FROM {self.name}_{table}")
        self._bump()

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
        live = self._live_mask()
        seg = self._next_segment()
        for term in crowded:
            ids, tfs = self._read_postings(term)
            keep = ids < len(live)
            keep[keep] = live[ids[keep]]
            self.conn.execute(f"DELETE FROM {self.name}_postings WHERE term = ?", (term,))
            if keep.any():
                self.conn.execute(
                    f"INSERT INTO {self.name}_postings (term, seg, ids, tfs) VALUES (?, ?, ?, ?)",
                    (term, seg, ids[keep].tobytes(), tfs[keep].tobytes()),
                )

    def _live_mask(self) -> np.ndarray:
        docs = np.fromiter(
            (d for (d,) in self.conn.execute(f"SELECT doc FROM {self.name}_docs")), np.int64
        )
        mask = np.zeros(int(docs.max()) + 1 if len(docs) else 0, bool)
        mask[docs] = True
        return mask

    def _read_postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        rows = self.conn.execute(
            f"SELECT ids, tfs FROM {self.name}_postings WHERE term = ? ORDER BY seg", (term,)
        ).fetchall()
        if not rows:
            return np.zeros(0, np.int32), np.zeros(0, np.int32)
        ids = np.concatenate([np.frombuffer(r[0], np.int32) for r in rows])
        tfs = np.concatenate([np.frombuffer(r[1], np.int32) for r in rows])
        return ids, tfs

    # -- reading ------------------------------------------------------------------------------

    def _refresh(self) -> None:
        """Reload corpus statistics when another write has committed since the last query."""
        generation = self.store.get_meta(f"{self.name}_generation")
        if self._loaded and generation == self._generation:
            return
        conn = self.conn
        with self.store.lock:
            in_tx = conn.in_transaction
            if not in_tx:
                conn.execute("BEGIN")
            try:
                generation = self.store.get_meta(f"{self.name}_generation")
                max_doc = int(self.store.get_meta(f"{self.name}_max_doc") or 0)
                rows = conn.execute(f"SELECT doc, length, grp FROM {self.name}_docs").fetchall()
                dfs = np.fromiter(
                    (d for (d,) in conn.execute(f"SELECT df FROM {self.name}_terms")), np.float64
                )
            finally:
                if not in_tx:
                    conn.execute("COMMIT")
        docs = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        lengths = np.fromiter((r[1] for r in rows), np.float64, len(rows))
        groups = np.fromiter((r[2] for r in rows), np.int64, len(rows))
        size = max(max_doc, int(docs.max()) if len(docs) else 0) + 1
        self.doc_len = np.zeros(size, np.float64)
        self.doc_len[docs] = lengths
        self.live = np.zeros(size, bool)
        self.live[docs] = True
        self.group = np.zeros(size, np.int64)
        self.group[docs] = groups
        # Ids start at 1 and deleted ones leave holes: only then must postings be filtered.
        self._any_dead = len(docs) < size - 1
        self.n_docs = len(docs)
        self.avgdl = float(lengths.sum() / len(docs)) if len(docs) else 0.0
        self.average_idf = bm25.mean_idf(self.n_docs, dfs)
        self._acc = np.zeros(size, np.float64)
        self._seen = np.zeros(size, bool)
        self._df: dict[str, int] = {}
        self._postings: OrderedDict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = OrderedDict()
        self._cached_bytes = 0
        self._vocabulary: tuple[list[str], np.ndarray] | None = None
        self._generation = generation
        self._loaded = True

    def _lookup(self, terms: list[str]) -> None:
        """Fetch the live postings of the terms not cached yet, with their BM25 contributions.

        Within one generation idf and avgdl are fixed, so each posting's contribution is computed
        once and a query only adds cached arrays.
        """
        missing = [t for t in terms if t not in self._postings]
        if not missing:
            return
        marks = ",".join("?" * len(missing))
        for term, df in self.conn.execute(
            f"SELECT term, df FROM {self.name}_terms WHERE term IN ({marks})", missing
        ):
            self._df[term] = df
        parts: dict[str, list[tuple[bytes, bytes]]] = defaultdict(list)
        for term, ids, tfs in self.conn.execute(
            f"SELECT term, ids, tfs FROM {self.name}_postings WHERE term IN ({marks}) "
            "ORDER BY term, seg", missing,
        ):
            parts[term].append((ids, tfs))
        empty = np.zeros(0, np.int32)
        for term in missing:
            chunks = parts.get(term, [])
            ids = np.concatenate([np.frombuffer(i, np.int32) for i, _ in chunks] or [empty])
            tfs = np.concatenate([np.frombuffer(f, np.int32) for _, f in chunks] or [empty])
            if self._any_dead:
                keep = self.live[ids]
                ids, tfs = ids[keep], tfs[keep]
            contribution = bm25.term_scores(self.idf(term), tfs, self.doc_len[ids], self.avgdl)
            self._postings[term] = (ids, tfs, contribution)
            self._cached_bytes += ids.nbytes + tfs.nbytes + contribution.nbytes
        while self._cached_bytes > CACHE_BYTES and len(self._postings) > len(terms):
            _, arrays = self._postings.popitem(last=False)
            self._cached_bytes -= sum(a.nbytes for a in arrays)

    def idf(self, term: str) -> float:
        """The term's idf (0 for a term not in the index, as rank-bm25 gives it)."""
        df = self._df.get(term)
        return 0.0 if not df else bm25.idf(self.n_docs, df, self.average_idf)

    def postings(self, terms: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray, float]]:
        """term -> (doc ids, term frequencies, idf) for the given terms."""
        with self._lock:
            self._refresh()
            self._lookup(terms)
            out = {}
            for term in terms:
                ids, tfs, _ = self._postings[term]
                self._postings.move_to_end(term)
                out[term] = (ids, tfs, self.idf(term))
            return out

    def scores(self, query: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """BM25 scores of every document containing a query term: (doc ids, scores, groups).

        Equal to `rank_bm25.BM25Okapi(corpus).get_scores(query)` at those documents (the others
        score 0 there too).
        """
        with self._lock:
            self._refresh()
            counts = Counter(query)
            self._lookup(list(counts))
            acc = self._acc
            touched = []
            for term, count in counts.items():
                ids, _, contribution = self._postings[term]
                self._postings.move_to_end(term)
                if not len(ids):
                    continue
                acc[ids] += count * contribution if count > 1 else contribution
                touched.append(ids)
            if not touched:
                return np.zeros(0, np.int64), np.zeros(0, np.float64), np.zeros(0, np.int64)
            postings = sum(len(ids) for ids in touched)
            if len(touched) == 1:
                docs = touched[0].astype(np.int64)
            elif postings > len(acc) // 16:
                seen = self._seen  # marking and scanning beats sorting this many ids
                for ids in touched:
                    seen[ids] = True
                docs = np.flatnonzero(seen)
                seen[docs] = False
            else:
                docs = np.unique(np.concatenate(touched))
            values = acc[docs].copy()
            acc[docs] = 0.0
            return docs, values, self.group[docs]

    def top_n(self, query: list[str], n: int) -> list[tuple[int, float]]:
        docs, values, _ = self.scores(query)
        if len(docs) > n:
            best = np.argpartition(-values, n - 1)[:n]
            docs, values = docs[best], values[best]
        order = np.lexsort((docs, -values))
        return [(int(docs[i]), float(values[i])) for i in order]

    def stats(self) -> tuple[int, float]:
        with self._lock:
            self._refresh()
            return self.n_docs, self.avgdl

    def vocabulary(self) -> tuple[list[str], np.ndarray]:
        """Every term in the index, sorted, with its document frequency, read once per
        generation (only a question with a word the index has never seen needs it)."""
        with self._lock:
            self._refresh()
            if self._vocabulary is None:
                with self.store.lock:
                    rows = self.conn.execute(
                        f"SELECT term, df FROM {self.name}_terms ORDER BY term"
                    ).fetchall()
                self._vocabulary = (
                    [t for t, _ in rows], np.fromiter((d for _, d in rows), np.int64, len(rows))
                )
            return self._vocabulary
