"""Conversations: the last turns of each session, so follow-ups work ("còn nhiệm vụ 5c thì
sao?", "hạn của nó là khi nào?", "what about the 2024 plan?") and a client can show the
conversation again. Stored in SQLite under the data directory, so they survive restarts; a
session expires after its time to live."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.query import Intent, Query
from assistant.storage import open_sqlite

# Words that make a question lean on the previous turn.
_FOLLOW_UP = re.compile(
    r"^(con|the con|vay con|the|vay|and|what about|how about)\b|\b(no|do|nay|it|that|this one|that one|thi sao)\b"
)
# Words that point back at the previous *task* ("hạn của nó", "việc đó"); "kế hoạch này"
# points at the plan only.
_TASK_ANAPHOR = re.compile(r"\b(no|nhiem vu (nay|do|tren)|viec (nay|do)|it|that task|this task)\b")
# Words that point back at the previous *plan*: "kế hoạch này", "đề án đó", "this plan".
_DOCUMENT_ANAPHOR = re.compile(
    r"\b(ke hoach|de an|chuong trinh|nghi quyet|van ban) (nay|do|tren)\b|\b(this|that|the same) (plan|project|programme|document)\b"
)


@dataclass
class Turn:
    """One answered question: what it was about (for follow-ups) and what was said (so a
    client can show the conversation again after a page navigation)."""

    doc_ids: list[str] = field(default_factory=list)
    task_ref: list[str] | None = None
    intents: list[str] = field(default_factory=list)
    question: str = ""  # asked again of another plan: "what about the 2024 plan?"
    cited_task: list[str] | None = None  # the task an answer rested on: "ai chủ trì nhiệm vụ đó?"
    asked: str = ""  # the question as the user typed it
    answer: str = ""
    citations: list[dict[str, Any]] = field(default_factory=list)
    at: float = 0.0  # when it was answered (Unix time)


class SessionStore:
    """``session_id → its last turns`` in SQLite, with a time to live."""

    def __init__(self, path: Path, ttl_seconds: float, max_turns: int = 20) -> None:
        self.ttl = ttl_seconds
        self.max_turns = max_turns
        self._lock = threading.Lock()
        self._db = open_sqlite(
            path,
            "DROP TABLE IF EXISTS turns",  # the one-turn layout of 0.3
            "CREATE TABLE IF NOT EXISTS session_turns "
            "(session TEXT, seq INTEGER, turn TEXT, updated REAL, PRIMARY KEY (session, seq))",
        )

    def history(self, session_id: str, limit: int | None = None) -> list[Turn]:
        """The turns of a live session, oldest first (at most ``limit``, the most recent)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT turn, updated FROM session_turns WHERE session = ? ORDER BY seq DESC LIMIT ?",
                (session_id, limit or self.max_turns),
            ).fetchall()
        # A session lives as long as its last turn is younger than the time to live.
        if not rows or time.time() - rows[0][1] > self.ttl:
            return []
        turns = []
        for raw, _ in reversed(rows):
            try:
                turns.append(Turn(**json.loads(raw)))
            except (ValueError, TypeError):
                continue  # a damaged row costs that turn, not the conversation
        return turns

    def get(self, session_id: str) -> Turn | None:
        """The last turn of a live session."""
        turns = self.history(session_id, limit=1)
        return turns[-1] if turns else None

    def put(self, session_id: str, turn: Turn) -> None:
        """Append ``turn``; older turns beyond ``max_turns`` and expired sessions are dropped."""
        now = time.time()
        turn = replace(turn, at=turn.at or now)
        with self._lock, self._db:
            (last,) = self._db.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM session_turns WHERE session = ?", (session_id,)
            ).fetchone()
            self._db.execute(
                "INSERT INTO session_turns (session, seq, turn, updated) VALUES (?, ?, ?, ?)",
                (session_id, last + 1, json.dumps(asdict(turn), ensure_ascii=False), now),
            )
            # Every turn of a session shares its last activity time, so the session expires whole.
            self._db.execute("UPDATE session_turns SET updated = ? WHERE session = ?", (now, session_id))
            self._db.execute(
                "DELETE FROM session_turns WHERE session = ? AND seq <= ?", (session_id, last + 1 - self.max_turns)
            )
            self._db.execute("DELETE FROM session_turns WHERE updated < ?", (now - self.ttl,))

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
    if previous is None:
        return named
    if previous.doc_ids and _DOCUMENT_ANAPHOR.search(query.folded):
        # "kế hoạch này" names the kind of every plan; it means the one just discussed.
        named = [d for d in named if d in previous.doc_ids] or list(previous.doc_ids)
    if not is_follow_up(query):
        return named
    anaphor = bool(_TASK_ANAPHOR.search(query.folded))
    leans_on_task = len(query.folded.split()) <= 6 or anaphor
    task = previous.task_ref or (previous.cited_task if anaphor else None)
    if query.task_ref is None and task and leans_on_task and (named or not query.wants_list):
        query.task_ref = tuple(task)
        if not query.intents:
            query.intents = {Intent(i) for i in previous.intents}
    return named or list(previous.doc_ids)
