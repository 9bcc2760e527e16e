"""What the Zalo channel must remember across restarts: message ids already taken (Zalo
retries an event it thinks was not delivered) and the OA tokens after a refresh (a refresh
token works once, so the new pair must outlive the process)."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.storage import open_sqlite

SEEN_DAYS = 7  # Zalo retries within minutes; a week is ample and keeps the table small


@dataclass(frozen=True)
class OATokens:
    """An OA access token, the refresh token that renews it, and when it expires (epoch s)."""

    access_token: str
    refresh_token: str
    expires_at: float


class ZaloStore:
    """SQLite tables ``seen`` (channel, message id) and ``oa_tokens``."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = open_sqlite(
            path,
            "CREATE TABLE IF NOT EXISTS seen (channel TEXT, msg_id TEXT, at REAL, PRIMARY KEY (channel, msg_id))",
            "CREATE TABLE IF NOT EXISTS oa_tokens (id INTEGER PRIMARY KEY CHECK (id = 1), seed TEXT, "
            "access_token TEXT, refresh_token TEXT, expires_at REAL)",
        )
        with self._db:
            self._db.execute("DELETE FROM seen WHERE at < ?", (time.time() - SEEN_DAYS * 86400,))

    def first_time(self, channel: str, msg_id: str) -> bool:
        """Record ``msg_id``; False when it was recorded before (a retried event)."""
        with self._lock, self._db:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO seen (channel, msg_id, at) VALUES (?, ?, ?)", (channel, msg_id, time.time())
            )
            return cursor.rowcount == 1

    def tokens(self, seed: str) -> OATokens | None:
        """Tokens saved after a refresh that started from the configured refresh token ``seed``.
        A different configured token (an operator pasted a new pair) makes them void."""
        with self._lock:
            row = self._db.execute(
                "SELECT seed, access_token, refresh_token, expires_at FROM oa_tokens WHERE id = 1"
            ).fetchone()
        if row is None or row[0] != _digest(seed):
            return None
        return OATokens(row[1], row[2], row[3])

    def save_tokens(self, seed: str, tokens: OATokens) -> None:
        """Keep refreshed tokens, tied to the configured refresh token they descend from."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO oa_tokens (id, seed, access_token, refresh_token, expires_at) "
                "VALUES (1, ?, ?, ?, ?)",
                (_digest(seed), tokens.access_token, tokens.refresh_token, tokens.expires_at),
            )

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
