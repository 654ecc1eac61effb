"""Search on PostgreSQL: the FTS5 query that queries.fts_query makes, read as a tsquery, matched
against the GIN-indexed tsvector of statements_fts (store/pg_schema.py), ranked by ts_rank_cd
with the weights SQLite's bm25 gives the columns, the matched words marked by ts_headline.

The same query syntax means the same thing: every word must match (OR between two words: either),
"a phrase" is its words in a row, word* is a prefix, and the user's words are looked for in the
statement's text, speaker names and titles only (weights A, B, C), never in the facet terms (D)
that the filters match."""

from __future__ import annotations

import re
from typing import Any

from onrecord.store.pg_schema import TS_CONFIG

#: ts_rank_cd's weights of D (facets), C (title), B (speaker), A (text): bm25's 0, 1, 2, 4 scaled.
RANK_WEIGHTS = "{0, 0.25, 0.5, 1}"
#: ts_rank_cd normalisation 1: divided by 1 + log(the statement's length), as bm25 favours short texts.
RANK_NORMALISATION = 1
_TERM = re.compile(r'"([^"]*)"( \*)?|\b(AND|OR)\b')


def tsquery(fts: str) -> str:
    """queries.fts_query's output as to_tsquery text: '"peaceful leadership" AND "pol" *' ->
    "('peaceful':ABC <-> 'leadership':ABC) & ('pol':*ABC)". Words hold letters and digits only
    (fts_query keeps nothing else), so quoting them is safe."""
    out: list[str] = []
    for m in _TERM.finditer(fts):
        if m.group(3):
            out.append("&" if m.group(3) == "AND" else "|")
            continue
        ws = m.group(1).split()
        if not ws:
            continue
        items = [f"'{w}':ABC" for w in ws]
        if m.group(2):
            items[-1] = f"'{ws[-1]}':*ABC"
        out.append("(" + " <-> ".join(items) + ")")
    while out and out[-1] in ("&", "|"):
        out.pop()
    return " ".join(out)


def facet_tsquery(groups: list[list[str]]) -> str:
    """Filter terms as to_tsquery text: one term of each group, in the facets (weight D)."""
    return " & ".join("(" + " | ".join(f"'{t}':D" for t in group) + ")" for group in groups if group)


def ranked(
    conn: Any, fts: str, groups: list[list[str]], where: list[str], params: list[str], cap: int, limit: int, offset: int
) -> list[tuple[int, float]]:
    """The best (statement id, score) of the search, score = -ts_rank_cd (lower is better, as
    bm25); only the cap most recently stored matches are ranked, as on SQLite. where: conditions
    on statements s, with their params."""
    user = tsquery(fts)
    if not user:
        return []
    match = f"f.words @@ to_tsquery('{TS_CONFIG}', ?)"
    args: list[Any] = [user]
    facet = facet_tsquery(groups)
    if facet:
        match = f"f.words @@ (to_tsquery('{TS_CONFIG}', ?) && to_tsquery('simple', ?))"
        args.append(facet)
    join = "JOIN statements s ON s.id = f.rowid " if where else ""
    rows = conn.execute(
        f"SELECT id, score FROM (SELECT m.rowid AS id, -ts_rank_cd('{RANK_WEIGHTS}', m.words, to_tsquery('{TS_CONFIG}', ?), "
        f"{RANK_NORMALISATION}) AS score FROM (SELECT f.rowid, f.words FROM statements_fts f {join}"
        f"WHERE {' AND '.join([match, *where])} ORDER BY f.rowid DESC LIMIT ?) m) r ORDER BY score, id LIMIT ? OFFSET ?",
        [user, *args, *params, cap, limit, offset],
    ).fetchall()
    return [(int(i), float(score)) for i, score in rows]


def highlights(conn: Any, fts: str, ids: list[int], marks: tuple[str, str]) -> dict[int, str]:
    """Each statement's text with the words the query matched between marks."""
    if not ids:
        return {}
    start, stop = (m.replace('"', '""') for m in marks)
    options = f'HighlightAll=true, StartSel="{start}", StopSel="{stop}"'
    rows = conn.execute(
        f"SELECT rowid, ts_headline('{TS_CONFIG}', text, to_tsquery('{TS_CONFIG}', ?), ?) FROM statements_fts "
        f"WHERE rowid IN ({','.join('?' * len(ids))})",
        [tsquery(fts), options, *ids],
    ).fetchall()
    return {int(i): text for i, text in rows}
