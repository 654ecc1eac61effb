"""/docs: the API's endpoints listed from its OpenAPI schema, rendered on the server.

FastAPI's own /docs loads Swagger UI from a CDN, and no page of onrecord may make a request that
leaves the machine; this page is plain escaped HTML with a link to /openapi.json."""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


def _parameters(operation: dict[str, Any]) -> str:
    rows = []
    for p in operation.get("parameters", []):
        schema = p.get("schema", {})
        kind = schema.get("type") or "/".join(s.get("type", "?") for s in schema.get("anyOf", []))
        bounds = ", ".join(f"{k} {schema[k]}" for k in ("minimum", "maximum", "minLength", "maxLength") if k in schema)
        rows.append(
            f"<li><code>{escape(p['name'])}</code> ({escape(p.get('in', ''))}, {escape(kind)}"
            f"{', required' if p.get('required') else ''}{', ' + escape(bounds) if bounds else ''})"
            f"{': ' + escape(p['description']) if p.get('description') else ''}</li>"
        )
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


def render_docs(schema: dict[str, Any]) -> str:
    """The endpoint list as an HTML page: method, path, summary, parameters, statuses."""
    info = schema.get("info", {})
    sections = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            statuses = ", ".join(escape(str(s)) for s in op.get("responses", {}))
            sections.append(
                f"<section><h2><code>{escape(method.upper())} {escape(path)}</code></h2>"
                f"<p>{escape(op.get('description') or op.get('summary') or '')}</p>"
                f"{_parameters(op)}<p>Responses: {statuses}</p></section>"
            )
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(info.get('title', 'API'))}: API</title></head><body>"
        f"<h1>{escape(info.get('title', 'API'))} {escape(str(info.get('version', '')))}: REST API</h1>"
        f"<p>{escape(info.get('description', ''))}</p>"
        "<p>The machine-readable schema: <a href=\"/openapi.json\">/openapi.json</a> (OpenAPI). "
        "Every error is JSON: <code>{\"error\": {\"status\", \"code\", \"message\", \"details\"}}</code>; "
        "every bad parameter is a 400 <code>invalid_parameter</code>.</p>"
        f"{''.join(sections)}</body></html>"
    )


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render_docs(request.app.openapi()))
