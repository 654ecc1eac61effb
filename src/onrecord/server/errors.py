"""One JSON error shape for every error the server answers:
``{"error": {"status": 400, "code": "invalid_parameter", "message": "...", "details": [...]}}``.

Every bad parameter is a 400 invalid_parameter, whether FastAPI's validation caught it (a type,
a range, a length) or the store did (a date, a cursor, an unknown speaker); 422 is not used.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from onrecord.errors import NotFoundError, OnrecordError, StoreError
from onrecord.store.backend import is_database_error

log = logging.getLogger("onrecord.server")

#: The code and what to do, by status, for errors raised without a message of their own.
_DEFAULTS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "the request cannot be read: check its parameters and body"),
    401: ("unauthorized", "send the ingest token as 'Authorization: Bearer <token>'"),
    403: ("forbidden", "this server does not allow it"),
    404: ("not_found", "nothing here: see /docs for the endpoints"),
    405: ("method_not_allowed", "this method is not allowed here: see /docs"),
    413: ("body_too_large", "the request body is over the server's limit: send a smaller one"),
    415: ("unsupported_media_type", "send application/json, text/plain or text/html"),
    500: ("internal_error", "the server failed on this request; it is logged: try again or report it"),
}


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    details: list[Any] = []


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


class ApiError(Exception):
    """An error the API answers with its status, code and message."""

    def __init__(self, status: int, code: str, message: str, details: list[Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:  # fmt: skip
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or []
        self.headers = headers


def error_body(status: int, code: str | None = None, message: str | None = None, details: list[Any] | None = None) -> dict[str, Any]:
    """The error JSON; code and message default to the status's."""
    default_code, default_message = _DEFAULTS.get(status, ("error", "the request failed"))
    return {"error": {"status": status, "code": code or default_code, "message": message or default_message, "details": details or []}}


def error_response(status: int, code: str | None = None, message: str | None = None, details: list[Any] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:  # fmt: skip
    return JSONResponse(error_body(status, code, message, details), status_code=status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, str]]:
    # the input itself is left out: it may be huge or hostile, and the client has it
    return [{"parameter": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg", ""))} for e in exc.errors()]


async def _on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    details = _validation_details(exc)
    named = "; ".join(f"{d['parameter']}: {d['problem']}" for d in details[:5])
    return error_response(400, "invalid_parameter", f"invalid parameters ({named}): fix them and repeat the request", details)


async def _on_http(request: Request, exc: HTTPException) -> Response:
    if exc.status_code == 404 and _wants_page(request):
        from onrecord.server.pages import error_page  # a browser lost on an unknown address gets a page

        return error_page(request, 404, "Page not found", "There is no page at this address.")
    default_code, default_message = _DEFAULTS.get(exc.status_code, ("error", str(exc.detail)))
    message = exc.detail if isinstance(exc.detail, str) and exc.status_code not in (404, 405) else default_message
    return error_response(exc.status_code, default_code, message, headers=getattr(exc, "headers", None))


def _wants_page(request: Request) -> bool:
    """A browser asking for a page outside the API (the API and /health always answer JSON)."""
    path = request.url.path
    return not path.startswith(("/api", "/health", "/openapi")) and "text/html" in request.headers.get("accept", "")


async def _on_api_error(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)


async def _on_onrecord(request: Request, exc: OnrecordError) -> JSONResponse:
    if isinstance(exc, NotFoundError):
        return error_response(404, "not_found", str(exc))
    if isinstance(exc, StoreError) and is_database_error(exc.__cause__):
        log.error("store failure on %s %s: %s", request.method, request.url.path, exc)
        return error_response(500, "store_error", f"{exc}; the request was not completed")
    return error_response(400, "invalid_parameter", str(exc))


def install_error_handlers(app: FastAPI) -> None:
    """Answer validation, HTTP, API and onrecord errors in the one shape (500s: security.py)."""
    app.add_exception_handler(RequestValidationError, _on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _on_http)  # type: ignore[arg-type]
    app.add_exception_handler(ApiError, _on_api_error)  # type: ignore[arg-type]
    app.add_exception_handler(OnrecordError, _on_onrecord)  # type: ignore[arg-type]


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for these error statuses, all in the one shape."""
    return {s: {"model": ErrorBody, "description": _DEFAULTS.get(s, ("error", "error"))[1]} for s in statuses}
