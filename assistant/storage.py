"""Where conversations, feedback and Zalo state are kept.

By default each store is an SQLite file under the data directory. ``ASSISTANT_DATABASE_URL``
(a SQLAlchemy URL such as ``postgresql+psycopg://user:pass@db/assistant``) puts all of them
in one shared database instead, which is what several API replicas behind a load balancer
need. The stores use SQLAlchemy Core with portable statements, so the same code runs on both.
"""

from __future__ import annotations

import contextlib
import threading
from contextlib import AbstractContextManager
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError


class StorageError(RuntimeError):
    """The database cannot be reached or its URL is wrong."""


def open_database(url: str | None, sqlite_path: Path, metadata: MetaData) -> Engine:
    """An engine for ``url`` (or the SQLite file ``sqlite_path``), with ``metadata``'s
    tables created if missing."""
    if url:
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise StorageError(f"ASSISTANT_DATABASE_URL không hợp lệ / invalid ASSISTANT_DATABASE_URL: {exc}") from exc
        # pool_pre_ping: a connection the database closed (restart, idle timeout) is replaced.
        engine = create_engine(parsed, pool_pre_ping=True, pool_size=4, max_overflow=4)
    else:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(f"sqlite:///{sqlite_path}", connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        metadata.create_all(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        raise StorageError(f"Không mở được cơ sở dữ liệu / cannot open the database {where}: {exc}") from exc
    return engine


def writer_lock(engine: Engine) -> AbstractContextManager[object]:
    """What a store holds around its statements: a lock on SQLite, which takes one writer at
    a time; nothing on a database server, which has its own concurrency control."""
    return threading.Lock() if engine.dialect.name == "sqlite" else contextlib.nullcontext()


def _sqlite_pragmas(connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets readers go on while a turn is written; a busy wait instead of an error.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
