"""Thumbs up/down on answers ("Câu trả lời có hữu ích không?"), kept in SQLite under the
data directory (or the database of ``ASSISTANT_DATABASE_URL``) so the team can read what
users found wrong."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, func, insert, select

from assistant.storage import open_database, writer_lock

_metadata = MetaData()
_feedback = Table(
    "feedback",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Float),
    Column("session", String(128)),
    Column("rating", String(8)),
    Column("question", Text),
    Column("answer", Text),
    Column("comment", Text),
    Column("channel", String(16)),
)


class FeedbackStore:
    """Append-only ratings of answers."""

    def __init__(self, path: Path, *, url: str | None = None) -> None:
        self._engine = open_database(url, path, _metadata)
        self._lock = writer_lock(self._engine)

    def add(
        self, *, session_id: str, rating: str, question: str, answer: str, comment: str = "", channel: str = "web"
    ) -> int:
        """Store one rating; returns its id."""
        row = dict(
            at=time.time(), session=session_id, rating=rating, question=question, answer=answer, comment=comment, channel=channel
        )
        with self._lock, self._engine.begin() as db:
            result = db.execute(insert(_feedback).values(**row))
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def counts(self) -> dict[str, int]:
        """How many answers were rated up and down."""
        with self._lock, self._engine.connect() as db:
            rows = db.execute(select(_feedback.c.rating, func.count()).group_by(_feedback.c.rating)).all()
        return {"up": 0, "down": 0} | {rating: n for rating, n in rows}

    def close(self) -> None:
        """Close the database connections."""
        self._engine.dispose()
