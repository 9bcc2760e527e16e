"""What the widget and the console need from the API: feedback, suggested questions, source
lines, CSV export, CORS limited to the configured origins, the console's framing policy."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.runtime import Runtime

from tests.conftest import PLAN_2026


@pytest.fixture(scope="module")
def client(corpus_runtime: Runtime):
    settings = corpus_runtime.settings.model_copy(update={"cors_origins": "https://danang.gov.vn,https://www.danang.gov.vn"})
    with TestClient(create_app(settings, runtime=corpus_runtime)) as test_client:
        yield test_client


def test_feedback_is_stored_and_validated(client: TestClient) -> None:
    counts = client.app.state.feedback.counts()
    stored = client.post("/api/feedback", json={"session_id": "s1", "rating": "down", "question": "q", "answer": "a"})
    assert stored.status_code == 201 and stored.json()["id"] > 0
    assert client.app.state.feedback.counts()["down"] == counts["down"] + 1
    for bad in ({"session_id": "s1", "rating": "meh"}, {"rating": "up"}, {"session_id": "bad id!", "rating": "up"}):
        response = client.post("/api/feedback", json=bad)
        assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_request"
    assert client.app.state.feedback.counts()["down"] == counts["down"] + 1


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_suggested_questions_are_answered_from_the_plans(client: TestClient, lang: str) -> None:
    suggestions = client.get("/api/suggestions", params={"lang": lang}).json()["suggestions"]
    assert len(suggestions) >= 3
    for question in suggestions:
        body = client.post("/api/chat", json={"message": question}).json()
        assert not body["refused"] and body["citations"], question


def test_source_lines_around_a_citation(client: TestClient) -> None:
    body = client.post("/api/chat", json={"message": "Ai chủ trì nhiệm vụ 5b của kế hoạch 2026?"}).json()
    citation = body["citations"][0]
    a, b = citation["lines"]
    lines = client.get(f"/api/documents/{citation['doc']}/lines", params={"start": a, "end": b}).json()
    assert [line["no"] for line in lines["lines"]] == list(range(a, b + 1))
    # The quote is the same source text, whitespace-normalised.
    assert " ".join(" ".join(line["text"] for line in lines["lines"]).split()) == citation["quote"]
    assert lines["title"] == citation["title"]


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/api/documents/khong-co.txt/lines", {}, 404, "unknown_document"),
        (f"/api/documents/{PLAN_2026}/lines", {"start": 0}, 400, "bad_lines"),
        (f"/api/documents/{PLAN_2026}/lines", {"start": 10, "end": 5}, 400, "bad_lines"),
        (f"/api/documents/{PLAN_2026}/lines", {"start": 1, "end": 5000}, 400, "too_many_lines"),
        ("/api/tasks", {"format": "xml"}, 400, "bad_format"),
        ("/api/suggestions", {"lang": "fr"}, 422, "invalid_request"),
    ],
)
def test_bad_requests(client: TestClient, path: str, params: dict, status: int, code: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status and response.json()["error"]["code"] == code


def test_tasks_export_as_csv(client: TestClient) -> None:
    params = {"doc": PLAN_2026, "agency": "Sở Y tế", "role": "lead"}
    listed = client.get("/api/tasks", params=params).json()["tasks"]
    response = client.get("/api/tasks", params={**params, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())  # Excel reads UTF-8 with a BOM
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["Mục"] for r in rows] == [t["section"] for t in listed]
    assert all("Sở Y tế" in r["Cơ quan chủ trì"] for r in rows)


def test_cors_allows_only_the_configured_origins(client: TestClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = client.options("/api/chat", headers={"Origin": "https://danang.gov.vn", **preflight})
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == "https://danang.gov.vn"
    refused = client.options("/api/chat", headers={"Origin": "https://evil.example", **preflight})
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    simple = client.get("/api/documents", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers


def test_widget_and_console_are_served(client: TestClient) -> None:
    widget = client.get("/widget.js")
    assert widget.status_code == 200 and widget.headers["content-type"].startswith("text/javascript")
    assert "attachShadow" in widget.text
    console = client.get("/")
    assert console.status_code == 200 and "frame-ancestors 'self'" in console.headers["content-security-policy"]
    assert '<html lang="vi">' in console.text
