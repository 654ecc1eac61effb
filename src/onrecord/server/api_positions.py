"""The REST API of positions, disagreements, topics and semantic search: a speaker's positions,
targets (who is for and against), the disagreement network, statements similar in meaning, topics.
Errors are in server/errors.py's one shape; semantic search without its extra is a 503."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from onrecord.errors import ModelNotFoundError
from onrecord.server.api import StoreDep, _id
from onrecord.server.errors import ApiError, error_responses
from onrecord.store.stances import DisagreementNetwork, SpeakerPositions, TargetSummary, TargetView
from onrecord.store.vectors import SimilarHit, TopicSummary
from onrecord.store.views import MAX_PAGE

router = APIRouter(prefix="/api", responses=error_responses(400, 500))
Top = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"how many, 1 to {MAX_PAGE}")]


def _json(content: Any) -> JSONResponse:
    return JSONResponse(content)


@router.get("/speakers/{speaker_id}/positions", response_model=SpeakerPositions, tags=["positions"], responses=error_responses(404))
def speaker_positions(store: StoreDep, speaker_id: Annotated[int, _id("speaker")]) -> JSONResponse:
    """What a speaker is for and against: per target and stance, how often, first and last
    date, and the evidence (statement, article and exact offsets)."""
    return _json(store.speaker_positions(speaker_id).to_dict())


@router.get("/targets", response_model=list[TargetSummary], tags=["positions"])
def list_targets(store: StoreDep, top: Top = 20) -> JSONResponse:
    """Targets with the most positions first, with how many are for and against."""
    return _json([t.to_dict() for t in store.targets(top)])


@router.get("/targets/{target:path}", response_model=TargetView, tags=["positions"], responses=error_responses(404))
def get_target(store: StoreDep, target: Annotated[str, Path(min_length=1, max_length=200, description="a target as stored or printed")]) -> JSONResponse:
    """Who is for and who is against a target, with evidence, and the positions by month."""
    return _json(store.target(target).to_dict())


@router.get("/disagreements", response_model=DisagreementNetwork, tags=["positions"])
def disagreements(
    store: StoreDep,
    min_weight: Annotated[int, Query(ge=1, le=10_000, description="only pairs with at least this many disagreements")] = 1,
    limit: Top = 50,
) -> JSONResponse:
    """The disagreement network: speakers (nodes) and pairs who disagree (edges), explicit (an
    article states it) and derived (opposite stances on a target), heaviest first, with evidence."""
    return _json(store.disagreement_network(min_weight, limit).to_dict())


@router.get("/statements/similar", response_model=list[SimilarHit], tags=["statements"], responses=error_responses(503))
def similar_statements(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="a text: statements closest in meaning come first")],
    limit: Top = 20,
) -> JSONResponse:
    """Statements closest in meaning to q (cosine of sentence embeddings; needs `onrecord embed`
    and the semantic extra, else 503)."""
    try:
        hits = store.similar(q, limit=limit)
    except ModelNotFoundError as exc:
        raise ApiError(503, "semantic_unavailable", str(exc)) from None
    return _json([h.to_dict() for h in hits])


@router.get("/topics", response_model=list[TopicSummary], tags=["statements"])
def list_topics(store: StoreDep, top: Top = 20) -> JSONResponse:
    """Topics of the stored statements (from `onrecord embed`), largest first, with labels."""
    return _json([t.to_dict() for t in store.topics(top)])
