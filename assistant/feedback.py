"""Thumbs up/down on answers ("Câu trả lời có hữu ích không?"), kept in SQLite under the
data directory so the team can read what users found wrong."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from assistant.storage import open_sqlite


class FeedbackStore:
    """Append-only ratings of answers."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = open_sqlite(
            path,
            "CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY, at REAL, session TEXT, "
            "rating TEXT, question TEXT, answer TEXT, comment TEXT, channel TEXT)",
        )

    def add(
        self, *, session_id: str, rating: str, question: str, answer: str, comment: str = "", channel: str = "web"
    ) -> int:
        """Store one rating; returns its id."""
        with self._lock, self._db:
            cursor = self._db.execute(
                "INSERT INTO feedback (at, session, rating, question, answer, comment, channel) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (time.time(), session_id, rating, question, answer, comment, channel),
            )
            return int(cursor.lastrowid or 0)

    def counts(self) -> dict[str, int]:
        """How many answers were rated up and down."""
        with self._lock:
            rows = self._db.execute("SELECT rating, COUNT(*) FROM feedback GROUP BY rating").fetchall()
        return {"up": 0, "down": 0} | {rating: n for rating, n in rows}

    def close(self) -> None:
        """Close the database."""
        self._db.close()
