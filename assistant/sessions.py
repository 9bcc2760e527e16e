"""Conversations: what the last turn was about, so follow-ups work ("còn nhiệm vụ 5c thì
sao?", "hạn của nó là khi nào?", "what about the 2024 plan?"). Stored in SQLite under the
data directory, so they survive restarts; a session expires after its time to live."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from assistant.query import Intent, Query

# Words that make a question lean on the previous turn.
_FOLLOW_UP = re.compile(
    r"^(con|the con|vay con|the|vay|and|what about|how about)\b|\b(no|do|nay|it|that|this one|that one|thi sao)\b"
)
# Words that point back at the previous *task* ("hạn của nó", "việc đó"); "kế hoạch này"
# points at the plan only.
_TASK_ANAPHOR = re.compile(r"\b(no|nhiem vu (nay|do|tren)|viec (nay|do)|it|that task|this task)\b")


@dataclass
class Turn:
    """What one answered question was about."""

    doc_ids: list[str] = field(default_factory=list)
    task_ref: list[str] | None = None
    intents: list[str] = field(default_factory=list)
    question: str = ""  # asked again of another plan: "what about the 2024 plan?"
    cited_task: list[str] | None = None  # the task an answer rested on: "ai chủ trì nhiệm vụ đó?"


class SessionStore:
    """``session_id → last turn`` in SQLite, with a time to live."""

    def __init__(self, path: Path, ttl_seconds: float) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.ttl = ttl_seconds
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        with self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS turns (session TEXT PRIMARY KEY, turn TEXT, updated REAL)")

    def get(self, session_id: str) -> Turn | None:
        """The last turn of a live session."""
        with self._lock:
            row = self._db.execute("SELECT turn, updated FROM turns WHERE session = ?", (session_id,)).fetchone()
        if row is None or time.time() - row[1] > self.ttl:
            return None
        try:
            return Turn(**json.loads(row[0]))
        except (ValueError, TypeError):
            return None

    def put(self, session_id: str, turn: Turn) -> None:
        """Remember ``turn``; expired sessions are dropped on the way."""
        now = time.time()
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO turns (session, turn, updated) VALUES (?, ?, ?)",
                (session_id, json.dumps(asdict(turn)), now),
            )
            self._db.execute("DELETE FROM turns WHERE updated < ?", (now - self.ttl,))

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def is_follow_up(query: Query) -> bool:
    """True when the question leans on the previous turn."""
    return bool(_FOLLOW_UP.search(query.folded)) or len(query.folded.split()) <= 5


def repeats_previous_question(query: Query, named: list[str], previous: Turn | None) -> bool:
    """True for a short follow-up that only switches plan ("còn kế hoạch 2024 thì sao?",
    "what about the 2024 plan?") after a question that was not about a numbered task."""
    return (
        previous is not None
        and bool(previous.question)
        and previous.task_ref is None
        and query.task_ref is None
        and bool(named)
        and set(named) != set(previous.doc_ids)
        and bool(_FOLLOW_UP.search(query.folded))
        and len(query.folded.split()) <= 8
    )


def carry_over(query: Query, named: list[str], previous: Turn | None) -> list[str]:
    """Fill what a follow-up leaves out from the previous turn; returns the documents to use."""
    if previous is None or not is_follow_up(query):
        return named
    anaphor = bool(_TASK_ANAPHOR.search(query.folded))
    leans_on_task = len(query.folded.split()) <= 6 or anaphor
    task = previous.task_ref or (previous.cited_task if anaphor else None)
    if query.task_ref is None and task and leans_on_task and (named or not query.wants_list):
        query.task_ref = tuple(task)
        if not query.intents:
            query.intents = {Intent(i) for i in previous.intents}
    return named or list(previous.doc_ids)
