"""Conversations: the last turns of each session, so follow-ups work ("còn nhiệm vụ 5c thì
sao?", "hạn của nó là khi nào?", "what about the 2024 plan?") and a client can show the
conversation again. Stored in SQLite under the data directory, or in the database of
``ASSISTANT_DATABASE_URL`` (assistant/storage.py), so they survive restarts and are shared by
replicas; a session expires after its time to live."""

from __future__ import annotations

import json
import random
import re
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from assistant.query import Intent, Query
from assistant.storage import open_database, writer_lock

_APPEND_ATTEMPTS = 20
_metadata = MetaData()
_turns = Table(
    "session_turns",
    _metadata,
    Column("session", String(128), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("turn", Text, nullable=False),
    Column("updated", Float, nullable=False, index=True),
)

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
    """``session_id → its last turns`` in a database, with a time to live."""

    def __init__(self, path: Path, ttl_seconds: float, max_turns: int = 20, *, url: str | None = None) -> None:
        self.ttl = ttl_seconds
        self.max_turns = max_turns
        self._engine = open_database(url, path, _metadata)
        self._lock = writer_lock(self._engine)

    def history(self, session_id: str, limit: int | None = None) -> list[Turn]:
        """The turns of a live session, oldest first (at most ``limit``, the most recent)."""
        query = (
            select(_turns.c.turn, _turns.c.updated)
            .where(_turns.c.session == session_id)
            .order_by(_turns.c.seq.desc())
            .limit(limit or self.max_turns)
        )
        with self._lock, self._engine.connect() as db:
            rows = db.execute(query).all()
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
        for attempt in range(_APPEND_ATTEMPTS):
            try:
                with self._lock, self._engine.begin() as db:
                    self._append(db, session_id, json.dumps(asdict(turn), ensure_ascii=False), now)
                return
            except IntegrityError:
                # Two replicas appended to one session at once: wait a moment, take the next number.
                if attempt == _APPEND_ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0, 0.005 * (attempt + 1)))

    def _append(self, db: Any, session_id: str, raw: str, now: float) -> None:
        last = db.execute(select(func.coalesce(func.max(_turns.c.seq), 0)).where(_turns.c.session == session_id)).scalar_one()
        db.execute(insert(_turns).values(session=session_id, seq=last + 1, turn=raw, updated=now))
        # Every turn of a session shares its last activity time, so the session expires whole.
        db.execute(update(_turns).where(_turns.c.session == session_id).values(updated=now))
        db.execute(delete(_turns).where(_turns.c.session == session_id, _turns.c.seq <= last + 1 - self.max_turns))
        db.execute(delete(_turns).where(_turns.c.updated < now - self.ttl))

    def close(self) -> None:
        """Close the database connections."""
        self._engine.dispose()


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
