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
from onrecord.store import queries
from onrecord.store.records import _Record
from onrecord.store.views import _months
from onrecord.text.words import singular

#: Evidence items kept per position summary, target holder or network edge.
MAX_EVIDENCE = 10
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
    favor: tuple[TargetHolder, ...]
    against: tuple[TargetHolder, ...]
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
    "max(p.cue_end, p.target_end), a.text FROM positions p JOIN articles a ON a.id = p.article_id "
)


def _evidence(rows: Iterable[tuple]) -> tuple[Evidence, ...]:
    return tuple(Evidence(kind, eid, sid, aid, start, end, (text or "")[start:end]) for kind, eid, sid, aid, start, end, text in rows)


def _position_summaries(conn: sqlite3.Connection, where: str, args: tuple) -> list[tuple[int | None, str, PositionSummary]]:
    """(entity id, holder text, summary) per holder, target and stance of the positions matching where."""
    rows = conn.execute(
        "SELECT p.entity_id, min(p.holder_text), p.target_norm, p.stance, count(*), min(a.published_at), max(a.published_at), "
        "CASE WHEN p.entity_id IS NULL THEN lower(p.holder_text) END AS holder_key "
        f"FROM positions p JOIN articles a ON a.id = p.article_id WHERE {where} "
        "GROUP BY p.entity_id, holder_key, p.target_norm, p.stance ORDER BY count(*) DESC, p.target_norm, p.stance",
        args,
    ).fetchall()
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
        if conn.execute("SELECT 1 FROM positions WHERE target_norm = ? LIMIT 1", (candidate,)).fetchone():
            return candidate
    row = conn.execute("SELECT target_norm FROM positions WHERE lower(target_text) = ? LIMIT 1", (given.lower(),)).fetchone()
    if row:
        return str(row[0])
    words = [w for w in target_key(given).split() if len(w) > 2][:5]
    close = [r[0] for r in conn.execute(
        "SELECT target_norm FROM positions WHERE " + " OR ".join(["instr(target_norm, ?) > 0"] * len(words))
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
        "SELECT target_text FROM positions WHERE target_norm = ? GROUP BY target_text ORDER BY count(*) DESC, target_text LIMIT 5",
        (norm,),
    ))  # fmt: skip
    names = _entity_names(conn, [eid for eid, in conn.execute("SELECT DISTINCT entity_id FROM positions WHERE target_norm = ?", (norm,)) if eid])
    holders = [
        TargetHolder(eid, names.get(eid, holder_text) if eid is not None else holder_text, summary)
        for eid, holder_text, summary in _position_summaries(conn, "p.target_norm = ?", (norm,))
    ]
    by_month: dict[str, dict[str, int]] = {}
    undated = {"favor": 0, "against": 0}
    for month, stance, n in conn.execute(
        "SELECT substr(a.published_at, 1, 7), p.stance, count(*) FROM positions p JOIN articles a ON a.id = p.article_id "
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
        months, undated["favor"], undated["against"],
    )  # fmt: skip


def targets(conn: sqlite3.Connection, top: int | None = None) -> list[TargetSummary]:
    """Targets with the most positions first."""
    rows = conn.execute(
        "SELECT target_norm, sum(stance = 'favor'), sum(stance = 'against'), "
        "count(DISTINCT coalesce(CAST(entity_id AS TEXT), lower(holder_text))) FROM positions "
        "GROUP BY target_norm ORDER BY count(*) DESC, target_norm LIMIT ?",
        (top if top is not None else -1,),
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


@dataclass
class _Edge:
    a: int
    b: int
    explicit: int = 0
    targets: dict[str, None] | None = None
    evidence: list[Evidence] | None = None


def disagreement_network(conn: sqlite3.Connection, min_weight: int = 1, limit: int = 50) -> DisagreementNetwork:
    """Speakers (entities) who disagree: explicit disagreements the articles state between two
    entities, and derived ones (opposite stances on one target anywhere in the store). Edges of
    weight >= min_weight, the heaviest limit of them, and the speakers they join."""
    if min_weight < 1 or limit < 1:
        raise StoreError(f"min_weight and limit must be at least 1, not {min_weight} and {limit}")
    edges: dict[frozenset[int], _Edge] = {}

    def edge(a: int, b: int) -> _Edge:
        return edges.setdefault(frozenset((a, b)), _Edge(a, b, 0, {}, []))

    for a, b, sid, aid, start, end, text in conn.execute(
        "SELECT d.a_entity_id, d.b_entity_id, d.statement_id, d.article_id, d.evidence_start, d.evidence_end, art.text "
        "FROM disagreements d JOIN articles art ON art.id = d.article_id WHERE d.kind = 'explicit' "
        "AND d.a_entity_id IS NOT NULL AND d.b_entity_id IS NOT NULL AND d.a_entity_id != d.b_entity_id ORDER BY d.id"
    ):
        e = edge(a, b)
        e.explicit += 1
        if start is not None and end is not None:
            e.evidence.append(Evidence("explicit", a, sid, aid, start, end, (text or "")[start:end]))  # type: ignore[union-attr]
    held = (
        "SELECT entity_id, target_norm, min(id) AS first_id FROM positions WHERE entity_id IS NOT NULL AND stance = ? "
        "GROUP BY entity_id, target_norm"
    )
    pairs = conn.execute(
        f"SELECT f.entity_id, g.entity_id, f.target_norm, f.first_id, g.first_id FROM ({held}) f "
        f"JOIN ({held}) g ON g.target_norm = f.target_norm AND g.entity_id != f.entity_id ORDER BY f.first_id, g.first_id",
        ("favor", "against"),
    ).fetchall()
    first_ids = {pid for _, _, _, f, g in pairs for pid in (f, g)}
    proof = {row[0]: _evidence([row[1:]])[0] for row in _rows_by_id(conn, first_ids)}
    for favor, against, norm, f_id, g_id in pairs:
        e = edge(favor, against)
        if norm not in e.targets:  # type: ignore[operator]
            e.targets[norm] = None  # type: ignore[index]
            e.evidence += [proof[f_id], proof[g_id]]  # type: ignore[operator]
    kept = sorted(
        (e for e in edges.values() if e.explicit + len(e.targets or ()) >= min_weight),
        key=lambda e: (-(e.explicit + len(e.targets or ())), -e.explicit, min(e.a, e.b), max(e.a, e.b)),
    )[:limit]
    names = _entity_names(conn, [i for e in kept for i in (e.a, e.b)])
    out_edges = tuple(
        NetworkEdge(e.a, names.get(e.a, "?"), e.b, names.get(e.b, "?"), e.explicit, len(e.targets or ()),
                    e.explicit + len(e.targets or ()), tuple(e.targets or ()), tuple((e.evidence or [])[:MAX_EVIDENCE]))
        for e in kept
    )  # fmt: skip
    weights: dict[int, list[int]] = {}
    for ne in out_edges:
        for side in (ne.a, ne.b):
            w = weights.setdefault(side, [0, 0])
            w[0] += ne.explicit
            w[1] += ne.derived
    nodes = sorted(weights, key=lambda i: (-sum(weights[i]), names.get(i, ""), i))
    return DisagreementNetwork(tuple(NetworkNode(i, names.get(i, "?"), *weights[i]) for i in nodes), out_edges)


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
