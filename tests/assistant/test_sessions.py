"""Conversations: follow-up questions lean on the previous turn; sessions persist and expire."""

from __future__ import annotations

import time
from pathlib import Path

from assistant.core import Assistant
from assistant.sessions import SessionStore, Turn

from tests.conftest import PLAN_2024, PLAN_2026


def test_follow_ups_keep_the_plan_and_the_task(assistant: Assistant) -> None:
    session = f"t-{time.time_ns()}"
    first = assistant.ask("Ai chủ trì nhiệm vụ 5b của kế hoạch 2024?", session)
    assert first.citations[0]["doc"] == PLAN_2024
    other_task = assistant.ask("còn nhiệm vụ 5c thì sao?", session)
    assert (other_task.citations[0]["doc"], other_task.citations[0]["section"]) == (PLAN_2024, "III.5.c")
    deadline = assistant.ask("hạn của nó là khi nào?", session)
    assert deadline.citations[0]["section"] == "III.5.c"
    assert deadline.answer.splitlines()[1].startswith("- Thời gian hoàn thành")  # the asked field first
    other_plan = assistant.ask("what about the 2026 plan?", session)
    assert (other_plan.citations[0]["doc"], other_plan.citations[0]["section"]) == (PLAN_2026, "III.5.c")
    assert other_plan.language == "en"


def test_without_a_session_nothing_is_carried(assistant: Assistant) -> None:
    assistant.ask("Ai chủ trì nhiệm vụ 5b của kế hoạch 2024?", "carry-a")
    fresh = assistant.ask("còn nhiệm vụ 5c thì sao?", "carry-b")
    assert fresh.citations[0]["doc"] == PLAN_2026  # no plan named: the most recent one


def test_sessions_survive_a_restart_and_expire(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    store = SessionStore(path, ttl_seconds=3600)
    store.put("a", Turn(doc_ids=["x.txt"], task_ref=["5", "b"], intents=["lead"]))
    store.close()
    reopened = SessionStore(path, ttl_seconds=3600)
    kept = reopened.get("a")
    assert kept == Turn(doc_ids=["x.txt"], task_ref=["5", "b"], intents=["lead"], at=kept.at)
    assert abs(kept.at - time.time()) < 60
    expired = SessionStore(path, ttl_seconds=0.0001)
    time.sleep(0.01)
    assert expired.get("a") is None
    assert reopened.get("missing") is None


def test_a_new_question_about_the_plan_does_not_inherit_the_task(assistant: Assistant) -> None:
    session = f"plan-{time.time_ns()}"
    assistant.ask("Ai chủ trì nhiệm vụ 5b của kế hoạch chuyển đổi số năm 2026?", session)
    answer = assistant.ask("Kế hoạch này đặt mục tiêu hình thành bao nhiêu phòng thí nghiệm trọng điểm cấp quốc gia?", session)
    assert all(c["section"] != "III.5.b" for c in answer.citations)
    assert answer.citations and answer.citations[0]["doc"] == PLAN_2026  # the plan is still carried


def test_switching_plan_repeats_the_previous_question(assistant: Assistant) -> None:
    session = f"switch-{time.time_ns()}"
    first = assistant.ask("Đà Nẵng có bao nhiêu km cáp quang ngầm trong mạng MAN theo kế hoạch 2024?", session)
    assert first.citations[0]["doc"] == PLAN_2024
    switched = assistant.ask("what about the 2026 plan?", session)
    assert switched.language == "en"
    assert all(c["doc"] == PLAN_2026 for c in switched.citations)  # the same question, of the other plan
    assert "Phần" not in switched.answer.splitlines()[-1]  # not the plan's cover or part heading


def test_that_task_refers_to_the_task_the_last_answer_cited(assistant: Assistant) -> None:
    session = f"cited-{time.time_ns()}"
    first = assistant.ask("Đà Nẵng có bao nhiêu km cáp quang ngầm trong mạng MAN theo kế hoạch 2024?", session)
    cited = next((c for c in first.citations if (c["doc"], c["section"]) in assistant._task_by_key), None)
    follow = assistant.ask("Ai chủ trì nhiệm vụ đó?", session)
    if cited is not None:
        assert (follow.citations[0]["doc"], follow.citations[0]["section"]) == (cited["doc"], cited["section"])
    else:  # the answer rested on no task: nothing to carry, the plan still is
        assert follow.citations[0]["doc"] == PLAN_2024


def test_a_session_keeps_its_last_turns(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "sessions.sqlite3", ttl_seconds=3600, max_turns=3)
    for n in range(5):
        store.put("s", Turn(question=f"q{n}", answer=f"a{n}"))
    store.put("other", Turn(question="elsewhere"))
    assert [t.question for t in store.history("s")] == ["q2", "q3", "q4"]
    assert store.get("s").answer == "a4"
    assert [t.question for t in store.history("other")] == ["elsewhere"]


def test_this_plan_means_the_plan_just_discussed(assistant: Assistant) -> None:
    session = f"this-plan-{time.time_ns()}"
    assistant.ask("Ai chủ trì nhiệm vụ 5b của kế hoạch chuyển đổi số năm 2026?", session)
    # "Kế hoạch này" names the kind every plan shares; the question is about the 2026 plan.
    answer = assistant.ask("Kế hoạch này đặt mục tiêu hình thành bao nhiêu phòng thí nghiệm trọng điểm?", session)
    assert answer.citations and all(c["doc"] == PLAN_2026 for c in answer.citations)
    assert "02" in answer.answer
