"""What wraps every HTTP request: body size limit, request id and log line, metrics, rate
limit with ``Retry-After``, and security headers on the web pages."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant import errors
from assistant.observability import Metrics, new_request_id, request_id_var
from assistant.ratelimit import RateLimiter

log = logging.getLogger("assistant.http")

# The console and the API docs are the only HTML pages; the widget script runs on other
# sites under their own policy. Styles are inline in the widget's shadow root, answers are
# read aloud from blob: audio. Only this origin may frame the console.
_PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'self'; form-action 'self'"
)
# Swagger UI (/docs) loads its script and styles from a CDN and runs an inline script.
_DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
)


class BodyLimit:
    """Refuse request bodies above a limit with 413, counting what arrives (a missing or
    false Content-Length does not get past it). Paths that take larger bodies (document
    uploads) have their own limits; paths that read and limit their bodies themselves
    (audio, Zalo webhooks, with their own error codes) are left to do so."""

    def __init__(self, app: ASGIApp, *, default: int, by_prefix: dict[str, int], exempt: tuple[str, ...] = ()) -> None:
        self.app = app
        self.default = default
        self.by_prefix = sorted(by_prefix.items(), key=lambda kv: -len(kv[0]))
        self.exempt = exempt

    def limit_for(self, path: str) -> int:
        return next((limit for prefix, limit in self.by_prefix if path.startswith(prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # Raised inside the app's body read: FastAPI passes HTTPExceptions through.
                    raise StarletteHTTPException(413, _too_large_text(limit))
            return message

        await self.app(scope, counted, send)


def _too_large_text(limit: int) -> str:
    return f"Nội dung gửi lên quá lớn (tối đa {limit} byte) / request body too large (limit {limit} bytes)"


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"error": {"code": "body_too_large", "message": _too_large_text(limit)}}, status_code=413)


def internal_error() -> JSONResponse:
    """A 500 that says nothing about the server's insides."""
    return JSONResponse(
        {"error": {"code": "internal", "message": "Lỗi máy chủ, vui lòng thử lại sau / server error, please try again later"}},
        status_code=500,
    )


def _route_of(request: Request) -> str:
    # The route's template ("/api/documents/{doc_id}"), never the raw path: bounded labels,
    # and no user input in metrics.
    route = request.scope.get("route")
    return getattr(route, "path", None) or "unmatched"


def install(app: FastAPI, *, metrics: Metrics, limiter: RateLimiter) -> None:
    """Add the per-request middleware to ``app``."""

    @app.middleware("http")
    async def per_request(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request_id = new_request_id(request.headers.get("x-request-id"))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = await _limited(request, call_next, limiter, metrics)
        except Exception:
            # The traceback goes to the log under the request id; the client gets the id only.
            log.exception("unhandled error", extra={"request_id": request_id})
            response = internal_error()
        finally:
            request_id_var.reset(token)
        seconds = time.perf_counter() - started
        route = _route_of(request)
        metrics.observe_request(route, request.method, response.status_code, seconds)
        response.headers["X-Request-ID"] = request_id
        _secure(request, response)
        log.info(
            "%s %s %d",
            request.method,
            route,
            response.status_code,
            extra={"request_id": request_id, "status": response.status_code, "ms": round(seconds * 1000, 1)},
        )
        return response


async def _limited(
    request: Request, call_next: Callable[[Request], Awaitable[Response]], limiter: RateLimiter, metrics: Metrics
) -> Response:
    if request.url.path.startswith("/api/"):
        client = request.client.host if request.client else "unknown"
        wait = limiter.retry_after(client)
        if wait > 0:
            metrics.rate_limited.inc()
            error = errors.UserError(
                "rate_limited", "Bạn gửi quá nhiều yêu cầu, vui lòng thử lại sau", "too many requests, try again later", 429
            )
            return JSONResponse(error.to_dict(), status_code=429, headers={"Retry-After": str(max(1, math.ceil(wait)))})
    return await call_next(request)


def _secure(request: Request, response: Response) -> None:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if response.headers.get("content-type", "").startswith("text/html"):
        docs = request.url.path in ("/docs", "/redoc")
        headers.setdefault("Content-Security-Policy", _DOCS_POLICY if docs else _PAGE_POLICY)
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        headers.setdefault("Permissions-Policy", "camera=(), geolocation=(), microphone=(self)")
    if request.url.path.startswith("/api/"):
        headers.setdefault("Cache-Control", "no-store")
