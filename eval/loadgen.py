"""Load generator: N concurrent clients for S seconds against a running assistant, in a
process of its own (so the service's CPU is not shared with the clients' bookkeeping in
one interpreter). Each client loops over a mix of searches and structured chat questions.

    python -m eval.loadgen --url http://127.0.0.1:8765 --clients 50 --seconds 60

Prints one JSON object: requests, errors (non-2xx or transport), status counts, requests
per second, and latency percentiles per endpoint.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from collections import Counter

import httpx

from eval.metrics import percentile

# Questions the plans answer from their records (structured mode), and search queries.
CHAT_QUESTIONS = [
    "Ai chủ trì nhiệm vụ 5b của kế hoạch chuyển đổi số năm 2026?",
    "Nhiệm vụ 2a kế hoạch 2024 do ai chủ trì, hạn khi nào?",
    "Thời hạn hoàn thành nhiệm vụ 3c kế hoạch 2026?",
    "Cơ quan phối hợp nhiệm vụ 1a kế hoạch chuyển đổi số 2024 là những ai?",
    "Who leads task 4b of the 2026 digital transformation plan?",
    "ai chu tri nhiem vu 6a ke hoach 2026",
]
SEARCH_QUERIES = [
    "an toàn thông tin mạng",
    "dịch vụ công trực tuyến toàn trình",
    "trung tâm dữ liệu thành phố",
    "nền tảng số dùng chung",
    "kỹ năng số cho người dân",
    "thanh toan khong dung tien mat",
    "digital government platform",
    "chỉ tiêu tỷ lệ hồ sơ trực tuyến năm 2026",
]


async def _client(http: httpx.AsyncClient, deadline: float, seed: int, results: list[tuple[str, int, float]]) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        if rng.random() < 0.5:
            endpoint, call = "search", http.get("/api/search", params={"q": rng.choice(SEARCH_QUERIES), "k": 10})
        else:
            endpoint, call = "chat", http.post("/api/chat", json={"message": rng.choice(CHAT_QUESTIONS)})
        started = time.perf_counter()
        try:
            response = await call
            status = response.status_code
        except httpx.HTTPError:
            status = 0  # transport error: refused, reset, timed out
        results.append((endpoint, status, (time.perf_counter() - started) * 1000))


async def run(url: str, clients: int, seconds: float) -> dict[str, object]:
    """Drive the load and summarise it."""
    results: list[tuple[str, int, float]] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60.0, limits=limits) as http:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(*(_client(http, deadline, seed, results) for seed in range(clients)))
        elapsed = time.monotonic() - started
    statuses = Counter(status for _, status, _ in results)
    summary: dict[str, object] = {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(results),
        "errors": sum(1 for _, status, _ in results if not 200 <= status < 300),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "rps": round(len(results) / elapsed, 1) if elapsed else 0.0,
    }
    for endpoint in ("search", "chat"):
        latencies = [ms for name, _, ms in results if name == endpoint]
        summary[endpoint] = {
            "requests": len(latencies),
            **{f"p{q}": round(percentile(latencies, q), 1) for q in (50, 95, 99)},
        }
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8765")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    summary = asyncio.run(run(args.url, args.clients, args.seconds))
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
