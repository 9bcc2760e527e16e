"""What protects the service: rate limit with Retry-After, body limits, no stack traces,
security headers, CORS from configuration, request ids, metrics and JSON logs."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.observability import JsonFormatter, request_id_var
from assistant.runtime import Runtime


def _runtime(corpus_runtime: Runtime, **settings: object) -> Runtime:
    updated = corpus_runtime.settings.model_copy(update=settings)
    return Runtime(updated, corpus_runtime.store, corpus_runtime.embedder, corpus_runtime.segmenter)


@pytest.fixture(scope="module")
def client(corpus_runtime: Runtime):
    with TestClient(create_app(runtime=corpus_runtime)) as test_client:
        yield test_client


def test_rate_limit_answers_429_with_retry_after(corpus_runtime: Runtime) -> None:
    with TestClient(create_app(runtime=_runtime(corpus_runtime, rate_limit="3/minute"))) as client:
        codes = [client.get("/api/search", params={"q": "5G"}).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = client.get("/api/documents")
        assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        # Another client has its own allowance.
        other = client.get("/api/documents", headers={"X-Forwarded-For": "203.0.113.9"})
        assert other.status_code == 429  # the header is not trusted from an unknown peer
        assert "assistant_rate_limited_total 3.0" in client.get("/metrics").text


def test_rate_limit_off(corpus_runtime: Runtime) -> None:
    with TestClient(create_app(runtime=_runtime(corpus_runtime, rate_limit="off"))) as client:
        assert {client.get("/api/documents").status_code for _ in range(80)} == {200}


def test_oversized_bodies_are_413(client: TestClient) -> None:
    big = client.post("/api/chat", content=json.dumps({"message": "x" * 100_000}), headers={"content-type": "application/json"})
    assert big.status_code == 413 and big.json()["error"]["code"] == "body_too_large"

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(100):
            yield b" " * 1024

    streamed = client.post("/api/chat", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    long_question = client.post("/api/chat", json={"message": "a" * 2001})
    assert long_question.status_code == 413 and long_question.json()["error"]["code"] == "message_too_long"


def test_an_internal_error_shows_no_stack_trace(corpus_runtime: Runtime, monkeypatch, caplog) -> None:
    with TestClient(create_app(runtime=corpus_runtime), raise_server_exceptions=False) as client:
        def explode(*_args, **_kwargs):
            raise RuntimeError("secret internal detail /srv/path")

        monkeypatch.setattr(client.app.state.assistant, "ask", explode)
        with caplog.at_level(logging.ERROR):
            response = client.post("/api/chat", json={"message": "nhiệm vụ 5b"})
        assert response.status_code == 500
        assert response.json()["error"]["code"] == "internal"
        assert "secret" not in response.text and "Traceback" not in response.text and "/srv" not in response.text
        request_id = response.headers["X-Request-ID"]
        logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert logged and logged[0].exc_info  # the trace is in the server's log, under the request id
        assert getattr(logged[-1], "request_id", None) == request_id or request_id in caplog.text


def test_security_headers_on_pages_and_api(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'self'" in policy and "unsafe-eval" not in policy
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    api = client.get("/api/documents")
    assert api.headers["X-Content-Type-Options"] == "nosniff" and api.headers["Cache-Control"] == "no-store"
    # The widget script is embedded by other sites: no page policy, but no sniffing either.
    widget = client.get("/widget.js")
    assert "Content-Security-Policy" not in widget.headers and widget.headers["X-Content-Type-Options"] == "nosniff"


def test_cors_follows_the_configuration(corpus_runtime: Runtime) -> None:
    allowed = "https://danang.gov.vn"
    with TestClient(create_app(runtime=_runtime(corpus_runtime, cors_origins=f"{allowed}, https://dichvucong.danang.gov.vn"))) as client:
        preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
        ok = client.options("/api/chat", headers={"Origin": allowed, **preflight})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == allowed
        refused = client.options("/api/chat", headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in refused.headers
        simple = client.get("/api/documents", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in simple.headers


def test_request_ids_are_echoed_or_made(client: TestClient) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "lb-42.abc"})
    assert given.headers["X-Request-ID"] == "lb-42.abc"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces\n"})
    assert made.headers["X-Request-ID"] != "bad id with spaces\n" and len(made.headers["X-Request-ID"]) == 32


def test_metrics_count_requests_answers_and_the_index(client: TestClient) -> None:
    assert client.post("/api/chat", json={"message": "Ai chủ trì nhiệm vụ 5b kế hoạch 2026?"}).json()["mode"] == "structured"
    client.get("/api/search", params={"q": "an toàn thông tin"})
    client.get("/api/nothing-here")
    text = client.get("/metrics").text
    assert 'assistant_http_requests_total{method="POST",route="/api/chat",status="200"}' in text
    assert 'assistant_http_request_seconds_bucket{le="0.5",method="GET",route="/api/search"}' in text
    assert 'route="unmatched"' in text and "nothing-here" not in text  # raw paths never become labels
    assert 'assistant_answers_total{mode="structured",refused="false"}' in text
    assert "assistant_retrieval_seconds_count" in text
    chunks = next(line for line in text.splitlines() if line.startswith("assistant_index_chunks "))
    assert float(chunks.split()[1]) > 100
    assert "nhiệm vụ 5b" not in text


def test_logs_are_json_with_the_request_id_and_no_question(client: TestClient, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="assistant"):
        response = client.post(
            "/api/chat", json={"message": "Sở Y tế chủ trì nhiệm vụ gì riêng tư 0905123456?"}, headers={"X-Request-ID": "req-7"}
        )
    assert response.status_code == 200
    lines = [JsonFormatter().format(r) for r in caplog.records if r.name.startswith("assistant")]
    access = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "assistant.http"]
    assert access and access[-1]["request_id"] == "req-7" and access[-1]["status"] == 200
    assert all("0905123456" not in line and "riêng tư" not in line for line in lines)


def test_json_formatter_shape() -> None:
    token = request_id_var.set("abc")
    try:
        record = logging.LogRecord("assistant.x", logging.WARNING, __file__, 1, "hello %s", ("world",), None)
        record.color_message = "\x1b[36mhello\x1b[0m"  # as uvicorn adds
        record.doc = "x.txt"
        entry = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert entry["message"] == "hello world" and entry["level"] == "WARNING" and entry["request_id"] == "abc"
    assert entry["doc"] == "x.txt" and "color_message" not in entry
