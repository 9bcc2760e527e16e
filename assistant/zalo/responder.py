"""Turns a Zalo message into replies: once per message id, in order per user, within the
user's rate limit, through the same core as every other channel.

Webhooks must be acknowledged within Zalo's time limit, so :meth:`ZaloResponder.accept`
only records the message and queues it; a small thread pool answers and sends.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from assistant.config import Settings
from assistant.core import Assistant
from assistant.ratelimit import RateLimiter
from assistant.zalo import text as zalo_text
from assistant.zalo.http import ZaloSendError
from assistant.zalo.inbound import Inbound
from assistant.zalo.store import ZaloStore

log = logging.getLogger(__name__)


class Sender(Protocol):
    """A Zalo API that delivers one text message."""

    def send_text(self, recipient: str, text: str) -> None: ...


def pseudonym(user: str) -> str:
    """A stable stand-in for a Zalo user id, for session ids and logs (not the id itself)."""
    return hashlib.sha256(user.encode()).hexdigest()[:20]


class ZaloResponder:
    """Answers Zalo messages with the core and sends the replies."""

    def __init__(
        self,
        settings: Settings,
        store: ZaloStore,
        assistant: Callable[[], Assistant | None],
        senders: dict[str, Sender],
        *,
        workers: int = 2,
    ) -> None:
        self._settings = settings
        self._store = store
        self._assistant = assistant
        self._senders = senders
        self._limiter = RateLimiter(settings.zalo_rate_limit, "ASSISTANT_ZALO_RATE_LIMIT")
        self._warned: dict[str, float] = {}
        # Striped locks: a user's messages always take the same one, and memory stays bounded.
        self._user_locks = [threading.Lock() for _ in range(64)]
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="zalo")

    def accept(self, inbound: Inbound) -> bool:
        """Queue ``inbound`` for an answer; False (and nothing queued) for a retried event."""
        if not self._store.first_time(inbound.channel, inbound.msg_id):
            log.info("zalo %s duplicate msg=%s ignored", inbound.channel, inbound.msg_id)
            return False
        self._pool.submit(self._handle_logged, inbound)
        return True

    def handle(self, inbound: Inbound) -> None:
        """Answer ``inbound`` now, in the caller's thread (polling, tests)."""
        if self._store.first_time(inbound.channel, inbound.msg_id):
            self._handle_logged(inbound)

    def close(self) -> None:
        """Finish the queued answers, then stop the workers."""
        self._pool.shutdown(wait=True, cancel_futures=False)

    def _handle_logged(self, inbound: Inbound) -> None:
        try:
            self._answer(inbound)
        except Exception:  # noqa: BLE001 - a worker must survive any one message
            log.exception("zalo %s msg=%s failed", inbound.channel, inbound.msg_id)

    def _answer(self, inbound: Inbound) -> None:
        who = pseudonym(f"{inbound.channel}:{inbound.user}")
        # One user's messages are answered in the order they came.
        with self._user_locks[int(who[:8], 16) % len(self._user_locks)]:
            started = time.perf_counter()
            reply, mode = self._reply(inbound, who)
            if reply is None:
                return
            parts = zalo_text.split_message(reply)
            sender = self._senders[inbound.channel]
            try:
                for part in parts:
                    sender.send_text(inbound.recipient, part)
            except ZaloSendError as exc:
                log.warning("zalo %s user=%s msg=%s send failed: %s", inbound.channel, who[:10], inbound.msg_id, exc.code)
                return
            log.info(
                "zalo %s user=%s msg=%s kind=%s mode=%s parts=%d ms=%.0f",
                inbound.channel, who[:10], inbound.msg_id, inbound.kind, mode, len(parts),
                (time.perf_counter() - started) * 1000,
            )

    def _reply(self, inbound: Inbound, who: str) -> tuple[str | None, str]:
        if inbound.kind == "welcome":
            return zalo_text.WELCOME, "welcome"
        if not self._limiter.allow(who):
            # Say it once per window, not to every message of a burst.
            now = time.monotonic()
            if now - self._warned.get(who, 0.0) < self._limiter.window:
                return None, "rate_limited"
            self._warned[who] = now
            return zalo_text.RATE_LIMITED, "rate_limited"
        if inbound.kind == "non_text":
            return zalo_text.NON_TEXT, "non_text"
        question = inbound.text.strip()
        if not question:
            return None, "empty"
        if len(question) > self._settings.max_message_chars:
            return zalo_text.too_long(self._settings.max_message_chars), "too_long"
        assistant = self._assistant()
        if assistant is None:
            return zalo_text.NOT_READY, "not_ready"
        if self._settings.log_messages:
            log.info("zalo %s user=%s asks: %s", inbound.channel, who[:10], question)
        try:
            answer = assistant.ask(question, f"zalo-{inbound.channel}-{who}")
        except Exception:  # noqa: BLE001 - the user still hears back
            log.exception("zalo %s msg=%s: the core failed", inbound.channel, inbound.msg_id)
            return zalo_text.FAILED, "failed"
        return zalo_text.render_answer(answer.to_dict(), assistant.data), answer.mode
