"""Logs and metrics: JSON log lines that carry the request id, and Prometheus metrics.

Nothing personal is logged by default: no question text (``ASSISTANT_LOG_MESSAGES``), no
client address, no query string. Metrics live in a registry owned by each app, not in a
process-wide one, so several apps (tests) can live side by side.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

# The id of the request being served, for every log line written while serving it.
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


def new_request_id(offered: str | None) -> str:
    """The client's ``X-Request-ID`` when it is a sane token (a proxy's id), else a new one."""
    if offered and _CLIENT_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extra fields."""

    # Record attributes that are not extra fields; uvicorn's "color_message" repeats the
    # message with terminal colour codes.
    _STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in self._STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str, *, json_lines: bool) -> None:
    """Root logging: JSON lines for the service, short text for the command line."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's own loggers would write text lines beside ours; its access log is replaced
    # by the request log below (it prints client addresses and query strings: personal data).
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True


class Metrics:
    """The service's Prometheus metrics, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "assistant_http_requests_total", "HTTP requests by route, method and status.", ["route", "method", "status"], registry=r
        )
        self.latency = Histogram(
            "assistant_http_request_seconds", "HTTP request latency by route.", ["route", "method"], buckets=_LATENCY_BUCKETS, registry=r
        )
        self.answers = Counter("assistant_answers_total", "Answers by mode and refusal.", ["mode", "refused"], registry=r)
        self.answer_latency = Histogram(
            "assistant_answer_seconds", "Time to a whole answer, by mode.", ["mode"], buckets=_LATENCY_BUCKETS, registry=r
        )
        self.retrieval = Histogram(
            "assistant_retrieval_seconds", "Retrieval time of an answer.", buckets=_LATENCY_BUCKETS, registry=r
        )
        self.generation = Histogram(
            "assistant_generation_seconds", "LLM generation time of a generated answer.", buckets=_LATENCY_BUCKETS, registry=r
        )
        self.rate_limited = Counter("assistant_rate_limited_total", "Requests refused by the rate limit.", registry=r)
        self.index_documents = Gauge("assistant_index_documents", "Documents in the serving index.", registry=r)
        self.index_chunks = Gauge("assistant_index_chunks", "Chunks in the serving index.", registry=r)
        self.index_tasks = Gauge("assistant_index_tasks", "Task records in the serving index.", registry=r)
        self.index_bytes = Gauge("assistant_index_bytes", "Size on disk of the serving index version.", registry=r)
        self.reindexes = Counter("assistant_reindex_total", "Index rebuilds by outcome.", ["outcome"], registry=r)

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)

    def observe_answer(self, body: dict[str, Any]) -> None:
        """Count a chat answer (the DESIGN.md body) and its timings."""
        mode = str(body.get("mode", "unknown"))
        timings = body.get("timings_ms") or {}
        self.answers.labels(mode, "true" if body.get("refused") else "false").inc()
        self.answer_latency.labels(mode).observe(timings.get("total", 0) / 1000)
        self.retrieval.observe(timings.get("retrieve", 0) / 1000)
        if mode == "generated":
            self.generation.observe(timings.get("generate", 0) / 1000)

    def observe_index(self, documents: int, chunks: int, tasks: int, size_bytes: int) -> None:
        self.index_documents.set(documents)
        self.index_chunks.set(chunks)
        self.index_tasks.set(tasks)
        self.index_bytes.set(size_bytes)

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)
