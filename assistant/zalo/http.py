"""What both Zalo APIs share: posting with retries, and their delivery error."""

from __future__ import annotations

import time
from typing import Any

import httpx


class ZaloSendError(Exception):
    """Zalo refused or failed to deliver a message."""

    def __init__(self, code: int | str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


def post_with_retries(http: httpx.Client, url: str, *, attempts: int = 3, **kwargs: Any) -> httpx.Response:
    """POST, trying again after a network error or a 5xx (Zalo's side), with a short backoff."""
    delay = 0.5
    for attempt in range(1, attempts + 1):
        try:
            response = http.post(url, **kwargs)
            if response.status_code < 500 or attempt == attempts:
                return response
        except httpx.HTTPError as exc:
            if attempt == attempts:
                raise ZaloSendError("network", f"{type(exc).__name__} calling Zalo") from None
        time.sleep(delay)
        delay *= 3
    raise AssertionError("unreachable")


def secret_value(value: Any) -> str:
    """The text of an optional ``SecretStr`` setting ("" when unset)."""
    return value.get_secret_value() if value is not None else ""
