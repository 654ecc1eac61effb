"""Reading positions and disagreements across the store: a speaker's positions, who is for and
who is against one target over time, the most contested targets, and the disagreement network.

Derived disagreements are computed here, at query time, from the stored positions (two entities
with opposite stances on the same target, in any articles), so a new article adds them without
rewriting anything. Explicit ones are those the articles state."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from onrecord.errors import NotFoundError, StoreError
from onrecord.model import POSITION_REPORT_CONFIDENCE
from onrecord.store import queries
from onrecord.store.records import _Record
from onrecord.store.views import _months
from onrecord.text.words import singular

#: Evidence items kept per position summary, target holder or network edge.
MAX_EVIDENCE = 10
#: Holders listed per stance on a target's view (those with the most positions).
MAX_HOLDERS = 100
#: Derived disagreements are looked for among this many speakers, those with the most positions:
#: opposite stances on a popular target pair everyone for with everyone against, which grows as
#: the square of its holders.
NETWORK_SPEAKERS = 300
#: Positions below this confidence are stored but not shown: a hedged stance ("may support",
#: confidence halved) is not a position on the record. The same bar as evaluate-positions.
MIN_CONFIDENCE = POSITION_REPORT_CONFIDENCE
#: The positions every read here counts (SQLite flattens it into each query, indexes and all).
SHOWN = f"(SELECT * FROM positions WHERE confidence >= {MIN_CONFIDENCE})"
#: Words that open a printed target without naming it ('the ceasefire' is 'ceasefire').
_LEADING = frozenset("the a an this that these those his her their its our my your such".split())


@dataclass(frozen=True)
class Evidence(_Record):
    """Where a stance or a disagreement was read: article.text[start:end] == text."""

    kind: str  # 'favor' or 'against' (a position), 'explicit' (a disagreement an article states)
    entity_id: int | None  # the holder, or the side that disagrees
    statement_id: int | None  # the stored statement it was read from, when there is one
    article_id: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class PositionSummary(_Record):
    """One stance of one holder on one target across the store."""

    target_norm: str
    stance: str
    count: int  # positions read (at most one per statement of an article)
    first_date: str | None  # published_at of the earliest dated article
    last_date: str | None
    evidence: tuple[Evidence, ...]  # the first MAX_EVIDENCE, oldest first


@dataclass(frozen=True)
class SpeakerPositions(_Record):
    """What one speaker is for and against."""

    entity_id: int
    name: str
    positions: tuple[PositionSummary, ...]  # most read first


@dataclass(frozen=True)
class TargetHolder(_Record):
    """Someone who is for or against a target: an entity, or a holder as printed (entity_id None)."""

    entity_id: int | None
    name: str
    position: PositionSummary


@dataclass(frozen=True)
class StanceMonth(_Record):
    month: str  # YYYY-MM
    favor: int
    against: int


@dataclass(frozen=True)
class TargetView(_Record):
    """Who is for and who is against one target, and the positions by month."""

    target_norm: str
    printed: tuple[str, ...]  # the forms the articles printed, most frequent first
    favor: tuple[TargetHolder, ...]  # the MAX_HOLDERS with the most positions
    against: tuple[TargetHolder, ...]
    favor_holders: int  # how many hold each stance in all
    against_holders: int
    months: tuple[StanceMonth, ...]  # every month from the first to the last dated position
    undated_favor: int
    undated_against: int


@dataclass(frozen=True)
class TargetSummary(_Record):
    """A target and how many positions are for and against it."""

    target_norm: str
    favor: int
    against: int
    holders: int  # distinct holders (entities or printed names)


@dataclass(frozen=True)
class NetworkNode(_Record):
    """A speaker in the disagreement network, with the weight of its edges."""

    entity_id: int
    name: str
    explicit: int
    derived: int


@dataclass(frozen=True)
class NetworkEdge(_Record):
    """Two speakers who disagree: explicit (a stated it, a -> b) and derived (opposite stances on
    targets) counts, the targets, and the evidence."""

    a: int
    a_name: str
    b: int
    b_name: str
    explicit: int
    derived: int  # targets on which they hold opposite stances
    weight: int  # explicit + derived
    targets: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class DisagreementNetwork(_Record):
    nodes: tuple[NetworkNode, ...]  # heaviest first
    edges: tuple[NetworkEdge, ...]  # heaviest first


# -- a speaker's positions -------------------------------------------------------------------------

_EVIDENCE_SELECT = (
    "SELECT p.stance, p.entity_id, p.statement_id, p.article_id, min(p.cue_start, p.target_start), "
    f"max(p.cue_end, p.target_end), a.text FROM {SHOWN} p JOIN articles a ON a.id = p.article_id "
)


def _evidence(rows: Iterable[tuple]) -> tuple[Evidence, ...]:
    return tuple(Evidence(kind, eid, sid, aid, start, end, (text or "")[start:end]) for kind, eid, sid, aid, start, end, text in rows)


def _position_summaries(
    conn: sqlite3.Connection, where: str, args: tuple, per_stance: int | None = None
) -> list[tuple[int | None, str, PositionSummary]]:
    """(entity id, holder text, summary) per holder, target and stance of the positions matching
    where, most positions first; with per_stance, only that many of each stance get read out."""
    rows = conn.execute(
        "SELECT p.entity_id, min(p.holder_text), p.target_norm, p.stance, count(*), min(a.published_at), max(a.published_at), "
        "CASE WHEN p.entity_id IS NULL THEN lower(p.holder_text) END AS holder_key "
        f"FROM {SHOWN} p JOIN articles a ON a.id = p.article_id WHERE {where} "
        "GROUP BY p.entity_id, holder_key, p.target_norm, p.stance ORDER BY count(*) DESC, p.target_norm, p.stance",
        args,
    ).fetchall()
    if per_stance is not None:
        rows = [r for r in rows if r[3] == "favor"][:per_stance] + [r for r in rows if r[3] == "against"][:per_stance]
    out = []
    for entity_id, holder_text, target, stance, count, first, last, holder_key in rows:
        holder_where = "p.entity_id = ?" if entity_id is not None else "p.entity_id IS NULL AND lower(p.holder_text) = ?"
        evidence = _evidence(
            conn.execute(
                _EVIDENCE_SELECT + f"WHERE {holder_where} AND p.target_norm = ? AND p.stance = ? "
                "ORDER BY a.published_at IS NULL, a.published_at, p.id LIMIT ?",
                (entity_id if entity_id is not None else holder_key, target, stance, MAX_EVIDENCE),
            )
        )
        out.append((entity_id, holder_text, PositionSummary(target, stance, count, first, last, evidence)))
    return out


def speaker_positions(conn: sqlite3.Connection, speaker: int | str) -> SpeakerPositions:
    """What a speaker (entity id, or a name as queries.find_speaker reads it) is for and against."""
    if isinstance(speaker, int):
        row = conn.execute("SELECT id, name FROM entities WHERE id = ?", (speaker,)).fetchone()
        if row is None:
            raise NotFoundError(f"no speaker {speaker} in the store: list the speakers to get their ids")
        entity_id, name = int(row[0]), str(row[1])
    else:
        entity_id, name, _ = queries.find_speaker(conn, speaker)
    summaries = _position_summaries(conn, "p.entity_id = ?", (entity_id,))
    return SpeakerPositions(entity_id, name, tuple(s for _, _, s in summaries))


# -- targets ---------------------------------------------------------------------------------------


def target_key(text: str) -> str:
    """A target as typed, folded the way targets are keyed: lowercase, quotation marks and a
    leading article or possessive dropped, the last word singular ('The ceasefires' -> 'ceasefire')."""
    words = [w.strip(".,;:!?()[]“”\"'‘’«»") for w in text.lower().split()]
    words = [w for w in words if w]
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    if words:
        words[-1] = singular(words[-1])
    return " ".join(words)


def find_target(conn: sqlite3.Connection, text: str) -> str:
    """The stored target_norm a text means: itself, its folded key, or the target printed as it
    is; NotFoundError naming close targets when none."""
    given = " ".join((text or "").split())
    if not given:
        raise StoreError("give a target (`onrecord target` with no target lists them)")
    for candidate in dict.fromkeys((given, given.lower(), target_key(given))):
        if conn.execute(f"SELECT 1 FROM {SHOWN} shown WHERE target_norm = ? LIMIT 1", (candidate,)).fetchone():
            return candidate
    row = conn.execute(f"SELECT target_norm FROM {SHOWN} shown WHERE lower(target_text) = ? LIMIT 1", (given.lower(),)).fetchone()
    if row:
        return str(row[0])
    words = [w for w in target_key(given).split() if len(w) > 2][:5]
    close = [r[0] for r in conn.execute(
        f"SELECT target_norm FROM {SHOWN} shown WHERE " + " OR ".join(["instr(target_norm, ?) > 0"] * len(words))
        + " GROUP BY target_norm ORDER BY count(*) DESC, target_norm LIMIT 5",
        words,
    )] if words else []  # fmt: skip
    hint = f": perhaps {', '.join(close)}" if close else ": `onrecord target` with no target lists them"
    raise NotFoundError(f"no positions on {given[:80]!r} in the store{hint}")


def target(conn: sqlite3.Connection, text: str) -> TargetView:
    """Who is for and who is against a target (its target_norm or a printed form), and the
    positions by the month their articles were published."""
    norm = find_target(conn, text)
    printed = tuple(r[0] for r in conn.execute(
        f"SELECT target_text FROM {SHOWN} shown WHERE target_norm = ? GROUP BY target_text ORDER BY count(*) DESC, target_text LIMIT 5",
        (norm,),
    ))  # fmt: skip
    favor_total, against_total = conn.execute(
        "SELECT count(DISTINCT CASE WHEN stance = 'favor' THEN coalesce(CAST(entity_id AS TEXT), lower(holder_text)) END), "
        "count(DISTINCT CASE WHEN stance = 'against' THEN coalesce(CAST(entity_id AS TEXT), lower(holder_text)) END) "
        f"FROM {SHOWN} shown WHERE target_norm = ?",
        (norm,),
    ).fetchone()
    summaries = _position_summaries(conn, "p.target_norm = ?", (norm,), per_stance=MAX_HOLDERS)
    names = _entity_names(conn, [eid for eid, _, _ in summaries if eid is not None])
    holders = [
        TargetHolder(eid, names.get(eid, holder_text) if eid is not None else holder_text, summary) for eid, holder_text, summary in summaries
    ]
    by_month: dict[str, dict[str, int]] = {}
    undated = {"favor": 0, "against": 0}
    for month, stance, n in conn.execute(
        f"SELECT substr(a.published_at, 1, 7), p.stance, count(*) FROM {SHOWN} p JOIN articles a ON a.id = p.article_id "
        "WHERE p.target_norm = ? GROUP BY 1, 2",
        (norm,),
    ):
        if month is None:
            undated[stance] += n
        else:
            by_month.setdefault(month, {"favor": 0, "against": 0})[stance] = n
    months = tuple(
        StanceMonth(m, by_month.get(m, {}).get("favor", 0), by_month.get(m, {}).get("against", 0)) for m in _months(sorted(by_month))
    )
    return TargetView(
        norm, printed, tuple(h for h in holders if h.position.stance == "favor"), tuple(h for h in holders if h.position.stance == "against"),
        int(favor_total), int(against_total), months, undated["favor"], undated["against"],
    )  # fmt: skip


def targets(conn: sqlite3.Connection, top: int | None = None) -> list[TargetSummary]:
    """Targets with the most positions first."""
    rows = conn.execute(
        "SELECT target_norm, count(*) FILTER (WHERE stance = 'favor'), count(*) FILTER (WHERE stance = 'against'), "
        f"count(DISTINCT coalesce(CAST(entity_id AS TEXT), lower(holder_text))) FROM {SHOWN} shown "
        "GROUP BY target_norm ORDER BY count(*) DESC, target_norm LIMIT ?",
        (top if top is not None else queries.NO_LIMIT,),
    ).fetchall()
    return [TargetSummary(str(t), int(f), int(a), int(h)) for t, f, a, h in rows]


# -- the disagreement network -----------------------------------------------------------------------


def _entity_names(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, str]:
    unique = sorted(set(ids))
    names: dict[int, str] = {}
    for at in range(0, len(unique), 500):
        chunk = unique[at : at + 500]
        names.update(conn.execute(f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    return names


def _held(stance: str) -> str:
    """One row per entity (of the NETWORK_SPEAKERS) and target it holds this stance on."""
    return (
        f"(SELECT entity_id, target_norm FROM {SHOWN} shown WHERE stance = '{stance}' AND entity_id IN "
        f"(SELECT entity_id FROM {SHOWN} held WHERE entity_id IS NOT NULL GROUP BY entity_id ORDER BY count(*) DESC, entity_id "
        f"LIMIT {NETWORK_SPEAKERS}) GROUP BY entity_id, target_norm)"
    )


def disagreement_network(conn: sqlite3.Connection, min_weight: int = 1, limit: int = 50) -> DisagreementNetwork:
    """Speakers (entities) who disagree: explicit disagreements the articles state between two
    entities, and derived ones (opposite stances on one target anywhere in the store). Edges of
    weight >= min_weight, the heaviest limit of them, and the speakers they join. Derived ones
    are looked for among the NETWORK_SPEAKERS speakers with the most positions. Pairs are counted
    in SQL; targets and evidence are read for the edges kept only."""
    if min_weight < 1 or limit < 1:
        raise StoreError(f"min_weight and limit must be at least 1, not {min_weight} and {limit}")
    pairs: dict[frozenset[int], list[int]] = {}  # {a, b} -> [a, b, explicit, derived]; a -> b as first stated
    for a, b, n in conn.execute(
        "SELECT a_entity_id, b_entity_id, count(*) FROM disagreements WHERE kind = 'explicit' AND a_entity_id IS NOT NULL "
        "AND b_entity_id IS NOT NULL AND a_entity_id != b_entity_id GROUP BY a_entity_id, b_entity_id ORDER BY min(id)"
    ):
        pairs.setdefault(frozenset((a, b)), [a, b, 0, 0])[2] += n
    for a, b, n in conn.execute(
        f"SELECT min(f.entity_id, g.entity_id), max(f.entity_id, g.entity_id), count(DISTINCT f.target_norm) "
        f"FROM {_held('favor')} f JOIN {_held('against')} g ON g.target_norm = f.target_norm AND g.entity_id != f.entity_id "
        "GROUP BY 1, 2"
    ):
        pairs.setdefault(frozenset((a, b)), [a, b, 0, 0])[3] += n
    kept = sorted((p for p in pairs.values() if p[2] + p[3] >= min_weight), key=lambda p: (-(p[2] + p[3]), -p[2], min(p[:2]), max(p[:2])))
    kept = kept[:limit]
    names = _entity_names(conn, [i for p in kept for i in p[:2]])
    edges = tuple(
        NetworkEdge(a, names.get(a, "?"), b, names.get(b, "?"), explicit, derived, explicit + derived, *_edge_evidence(conn, a, b, bool(derived)))
        for a, b, explicit, derived in kept
    )
    weights: dict[int, list[int]] = {}
    for edge in edges:
        for side in (edge.a, edge.b):
            w = weights.setdefault(side, [0, 0])
            w[0] += edge.explicit
            w[1] += edge.derived
    nodes = sorted(weights, key=lambda i: (-sum(weights[i]), names.get(i, ""), i))
    return DisagreementNetwork(tuple(NetworkNode(i, names.get(i, "?"), *weights[i]) for i in nodes), edges)


def _edge_evidence(conn: sqlite3.Connection, a: int, b: int, derived: bool) -> tuple[tuple[str, ...], tuple[Evidence, ...]]:
    """The targets two entities take opposite stances on, and the evidence of their disagreement:
    the explicit ones first (the sentence that says it), then both positions on each target."""
    evidence = [
        Evidence("explicit", side_a, sid, aid, start, end, (text or "")[start:end])
        for side_a, sid, aid, start, end, text in conn.execute(
            "SELECT d.a_entity_id, d.statement_id, d.article_id, d.evidence_start, d.evidence_end, art.text FROM disagreements d "
            "JOIN articles art ON art.id = d.article_id WHERE d.kind = 'explicit' AND d.evidence_start IS NOT NULL "
            "AND ((d.a_entity_id = ? AND d.b_entity_id = ?) OR (d.a_entity_id = ? AND d.b_entity_id = ?)) ORDER BY d.id LIMIT ?",
            (a, b, b, a, MAX_EVIDENCE),
        )
    ]
    opposed: list[tuple[int, str, int, int]] = []
    for favor, against in ((a, b), (b, a)) if derived else ():
        opposed += [
            (f_id, norm, f_id, g_id)
            for norm, f_id, g_id in conn.execute(
                f"SELECT f.target_norm, min(f.id), min(g.id) FROM {SHOWN} f JOIN {SHOWN} g ON g.target_norm = f.target_norm "
                "WHERE f.entity_id = ? AND f.stance = 'favor' AND g.entity_id = ? AND g.stance = 'against' GROUP BY f.target_norm",
                (favor, against),
            )
        ]
    opposed.sort()
    targets = tuple(dict.fromkeys(norm for _, norm, _, _ in opposed))
    ids = [pid for _, _, f_id, g_id in opposed[:MAX_EVIDENCE] for pid in (f_id, g_id)]
    proof = {row[0]: _evidence([row[1:]])[0] for row in _rows_by_id(conn, ids)}
    evidence += [proof[pid] for pid in ids if pid in proof]
    return targets, tuple(evidence[:MAX_EVIDENCE])


def _rows_by_id(conn: sqlite3.Connection, ids: Iterable[int]) -> list[tuple]:
    """(position id, evidence columns...) of these positions."""
    unique = sorted(set(ids))
    rows: list[tuple] = []
    for at in range(0, len(unique), 500):
        chunk = unique[at : at + 500]
        rows += conn.execute(
            _EVIDENCE_SELECT.replace("SELECT ", "SELECT p.id, ", 1) + f"WHERE p.id IN ({','.join('?' * len(chunk))})", chunk
        ).fetchall()
    return rows
