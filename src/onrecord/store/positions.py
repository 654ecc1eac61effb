"""Writing one article's positions and disagreements, inside the transaction that stores the
article: the record's entity and statement ids mapped to stored ids. A copy of a stored text gets
none of its own (its positions are its original's), so nothing is counted twice."""

from __future__ import annotations

import sqlite3

from onrecord.model import Extraction


def statement_ids(conn: sqlite3.Connection, article_id: int) -> dict[str, int]:
    """The stored statement id of each statement of the article's record (s3 -> 41)."""
    return dict(conn.execute("SELECT article_statement, statement_id FROM statement_sources WHERE article_id = ?", (article_id,)).fetchall())


def add_positions(conn: sqlite3.Connection, record: Extraction, article_id: int, entity_ids: dict[str, int]) -> int:
    """Store the record's positions and disagreements (after its statements); returns how many rows."""
    if not record.positions and not record.disagreements:
        return 0
    stored = statement_ids(conn, article_id)
    conn.executemany(
        "INSERT INTO positions (entity_id, holder_text, target_norm, target_text, stance, article_id, statement_id, "
        "cue_start, cue_end, target_start, target_end, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                entity_ids.get(p.holder) if p.holder else None, p.holder_text, p.target_norm, p.target.text, p.stance,
                article_id, stored.get(p.statement) if p.statement else None,
                p.cue.start, p.cue.end, p.target.start, p.target.end, float(p.confidence),
            )
            for p in record.positions
            if p.target_norm
        ],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO disagreements (a_entity_id, a_text, b_entity_id, b_text, kind, target_norm, article_id, statement_id, "
        "evidence_start, evidence_end, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                entity_ids.get(d.a) if d.a else None, d.a_text, entity_ids.get(d.b) if d.b else None, d.b_text, d.kind,
                d.target_norm, article_id, next((stored[s] for s in d.statements if s in stored), None),
                d.evidence.start if d.evidence else None, d.evidence.end if d.evidence else None, float(d.confidence),
            )
            for d in record.disagreements
        ],
    )  # fmt: skip
    return len(record.positions) + len(record.disagreements)
