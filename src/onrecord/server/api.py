"""The REST API under /api (and /health): JSON views of the store, and ingest over HTTP when
the server was started with --allow-ingest and a token. Every error is in server/errors.py's shape."""

from __future__ import annotations

import hmac
import threading
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from onrecord.errors import InputError
from onrecord.model import Article
from onrecord.server.app import get_store
from onrecord.server.errors import ApiError, error_responses
from onrecord.store import Store
from onrecord.store.records import (
    AddOutcome,
    ArticlePage,
    ArticleView,
    MonthCount,
    SearchHit,
    SpeakerProfile,
    SpeakerSummary,
    StatementDetail,
)
from onrecord.store.views import MAX_PAGE, match_ranges

#: Marks search is given around matched words: private-use characters no news text holds; the
#: API answers with their offsets (matches) and with the text between [ and ] (highlighted).
_MARKS = ("\ue000", "\ue001")
#: Largest id a path may hold (SQLite's INTEGER).
_MAX_ID = 2**63 - 1

router = APIRouter(prefix="/api", responses=error_responses(400, 500))
health_router = APIRouter()


StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"items per page, 1 to {MAX_PAGE}")]
Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")]


def _id(what: str) -> Any:
    return Path(ge=1, le=_MAX_ID, description=f"the {what}'s id")


# -- responses -------------------------------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok"]
    articles: int
    statements: int


@dataclass(frozen=True)
class ApiHit(SearchHit):
    """A search hit: highlighted has the matched words between [ and ]; matches are their
    (start, end) offsets in text."""

    matches: tuple[tuple[int, int], ...]


class StatementsPage(BaseModel):
    items: list[ApiHit]
    next_cursor: str | None


class SpeakersPage(BaseModel):
    items: list[SpeakerSummary]
    next_cursor: str | None


@dataclass(frozen=True)
class ApiSpeaker(SpeakerProfile):
    """A speaker's profile with their statements counted by month first published."""

    by_month: tuple[MonthCount, ...]
    undated: int


def _json(content: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(content, status_code=status)


# -- reads -----------------------------------------------------------------------------------------


@health_router.get("/health", response_model=Health, tags=["health"])
def health(store: StoreDep) -> JSONResponse:
    """The server is up and reads its store: how many articles and statements it holds."""
    counts = store.counts()
    return _json({"status": "ok", "articles": counts.articles, "statements": counts.statements})


@router.get("/statements", response_model=StatementsPage, tags=["statements"])
def search_statements(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description='words to find; "a phrase"; word* for a prefix; OR between alternatives')],
    speaker: Annotated[str | None, Query(max_length=200, description="a speaker's name, variant or surname")] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="an outlet's name")] = None,
    since: Annotated[str | None, Query(max_length=40, description="ISO date (or date-time): published on or after")] = None,
    until: Annotated[str | None, Query(max_length=40, description="ISO date (or date-time): published on or before")] = None,
    kind: Literal["direct", "indirect", "mixed"] | None = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> JSONResponse:
    """Statements matching q in their text, speaker names or article titles, best first, with the
    CLI's filters; next_cursor fetches the next page (null on the last)."""
    page = store.search_page(q, cursor=cursor, speaker=speaker, outlet=outlet, since=since, until=until,
                             kind=kind, limit=limit, marks=_MARKS)  # fmt: skip
    items = []
    for hit in page.items:
        matches = match_ranges(hit.highlighted, _MARKS)
        marked = hit.highlighted.replace(_MARKS[0], "[").replace(_MARKS[1], "]")
        items.append({**hit.to_dict(), "highlighted": marked, "matches": [list(m) for m in matches]})
    return _json({"items": items, "next_cursor": page.next_cursor})


@router.get("/statements/{statement_id}", response_model=StatementDetail, tags=["statements"], responses=error_responses(404))
def get_statement(store: StoreDep, statement_id: Annotated[int, _id("statement")]) -> JSONResponse:
    """One statement with every article it ran in and the exact offsets of its content, cue,
    speaker, addressee and medium there."""
    return _json(store.statement_detail(statement_id).to_dict())


@router.get("/speakers", response_model=SpeakersPage, tags=["speakers"])
def list_speakers(
    store: StoreDep,
    top: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"speakers per page, 1 to {MAX_PAGE}")] = 20,
    cursor: Cursor = None,
) -> JSONResponse:
    """Speakers, most statements first."""
    return _json(store.speakers_page(top, cursor).to_dict())


@router.get("/speakers/{speaker_id}", response_model=ApiSpeaker, tags=["speakers"], responses=error_responses(404))
def get_speaker(store: StoreDep, speaker_id: Annotated[int, _id("speaker")]) -> JSONResponse:
    """One speaker: names, roles over time, statements, outlets, and statements by month."""
    profile = store.speaker_profile(speaker_id)
    timeline = store.speaker_timeline(speaker_id)
    return _json(asdict(ApiSpeaker(**vars(profile), by_month=timeline.months, undated=timeline.undated)))


@router.get("/articles", response_model=ArticlePage, tags=["articles"])
def list_articles(store: StoreDep, limit: Limit = 20, cursor: Cursor = None) -> JSONResponse:
    """Stored articles, most recently stored first."""
    return _json(store.list_articles(limit, cursor).to_dict())


@router.get("/articles/{article_id}", response_model=ArticleView, tags=["articles"], responses=error_responses(404))
def get_article(store: StoreDep, article_id: Annotated[int, _id("article")]) -> JSONResponse:
    """One article: its text and every statement in it, each span checkable as text[start:end]."""
    return _json(store.article_view(article_id).to_dict())


# -- ingest ----------------------------------------------------------------------------------------


class ArticleIn(BaseModel):
    """An article to ingest as JSON."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)
    outlet: str | None = Field(None, max_length=200)
    published: str | None = Field(None, max_length=40)
    author: str | None = Field(None, max_length=500)


_INGEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": ArticleIn.model_json_schema()},
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}


class Ingest:
    """What POST /api/articles needs: whether it is allowed, the token, and one pipeline,
    loaded on first use and used by one request at a time."""

    def __init__(self, allowed: bool, token: str | None, settings: Any) -> None:
        self.allowed, self.token, self.settings = allowed, token, settings
        self._pipeline: Any = None
        self._lock = threading.Lock()

    def check(self, request: Request) -> None:
        if not self.allowed:
            raise ApiError(403, "ingest_disabled", "this server is read-only: start it with --allow-ingest and ONRECORD_API_TOKEN to ingest")
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not self.token or not hmac.compare_digest(given.strip().encode(), self.token.encode()):
            raise ApiError(401, "unauthorized", "send the server's ONRECORD_API_TOKEN as 'Authorization: Bearer <token>'",
                           headers={"WWW-Authenticate": "Bearer"})  # fmt: skip

    def add(self, store: Store, article: Article) -> AddOutcome:
        with self._lock:
            known = store.known(article)
            if known is not None:
                return known
            if self._pipeline is None:
                from onrecord.pipeline import Pipeline

                self._pipeline = Pipeline(self.settings)
            return store.add(self._pipeline.extract(article))


def _article_from(body: bytes, media_type: str, meta: dict[str, str | None]) -> Article:
    from onrecord.ingest.base import normalize_newlines
    from onrecord.ingest.readers import article_from_bytes

    if media_type == "application/json":
        try:
            given = ArticleIn.model_validate_json(body)
        except ValidationError as exc:
            details = [{"parameter": ".".join(str(p) for p in e["loc"]) or "body", "problem": e["msg"]} for e in exc.errors()]
            raise ApiError(400, "invalid_body", "the JSON body must be an object with a non-empty text (and optional title, url, outlet, published, author)", details) from None
        return Article(text=normalize_newlines(given.text), **given.model_dump(exclude={"text"}), source="api")
    if media_type not in ("text/plain", "text/html"):
        raise ApiError(415, "unsupported_media_type", f"Content-Type {media_type or '(none)'} is not read: send application/json, text/plain or text/html")
    try:
        article = article_from_bytes(body, "api", kind="html" if media_type == "text/html" else "text")
    except InputError as exc:
        raise ApiError(400, "invalid_body", str(exc)) from None
    given_meta = {k: v for k, v in meta.items() if v}
    return Article(**{**asdict(article), **given_meta, "id": ""})


def _ingest_allowed(request: Request) -> None:
    """POST /api/articles's gate, a dependency so that it runs before the parameters are read:
    403 on a read-only server, 401 without the token, whatever else the request holds."""
    ingest: Ingest = request.app.state.ingest
    ingest.check(request)


@router.post("/articles", response_model=AddOutcome, status_code=201, tags=["articles"], openapi_extra=_INGEST_BODY,
             dependencies=[Depends(_ingest_allowed)],
             responses={200: {"description": "the text was stored already", "model": AddOutcome}, **error_responses(401, 403, 413, 415)})  # fmt: skip
async def post_article(
    request: Request,
    title: Annotated[str | None, Query(max_length=1000, description="for text/plain or text/html bodies")] = None,
    url: Annotated[str | None, Query(max_length=2000)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    published: Annotated[str | None, Query(max_length=40)] = None,
) -> JSONResponse:
    """Extract and store one article sent as JSON, plain text or HTML (only on a server started
    with --allow-ingest; 'Authorization: Bearer <ONRECORD_API_TOKEN>'). 201 with what was stored;
    200 when the text was stored already."""
    ingest: Ingest = request.app.state.ingest
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    article = _article_from(await request.body(), media_type, {"title": title, "url": url, "outlet": outlet, "published": published})
    if not article.text.strip():
        raise ApiError(400, "invalid_body", "the article has no text to extract statements from")
    outcome = await run_in_threadpool(ingest.add, get_store(request), article)
    return _json(outcome.to_dict(), 200 if outcome.status == "already_stored" else 201)
