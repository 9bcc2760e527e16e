"""The SQLite files under the data directory (sessions, feedback, Zalo): opened the same way."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_sqlite(path: Path, *statements: str) -> sqlite3.Connection:
    """A connection to ``path`` (its folder made if needed) that worker threads may share
    (callers hold their own lock), after running ``statements`` (the schema) in one transaction."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), check_same_thread=False)
    with db:
        for statement in statements:
            db.execute(statement)
    return db
