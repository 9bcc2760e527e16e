"""The HTTP API of DESIGN.md over the one core (FastAPI).

The index is opened (and built on first start, with a progress bar) in the lifespan;
``/readyz`` says when answers can be served. Errors are JSON ``{"error": {code, message}}``.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant import admin_routes, errors, middleware, web
from assistant.admin import IndexAdmin
from assistant.config import Settings
from assistant.deps import SESSION_ID_MAX, SESSION_ID_PATTERN, current_assistant
from assistant.feedback import FeedbackStore
from assistant.observability import Metrics
from assistant.ratelimit import RateLimiter
from assistant.runtime import Runtime
from assistant.serialize import document_to_dict, hit_to_dict, target_to_dict, task_to_dict, tasks_csv
from assistant.voice import routes as voice_routes
from assistant.voice.service import Voice
from assistant.zalo import routes as zalo_routes
from assistant.zalo.channels import ZaloChannels

log = logging.getLogger(__name__)


class ChatRequest(BaseModel):
    """Body of ``POST /api/chat``."""

    message: str = Field(..., description="The question, Vietnamese or English.")
    session_id: str | None = Field(None, max_length=SESSION_ID_MAX, pattern=SESSION_ID_PATTERN)
    stream: bool = False


def _error(exc: errors.UserError) -> JSONResponse:
    return JSONResponse(exc.to_dict(), status_code=exc.status)


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    """The FastAPI application; ``runtime`` can be injected (tests use a hashing embedder)."""
    settings = settings or (runtime.settings if runtime else Settings())
    limiter = RateLimiter(settings.rate_limit)
    metrics = Metrics()

    def serve(app: FastAPI, assistant: Any) -> None:
        # One reference assignment: a question in flight keeps the core it started with.
        app.state.assistant = assistant
        observe_index(assistant)
        log.info("serving index %s", assistant.data.directory.name)

    def start(app: FastAPI, rt: Runtime) -> None:
        try:
            rt.library.clear_staging()
            # The admin service is there before /readyz says ready, so an upload that follows
            # readiness is never refused as "starting".
            app.state.admin = IndexAdmin(rt, rt.library, lambda: app.state.assistant, lambda a: serve(app, a))
            serve(app, rt.open(build_if_missing=True, progress=True))
        except Exception as exc:  # noqa: BLE001 - reported by /readyz, the process stays up
            log.exception("could not open the index")
            app.state.startup_error = f"{type(exc).__name__}: {exc}"

    def follow_index(app: FastAPI, stop: threading.Event) -> None:
        # A version written by another process (the CLI, another node) is served without a restart.
        while not stop.wait(settings.index_poll_seconds):
            if app.state.admin is not None:
                app.state.admin.follow_current()

    def observe_index(assistant: Any) -> None:
        data = assistant.data
        size = sum(f.stat().st_size for f in data.directory.rglob("*") if f.is_file())
        metrics.observe_index(len(data.documents), len(data.chunks), len(data.tasks), size)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = runtime or Runtime.from_settings(settings)
        if rt.store.current_dir() is None:
            # First start: building the index takes minutes; serve /healthz and a 503
            # /readyz meanwhile instead of refusing connections.
            threading.Thread(target=start, args=(app, rt), name="first-ingest", daemon=True).start()
        else:
            start(app, rt)
        # The model loads beside the index: answers are extractive until it is ready.
        threading.Thread(target=rt.warm_up, name="llm-warm-up", daemon=True).start()
        app.state.feedback = FeedbackStore(settings.feedback_path, url=settings.database)
        app.state.voice = Voice.from_settings(settings)
        threading.Thread(target=app.state.voice.warm_up, name="voice-warm-up", daemon=True).start()
        if settings.zalo_oa_configured or settings.zalo_bot_configured:
            app.state.zalo = ZaloChannels.from_settings(settings, lambda: app.state.assistant)
        stop = threading.Event()
        if settings.index_poll_seconds > 0:
            threading.Thread(target=follow_index, args=(app, stop), name="index-follower", daemon=True).start()
        yield
        stop.set()
        if app.state.zalo is not None:
            app.state.zalo.close()
        app.state.feedback.close()
        app.state.assistant = None

    app = FastAPI(
        title="Trợ lý Kế hoạch Đà Nẵng",
        description="Hỏi đáp có trích dẫn về các kế hoạch chuyển đổi số của thành phố Đà Nẵng.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.assistant = None
    app.state.admin = None
    app.state.startup_error = None
    app.state.zalo = None
    app.state.metrics = metrics
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origin_list,
        allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
        allow_headers=["Content-Type", "Authorization", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After"],
    )
    # Outermost: refuses an oversized body before anything reads it.
    app.add_middleware(
        middleware.BodyLimit,
        default=settings.max_body_bytes,
        by_prefix={"/api/documents": settings.max_upload_bytes},
        exempt=("/api/voice", "/zalo"),  # they read their bodies through deps.read_body
    )

    app.include_router(web.router)
    app.include_router(admin_routes.router)
    app.include_router(zalo_routes.router)
    app.include_router(voice_routes.router)

    middleware.install(app, metrics=metrics, limiter=limiter)

    @app.exception_handler(errors.UserError)
    async def user_error(_: Request, exc: errors.UserError) -> JSONResponse:
        return _error(exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = exc.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            return _error(errors.UserError("invalid_json", "Nội dung gửi lên không phải JSON hợp lệ", "the body is not valid JSON"))
        where = ", ".join(".".join(str(x) for x in p.get("loc", ())[1:]) or "body" for p in problems)
        return JSONResponse(
            {"error": {"code": "invalid_request", "message": f"Yêu cầu không hợp lệ ({where}) / invalid request ({where})", "details": json.loads(json.dumps(problems, default=str))}},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(
            {"error": {"code": code, "message": f"{exc.detail} / {exc.detail}" if exc.status_code >= 500 else f"Không tìm thấy hoặc không hỗ trợ / {exc.detail}"}},
            status_code=exc.status_code,
        )

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        # Errors the request middleware did not see (it catches the rest, with the request id).
        log.error("unhandled error", exc_info=exc)
        return middleware.internal_error()

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        return Response(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz(request: Request) -> JSONResponse:
        assistant = request.app.state.assistant
        if assistant is None:
            error = request.app.state.startup_error
            body = {"status": "failed", "error": error} if error else {"status": "starting"}
            return JSONResponse(body, status_code=503)
        manifest = assistant.data.manifest
        return JSONResponse(
            {
                "status": "ready",
                "index": assistant.data.directory.name,
                "documents": len(assistant.data.documents),
                "chunks": len(assistant.data.chunks),
                "tasks": len(assistant.data.tasks),
                "embedder": manifest.get("embedder"),
                "segmenter": manifest.get("segmenter"),
            }
        )

    @app.post("/api/chat", response_model=None)
    def chat(body: ChatRequest, request: Request) -> JSONResponse | StreamingResponse:
        question = errors.validate_question(body.message, settings.max_message_chars)
        assistant = current_assistant(request)
        if not body.stream:
            result = assistant.ask(question, body.session_id).to_dict()
            metrics.observe_answer(result)
            return JSONResponse(result)

        def events() -> Iterator[str]:
            # Deltas as the answer is produced; "done" carries the final body, which
            # replaces the streamed text when a generated answer failed its checks.
            try:
                for event in assistant.ask_stream(question, body.session_id):
                    if isinstance(event, str):
                        yield _sse("delta", {"text": event})
                    else:
                        result = event.to_dict()
                        metrics.observe_answer(result)
                        yield _sse("citations", result["citations"])
                        yield _sse("done", result)
            except Exception as exc:  # noqa: BLE001 - reported to the client as an event
                log.exception("chat failed")
                yield _sse("error", {"code": "internal", "message": f"Lỗi máy chủ / server error: {type(exc).__name__}"})

        return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    @app.get("/api/search")
    def search(
        request: Request,
        q: str = Query("", description="Query text"),
        k: int = Query(10, description="Number of hits (1–100)"),
        doc: str | None = Query(None, description="Only this document"),
    ) -> dict[str, Any]:
        if len(q) > settings.max_message_chars:
            raise errors.message_too_long(settings.max_message_chars, len(q))
        assistant = current_assistant(request)
        hits = assistant.find(q, k, doc)
        return {"hits": [hit_to_dict(h, assistant.data) for h in hits]}

    @app.get("/api/tasks")
    def tasks(
        request: Request,
        doc: str | None = None,
        agency: str | None = None,
        due_before: str | None = Query(None, description="YYYY-MM: due by the end of this month"),
        due_after: str | None = Query(None, description="YYYY-MM: due from the start of this month"),
        q: str | None = None,
        section: str | None = None,
        role: str = Query("any", description="any, lead or coordinating"),
        format: str = Query("json", description="json, or csv for a spreadsheet (UTF-8 with BOM)"),
    ) -> Any:
        assistant = current_assistant(request)
        if format not in ("json", "csv"):
            raise errors.UserError("bad_format", "format phải là json hoặc csv", "format must be json or csv")
        found = assistant.list_tasks(
            doc=doc or None,
            agency=agency or None,
            due_before=due_before or None,
            due_after=due_after or None,
            text=q or None,
            section=section or None,
            role=role,
        )
        items = [task_to_dict(t, assistant.data) for t in found]
        if format == "csv":
            return Response(
                tasks_csv(items),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": 'attachment; filename="nhiem-vu.csv"'},
            )
        return {"tasks": items}

    @app.get("/api/targets")
    def targets(
        request: Request, doc: str | None = None, agency: str | None = None, q: str | None = None
    ) -> dict[str, Any]:
        assistant = current_assistant(request)
        found = assistant.list_targets(doc=doc or None, agency=agency or None, text=q or None)
        return {"targets": [target_to_dict(t, assistant.data) for t in found]}

    @app.get("/api/sessions/{session_id}")
    def session(session_id: str, request: Request) -> dict[str, Any]:
        # What a client shows again after a page navigation; an unknown or expired
        # session is simply empty (the id is the client's own secret).
        if len(session_id) > SESSION_ID_MAX or not re.fullmatch(SESSION_ID_PATTERN, session_id):
            raise errors.UserError("bad_session_id", "Mã phiên không hợp lệ", "invalid session id")
        turns = current_assistant(request).history(session_id)
        return {
            "session_id": session_id,
            "turns": [
                {"question": t.asked or t.question, "answer": t.answer, "citations": t.citations, "at": t.at}
                for t in turns
            ],
        }

    @app.get("/api/documents")
    def documents(request: Request) -> dict[str, Any]:
        assistant = current_assistant(request)
        return {"documents": [document_to_dict(m) for m in assistant.documents()]}

    return app
