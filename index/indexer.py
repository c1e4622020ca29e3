"""Putting articles into the store and both inverted indexes, and taking them out again.

The one write path: the reindex, the feed poller and `Archive.add_article` all come through
here, so an article is always stored, ranked and citable together.
"""

from __future__ import annotations

import numpy as np

from articles.model import Article
from index.postings import InvertedIndex, term_ids
from index.store import Store
from index.tokenize import tokenize


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

    def add(self, article: Article, *, source_file: str | None = None) -> int:
        """Store and index an article, replacing any earlier version with the same id.

        Call inside `store.transaction()`; returns the article's row number.
        """
        old = self.store.article_num(article.id)
        if old is not None:
            self.remove(old)
        num, pids = self.store.insert_article(article, source_file=source_file)
        token_lists = [tokenize(p.text) for p in article.paragraphs]
        lengths = [len(tokens) for tokens in token_lists]
        tids = term_ids([t for tokens in token_lists for t in tokens])
        self.paragraphs.add_many(
            np.repeat(np.asarray(pids, np.int64), lengths), tids,
            [(pid, n, num) for pid, n in zip(pids, lengths, strict=True)],
        )
        title_tids = term_ids(tokenize(article.title))
        whole = np.concatenate((title_tids, title_tids, tids))
        self.articles.add_many(np.full(len(whole), num, np.int64), whole, [(num, len(whole), 0)])
        return num

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

    def flush(self) -> None:
        self.paragraphs.flush()
        self.articles.flush()

    def clear(self) -> None:
        self.paragraphs.clear()
        self.articles.clear()
        self.store.conn.execute("DELETE FROM articles")
        self.store.conn.execute("DELETE FROM files")
