"""The load generator of the benchmark, run as its own process against a real server for a
few seconds: it reports requests, errors, statuses and latencies, and counts failures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.runtime import Runtime
from tests.web.conftest import Servers

ROOT = Path(__file__).resolve().parents[2]


def _load(url: str, clients: int, seconds: float) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "eval.loadgen", "--url", url, "--clients", str(clients), "--seconds", str(seconds)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def test_load_from_another_process_is_served_without_errors(corpus_runtime: Runtime, tmp_path: Path) -> None:
    servers = Servers(corpus_runtime, tmp_path)
    try:
        report = _load(servers.api, clients=8, seconds=3)
    finally:
        servers.stop()
    assert report["requests"] > 20 and report["errors"] == 0, report
    assert set(report["statuses"]) == {"200"}
    assert report["search"]["requests"] > 0 and report["chat"]["requests"] > 0
    assert 0 < report["search"]["p50"] <= report["search"]["p99"]


@pytest.mark.parametrize("limit", ["5/minute"])
def test_refused_requests_are_counted_as_errors(corpus_runtime: Runtime, tmp_path: Path, limit: str) -> None:
    servers = Servers(corpus_runtime, tmp_path, rate_limit=limit)
    try:
        report = _load(servers.api, clients=4, seconds=2)
    finally:
        servers.stop()
    assert report["statuses"].get("429", 0) > 0 and report["errors"] == report["statuses"]["429"]
