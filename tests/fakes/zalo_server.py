"""A local HTTP server speaking the Zalo APIs the assistant calls (no Zalo server is
reachable from here): the OA customer-service message API, the OA token refresh, and the
Bot platform's sendMessage / getUpdates / setWebhook. It records what was sent and
answers with Zalo's documented shapes, including its token errors."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from tests.fakes import JsonHandler, LoopbackServer

TEXT_LIMIT = 2000


@dataclass
class FakeZalo(LoopbackServer):
    """OA tokens, bot token and recorded sends; ``url`` is both APIs' base."""

    access_token: str = "oa-access-1"
    refresh_token: str = "oa-refresh-1"
    app_id: str = "3608465249409039"
    app_secret: str = "app-secret"
    bot_token: str = "1459232241454765289:bot-secret-part"
    oa_sends: list[dict[str, Any]] = field(default_factory=list)
    bot_sends: list[dict[str, Any]] = field(default_factory=list)
    refreshes: int = 0
    failures: list[int] = field(default_factory=list)  # HTTP statuses to answer the next calls with
    updates: list[dict[str, Any]] = field(default_factory=list)  # what getUpdates hands out
    webhook: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        fake = self
        self._lock = threading.Lock()

        class Handler(JsonHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with fake._lock:
                    status = fake.failures.pop(0) if fake.failures else None
                if status is not None:
                    return self._json(status, {"error": -1, "message": "upstream failure"})
                if self.path == "/v3.0/oa/message/cs":
                    return self._json(200, fake._oa_send(self.headers.get("access_token"), json.loads(raw)))
                if self.path == "/v4/oa/access_token":
                    form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                    return self._json(200, fake._refresh(self.headers.get("secret_key"), form))
                if self.path.startswith("/bot"):
                    token, _, method = self.path[4:].rpartition("/")
                    status, body = fake._bot(token, method, json.loads(raw or b"{}"))
                    return self._json(status, body)
                return self._json(404, {"error": -404, "message": "not found"})

        self._serve(Handler)

    def start(self) -> FakeZalo:
        self._start()
        return self

    def stop(self) -> None:
        self._stop()

    def wait_for(self, sends: list[dict[str, Any]], count: int, timeout: float = 20.0) -> list[dict[str, Any]]:
        """``sends`` once it holds ``count`` items (or at the timeout)."""
        deadline = time.monotonic() + timeout
        while len(sends) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(sends)

    # --- OA ---------------------------------------------------------------------------

    def _oa_send(self, token: str | None, body: dict[str, Any]) -> dict[str, Any]:
        if token != self.access_token:
            return {"error": -216, "message": "Access token is invalid"}
        text = body.get("message", {}).get("text", "")
        user = body.get("recipient", {}).get("user_id")
        if not text or len(text) > TEXT_LIMIT or not user:
            return {"error": -201, "message": "Parameters are invalid"}
        with self._lock:
            self.oa_sends.append({"user_id": user, "text": text, "token": token})
        return {"error": 0, "message": "Success", "data": {"message_id": uuid.uuid4().hex, "user_id": user}}

    def _refresh(self, secret_key: str | None, form: dict[str, str]) -> dict[str, Any]:
        if secret_key != self.app_secret or form.get("app_id") != self.app_id:
            return {"error": -14002, "error_name": "Invalid app", "error_description": "app id or secret key is invalid"}
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != self.refresh_token:
            return {"error": -14014, "error_name": "Invalid refresh token", "error_description": "Refresh token is invalid"}
        with self._lock:
            self.refreshes += 1
            # A refresh token works once: the old pair is void from now on.
            self.access_token = f"oa-access-{self.refreshes + 1}"
            self.refresh_token = f"oa-refresh-{self.refreshes + 1}"
        return {"access_token": self.access_token, "refresh_token": self.refresh_token, "expires_in": "90000"}

    def expire_access_token(self) -> None:
        """The current access token stops working (as after 25 hours)."""
        self.access_token = f"oa-access-rotated-{uuid.uuid4().hex[:6]}"

    # --- Bot --------------------------------------------------------------------------

    def _bot(self, token: str, method: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if token != self.bot_token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if method == "sendMessage":
            text = str(body.get("text") or "")
            if not body.get("chat_id") or not 1 <= len(text) <= TEXT_LIMIT:
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: text length"}
            with self._lock:
                self.bot_sends.append({"chat_id": body["chat_id"], "text": text})
            return 200, {"ok": True, "result": {"message_id": uuid.uuid4().hex, "date": int(time.time() * 1000)}}
        if method == "getUpdates":
            deadline = time.monotonic() + min(float(body.get("timeout") or 30), 0.5)
            while time.monotonic() < deadline:
                with self._lock:
                    if self.updates:
                        return 200, {"ok": True, "result": self.updates.pop(0)}
                time.sleep(0.02)
            return 408, {"ok": False, "error_code": 408, "description": "Request timeout"}
        if method == "setWebhook":
            self.webhook = dict(body)
            return 200, {"ok": True, "result": {"url": body.get("url"), "updated_at": int(time.time() * 1000)}}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
