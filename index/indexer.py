"""Putting articles into the store and both inverted indexes, and taking them out again.

The one write path: the reindex, the feed poller and `Archive.add_article` all come through
here, so an article is always stored, ranked and citable together.

An article is stored at once (its paragraph ids are needed), and its text is tokenized and
counted in batches. A large build (a reindex of many articles, a rebuild after a tokenizer
change) hands the batches to worker processes, one per core, while this process stores the next
articles; `flush` collects them and writes the postings in one sorted batch.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

import numpy as np

from articles.model import Article
from index.answers.aliases import mine_aliases
from index.postings import InvertedIndex, term_ids
from index.store import Store, first_row
from index.tokenize import TOKENIZER_VERSION, term_for, tokenize, words

BATCH_PARAGRAPHS = 2_000  # paragraphs per tokenizing batch
PARALLEL_FROM = 20_000  # paragraphs waiting for one flush before worker processes are worth starting


@contextmanager
def bulk_indexing() -> Iterator[None]:
    """Pause the cyclic garbage collector while many articles are indexed. Indexing makes
    millions of short-lived objects and no cycles (reference counting frees them), but each
    allocation burst wakes the collector, which then walks every live object: about a sixth of
    a 300,000-paragraph build."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def article_tokens(title: str, paragraph_tokens: list[list[str]]) -> list[str]:
    """An article as one document: its title (counted twice: it names the subject) and text."""
    title_tokens = tokenize(title)
    out = title_tokens + title_tokens
    for tokens in paragraph_tokens:
        out.extend(tokens)
    return out


class _Numbers(dict):
    """term -> its number in this process, in order of first sight (`_NEW` lists them)."""

    def __missing__(self, term: str) -> int:
        n = self[term] = len(_NEW)
        _NEW.append(term)
        return n


class _WordNumbers(dict):
    """word (as `words` reads it) -> the number of its term, -1 for a word that is no term:
    `tokenize` and the numbering in one lookup per word."""

    def __missing__(self, word: str) -> int:
        term = term_for(word)
        n = _NUMBERS[term] if term else -1
        if len(self) < WORD_CACHE_LIMIT:
            self[word] = n
        return n


WORD_CACHE_LIMIT = 2_000_000
_NUMBERS = _Numbers()
_WORD_NUMBERS = _WordNumbers()
_NEW: list[str] = []
_PROCESS = os.urandom(8).hex()  # tells one process's numbering from another's
_NUMBERING = threading.RLock()  # this process's numbering and `_GLOBAL_IDS`, across indexers


class Counted:
    """A batch of articles tokenized and counted, terms numbered by the process that did it.

    `keys` hold (document index in the batch << 32 | term number), unique and sorted, `tfs`
    their counts; paragraphs are numbered across the batch, articles by their place in it.
    Numbers last as long as the process, so a batch carries only the terms its process had not
    seen before (`new_terms`, numbered from `first`).
    """

    __slots__ = ("process", "first", "new_terms", "para_keys", "para_tfs", "para_lengths",
                 "art_keys", "art_tfs", "art_lengths", "aliases")

    def __init__(self, items: list[tuple[str, list[str]]]) -> None:
        number = _WORD_NUMBERS.__getitem__
        self.process, self.first = _PROCESS, len(_NEW)
        tokens: list[int] = []
        word_counts: list[int] = []
        title_tokens: list[int] = []
        title_counts: list[int] = []
        for title, texts in items:
            for text in texts:
                found = words(text)
                word_counts.append(len(found))
                tokens += map(number, found)
            found = words(title)
            title_counts.append(len(found))
            title_tokens += map(number, found)
        self.new_terms = _NEW[self.first :]
        tids, paras = _terms_only(tokens, word_counts)
        para_lengths = np.bincount(paras, minlength=len(word_counts))
        title_tids, title_arts = _terms_only(title_tokens, title_counts)
        title_lengths = np.bincount(title_arts, minlength=len(items))
        self.para_keys, self.para_tfs = _count(paras, tids)
        self.para_lengths = np.asarray(para_lengths, np.int64)
        # Each article as one document: its title twice, then its paragraphs.
        per_article = np.fromiter((len(texts) for _, texts in items), np.int64, len(items))
        article_of_para = np.repeat(np.arange(len(items), dtype=np.int64), per_article)
        self.art_keys, self.art_tfs = _count(
            np.concatenate((title_arts, title_arts, article_of_para[paras])),
            np.concatenate((title_tids, title_tids, tids)),
        )
        para_sums = np.bincount(article_of_para, weights=self.para_lengths, minlength=len(items))
        self.art_lengths = 2 * np.asarray(title_lengths, np.int64) + para_sums.astype(np.int64)
        # The names and descriptions each article gives (index.answers.aliases), mined here too.
        self.aliases = [mine_aliases(title, texts) for title, texts in items]


def _terms_only(numbers: list[int], counts: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Term numbers without the words that are no terms, and the document of each."""
    tids = np.asarray(numbers, np.int64)
    docs = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    keep = tids >= 0
    return tids[keep], docs[keep]


def _count(docs: np.ndarray, tids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.unique((docs << 32) | tids, return_counts=True)


# process -> the global term id (`postings.term_ids`) of each of its term numbers
_GLOBAL_IDS: dict[str, np.ndarray] = {}
_NO_IDS = np.zeros(0, np.int64)


def _context() -> multiprocessing.context.BaseContext:
    """Fork when this process runs one thread (nothing to re-import, no lock another thread
    could hold), else spawn (the bot reindexes from a worker thread)."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _worker_start() -> None:
    """A worker numbers terms afresh under its own name (a forked one starts with a copy of
    its parent's numbering)."""
    global _NUMBERS, _WORD_NUMBERS, _NEW, _PROCESS
    gc.disable()  # see bulk_indexing
    _NUMBERS, _WORD_NUMBERS, _NEW = _Numbers(), _WordNumbers(), []
    _PROCESS = os.urandom(8).hex()


class Indexer:
    def __init__(
        self, store: Store, *, workers: int | None = None, parallel_from: int = PARALLEL_FROM
    ) -> None:
        self.store = store
        self.workers = (os.cpu_count() or 1) if workers is None else workers
        self.parallel_from = parallel_from
        self._batch: list[tuple[int, list[int], str, list[str]]] = []
        self._batch_paragraphs = 0
        self._waiting_paragraphs = 0  # queued since the last flush
        self._queued: set[int] = set()
        self._jobs: deque[tuple[list, Future]] = deque()
        self._pool: ProcessPoolExecutor | None = None
        self._pool_processes: set[str] = set()
        self.paragraphs = InvertedIndex(store, "para")
        self.articles = InvertedIndex(store, "article")
        if not store.read_only and store.get_meta("tokenizer_version") is None:
            with store.transaction():
                if store.get_meta("tokenizer_version") is not None:
                    pass  # another writer got here first
                elif self._has_articles():
                    # Articles and no tokenizer version: a migration emptied the indexes (a new
                    # layout, `index.schema`); they are rebuilt from the stored text now.
                    self.retokenize()
                else:
                    store.set_meta("tokenizer_version", str(TOKENIZER_VERSION))

    def _has_articles(self) -> bool:
        return first_row(self.store.conn.execute("SELECT 1 FROM articles LIMIT 1")) is not None

    def ensure_current(self) -> None:
        """Rebuild the indexes if they were written by another tokenizer version (inside
        `store.transaction()`, before any write)."""
        if self.store.get_meta("tokenizer_version") != str(TOKENIZER_VERSION):
            self.retokenize()

    def add(self, article: Article, *, source_file: str | None = None) -> int:
        """Store and index an article, replacing any earlier version with the same id.

        Call inside `store.transaction()`, and `flush` before it ends; returns the article's
        row number.
        """
        try:
            old = self.store.article_num(article.id)
            if old is not None:
                self.remove(old)
            num, pids = self.store.insert_article(article, source_file=source_file)
            self._queue(num, pids, article.title, [p.text for p in article.paragraphs])
        except BaseException:
            self.discard()  # the transaction is rolled back: nothing queued may outlive it
            raise
        return num

    def _queue(self, num: int, pids: list[int], title: str, texts: list[str]) -> None:
        self._batch.append((num, pids, title, texts))
        self._queued.add(num)
        self._batch_paragraphs += len(texts) + 1
        self._waiting_paragraphs += len(texts) + 1
        if self._batch_paragraphs >= BATCH_PARAGRAPHS:
            self._submit()

    def _submit(self) -> None:
        batch, self._batch, self._batch_paragraphs = self._batch, [], 0
        if not batch:
            return
        items = [(title, texts) for _, _, title, texts in batch]
        if self._pool is None and self.workers > 1 and self._waiting_paragraphs >= self.parallel_from:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=_context(), initializer=_worker_start)
        if self._pool is not None:
            try:
                self._jobs.append((batch, self._pool.submit(Counted, items)))
            except BrokenProcessPool:
                self._pool_broke()
        if self._pool is None:
            self._count_here(batch)
            return
        while len(self._jobs) > 2 * self.workers:  # keep the workers busy, memory bounded
            self._ingest_next()

    def _count_here(self, batch: list[tuple[int, list[int], str, list[str]]]) -> None:
        with _NUMBERING:
            self._ingest(batch, Counted([(title, texts) for _, _, title, texts in batch]))

    def _ingest_next(self) -> None:
        batch, job = self._jobs.popleft()
        try:
            counted = job.result()
        except BrokenProcessPool:
            self._pool_broke()
            self._count_here(batch)
            return
        self._ingest(batch, counted)

    def _pool_broke(self) -> None:
        """A worker died (killed, out of memory, a script that starts one without a `__main__`
        guard): the rest of the build is tokenized in this process."""
        self.workers = 1
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _ingest(self, batch: list[tuple[int, list[int], str, list[str]]], counted: Counted) -> None:
        """Hand a counted batch to both indexes under the store's ids."""
        with _NUMBERING:
            global_ids = self._global_ids(counted)
        pids = np.fromiter((pid for _, ids, _, _ in batch for pid in ids), np.int64)
        nums = np.fromiter((num for num, _, _, _ in batch), np.int64, len(batch))
        para_nums = np.repeat(nums, [len(ids) for _, ids, _, _ in batch])
        keys = counted.para_keys
        self.paragraphs.add_counted(
            (global_ids[keys & 0xFFFFFFFF] << 32) | pids[keys >> 32], counted.para_tfs,
            np.column_stack((pids, counted.para_lengths, para_nums)),
        )
        keys = counted.art_keys
        self.articles.add_counted(
            (global_ids[keys & 0xFFFFFFFF] << 32) | nums[keys >> 32], counted.art_tfs,
            np.column_stack((nums, counted.art_lengths, np.zeros(len(nums), np.int64))),
        )
        for num, aliases in zip(nums.tolist(), counted.aliases, strict=True):
            self.store.insert_aliases(num, aliases)
        self._queued.difference_update(nums.tolist())

    def _global_ids(self, counted: Counted) -> np.ndarray:
        """The global term id of each of the counting process's term numbers."""
        global_ids = _GLOBAL_IDS.get(counted.process, _NO_IDS)
        if len(global_ids) != counted.first:  # a process's batches arrive in the order it made them
            raise RuntimeError("tokenized batches arrived out of order")
        if counted.new_terms:
            global_ids = np.concatenate((global_ids, term_ids(counted.new_terms)))
            _GLOBAL_IDS[counted.process] = global_ids
        if counted.process != _PROCESS:
            self._pool_processes.add(counted.process)
        return global_ids

    def _drain(self) -> None:
        """Everything queued into the indexes' write buffers."""
        self._submit()
        while self._jobs:
            self._ingest_next()

    def remove(self, num: int) -> None:
        if num in self._queued:
            self._drain()
        summary = self.store.summary(num)
        paragraphs = self.store.delete_article(num)
        token_lists = []
        for pid, text in paragraphs:
            tokens = tokenize(text)
            token_lists.append(tokens)
            self.paragraphs.remove(pid, tokens)
        if summary is not None:
            self.articles.remove(num, article_tokens(summary.title, token_lists))

    def retokenize(self) -> None:
        """Rebuild both indexes from the stored text (the tokenizer changed): every article is
        kept, whether it came from a folder or a feed. Call inside `store.transaction()`."""
        self.paragraphs.clear()
        self.articles.clear()
        self.store.conn.execute("DELETE FROM aliases")
        nums = [n for (n,) in self.store.conn.execute("SELECT num FROM articles ORDER BY num")]
        for num in nums:
            summary = self.store.summary(num)
            rows = self.store.paragraphs_for(num)
            self._queue(num, [r[0] for r in rows], summary.title if summary else "", [r[2] for r in rows])
        self.flush()
        self.store.set_meta("tokenizer_version", str(TOKENIZER_VERSION))

    def flush(self) -> None:
        """Write everything queued (call before the transaction ends). On an error nothing
        queued is kept: the transaction is rolled back, and its articles must not come back
        with the next flush."""
        try:
            self._drain()
            self._write()
        except BaseException:
            self.discard()
            raise
        finally:
            self._waiting_paragraphs = 0
            self._stop_pool()

    def _write(self) -> None:
        if self.paragraphs.pending_postings + self.articles.pending_postings < 1_000_000:
            self.paragraphs.flush()
            self.articles.flush()
            return
        with ThreadPoolExecutor(1) as sorter:  # both sorts at once (numpy sorts without the GIL)
            articles = sorter.submit(self.articles.sorted_pending)
            paragraphs = self.paragraphs.sorted_pending()
            articles = articles.result()
        self.paragraphs.write(paragraphs)
        self.articles.write(articles)

    def _stop_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        for process in self._pool_processes:
            _GLOBAL_IDS.pop(process, None)
        self._pool_processes.clear()

    def discard(self) -> None:
        """Forget everything queued and buffered, written nowhere."""
        self._batch, self._batch_paragraphs = [], 0
        for _, job in self._jobs:
            job.cancel()
        self._jobs.clear()
        self._queued.clear()
        self._stop_pool()
        self.paragraphs.discard()
        self.articles.discard()

    def clear(self) -> None:
        self.discard()
        self.paragraphs.clear()
        self.articles.clear()
        self.store.conn.execute("DELETE FROM articles")
        self.store.conn.execute("DELETE FROM files")
