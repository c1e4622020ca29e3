"""The archive as its users see it: one object the CLI and every Discord cog call.

Each method is one thing a member, moderator or maintainer can do. All are blocking and safe to
run in worker threads (the bot calls them with `asyncio.to_thread`): reads share one connection
under a lock, and a reindex writes through a connection of its own, so answers keep coming from
the previous index until the reindex commits. An archive opened `read_only` (the CLI's readers)
opens the file read-only: it never migrates, never writes, and answers while another process
reindexes.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from articles.model import Article
from index.indexer import Indexer
from index.questionlog import QuestionLog
from index.results import Answer, ArticleSummary, ReindexReport, SearchHit, SearchPage
from index.schema import DamagedDatabaseError, MissingDatabaseError, StoreError
from index.store import Store
from index.tokenize import iter_terms, tokenize

ProgressCallback = Callable[[int, int, str], None]  # (done, total, current path)
MAX_RESULTS = 25  # articles per search page or `latest` list, at most
SERVING_CACHE_KB = 16 * 1024


class ReindexBusyError(RuntimeError):
    """A reindex is already running; a second one is refused rather than queued."""


class Archive:
    def __init__(self, db_path: Path, article_dirs: list[Path], *, read_only: bool = False) -> None:
        self.db_path = Path(db_path)
        self.article_dirs = [Path(d) for d in article_dirs]
        self.read_only = read_only
        self._open_lock = threading.Lock()
        self._reindex_lock = threading.Lock()
        self._store: Store | None = None
        self._indexer: Indexer | None = None
        self._log: QuestionLog | None = None

    # -- plumbing -----------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        self._open()
        return self._store

    @property
    def indexer(self) -> Indexer:
        self._open()
        return self._indexer

    @property
    def log(self) -> QuestionLog:
        return self._question_log(write=False)

    def _question_log(self, *, write: bool) -> QuestionLog:
        """The question log; a read-only archive opens it for writing only to record."""
        with self._open_lock:
            if self._log is None or (write and self._log.read_only):
                if self._log is not None:
                    self._log.close()
                self._log = QuestionLog(self.db_path, write=write or not self.read_only)
        return self._log

    def _open(self) -> None:
        if self._store is None:
            with self._open_lock:
                if self._store is None:
                    store = Store(self.db_path, write=not self.read_only)
                    # The index keeps the postings it reads in arrays of its own: serving needs
                    # little of SQLite's page cache (a reindex writes through its own store).
                    store.conn.execute(f"PRAGMA cache_size=-{SERVING_CACHE_KB}")
                    self._indexer = Indexer(store)
                    self._store = store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def is_built(self) -> bool:
        if self.read_only and self._store is None:
            try:
                self._open()
            except MissingDatabaseError:
                return False
        return self.store.get_meta("last_reindex") is not None

    def ensure_built(self, progress: ProgressCallback | None = None) -> ReindexReport | None:
        """Build the index on first use; returns the report when it had to."""
        if self.is_built():
            return None
        return self.reindex(progress=progress)

    # -- members ------------------------------------------------------------------------------

    def ask(self, question: str, *, context: str | Sequence[str] | None = None) -> Answer:
        """Answer a question; `context`: the conversation's earlier questions, oldest first."""
        from index.answers.pipeline import answer_question

        return answer_question(self, question, context=context)

    def search(
        self,
        query: str,
        *,
        author: str | None = None,
        category: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 5,
        page: int = 1,
    ) -> SearchPage:
        """Ranked paragraphs, the best one per article, filtered and paged."""
        limit = max(1, min(limit, MAX_RESULTS))
        terms = tokenize(query)
        docs, values, groups = self.indexer.paragraphs.scores(terms)
        if author or category or since or until:
            allowed = np.asarray(
                self.store.article_nums_matching(
                    author=author, category=category, since=since, until=until
                ), np.int64,
            )
            keep = np.isin(groups, allowed)
            docs, values, groups = docs[keep], values[keep], groups[keep]
        order = np.lexsort((docs, -values))
        _, first = np.unique(groups[order], return_index=True)
        best = order[np.sort(first)]
        total = len(best)
        pages = max(1, math.ceil(total / limit))
        page = max(1, min(page, pages))
        chosen = best[(page - 1) * limit : page * limit]
        summaries = self.store.summaries([int(groups[i]) for i in chosen])
        wanted = set(terms)
        hits = []
        for i in chosen:
            row = self.store.paragraph(int(docs[i]))
            if row is None:
                continue
            _, position, _, text, _ = row
            spans = [(s, e) for term, s, e in iter_terms(text) if term in wanted]
            hits.append(SearchHit(summaries[int(groups[i])], text, position, float(values[i]), spans))
        return SearchPage(query=query, hits=hits, page=page, pages=pages, total=total, per_page=limit)

    def why_no_hits(
        self,
        query: str,
        *,
        author: str | None = None,
        category: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> str:
        """Why a search found nothing, as one sentence: the words, the filters, or both."""
        if not tokenize(query):
            return f"{query!r} has only very common words; try more specific ones"
        if self.store.counts()["articles"] == 0:
            return "the archive has no articles yet"
        filters = ", ".join(
            f"{name} {value}" for name, value in (
                ("author", repr(author) if author else None),
                ("category", repr(category) if category else None),
                ("published since", since.date().isoformat() if since else None),
                ("published before", until.date().isoformat() if until else None),
            ) if value
        )
        matching = self.search(query, limit=1).total
        if not filters:
            return f"no article uses the words of {query!r}"
        kept = len(self.store.article_nums_matching(
            author=author, category=category, since=since, until=until
        ))
        if kept == 0:
            return f"no article matches {filters}" + (
                f" ({matching} without these filters)" if matching else ""
            )
        if not matching:
            return f"no article uses the words of {query!r}, with or without {filters}"
        return (f"{matching} article{'s use' if matching != 1 else ' uses'} the words of {query!r} and "
                f"{kept} match{'es' if kept == 1 else ''} {filters}, but none does both")

    def article(self, title_or_url: str) -> ArticleSummary | None:
        num = self.store.find_article(title_or_url)
        return self.store.summary(num) if num is not None else None

    def article_paragraphs(self, article_id: str) -> list[tuple[str, str, str | None]]:
        """(kind, text, credit) of an article's paragraphs, for showing the article itself."""
        num = self.store.article_num(article_id)
        if num is None:
            return []
        return [(kind, text, credit) for _, kind, text, credit in self.store.paragraphs_for(num)]

    def titles_matching(self, text: str, limit: int = 25) -> list[str]:
        return self.store.titles_matching(text, limit)

    def latest(self, n: int = 5) -> list[ArticleSummary]:
        return self.store.latest(max(1, min(n, MAX_RESULTS)))

    def published_between(
        self, since: datetime, until: datetime, category: str | None = None
    ) -> list[ArticleSummary]:
        """Articles published in [since, until), newest first."""
        return self.store.published_between(since, until, category)

    def recent_posts_between(self, since: datetime, until: datetime) -> list[dict]:
        """Recent Posts entries of archived pages dated (approximately) in [since, until)."""
        return self.store.recent_posts_between(since, until)

    def articles_after(self, num: int, limit: int = 200) -> list[tuple[int, str | None, Article]]:
        """Articles stored (new or changed) after row `num`: see `Store.articles_after`."""
        return self.store.articles_after(num, limit)

    def last_article_num(self) -> int:
        return self.store.last_article_num()

    # -- maintainers --------------------------------------------------------------------------

    def stats(self) -> dict:
        counts = {**self.store.counts(), **self.log.counts()}
        size = 0
        for suffix in ("", "-wal"):
            p = Path(str(self.db_path) + suffix)
            if p.exists():
                size += p.stat().st_size
        return {**counts, "last_reindex": self.store.get_meta("last_reindex"), "db_bytes": size}

    def reindex(
        self,
        *,
        full: bool = False,
        progress: ProgressCallback | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> ReindexReport:
        """Run the incremental reindex on a connection of its own; one at a time per process
        (`on_wait` is called if another process is writing: the run then waits for it).

        A full reindex of a damaged database file sets the file aside (`.damaged-<time>`) and
        rebuilds from the article folders; the report names the copy.
        """
        from index import reindex as reindexing

        if not self._reindex_lock.acquire(blocking=False):
            raise ReindexBusyError("a reindex is already running")
        try:
            writer, damaged_copy = self._writer(full)
            try:
                report = reindexing.reindex(
                    Indexer(writer), self.article_dirs, full=full, progress=progress, on_wait=on_wait
                )
            finally:
                writer.close()
            report.damaged_copy = damaged_copy
            return report
        finally:
            self._reindex_lock.release()

    def _writer(self, full: bool) -> tuple[Store, str | None]:
        """The reindex's own connection, and where a damaged file was put aside (full only)."""
        try:
            writer = Store(self.db_path)
            if full:
                try:
                    writer.check_integrity()
                except DamagedDatabaseError:
                    writer.close()
                    raise
        except DamagedDatabaseError:
            if not full:
                raise
            aside = self._set_aside_damaged()
            return Store(self.db_path), aside
        return writer, None

    def _set_aside_damaged(self) -> str:
        """Move a damaged database file (and its WAL) aside, keeping it for inspection."""
        with self._open_lock:
            if self._store is not None:
                self._store.close()
                self._store = None
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        aside = Path(f"{self.db_path}.damaged-{stamp}")
        try:
            for suffix in ("-wal", "-shm", ""):
                source = Path(str(self.db_path) + suffix)
                if source.exists():
                    source.rename(str(aside) + suffix)
        except OSError as exc:
            raise StoreError(f"cannot move the damaged {self.db_path} aside: {exc.strerror or exc}") from None
        return str(aside)

    def add_article(self, article: Article) -> str:
        """Index one article now (answerable at once); returns its id."""
        with self.store.transaction():
            self.indexer.ensure_current()
            self.indexer.add(article)
            self.indexer.flush()
        return article.id

    def record_question(
        self, question: str, answer: Answer, *, user_id: int | None = None,
        guild_id: int | None = None, channel_id: int | None = None,
    ) -> int:
        """Remember a question and whether it was answered; returns the question's id."""
        return self._question_log(write=True).record_question(
            question, answer.found, answer.answer, answer.confidence, user_id, guild_id, channel_id
        )

    def record_feedback(self, question_id: int, helpful: bool, *, user_id: int | None = None) -> None:
        self._question_log(write=True).record_feedback(question_id, helpful, user_id)

    def unanswered(self, days: int = 7, limit: int = 20) -> list[tuple[str, int, datetime]]:
        """Questions the archive could not answer: (question, times asked, last asked),
        most frequent first."""
        since = datetime.now(UTC) - timedelta(days=max(1, days))
        return self.log.unanswered(since, limit)
