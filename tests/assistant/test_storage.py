"""The storage layer on SQLite (default) and on a real PostgreSQL server started by the
tests: the same code, chosen by ASSISTANT_DATABASE_URL. Several stores on one database
stand for several API replicas."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.api import create_app
from assistant.feedback import FeedbackStore
from assistant.runtime import Runtime
from assistant.sessions import SessionStore, Turn
from assistant.storage import StorageError
from assistant.zalo.store import OATokens, ZaloStore
from tests.conftest import PLAN_2026


def test_sessions_persist_trim_and_expire(tmp_path: Path, database_url: str | None) -> None:
    store = SessionStore(tmp_path / "s.sqlite3", ttl_seconds=3600, max_turns=3, url=database_url)
    for n in range(5):
        store.put("s", Turn(question=f"q{n}", answer=f"a{n}", doc_ids=["x.txt"], task_ref=["5", "b"]))
    store.close()
    replica = SessionStore(tmp_path / "s.sqlite3", ttl_seconds=3600, max_turns=3, url=database_url)
    assert [t.question for t in replica.history("s")] == ["q2", "q3", "q4"]
    assert replica.get("s").task_ref == ["5", "b"] and replica.get("missing") is None
    expired = SessionStore(tmp_path / "s.sqlite3", ttl_seconds=0.0001, url=database_url)
    time.sleep(0.01)
    assert expired.get("s") is None
    for s in (replica, expired):
        s.close()


def test_replicas_appending_to_one_session_at_once_lose_nothing(tmp_path: Path, database_url: str | None) -> None:
    replicas = [SessionStore(tmp_path / "s.sqlite3", ttl_seconds=3600, max_turns=200, url=database_url) for _ in range(2)]
    errors: list[BaseException] = []

    def talk(store: SessionStore, who: int) -> None:
        try:
            for n in range(15):
                store.put("shared", Turn(question=f"{who}-{n}"))
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=talk, args=(store, i)) for i, store in enumerate(replicas)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    questions = [t.question for t in replicas[0].history("shared")]
    assert sorted(questions) == sorted(f"{w}-{n}" for w in range(2) for n in range(15))
    for store in replicas:
        store.close()


def test_feedback_is_stored(tmp_path: Path, database_url: str | None) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3", url=database_url)
    first = store.add(session_id="s", rating="up", question="q", answer="a")
    second = store.add(session_id="s", rating="down", question="q", answer="a", comment="sai hạn", channel="zalo")
    assert second > first
    store.close()
    assert FeedbackStore(tmp_path / "f.sqlite3", url=database_url).counts() == {"up": 1, "down": 1}


def test_zalo_events_are_taken_once_across_replicas_and_tokens_kept(tmp_path: Path, database_url: str | None) -> None:
    a, b = (ZaloStore(tmp_path / "z.sqlite3", url=database_url) for _ in range(2))
    assert a.first_time("oa", "m1") is True
    assert b.first_time("oa", "m1") is False and b.first_time("bot", "m1") is True
    a.save_tokens("seed-1", OATokens("acc-1", "ref-1", 100.0))
    b.save_tokens("seed-1", OATokens("acc-2", "ref-2", 200.0))
    assert a.tokens("seed-1") == OATokens("acc-2", "ref-2", 200.0)
    assert a.tokens("another seed") is None
    a.close()
    b.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_api_replicas_share_conversations_through_postgresql(corpus_runtime: Runtime, database_url: str) -> None:
    settings = corpus_runtime.settings.model_copy(update={"database_url": SecretStr(database_url)})
    replicas = [Runtime(settings, corpus_runtime.store, corpus_runtime.embedder, corpus_runtime.segmenter) for _ in range(2)]
    with TestClient(create_app(runtime=replicas[0])) as first, TestClient(create_app(runtime=replicas[1])) as second:
        asked = first.post("/api/chat", json={"message": "Ai chủ trì nhiệm vụ 5b kế hoạch chuyển đổi số 2026?", "session_id": "pg-1"})
        assert asked.status_code == 200
        # The follow-up lands on the other replica, which knows the conversation.
        follow = second.post("/api/chat", json={"message": "hạn của nó là khi nào?", "session_id": "pg-1"}).json()
        assert (follow["citations"][0]["doc"], follow["citations"][0]["section"]) == (PLAN_2026, "III.5.b")
        shown = second.get("/api/sessions/pg-1").json()["turns"]
        assert [t["question"] for t in shown] == ["Ai chủ trì nhiệm vụ 5b kế hoạch chuyển đổi số 2026?", "hạn của nó là khi nào?"]
        rated = first.post("/api/feedback", json={"session_id": "pg-1", "rating": "up", "question": "q", "answer": "a"})
        assert rated.status_code == 201
        assert second.app.state.feedback.counts()["up"] == 1


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="cannot open the database postgresql\\+psycopg://assistant:\\*\\*\\*@127.0.0.1:9/"):
        SessionStore(tmp_path / "s.sqlite3", ttl_seconds=60, url="postgresql+psycopg://assistant:hunter2@127.0.0.1:9/x")
    with pytest.raises(StorageError, match="invalid ASSISTANT_DATABASE_URL"):
        FeedbackStore(tmp_path / "f.sqlite3", url="not a url")
