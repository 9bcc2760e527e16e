"""Zalo Bot platform (the Telegram-like Bot API): webhook updates, ``sendMessage``, and
``getUpdates`` long polling for deployments without a public URL.

Calls go to ``{ZALO_BOT_API_BASE}/bot{TOKEN}/{method}``; a webhook set with
``secret_token`` receives it back in ``X-Bot-Api-Secret-Token``.
"""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import Callable
from typing import Any

import httpx

from assistant.config import Settings
from assistant.zalo.http import ZaloSendError, post_with_retries, secret_value
from assistant.zalo.inbound import Inbound

log = logging.getLogger(__name__)

POLL_SECONDS = 30  # how long one getUpdates call waits for a message


def secret_token_matches(header: str | None, expected: str) -> bool:
    """Constant-time check of ``X-Bot-Api-Secret-Token``."""
    return bool(header) and hmac.compare_digest(header.encode(), expected.encode())  # type: ignore[union-attr]


def parse_update(body: Any) -> Inbound | None:
    """The message in one update (webhook body or ``getUpdates`` item, with or without the
    ``{"ok": true, "result": …}`` envelope); ``None`` for anything not from a user."""
    if not isinstance(body, dict):
        return None
    update = body["result"] if isinstance(body.get("result"), dict) else body
    name = str(update.get("event_name") or "")
    message = update.get("message") or {}
    if not isinstance(message, dict) or not (name.startswith("message.") and name.endswith(".received")):
        return None
    sender = message.get("from") or {}
    if sender.get("is_bot"):
        return None
    chat = str((message.get("chat") or {}).get("id") or sender.get("id") or "")
    user = str(sender.get("id") or chat)
    msg_id = str(message.get("message_id") or "")
    if not chat or not msg_id:
        return None
    if name != "message.text.received":
        return Inbound("bot", chat, f"{chat}:{user}", msg_id, "non_text")
    text = str(message.get("text") or "")
    if text.strip().lower() in ("/start", "/help", "/batdau"):
        return Inbound("bot", chat, f"{chat}:{user}", msg_id, "welcome")
    return Inbound("bot", chat, f"{chat}:{user}", msg_id, "text", text)


class BotClient:
    """The few Bot API methods the assistant uses."""

    def __init__(self, settings: Settings, http: httpx.Client | None = None) -> None:
        token = secret_value(settings.zalo_bot_token)
        # The token is part of every URL and httpx logs each request's URL at INFO.
        logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.getLogger("httpx").level))
        self._base = f"{settings.zalo_bot_api_base.rstrip('/')}/bot{token}"
        self._http = http or httpx.Client(timeout=httpx.Timeout(POLL_SECONDS + 15.0, connect=5.0))

    def send_text(self, chat_id: str, text: str) -> None:
        """``sendMessage`` (text already within the length limit)."""
        self._call("sendMessage", {"chat_id": chat_id, "text": text})

    def get_updates(self, timeout: int = POLL_SECONDS) -> list[dict[str, Any]]:
        """New updates, waiting up to ``timeout`` seconds for one."""
        try:
            result = self._call("getUpdates", {"timeout": str(timeout)}, attempts=1)
        except ZaloSendError as exc:
            if exc.code == 408:  # nothing arrived within the timeout
                return []
            raise
        if isinstance(result, list):
            return [u for u in result if isinstance(u, dict)]
        return [result] if isinstance(result, dict) and result else []

    def set_webhook(self, url: str, secret_token: str) -> Any:
        """Point the bot at ``url``; Zalo will send ``secret_token`` with each update."""
        return self._call("setWebhook", {"url": url, "secret_token": secret_token})

    def delete_webhook(self) -> Any:
        """Remove the webhook (``getUpdates`` only works without one)."""
        return self._call("deleteWebhook", {})

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def _call(self, method: str, body: dict[str, Any], attempts: int = 3) -> Any:
        response = post_with_retries(self._http, f"{self._base}/{method}", json=body, attempts=attempts)
        try:
            payload = response.json()
        except ValueError:
            raise ZaloSendError(response.status_code, f"{method}: HTTP {response.status_code}, not JSON") from None
        if not isinstance(payload, dict) or not payload.get("ok"):
            payload = payload if isinstance(payload, dict) else {}
            code = payload.get("error_code", response.status_code)
            raise ZaloSendError(code, f"{method}: {payload.get('description', 'refused')}")
        return payload.get("result")


def poll(client: BotClient, handle: Callable[[Inbound], None], stop: threading.Event) -> None:
    """Long-poll ``getUpdates`` until ``stop`` is set, handing each message to ``handle``."""
    backoff = 1.0
    while not stop.is_set():
        try:
            updates = client.get_updates()
            backoff = 1.0
        except ZaloSendError as exc:
            log.warning("zalo bot getUpdates failed (%s); retrying in %.0f s", exc.code, backoff)
            stop.wait(backoff)
            backoff = min(backoff * 2, 60.0)
            continue
        for update in updates:
            inbound = parse_update(update)
            if inbound is not None:
                handle(inbound)
