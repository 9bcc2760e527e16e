"""HTTP routes of document administration, guarded by ``ASSISTANT_ADMIN_KEY``.

``Authorization: Bearer KEY``, compared in constant time. Without a configured key the
routes answer 403 (administration is off); without a valid key, 401.
"""

from __future__ import annotations

import hmac
import re
from typing import Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from assistant import errors
from assistant.admin import IndexAdmin

router = APIRouter(tags=["admin"])

_BEARER = re.compile(r"^Bearer\s+(\S+)\s*$", re.IGNORECASE)


def require_admin(request: Request) -> IndexAdmin:
    """The admin service, for a request that carries the admin key."""
    key: str | None = request.app.state.settings.admin_key
    if not key:
        raise errors.UserError(
            "admin_disabled",
            "Chức năng quản trị đang tắt (chưa đặt ASSISTANT_ADMIN_KEY)",
            "document administration is off (ASSISTANT_ADMIN_KEY is not set)",
            403,
        )
    match = _BEARER.match(request.headers.get("authorization", ""))
    # compare_digest takes the same time wherever the strings differ.
    if match is None or not hmac.compare_digest(match.group(1).encode(), key.encode()):
        raise errors.UserError(
            "unauthorized", "Thiếu hoặc sai khóa quản trị", "missing or wrong admin key (Authorization: Bearer KEY)", 401
        )
    admin: IndexAdmin | None = request.app.state.admin
    if admin is None or request.app.state.assistant is None:  # the first index is still being built
        raise errors.UserError(
            "not_ready", "Trợ lý đang khởi động, vui lòng thử lại sau", "the assistant is starting, try again later", 503
        )
    return admin


@router.post("/api/documents", status_code=201)
async def upload_document(
    file: UploadFile = File(..., description="A .txt, .md, .pdf or .docx plan document"),
    admin: IndexAdmin = Depends(require_admin),
) -> dict[str, Any]:
    """Add a document (or replace the one with the same name) and index it."""
    content = await file.read()
    return await run_in_threadpool(admin.upload, file.filename, content)


@router.delete("/api/documents/{doc_id}")
async def delete_document(doc_id: str, admin: IndexAdmin = Depends(require_admin)) -> dict[str, Any]:
    """Stop serving a document."""
    return await run_in_threadpool(admin.delete, doc_id)


@router.post("/api/reindex")
async def reindex(
    full: bool = Query(False, description="Re-read every document, not only changed ones"),
    admin: IndexAdmin = Depends(require_admin),
) -> JSONResponse:
    """Bring the index up to date with the documents on disk."""
    return JSONResponse(await run_in_threadpool(admin.reindex, full=full))
