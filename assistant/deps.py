"""What HTTP handlers share: the core of the running app."""

from __future__ import annotations

from fastapi import Request

from assistant import errors
from assistant.core import Assistant

# What a client may use as a session id (the widget's, the CLI's, a Zalo user's).
SESSION_ID_PATTERN = r"^[A-Za-z0-9_.:-]+$"
SESSION_ID_MAX = 128


async def read_body(request: Request, limit: int, too_large: errors.UserError) -> bytes:
    """The request body, read in pieces and refused with ``too_large`` (413) as soon as it
    passes ``limit`` bytes, so an oversized upload is never held whole."""
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise too_large
    return bytes(body)


def current_assistant(request: Request) -> Assistant:
    """The core, or a 503 while the index is still being built on first start."""
    assistant = request.app.state.assistant
    if assistant is None:
        raise errors.UserError(
            "not_ready",
            "Trợ lý đang khởi động (đang lập chỉ mục lần đầu), vui lòng thử lại sau ít phút",
            "the assistant is starting (building its index for the first time), try again in a few minutes",
            503,
        )
    return assistant
