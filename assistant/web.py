"""The web channels: the embeddable widget (``/widget.js``), the officials' console (``/``),
answer feedback, and what both need from the core: suggested questions and a document's
source lines around a citation."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field

from assistant import errors
from assistant.deps import SESSION_ID_MAX, SESSION_ID_PATTERN, current_assistant
from assistant.serialize import document_title
from assistant.suggestions import suggested_questions

STATIC = Path(__file__).resolve().parent / "static"
# The most source lines one request may read (a long section, with context).
MAX_LINES = 400

router = APIRouter()


class FeedbackRequest(BaseModel):
    """Body of ``POST /api/feedback``: a rating of one answer."""

    session_id: str = Field(..., max_length=SESSION_ID_MAX, pattern=SESSION_ID_PATTERN)
    rating: Literal["up", "down"]
    question: str = Field("", max_length=4000)
    answer: str = Field("", max_length=20000)
    comment: str = Field("", max_length=2000)
    channel: Literal["widget", "console"] = "widget"


def _static(name: str, media_type: str, **headers: str) -> FileResponse:
    # Small files, read per request: an edited widget is served without a restart.
    return FileResponse(STATIC / name, media_type=media_type, headers={"Cache-Control": "no-cache", **headers})


@router.get("/", include_in_schema=False)
def console() -> FileResponse:
    """The officials' console (its security headers: assistant/middleware.py)."""
    return _static("console.html", "text/html; charset=utf-8")


@router.get("/console.js", include_in_schema=False)
def console_script() -> FileResponse:
    return _static("console.js", "text/javascript; charset=utf-8")


@router.get("/console.css", include_in_schema=False)
def console_style() -> FileResponse:
    return _static("console.css", "text/css; charset=utf-8")


@router.get("/widget.js", include_in_schema=False)
def widget() -> FileResponse:
    """The chat widget any city page embeds with one script tag (it calls this API
    cross-origin, within ``ASSISTANT_CORS_ORIGINS``)."""
    return _static("widget.js", "text/javascript; charset=utf-8", **{"Cross-Origin-Resource-Policy": "cross-origin"})


@router.post("/api/feedback", status_code=201)
def feedback(body: FeedbackRequest, request: Request) -> dict[str, Any]:
    """Store "Câu trả lời có hữu ích không?" 👍/👎 for an answer."""
    feedback_id = request.app.state.feedback.add(
        session_id=body.session_id,
        rating=body.rating,
        question=body.question,
        answer=body.answer,
        comment=body.comment,
        channel=body.channel,
    )
    return {"id": feedback_id, "status": "stored"}


@router.get("/api/suggestions")
def suggestions(request: Request, lang: Literal["vi", "en"] = "vi") -> dict[str, list[str]]:
    """Questions to offer on first open, drawn from the most recent plan."""
    return {"suggestions": suggested_questions(current_assistant(request).data, lang)}


@router.get("/api/documents/{doc_id}/lines")
def document_lines(
    doc_id: str,
    request: Request,
    start: int = Query(1, description="First line (1-based)"),
    end: int | None = Query(None, description="Last line (inclusive)"),
) -> JSONResponse:
    """Verbatim source lines ``start..end`` of a document, to show a cited passage in place."""
    assistant = current_assistant(request)
    assistant.check_document(doc_id)
    source = assistant.data.lines.get(doc_id, [])
    last = end if end is not None else start + MAX_LINES - 1
    if start < 1 or last < start:
        raise errors.UserError("bad_lines", "Khoảng dòng không hợp lệ", "invalid line range")
    if last - start + 1 > MAX_LINES:
        raise errors.UserError(
            "too_many_lines", f"Mỗi lần đọc tối đa {MAX_LINES} dòng", f"at most {MAX_LINES} lines per request"
        )
    last = min(last, len(source))
    return JSONResponse(
        {
            "doc": doc_id,
            "title": document_title(assistant.data, doc_id),
            "line_count": len(source),
            "lines": [{"no": n, "text": source[n - 1]} for n in range(start, last + 1)],
        }
    )
