"""The ``assistant`` command: output, ``--json`` = HTTP body, exit codes on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.runtime import Runtime

from tests.conftest import CORPUS, PLAN_2024, PLAN_2026


@pytest.fixture()
def env(corpus_runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Path:
    data_dir = corpus_runtime.settings.data_dir
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(CORPUS))
    monkeypatch.setenv("ASSISTANT_EMBEDDING", "hash")
    monkeypatch.setenv("ASSISTANT_LLM", "none")
    return data_dir


def test_ask_json_is_the_http_body(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "Ai chủ trì nhiệm vụ 5b kế hoạch 2026?", "--json", "--session", "s1"]) == 0
    body = json.loads(capsys.readouterr().out)
    # DESIGN.md's fields in order, then the added "generation"
    assert list(body) == ["answer", "refused", "mode", "session_id", "language", "citations", "timings_ms", "generation"]
    assert body["session_id"] == "s1" and body["citations"][0]["doc"] == PLAN_2026


def test_ask_prints_answer_and_sources(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "Nhiệm vụ 2a kế hoạch 93/KH-UBND do ai chủ trì?"]) == 0
    out = capsys.readouterr().out
    assert "[1]" in out and PLAN_2024 in out and "dòng" in out


@pytest.mark.parametrize("question", ["", "   ", "x" * 10_000])
def test_ask_bad_input_exits_2(env: Path, question: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", question]) == 2
    err = capsys.readouterr().err
    assert "/" in err and err.strip()


def test_search_and_tasks_json(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "hóa đơn điện tử máy tính tiền", "--k", "2", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert len(hits) == 2 and "score" in hits[0]
    assert main(["tasks", "--doc", PLAN_2026, "--agency", "Sở KH&CN", "--due-before", "2026-06", "--json"]) == 0
    tasks = json.loads(capsys.readouterr().out)["tasks"]
    assert tasks and all(t["deadline"]["end"] <= "2026-06-30" for t in tasks)
    assert all("Sở Khoa học và Công nghệ" in t["lead"] + t["coordinating"] for t in tasks)


def test_tasks_unknown_document_exits_2(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tasks", "--doc", "nope.txt"]) == 2
    assert "nope.txt" in capsys.readouterr().err


def test_ingest_missing_path_exits_2(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "/definitely/not/here"]) == 2


def test_ingest_unchanged_is_a_no_op(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--quiet"]) == 0
    assert "giữ nguyên 5" in capsys.readouterr().out


def test_eval_bad_gold_exits_2(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("{not json}\n", encoding="utf-8")
    assert main(["eval", "--gold", str(gold)]) == 2
