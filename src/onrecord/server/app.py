"""The web app: the REST API (server/api.py), the pages (server/pages.py), /docs, /static, one
open store shared by all requests, read-only unless ingest is allowed."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from onrecord import __version__
from onrecord.errors import SettingsError
from onrecord.settings import Settings
from onrecord.store import Store

#: The environment variable holding the ingest token.
TOKEN_VARIABLE = "ONRECORD_API_TOKEN"
#: Shorter tokens are refused: a guessable token would open the store to writes.
MIN_TOKEN_LENGTH = 16
STATIC_DIR = Path(__file__).parent / "static"


def get_store(request: Request) -> Store:
    """The app's open store (a FastAPI dependency for the API and the pages)."""
    return request.app.state.store  # type: ignore[no-any-return]


def ingest_token(allow_ingest: bool) -> str | None:
    """The token from ONRECORD_API_TOKEN when ingest is allowed; SettingsError when it is
    missing or too short."""
    if not allow_ingest:
        return None
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if len(token) < MIN_TOKEN_LENGTH:
        raise SettingsError(
            f"--allow-ingest needs a token of at least {MIN_TOKEN_LENGTH} characters in {TOKEN_VARIABLE} "
            f"(for example: export {TOKEN_VARIABLE}=$(python -c 'import secrets; print(secrets.token_urlsafe(32))'))"
        )
    return token


def create_app(store_path: str, settings: Settings | None = None, allow_ingest: bool = False, max_body_bytes: int | None = None) -> FastAPI:
    """The app over the store at store_path: opened read-only (it must exist) unless
    allow_ingest, which also needs ONRECORD_API_TOKEN (SettingsError without it)."""
    from onrecord.server import api, api_positions, apidocs, pages, pages_positions
    from onrecord.server.errors import install_error_handlers
    from onrecord.server.security import MAX_BODY_BYTES, SecurityMiddleware

    settings = settings or Settings.from_env()
    token = ingest_token(allow_ingest)
    store = Store(store_path, create=allow_ingest, read_only=not allow_ingest)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="onrecord",
        version=__version__,
        description="Who said what in the news, every statement traced to exact offsets of its articles.",
        docs_url=None,  # FastAPI's page loads Swagger UI from a CDN: apidocs serves /docs instead
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.ingest = api.Ingest(allow_ingest, token, settings)
    install_error_handlers(app)
    app.add_middleware(SecurityMiddleware, max_body_bytes=max_body_bytes or MAX_BODY_BYTES)
    app.include_router(api.health_router)
    app.include_router(api_positions.router)  # first: /api/statements/similar before /api/statements/{id}
    app.include_router(api.router)
    app.include_router(apidocs.router)
    STATIC_DIR.mkdir(exist_ok=True)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.include_router(pages_positions.router)
    app.openapi = lambda: _openapi_without_422(app)  # type: ignore[method-assign]
    return app


def _openapi_without_422(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema less its 422 validation responses: bad parameters are 400s here."""
    if app.openapi_schema is None:
        schema = FastAPI.openapi(app)
        for methods in schema.get("paths", {}).values():
            for op in methods.values():
                op.get("responses", {}).pop("422", None)
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = schema
    return app.openapi_schema
