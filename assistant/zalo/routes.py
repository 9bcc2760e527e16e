"""The Zalo webhooks: ``POST /zalo/oa/webhook`` and ``POST /zalo/bot/webhook``.

Both check who is calling, record the message and answer 200 at once (Zalo retries events
it does not see acknowledged quickly); the reply goes out from the responder's workers.
A channel that is not configured does not exist: 404.
"""

from __future__ import annotations

import json
import logging
import time

from fastapi import APIRouter, Request

from assistant import errors
from assistant.deps import read_body
from assistant.zalo import bot as zalo_bot
from assistant.zalo import oa as zalo_oa
from assistant.zalo.channels import ZaloChannels
from assistant.zalo.http import secret_value

log = logging.getLogger(__name__)
router = APIRouter(prefix="/zalo", include_in_schema=True, tags=["zalo"])

MAX_EVENT_BYTES = 64 * 1024  # Zalo events are a few hundred bytes


def _channels(request: Request, which: str) -> ZaloChannels:
    channels: ZaloChannels | None = getattr(request.app.state, "zalo", None)
    if channels is None or getattr(channels, which) is None:
        name = "Zalo OA" if which == "oa" else "Zalo Bot"
        raise errors.UserError("channel_off", f"Kênh {name} chưa được cấu hình", f"the {name} channel is not configured", 404)
    return channels


async def _body(request: Request) -> bytes:
    return await read_body(request, MAX_EVENT_BYTES, errors.UserError("too_large", "Sự kiện quá lớn", "event too large", 413))


def _unauthorized(status: int, reason: str) -> errors.UserError:
    return errors.UserError("bad_signature", f"Chữ ký không hợp lệ ({reason})", f"invalid signature ({reason})", status)


@router.post("/oa/webhook")
async def oa_webhook(request: Request) -> dict[str, object]:
    """An OA event signed with ``X-ZEvent-Signature``."""
    channels = _channels(request, "oa")
    raw = await _body(request)
    settings = channels.settings
    try:
        event = zalo_oa.verify_event(
            request.headers.get("X-ZEvent-Signature"),
            raw,
            app_id=settings.zalo_oa_app_id or "",
            secret_key=secret_value(settings.zalo_oa_secret_key),
            max_age=settings.zalo_oa_max_event_age,
            now=time.time(),
        )
    except zalo_oa.SignatureError as exc:
        log.warning("zalo oa webhook rejected: %s", exc.reason)
        raise _unauthorized(exc.status, exc.reason) from None
    inbound = zalo_oa.parse_event(event)
    queued = channels.responder.accept(inbound) if inbound is not None else False
    return {"error": 0, "message": "ok", "queued": queued}


@router.post("/bot/webhook")
async def bot_webhook(request: Request) -> dict[str, object]:
    """A Bot platform update carrying our ``X-Bot-Api-Secret-Token``."""
    channels = _channels(request, "bot")
    expected = secret_value(channels.settings.zalo_bot_secret_token)
    header = request.headers.get("X-Bot-Api-Secret-Token")
    if not zalo_bot.secret_token_matches(header, expected):
        reason = "missing X-Bot-Api-Secret-Token" if not header else "wrong secret token"
        log.warning("zalo bot webhook rejected: %s", reason)
        raise _unauthorized(401 if not header else 403, reason)
    raw = await _body(request)
    try:
        update = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise errors.UserError("invalid_json", "Nội dung gửi lên không phải JSON hợp lệ", "the body is not valid JSON") from None
    inbound = zalo_bot.parse_update(update)
    queued = channels.responder.accept(inbound) if inbound is not None else False
    return {"ok": True, "queued": queued}
