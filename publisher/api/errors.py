"""The one place API errors are rendered, as one JSON envelope:

    {"error": {"status": 404, "type": "not-found", "message": "...",
               "where": null, "hint": null}}

Unexpected exceptions answer 500 with the exception's class name only: a
message or traceback may hold data values.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from publisher.errors import BlockedError, InputError, PublisherError

log = logging.getLogger("publisher.api")

_TYPES = {400: "bad-request", 401: "unauthorised", 403: "forbidden", 404: "not-found",
          405: "method-not-allowed", 406: "not-acceptable", 409: "conflict",
          413: "too-large", 415: "unsupported-media-type", 422: "invalid-parameters",
          429: "too-many-requests", 500: "internal"}


class ErrorBody(BaseModel):
    status: int
    type: str
    message: str
    where: str | None = None
    hint: str | None = None


class ErrorEnvelope(BaseModel):
    error: ErrorBody


class ApiError(Exception):
    def __init__(self, status: int, type_: str, message: str, *, where: str | None = None,
                 hint: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.type, self.message = status, type_, message
        self.where, self.hint, self.headers = where, hint, headers


def envelope(status: int, type_: str, message: str, where: str | None = None,
             hint: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(status=status, type=type_, message=message, where=where, hint=hint)
    return JSONResponse({"error": body.model_dump()}, status_code=status, headers=headers)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer."""
    return {s: {"model": ErrorEnvelope, "description": _TYPES.get(s, "error")} for s in statuses}


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors()[:5]:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{loc or 'request'}: {e.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _allowed(app: FastAPI, request: Request) -> str:
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        return envelope(exc.status, exc.type, exc.message, exc.where, exc.hint, exc.headers)

    @app.exception_handler(PublisherError)
    async def _publisher(request: Request, exc: PublisherError) -> JSONResponse:
        status = 422 if isinstance(exc, BlockedError) else 400 if isinstance(exc, InputError) \
            else 500
        return envelope(status, type(exc).__name__, exc.message, exc.where, exc.hint)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return envelope(422, _TYPES[422], _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        headers = dict(exc.headers or {})
        if status == 405:  # Starlette names only the first matching route's methods
            headers["Allow"] = _allowed(app, request)
        return envelope(status, _TYPES.get(status, "error"), str(exc.detail), headers=headers)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error on %s %s: %s", request.method, request.url.path,
                  type(exc).__name__)
        return envelope(500, "internal", f"internal error ({type(exc).__name__})")
