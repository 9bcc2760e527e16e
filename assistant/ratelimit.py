"""A sliding-window request limit per client (an IP address, a Zalo user)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


_MAX_CLIENTS = 10_000  # above this many tracked clients, idle ones are forgotten


class RateLimiter:
    """Sliding-window limit per client ("60/minute"); ``off`` disables it."""

    def __init__(self, spec: str, setting: str = "ASSISTANT_RATE_LIMIT") -> None:
        self.limit, self.window = self._parse(spec, setting)
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    @staticmethod
    def _parse(spec: str, setting: str) -> tuple[int, float]:
        if spec.strip().lower() in ("off", "0", "none", ""):
            return 0, 0.0
        count, _, unit = spec.partition("/")
        seconds = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}.get(unit.strip().lower().rstrip("s"))
        if not count.strip().isdigit() or seconds is None:
            raise ValueError(f"{setting} must look like '60/minute' or 'off', not {spec!r}")
        return int(count), float(seconds)

    def allow(self, client: str) -> bool:
        """Record a request; False when over the limit."""
        return self.retry_after(client) == 0.0

    def retry_after(self, client: str) -> float:
        """Record a request and return 0.0, or, over the limit, the seconds until the
        oldest request in the window leaves it (what ``Retry-After`` says)."""
        if not self.limit:
            return 0.0
        now = time.monotonic()
        with self._lock:
            if len(self._hits) > _MAX_CLIENTS:
                self._forget_idle(now)
            hits = self._hits[client]
            while hits and now - hits[0] > self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(self.window - (now - hits[0]), 0.001)
            hits.append(now)
            return 0.0

    def _forget_idle(self, now: float) -> None:
        for client in [c for c, hits in self._hits.items() if not hits or now - hits[-1] > self.window]:
            del self._hits[client]
