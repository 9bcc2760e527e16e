"""Zalo Official Account, OA API v3: the webhook's signature and events, and the
customer-service message API with access-token refresh.

Zalo signs each event with ``X-ZEvent-Signature: mac=<sha256 hex>`` computed over
app id + raw body + the event's ``timestamp`` (milliseconds) + the OA secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from typing import Any

import httpx

from assistant.config import Settings
from assistant.zalo.http import ZaloSendError, post_with_retries, secret_value
from assistant.zalo.inbound import Inbound
from assistant.zalo.store import OATokens, ZaloStore

log = logging.getLogger(__name__)

MAX_CLOCK_SKEW = 300.0  # seconds an event's timestamp may be ahead of our clock
TOKEN_ERRORS = {-216, -124}  # access token invalid / expired: refresh, then send again
TOKEN_MARGIN = 300.0  # refresh this many seconds before a known expiry


class SignatureError(Exception):
    """A webhook call that is not a fresh event signed with our OA secret key."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def event_signature(app_id: str, raw_body: bytes, timestamp: str, secret_key: str) -> str:
    """The hex digest Zalo puts after ``mac=`` in ``X-ZEvent-Signature``."""
    return hashlib.sha256(app_id.encode() + raw_body + timestamp.encode() + secret_key.encode()).hexdigest()


def verify_event(
    header: str | None, raw_body: bytes, *, app_id: str, secret_key: str, max_age: float, now: float | None = None
) -> dict[str, Any]:
    """The event as a dict when ``header`` signs ``raw_body``; :class:`SignatureError` otherwise
    (401: no usable signature; 403: wrong signature, another app, or a stale event)."""
    supplied = (header or "").strip()
    if supplied.lower().startswith("mac="):
        supplied = supplied[4:].strip()
    if not supplied:
        raise SignatureError(401, "missing X-ZEvent-Signature")
    try:
        event = json.loads(raw_body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise SignatureError(401, "body is not JSON") from None
    if not isinstance(event, dict):
        raise SignatureError(401, "body is not a JSON object")
    timestamp = str(event.get("timestamp") or "")
    expected = event_signature(app_id, raw_body, timestamp, secret_key)
    if not hmac.compare_digest(supplied.lower().encode(), expected.encode()):
        raise SignatureError(403, "signature does not match")
    if str(event.get("app_id") or app_id) != app_id:
        raise SignatureError(403, "event of another app")
    if not timestamp.isdigit():
        raise SignatureError(403, "event has no timestamp")
    age = (now if now is not None else time.time()) - int(timestamp) / 1000
    if age > max_age or age < -MAX_CLOCK_SKEW:
        raise SignatureError(403, f"stale event ({age:.0f} s old)")
    return event


def parse_event(event: dict[str, Any]) -> Inbound | None:
    """The message in an OA event; ``None`` for events the assistant does not answer
    (the OA's own sends, seen/received receipts, unfollow …)."""
    name = str(event.get("event_name") or "")
    if name == "follow":
        follower = str((event.get("follower") or {}).get("id") or "")
        if not follower:
            return None
        return Inbound("oa", follower, follower, f"follow:{follower}:{event.get('timestamp')}", "welcome")
    if not name.startswith("user_send_"):
        return None
    sender = str((event.get("sender") or {}).get("id") or "")
    message = event.get("message") or {}
    msg_id = str(message.get("msg_id") or "")
    if not sender or not msg_id:
        return None
    if name == "user_send_text":
        return Inbound("oa", sender, sender, msg_id, "text", str(message.get("text") or ""))
    return Inbound("oa", sender, sender, msg_id, "non_text")


class OAClient:
    """Sends customer-service text messages as the OA, refreshing the access token when
    Zalo says it expired (refreshed tokens are kept in the Zalo store)."""

    def __init__(self, settings: Settings, store: ZaloStore, http: httpx.Client | None = None) -> None:
        self._settings = settings
        self._store = store
        self._http = http or httpx.Client(timeout=httpx.Timeout(15.0, connect=5.0))
        self._lock = threading.Lock()
        self._seed = secret_value(settings.zalo_oa_refresh_token)
        saved = store.tokens(self._seed) if self._seed else None
        self._tokens = saved or OATokens(secret_value(settings.zalo_oa_access_token), self._seed, float("inf"))

    def send_text(self, user_id: str, text: str) -> None:
        """Send ``text`` to ``user_id`` (already within Zalo's length limit)."""
        token = self._current_token()
        code, message = self._post_cs(token, user_id, text)
        if code in TOKEN_ERRORS:
            log.info("zalo oa access token rejected (%s), refreshing", code)
            token = self._refresh(stale=token)
            code, message = self._post_cs(token, user_id, text)
        if code != 0:
            raise ZaloSendError(code, message)

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def _current_token(self) -> str:
        with self._lock:
            tokens = self._tokens
        if tokens.access_token and time.time() < tokens.expires_at - TOKEN_MARGIN:
            return tokens.access_token
        return self._refresh(stale=tokens.access_token)

    def _post_cs(self, token: str, user_id: str, text: str) -> tuple[int, str]:
        body = {"recipient": {"user_id": user_id}, "message": {"text": text}}
        url = self._settings.zalo_oa_api_base.rstrip("/") + "/v3.0/oa/message/cs"
        response = post_with_retries(self._http, url, headers={"access_token": token}, json=body)
        try:
            payload = response.json()
            return int(payload.get("error", -1)), str(payload.get("message", ""))
        except (ValueError, AttributeError, TypeError):
            return -1, f"HTTP {response.status_code}, not JSON"

    def _refresh(self, *, stale: str) -> str:
        with self._lock:
            if self._tokens.access_token != stale:  # another worker refreshed meanwhile
                return self._tokens.access_token
            if not self._tokens.refresh_token:
                raise ZaloSendError("no_refresh_token", "access token rejected and ZALO_OA_REFRESH_TOKEN is unset")
            secret = secret_value(self._settings.zalo_oa_app_secret) or secret_value(self._settings.zalo_oa_secret_key)
            url = self._settings.zalo_oa_oauth_base.rstrip("/") + "/v4/oa/access_token"
            response = post_with_retries(
                self._http,
                url,
                headers={"secret_key": secret},
                data={
                    "refresh_token": self._tokens.refresh_token,
                    "app_id": self._settings.zalo_oa_app_id or "",
                    "grant_type": "refresh_token",
                },
            )
            try:
                payload = response.json()
            except ValueError:
                payload = {}
            if not isinstance(payload, dict) or not payload.get("access_token"):
                reason = (payload or {}).get("error_description") or (payload or {}).get("error_name") or f"HTTP {response.status_code}"
                raise ZaloSendError("refresh_failed", f"could not refresh the OA access token: {reason}")
            self._tokens = OATokens(
                str(payload["access_token"]),
                str(payload.get("refresh_token") or self._tokens.refresh_token),
                time.time() + float(payload.get("expires_in") or 3600),
            )
            self._store.save_tokens(self._seed, self._tokens)
            log.info("zalo oa access token refreshed")
            return self._tokens.access_token
