"""What members asked, whether the archive could answer, and what they thought of the answer.

Kept in a SQLite file of its own beside the archive (`archive.questions.db` next to
`archive.db`): a reindex holds the archive's write lock for its whole run, and a member's
question must be recorded at once all the same.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from index.store import connect, first_row, run_script

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at TEXT NOT NULL,
    question TEXT NOT NULL,
    found INTEGER NOT NULL,
    answer TEXT,
    confidence REAL,
    user_id INTEGER,
    guild_id INTEGER,
    channel_id INTEGER
);
CREATE INDEX IF NOT EXISTS questions_found ON questions(found, asked_at);
CREATE TABLE IF NOT EXISTS feedback (
    question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    user_id INTEGER,
    helpful INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (question_id, user_id)
)
"""


def log_path(db_path: Path) -> Path:
    return Path(db_path).with_suffix(".questions.db")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class QuestionLog:
    def __init__(self, db_path: Path) -> None:
        self.conn = connect(log_path(db_path)).conn
        self.lock = threading.Lock()
        with self.lock:
            run_script(self.conn, _SCHEMA)

    def close(self) -> None:
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
        with self.lock:
            rows = self.conn.execute(
                "SELECT MIN(question), COUNT(*), MAX(asked_at) FROM questions "
                "WHERE found = 0 AND asked_at >= ? GROUP BY lower(trim(question)) "
                "ORDER BY COUNT(*) DESC, MAX(asked_at) DESC LIMIT ?",
                (since.astimezone(UTC).isoformat(timespec="seconds"), limit),
            ).fetchall()
        return [(q, n, datetime.fromisoformat(at)) for q, n, at in rows]

    def counts(self) -> dict[str, int]:
        with self.lock:
            asked = first_row(self.conn.execute("SELECT COUNT(*) FROM questions"))[0]
            answered = first_row(self.conn.execute("SELECT COUNT(*) FROM questions WHERE found = 1"))[0]
        return {"questions_answered": answered, "questions_asked": asked}
