"""What members asked, whether the archive could answer, and what they thought of the answer.

Kept in a SQLite file of its own beside the archive (`archive.questions.db` next to
`archive.db`): a reindex holds the archive's write lock for its whole run, and a member's
question must be recorded at once all the same.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from index import schema
from index.schema import questions_path
from index.store import first_row


def log_path(db_path: Path) -> Path:
    return questions_path(db_path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class QuestionLog:
    def __init__(self, db_path: Path, *, write: bool = True) -> None:
        """`write=False` opens the log read-only (for counts); a missing log counts nothing."""
        self.path = log_path(db_path)
        self.read_only = not write
        self.lock = threading.Lock()
        self.conn = None
        if write or self.path.exists():
            self.conn = schema.open_db(self.path, schema.QUESTIONS, write=write)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    def record_question(
        self, question: str, found: bool, answer: str | None, confidence: float,
        user_id: int | None, guild_id: int | None, channel_id: int | None,
    ) -> int:
        with self.lock:
            cur = self.conn.execute(
                "INSERT INTO questions (asked_at, question, found, answer, confidence, user_id, "
                "guild_id, channel_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (_now(), question, int(found), answer, confidence, user_id, guild_id, channel_id),
            )
            return cur.lastrowid

    def record_feedback(self, question_id: int, helpful: bool, user_id: int | None) -> None:
        with self.lock:
            self.conn.execute(
                "INSERT INTO feedback (question_id, user_id, helpful, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(question_id, user_id) DO UPDATE SET helpful = excluded.helpful, "
                "at = excluded.at",
                (question_id, user_id, int(helpful), _now()),
            )

    def unanswered(self, since: datetime, limit: int) -> list[tuple[str, int, datetime]]:
        if self.conn is None:
            return []
        with self.lock:
            rows = self.conn.execute(
                "SELECT MIN(question), COUNT(*), MAX(asked_at) FROM questions "
                "WHERE found = 0 AND asked_at >= ? GROUP BY lower(trim(question)) "
                "ORDER BY COUNT(*) DESC, MAX(asked_at) DESC LIMIT ?",
                (since.astimezone(UTC).isoformat(timespec="seconds"), limit),
            ).fetchall()
        return [(q, n, datetime.fromisoformat(at)) for q, n, at in rows]

    def counts(self) -> dict[str, int]:
        if self.conn is None:
            return {"questions_answered": 0, "questions_asked": 0}
        with self.lock:
            asked = first_row(self.conn.execute("SELECT COUNT(*) FROM questions"))[0]
            answered = first_row(self.conn.execute("SELECT COUNT(*) FROM questions WHERE found = 1"))[0]
        return {"questions_answered": answered, "questions_asked": asked}
