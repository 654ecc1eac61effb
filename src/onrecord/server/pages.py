"""The web pages: search, speakers, an article with its statements highlighted, one statement
with its sources. Server-rendered Jinja templates; every link and form works without JavaScript,
and htmx (vendored) only swaps search results in place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from onrecord.errors import NotFoundError, StoreError
from onrecord.model import KINDS
from onrecord.server import render
from onrecord.server.page_queries import outlet_names, read
from onrecord.store import Store, views

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.globals.update(speaker_class=render.speaker_class, kinds=KINDS)

#: Search hits on one page.
PER_PAGE = 20
#: Speakers or articles on one page of their lists.
LIST_PAGE = 50
#: The search form's fields, in the order of its query string.
SEARCH_FIELDS = ("q", "speaker", "outlet", "since", "until", "kind")


def _store(request: Request) -> Store:
    return request.app.state.store


def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def error_page(request: Request, status_code: int, title: str, message: str) -> HTMLResponse:
    """A friendly HTML error page (not found, bad request...) with a way back."""
    return _page(request, "error.html", status_code, status=status_code, title=title, message=message)


def _id(raw: str, what: str) -> int:
    """A path id as an int; one that is not a number is not found (a 404 page, not a validation error)."""
    if raw.isdigit() and len(raw) < 19:
        return int(raw)
    raise NotFoundError(f"{raw!r} is not {what} id")


@router.get("/")
@router.get("/search")
def search(request: Request, cursor: str | None = None) -> HTMLResponse:
    """Search statements with facets; an htmx request gets only the results block."""
    form = {name: (request.query_params.get(name) or "").strip()[:500] for name in SEARCH_FIELDS}
    similar = (request.query_params.get("similar") or "").strip()[:500]
    if similar and not form["q"]:
        from onrecord.server.pages_positions import similar_page

        return similar_page(request, similar)
    store = _store(request)
    result, error = None, None
    if form["q"]:
        filters = {name: form[name] or None for name in SEARCH_FIELDS[1:]}
        try:
            result = store.search_page(form["q"], cursor=cursor or None, **filters, limit=PER_PAGE, marks=render.SEARCH_MARKS)
        except StoreError as exc:
            error = str(exc)
    hits = [(hit, render.highlighted(hit.text, views.match_ranges(hit.highlighted, render.SEARCH_MARKS))) for hit in (result.items if result else ())]
    query = {k: v for k, v in form.items() if v}
    context = {
        "form": form,
        "hits": hits,
        "error": error,
        "searched": bool(form["q"]),
        "next_url": "/search?" + urlencode({**query, "cursor": result.next_cursor}) if result and result.next_cursor else None,
        "first_url": "/search?" + urlencode(query) if cursor else None,
    }
    status = 400 if error else 200
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        return _page(request, "_results.html", status, **context)
    outlets = read(store, outlet_names)
    speakers = store.speakers_page(limit=12).items if not form["q"] else ()
    articles = store.list_articles(limit=8).items if not form["q"] else ()
    counts = store.counts()
    return _page(request, "search.html", status, outlets=outlets, speakers=speakers, articles=articles, counts=counts, **context)


def _listing(request: Request, listing: Callable[..., Any], name: str, cursor: str | None) -> HTMLResponse:
    """One page of a listing (/speakers, /articles) with the link to the next."""
    try:
        page = listing(_store(request), limit=LIST_PAGE, cursor=cursor or None)
    except StoreError as exc:
        return error_page(request, 400, f"Cannot list the {name}", str(exc))
    next_url = f"/{name}?" + urlencode({"cursor": page.next_cursor}) if page.next_cursor else None
    return _page(request, f"{name}.html", page=page, next_url=next_url)


@router.get("/speakers")
def speakers(request: Request, cursor: str | None = None) -> HTMLResponse:
    """Every speaker, most statements first, a page at a time."""
    return _listing(request, Store.speakers_page, "speakers", cursor)


@router.get("/speakers/{speaker_id}")
def speaker(request: Request, speaker_id: str) -> HTMLResponse:
    """One speaker: names, roles, a chart of statements per month, statements, outlets."""
    store = _store(request)
    try:
        entity_id = _id(speaker_id, "a speaker")
        profile = store.speaker_profile(entity_id)
        timeline = store.speaker_timeline(entity_id)
    except NotFoundError as exc:
        return error_page(request, 404, "No such speaker", str(exc))
    chart = render.month_chart(timeline.months, timeline.undated)
    positions = store.speaker_positions(entity_id).positions
    return _page(request, "speaker.html", profile=profile, chart=chart, positions=positions)


@router.get("/articles")
def articles(request: Request, cursor: str | None = None) -> HTMLResponse:
    """Stored articles, most recently stored first, a page at a time."""
    return _listing(request, Store.list_articles, "articles", cursor)


@router.get("/articles/{article_id}")
def article(request: Request, article_id: str) -> HTMLResponse:
    """One article with every statement highlighted in its speaker's colour, and a legend."""
    try:
        view = _store(request).article_view(_id(article_id, "an article"))
    except NotFoundError as exc:
        return error_page(request, 404, "No such article", str(exc))
    legend: dict[tuple[int | None, str], int] = {}
    for source in view.statements:
        key = (source.speaker_entity_id, source.speaker_name or "unnamed speaker")
        legend[key] = legend.get(key, 0) + 1
    return _page(
        request, "article.html", view=view, body=render.article_html(view.text, view.statements),
        legend=[(sid, name, n) for (sid, name), n in legend.items()], title=render.display_title(view.title, view.text),
    )  # fmt: skip


@router.get("/statements/{statement_id}")
def statement(request: Request, statement_id: str) -> HTMLResponse:
    """One statement with every article that printed it and the exact text each printed."""
    try:
        detail = _store(request).statement_detail(_id(statement_id, "a statement"))
    except NotFoundError as exc:
        return error_page(request, 404, "No such statement", str(exc))
    return _page(request, "statement.html", detail=detail)
