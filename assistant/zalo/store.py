"""What the Zalo channel must remember across restarts: message ids already taken (Zalo
retries an event it thinks was not delivered) and the OA tokens after a refresh (a refresh
token works once, so the new pair must outlive the process)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, insert, select
from sqlalchemy.exc import IntegrityError

from assistant.storage import open_database, writer_lock

SEEN_DAYS = 7  # Zalo retries within minutes; a week is ample and keeps the table small

_metadata = MetaData()
_seen = Table(
    "seen",
    _metadata,
    Column("channel", String(16), primary_key=True),
    Column("msg_id", String(128), primary_key=True),
    Column("at", Float, index=True),
)
_tokens = Table(
    "oa_tokens",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # one row: id 1
    Column("seed", String(64)),
    Column("access_token", Text),
    Column("refresh_token", Text),
    Column("expires_at", Float),
)


@dataclass(frozen=True)
class OATokens:
    """An OA access token, the refresh token that renews it, and when it expires (epoch s)."""

    access_token: str
    refresh_token: str
    expires_at: float


class ZaloStore:
    """Tables ``seen`` (channel, message id) and ``oa_tokens``, in SQLite or the shared database."""

    def __init__(self, path: Path, *, url: str | None = None) -> None:
        self._engine = open_database(url, path, _metadata)
        self._lock = writer_lock(self._engine)
        with self._lock, self._engine.begin() as db:
            db.execute(delete(_seen).where(_seen.c.at < time.time() - SEEN_DAYS * 86400))

    def first_time(self, channel: str, msg_id: str) -> bool:
        """Record ``msg_id``; False when it was recorded before (a retried event)."""
        try:
            with self._lock, self._engine.begin() as db:
                db.execute(insert(_seen).values(channel=channel, msg_id=msg_id, at=time.time()))
            return True
        except IntegrityError:
            return False  # the primary key says another request (or replica) took it first

    def tokens(self, seed: str) -> OATokens | None:
        """Tokens saved after a refresh that started from the configured refresh token ``seed``.
        A different configured token (an operator pasted a new pair) makes them void."""
        query = select(_tokens.c.seed, _tokens.c.access_token, _tokens.c.refresh_token, _tokens.c.expires_at)
        with self._lock, self._engine.connect() as db:
            row = db.execute(query.where(_tokens.c.id == 1)).first()
        if row is None or row[0] != _digest(seed):
            return None
        return OATokens(row[1], row[2], row[3])

    def save_tokens(self, seed: str, tokens: OATokens) -> None:
        """Keep refreshed tokens, tied to the configured refresh token they descend from."""
        row = dict(
            id=1, seed=_digest(seed), access_token=tokens.access_token, refresh_token=tokens.refresh_token, expires_at=tokens.expires_at
        )
        with self._lock, self._engine.begin() as db:
            db.execute(delete(_tokens).where(_tokens.c.id == 1))
            db.execute(insert(_tokens).values(**row))

    def close(self) -> None:
        """Close the database connections."""
        self._engine.dispose()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
