"""The outermost layer of the app: security headers on every response (errors included), a
limit on request bodies (413), and a JSON 500 for anything that escapes the handlers."""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from onrecord.server.errors import error_body

log = logging.getLogger("onrecord.server")

#: Pages may load only what this server serves: no CDN, no inline script, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
#: Request bodies over this many bytes are refused with 413 before the app reads them.
MAX_BODY_BYTES = 2_000_000


class SecurityMiddleware:
    """Adds SECURITY_HEADERS to every HTTP response, refuses bodies over max_body_bytes, and
    answers an unhandled exception with the one JSON error shape (logged, no traceback sent)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await _send_error(send_with_headers, 413, f"the body has {declared:,} bytes, over the limit of {self.max_body_bytes:,}")
            return
        try:
            body = await _read_body(receive, self.max_body_bytes)
        except _TooLarge:
            await _send_error(send_with_headers, 413, f"the body is over the limit of {self.max_body_bytes:,} bytes")
            return
        try:
            await self.app(scope, _replay(body, receive), send_with_headers)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await _send_error(send_with_headers, 500)


class _TooLarge(Exception):
    pass


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _read_body(receive: Receive, limit: int) -> list[Message]:
    """The request's body messages, read whole (bounded by limit) so the app never sees more."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        size += len(message.get("body", b""))
        if size > limit:
            raise _TooLarge
        if not message.get("more_body", False):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


async def _send_error(send: Send, status: int, message: str | None = None) -> None:
    body = json.dumps(error_body(status, message=message)).encode()
    headers: list[Any] = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 413:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
