"""Statement embeddings and topics in the store: which statements still need a vector, storing
vectors and topics, semantic search (cosine over an in-memory matrix loaded once and topped up
with newer rows), and the topic list. The vectors come from outside (onrecord.semantic): the
store never runs a model itself."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from onrecord.errors import StoreError
from onrecord.model import KINDS
from onrecord.semantic.index import VectorIndex, from_blobs, to_blob
from onrecord.semantic.topics import Topic
from onrecord.store.dates import date_filter
from onrecord.store.queries import NO_LIMIT, article_refs, find_outlet, find_speaker, statement_rows
from onrecord.store.records import ArticleRef, _Record

#: Candidates checked against the filters per query to SQLite while walking down the ranking.
_CHECK_CHUNK = 2_000


@dataclass(frozen=True)
class SimilarHit(_Record):
    """One statement found by semantic search, most similar first (cosine, higher is closer)."""

    statement_id: int
    text: str
    kind: str
    speaker: str | None  # canonical name, or the unresolved speaker as printed
    speaker_id: int | None
    cue: str | None
    first_seen: ArticleRef
    sources: int
    outlets: int
    similarity: float


@dataclass(frozen=True)
class TopicSummary(_Record):
    """A stored topic: its label, how many statements, and who made most of them."""

    topic_id: int
    label: str
    statements: int
    speakers: tuple[str, ...]  # up to three named speakers (entities), most statements first


class VectorCache:
    """The stored vectors of one model as a VectorIndex, loaded on first use and topped up with
    the rows stored since (statement ids only grow); dropped when this Store writes vectors."""

    def __init__(self, model: str, dimensions: int) -> None:
        self.model = model
        self.dimensions = dimensions
        self.index = VectorIndex(dimensions)
        self.last_id = 0

    def current(self, conn: sqlite3.Connection) -> VectorIndex:
        top = conn.execute("SELECT max(statement_id) FROM statement_embeddings").fetchone()[0] or 0
        if top > self.last_id:
            rows = conn.execute(
                "SELECT statement_id, vector FROM statement_embeddings WHERE statement_id > ? AND model = ? ORDER BY statement_id",
                (self.last_id, self.model),
            ).fetchall()
            if rows:
                self.index.add([r[0] for r in rows], from_blobs([r[1] for r in rows], self.dimensions))
            self.last_id = top
        return self.index


def statements_to_embed(conn: sqlite3.Connection, model: str, limit: int) -> list[tuple[int, str]]:
    """Up to limit (id, text) of statements with no vector of this model, in id order."""
    return conn.execute(
        "SELECT s.id, s.text FROM statements s LEFT JOIN statement_embeddings e ON e.statement_id = s.id "
        "WHERE e.statement_id IS NULL OR e.model != ? ORDER BY s.id LIMIT ?",
        (model, limit),
    ).fetchall()


def add_embeddings(conn: sqlite3.Connection, model: str, ids: Sequence[int], vectors: np.ndarray) -> int:
    """Store (or replace) the vectors of these statements; returns how many."""
    if len(ids) != len(vectors):
        raise StoreError(f"{len(ids)} statement ids for {len(vectors)} vectors")
    conn.executemany(
        "INSERT INTO statement_embeddings (statement_id, model, vector) VALUES (?, ?, ?) "
        "ON CONFLICT (statement_id) DO UPDATE SET model = excluded.model, vector = excluded.vector",
        [(int(i), model, to_blob(v)) for i, v in zip(ids, vectors, strict=True)],
    )
    return len(ids)


def embeddings(conn: sqlite3.Connection, model: str, dimensions: int) -> tuple[list[int], list[str], np.ndarray]:
    """Every statement with a vector of this model: ids, texts and the (n, dimensions) matrix, in id order."""
    rows = conn.execute(
        "SELECT s.id, s.text, e.vector FROM statement_embeddings e JOIN statements s ON s.id = e.statement_id "
        "WHERE e.model = ? ORDER BY s.id",
        (model,),
    ).fetchall()
    return [r[0] for r in rows], [r[1] for r in rows], from_blobs([r[2] for r in rows], dimensions)


def replace_topics(conn: sqlite3.Connection, topics: Sequence[Topic]) -> int:
    """Replace every stored topic by these (numbered from 1 in order); returns how many."""
    conn.execute("DELETE FROM statement_topics")
    conn.execute("DELETE FROM topics")
    for number, topic in enumerate(topics, 1):
        conn.execute("INSERT INTO topics (id, label) VALUES (?, ?)", (number, topic.label))
        conn.executemany("INSERT INTO statement_topics (statement_id, topic_id) VALUES (?, ?)", [(i, number) for i in topic.statement_ids])
    return len(topics)


def topics(conn: sqlite3.Connection, top: int | None = None) -> list[TopicSummary]:
    """Stored topics, largest first, with their three most frequent named speakers."""
    rows = conn.execute(
        "SELECT t.id, t.label, count(st.statement_id) FROM topics t JOIN statement_topics st ON st.topic_id = t.id "
        "GROUP BY t.id ORDER BY count(st.statement_id) DESC, t.id LIMIT ?",
        (top if top is not None else NO_LIMIT,),
    ).fetchall()
    out = []
    for topic_id, label, size in rows:
        speakers = tuple(
            r[0]
            for r in conn.execute(
                "SELECT e.name FROM statement_topics st JOIN statements s ON s.id = st.statement_id "
                "JOIN entities e ON e.id = s.speaker_id WHERE st.topic_id = ? "
                "GROUP BY e.id ORDER BY count(*) DESC, e.name LIMIT 3",
                (topic_id,),
            )
        )
        out.append(TopicSummary(topic_id, label, size, speakers))
    return out


def similar(
    conn: sqlite3.Connection,
    index: VectorIndex,
    vector: np.ndarray,
    limit: int = 20,
    speaker: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
) -> list[SimilarHit]:
    """The statements whose vectors are closest to vector by cosine, best first; the filters
    mean what they mean for search (outlet and dates: a source in that outlet and those dates)."""
    if kind is not None and kind not in KINDS:
        raise StoreError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    vector = np.asarray(vector, dtype=np.float32).ravel()
    if vector.shape != (index.dimensions,):
        raise StoreError(f"a query vector of {vector.shape[0]} numbers, not the {index.dimensions} of the stored vectors")
    if limit < 1 or not len(index):
        return []
    check = _filter_sql(conn, speaker, outlet, since, until, kind)
    if check is None:
        found = index.nearest(vector, limit)
    elif speaker is not None or outlet is not None:
        # a speaker's or an outlet's statements are few and indexed: score only those
        where, params = check
        among = np.array([r[0] for r in conn.execute(f"SELECT s.id FROM statements s WHERE {where}", params)], dtype=np.int64)
        found = index.nearest(vector, limit, among)
    else:
        found = _walk(conn, index, vector, limit, check)
    return _hits(conn, found)


def _filter_sql(
    conn: sqlite3.Connection, speaker: str | None, outlet: str | None, since: str | None, until: str | None, kind: str | None
) -> tuple[str, list[object]] | None:
    """A WHERE clause on statements s for the filters (None: no filter)."""
    where: list[str] = []
    params: list[object] = []
    if speaker is not None:
        where.append("s.speaker_id = ?")
        params.append(find_speaker(conn, speaker)[0])
    if kind is not None:
        where.append("s.kind = ?")
        params.append(kind)
    on_source: list[str] = []
    source_params: list[object] = []
    if outlet is not None:
        on_source.append("a.outlet_id = ?")
        source_params.append(find_outlet(conn, outlet)[0])
    dates = date_filter(since, until)
    bounds = [
        (">=", dates.first_day.isoformat() if dates.first_day else None),
        ("<", (dates.last_day + timedelta(days=1)).isoformat() if dates.last_day else None),
        (">=", dates.after),
        ("<=", dates.before),
    ]
    for op, bound in bounds:
        if bound is not None:
            on_source.append(f"a.published_at {op} ?")
            source_params.append(bound)
    sources = "FROM statement_sources ss JOIN articles a ON a.id = ss.article_id WHERE " + " AND ".join(on_source)
    if outlet is not None and speaker is None:
        # from the outlet's articles (indexed) to their statements
        where.append(f"s.id IN (SELECT ss.statement_id {sources})")
    elif on_source:
        where.append(f"EXISTS (SELECT 1 {sources} AND ss.statement_id = s.id)")
    return (" AND ".join(where), params + source_params) if where else None


def _walk(conn: sqlite3.Connection, index: VectorIndex, vector: np.ndarray, limit: int, check: tuple[str, list[object]]) -> list[tuple[int, float]]:
    """Down the ranking in growing steps, keeping candidates that pass the filter, until limit."""
    where, params = check
    kept: list[tuple[int, float]] = []
    done = 0
    k = max(limit * 8, 200)
    while True:
        ranked = index.nearest(vector, k)
        for begin in range(done, len(ranked), _CHECK_CHUNK):
            chunk = ranked[begin : begin + _CHECK_CHUNK]
            ids = [i for i, _ in chunk]
            passing = {
                r[0]
                for r in conn.execute(f"SELECT s.id FROM statements s WHERE s.id IN ({','.join('?' * len(ids))}) AND {where}", [*ids, *params])
            }
            kept += [(i, score) for i, score in chunk if i in passing]
            if len(kept) >= limit:
                return kept[:limit]
        done = len(ranked)
        if len(ranked) < k:  # every candidate seen
            return kept
        k *= 8


def _hits(conn: sqlite3.Connection, found: list[tuple[int, float]]) -> list[SimilarHit]:
    if not found:
        return []
    ids = [i for i, _ in found]
    rows = statement_rows(conn, ids)
    refs = article_refs(conn, [rows[i][6] for i in ids if i in rows])
    return [
        SimilarHit(i, rows[i][1], rows[i][2], rows[i][3], rows[i][4], rows[i][5], refs[rows[i][6]], rows[i][7], rows[i][8], round(score, 4))
        for i, score in found
        if i in rows
    ]
