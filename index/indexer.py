"""Putting articles into the store and both inverted indexes, and taking them out again.

The one write path: the reindex, the feed poller and `Archive.add_article` all come through
here, so an article is always stored, ranked and citable together.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from articles.model import Article
from index.postings import InvertedIndex, term_ids
from index.store import Store, first_row
from index.tokenize import TOKENIZER_VERSION, tokenize


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


class Indexer:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.paragraphs = InvertedIndex(store, "para")
        self.articles = InvertedIndex(store, "article")
        if not store.read_only and store.get_meta("tokenizer_version") is None and not self._has_articles():
            with store.transaction():
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

        Call inside `store.transaction()`; returns the article's row number.
        """
        old = self.store.article_num(article.id)
        if old is not None:
            self.remove(old)
        num, pids = self.store.insert_article(article, source_file=source_file)
        self._index(num, article.title, pids, [p.text for p in article.paragraphs])
        return num

    def _index(self, num: int, title: str, pids: list[int], texts: list[str]) -> None:
        """Put a stored article's paragraphs and the whole article into the two indexes."""
        token_lists = [tokenize(text) for text in texts]
        lengths = [len(tokens) for tokens in token_lists]
        tids = term_ids([t for tokens in token_lists for t in tokens])
        self.paragraphs.add_many(
            np.repeat(np.asarray(pids, np.int64), lengths), tids,
            [(pid, n, num) for pid, n in zip(pids, lengths, strict=True)],
        )
        # The article as one document, as `article_tokens` spells it, from the ids at hand.
        title_tids = term_ids(tokenize(title))
        whole = np.concatenate((title_tids, title_tids, tids))
        self.articles.add_many(np.full(len(whole), num, np.int64), whole, [(num, len(whole), 0)])

    def remove(self, num: int) -> None:
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
        nums = [n for (n,) in self.store.conn.execute("SELECT num FROM articles ORDER BY num")]
        for num in nums:
            summary = self.store.summary(num)
            rows = self.store.paragraphs_for(num)
            self._index(num, summary.title if summary else "", [r[0] for r in rows], [r[2] for r in rows])
        self.store.set_meta("tokenizer_version", str(TOKENIZER_VERSION))

    def flush(self) -> None:
        self.paragraphs.flush()
        self.articles.flush()

    def clear(self) -> None:
        self.paragraphs.clear()
        self.articles.clear()
        self.store.conn.execute("DELETE FROM articles")
        self.store.conn.execute("DELETE FROM files")
