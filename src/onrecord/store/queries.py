"""Reading the store: search, speakers, a speaker's profile, counts. Each function takes an open
connection and returns named records; the CLI and the REST API print or serve them."""

from __future__ import annotations

import difflib
import re
import sqlite3
from datetime import date

from onrecord.errors import StoreError
from onrecord.model import KINDS
from onrecord.store import facets, identity
from onrecord.store.backend import POSTGRESQL, dialect
from onrecord.store.dates import date_filter
from onrecord.store.records import (
    ArticleRef,
    Counts,
    OutletCount,
    ProfileStatement,
    RoleSpan,
    SearchHit,
    SpeakerProfile,
    SpeakerSummary,
)
from onrecord.store.writer import outlet_norm

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"[^\W_]+")

#: Words too common to search by alone: dropped from a query that has other words (a phrase
#: keeps them), since they match most statements and barely move bm25.
STOPWORDS: frozenset[str] = frozenset(
    "a about after all also an and any are as at be been but by can could did do does for from had has have "
    "he her his i if in into is it its just more most my no not now of on one only or our out over said say "
    "says she so some than that the their them then there these they this those to up us was we were what "
    "when which who will with would you your".split()
)
#: A query matching more statements than this ranks only the most recently stored this many
#: (that pass its filters): ranking every match of a very common word would take too long
#: (about 1.5 microseconds a match).
RANK_CAP = 5_000
#: A LIMIT that limits nothing (PostgreSQL refuses SQLite's -1).
NO_LIMIT = 2**62
#: bm25 weights of the FTS columns text, speaker, title, facets: a word in the statement counts
#: most, one in a speaker's name or a title less, facets (filters) not at all.
BM25_WEIGHTS = "4.0, 2.0, 1.0, 0.0"


def fts_query(text: str) -> str:
    """A user's words as a safe FTS5 query: every term is quoted, so NOT, -, ^, :, * and
    parentheses are plain words; terms must all match, or either one with OR between them;
    "a phrase" in balanced double quotes stays a phrase; a word ending in * searches by prefix;
    STOPWORDS are left out when other words remain, and a query of stopwords alone is a phrase.
    Returns '' when there is no word to search."""
    terms: list[tuple[str, bool, bool]] = []  # (term, joined to the previous one by OR, a stopword)
    either = False
    for m in _TOKEN.finditer(text):
        phrase, token = m.group(1), m.group(2)
        if token in ("OR", "AND"):
            either = token == "OR" and bool(terms)
            continue
        ws = _WORD.findall(phrase if phrase is not None else token)
        if not ws:
            continue
        prefix = token is not None and token.endswith("*")
        stop = phrase is None and not prefix and all(w.casefold() in STOPWORDS for w in ws)
        terms.append(('"' + " ".join(ws) + '"' + (" *" if prefix else ""), either, stop))
        either = False
    if not all(stop for _, _, stop in terms):
        terms = [t for t in terms if not t[2]]
    elif len(terms) > 1 and not any(either for _, either, _ in terms):
        # only common words ("we will not"): a fragment of a quotation, searched as a phrase
        terms = [('"' + " ".join(t[0].strip('"') for t in terms) + '"', False, True)]
    parts: list[str] = []
    for term, either, _ in terms:
        if parts:
            parts.append("OR" if either else "AND")
        parts.append(term)
    return " ".join(parts)


def search(
    conn: sqlite3.Connection,
    query: str,
    speaker: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    limit: int = 20,
    marks: tuple[str, str] = ("[", "]"),
    offset: int = 0,
) -> list[SearchHit]:
    """Statements matching the query in their text, speaker names or article titles, best bm25
    first (PostgreSQL: ts_rank_cd, store/pg_search.py), the matched words between marks. outlet,
    since and until keep statements with a source in that outlet or published in those dates
    (ISO, until inclusive). offset skips that many of the best (for pages)."""
    user = fts_query(query or "")
    if not user or limit < 1:
        return []
    if kind is not None and kind not in KINDS:
        raise StoreError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    # the user's words search text, speaker names and titles; filters are facet terms (store/facets.py):
    # a statement must have one term of each group
    groups: list[list[str]] = []
    if speaker is not None:
        groups.append([facets.speaker_term(find_speaker(conn, speaker)[0])])
    if kind is not None:
        groups.append([facets.kind_term(kind)])
    if outlet is not None:
        groups.append([facets.outlet_term(find_outlet(conn, outlet)[0])])
    dates = date_filter(since, until)
    where: list[str] = []
    params: list[str] = []
    if dates.first_day or dates.last_day:
        # two queries: SQLite reads min() or max() alone off the index, both together by a scan
        oldest_at = conn.execute("SELECT min(published_at) FROM articles").fetchone()[0]
        newest_at = conn.execute("SELECT max(published_at) FROM articles").fetchone()[0]
        if oldest_at is None:
            return []
        oldest, newest = date.fromisoformat(oldest_at[:10]), date.fromisoformat(newest_at[:10])
        first, last = dates.first_day or oldest, dates.last_day or newest
        if first > newest or last < oldest or first > last:
            return []
        # past the stored dates a range can shrink or grow to the stored years: fewer terms (one
        # per year however far the bounds lie, 0001-01-01 or 9999-12-31), the same statements
        first = date(oldest.year, 1, 1) if first <= oldest else first
        last = date(newest.year, 12, 31) if last >= newest else last
        groups.append(facets.date_cover(first, last))
        exact = [(op, bound) for op, bound in ((">=", dates.after), ("<=", dates.before)) if bound]
        if exact:
            # a time of day: the index knows days, the articles know the time
            where.append(
                "EXISTS (SELECT 1 FROM statement_sources ss CROSS JOIN articles a ON a.id = ss.article_id "
                f"WHERE ss.statement_id = s.id AND {' AND '.join(f'a.published_at {op} ?' for op, _ in exact)})"
            )
            params += [bound for _, bound in exact]
    if dialect(conn) == POSTGRESQL:
        from onrecord.store import pg_search

        ranked = pg_search.ranked(conn, user, groups, where, params, RANK_CAP, limit, max(0, offset))
        marked = pg_search.highlights(conn, user, [r[0] for r in ranked], marks)
    else:
        ranked, marked = _fts5_ranked(conn, user, groups, where, params, limit, offset, marks)
    return _hits(conn, ranked, marked)


def _fts5_ranked(
    conn: sqlite3.Connection, user: str, groups: list[list[str]], where: list[str], params: list[str],
    limit: int, offset: int, marks: tuple[str, str],
) -> tuple[list[tuple[int, float]], dict[int, str]]:  # fmt: skip
    """SQLite's search: the best (id, bm25) and each one's highlighted text."""
    parts = ["{text speaker title} : (" + user + ")", *(facets.either(g) for g in groups)]
    match = " AND ".join(parts)
    # FTS5 hands matches over newest first and cheaply; ranking them all is what costs, so only
    # the RANK_CAP newest are ranked (all of them whenever fewer match)
    ranked = conn.execute(
        f"SELECT id, score FROM (SELECT s.id AS id, bm25(statements_fts, {BM25_WEIGHTS}) AS score "
        "FROM statements_fts JOIN statements s ON s.id = statements_fts.rowid "
        f"WHERE {' AND '.join(['statements_fts MATCH ?', *where])} ORDER BY statements_fts.rowid DESC LIMIT ?) "
        "ORDER BY score, id LIMIT ? OFFSET ?",
        [match, *params, RANK_CAP, limit, max(0, offset)],
    ).fetchall()
    # one row at a time: FTS5 seeks a rowid = constraint but would run the whole query for IN (...)
    highlight = "SELECT highlight(statements_fts, 0, ?, ?) FROM statements_fts WHERE statements_fts MATCH ? AND rowid = ?"
    marked = {r[0]: row[0] for r in ranked for row in conn.execute(highlight, (marks[0], marks[1], parts[0], r[0]))}
    return ranked, marked


def _hits(conn: sqlite3.Connection, ranked: list[tuple[int, float]], marked: dict[int, str]) -> list[SearchHit]:
    """The search hits of the ranked (id, score) pairs, in order."""
    if not ranked:
        return []
    ids = [r[0] for r in ranked]
    rows = statement_rows(conn, ids)
    refs = article_refs(conn, [rows[i][6] for i in ids])
    return [
        SearchHit(i, rows[i][1], marked.get(i, rows[i][1]), rows[i][2], rows[i][3], rows[i][4], rows[i][5],
                  refs[rows[i][6]], rows[i][7], rows[i][8], float(rank))
        for i, rank in ranked
    ]  # fmt: skip


def statement_rows(conn: sqlite3.Connection, ids: list[int]) -> dict[int, tuple]:
    """What a hit shows of these statements, by id: (id, text, kind, speaker name, speaker id,
    cue, first article id, sources, outlets)."""
    return {
        r[0]: r
        for r in conn.execute(
            "SELECT s.id, s.text, s.kind, coalesce(e.name, s.speaker_text), s.speaker_id, s.cue, s.first_article_id, "
            "s.source_count, s.outlet_count FROM statements s LEFT JOIN entities e ON e.id = s.speaker_id "
            f"WHERE s.id IN ({','.join('?' * len(ids))})",
            ids,
        )
    }


def article_refs(conn: sqlite3.Connection, ids: list[int]) -> dict[int, ArticleRef]:
    """Title, outlet, url and publication date of these articles, by id."""
    unique = sorted(set(ids))
    if not unique:
        return {}
    rows = conn.execute(
        "SELECT a.id, a.title, o.name, a.url, a.published FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id "
        f"WHERE a.id IN ({','.join('?' * len(unique))})",
        unique,
    ).fetchall()
    return {r[0]: ArticleRef(*r) for r in rows}


def speakers(conn: sqlite3.Connection, top: int | None = None) -> list[SpeakerSummary]:
    """Entities that made statements, most statements first."""
    if top is not None and top < 1:
        return []
    rows = conn.execute(
        "SELECT s.speaker_id, min(e.name), min(e.type), count(*), min(s.first_published), max(s.first_published) "
        "FROM statements s JOIN entities e ON e.id = s.speaker_id GROUP BY s.speaker_id "
        "ORDER BY count(*) DESC, s.speaker_id LIMIT ?",
        (top if top is not None else NO_LIMIT,),
    ).fetchall()
    return [SpeakerSummary(r[0], r[1], r[2], r[3], _outlet_count(conn, r[0]), r[4], r[5], _latest_role(conn, r[0])) for r in rows]


def _outlet_count(conn: sqlite3.Connection, entity_id: int) -> int:
    return int(
        conn.execute(
            "SELECT count(DISTINCT a.outlet_id) FROM statements s JOIN statement_sources ss ON ss.statement_id = s.id "
            "JOIN articles a ON a.id = ss.article_id WHERE s.speaker_id = ?",
            (entity_id,),
        ).fetchone()[0]
    )


def _latest_role(conn: sqlite3.Connection, entity_id: int) -> str | None:
    row = conn.execute(
        "SELECT role FROM roles WHERE entity_id = ? ORDER BY date IS NULL, date DESC, article_id DESC LIMIT 1", (entity_id,)
    ).fetchone()
    return row[0] if row else None


def speaker(conn: sqlite3.Connection, name: str) -> SpeakerProfile:
    """A speaker's profile: canonical name, name variants, roles over time, statements by date, outlets."""
    return profile(conn, *find_speaker(conn, name))


def profile(conn: sqlite3.Connection, entity_id: int, canonical: str, type_: str) -> SpeakerProfile:
    """The profile of the entity with this id, canonical name and type (see speaker)."""
    variants = tuple(
        r[0] for r in conn.execute("SELECT name FROM entity_names WHERE entity_id = ? ORDER BY mentions DESC, id", (entity_id,))
    )
    roles = tuple(
        RoleSpan(*r)
        for r in conn.execute(
            "SELECT role, min(date), max(date), count(DISTINCT article_id) FROM roles WHERE entity_id = ? "
            "GROUP BY role ORDER BY min(date) IS NULL, min(date), min(id)",
            (entity_id,),
        )
    )
    rows = conn.execute(
        "SELECT id, first_published, kind, text, cue, first_article_id, source_count FROM statements "
        "WHERE speaker_id = ? ORDER BY first_published IS NULL, first_published, id",
        (entity_id,),
    ).fetchall()
    refs = article_refs(conn, [r[5] for r in rows])
    statements = tuple(ProfileStatement(r[0], r[1], r[2], r[3], r[4], refs[r[5]], r[6]) for r in rows)
    outlets = tuple(
        OutletCount(*r)
        for r in conn.execute(
            "SELECT o.name, count(DISTINCT s.id) FROM statements s JOIN statement_sources ss ON ss.statement_id = s.id "
            "JOIN articles a ON a.id = ss.article_id JOIN outlets o ON o.id = a.outlet_id WHERE s.speaker_id = ? "
            "GROUP BY o.id ORDER BY count(DISTINCT s.id) DESC, o.name",
            (entity_id,),
        )
    )
    return SpeakerProfile(entity_id, canonical, type_, variants, roles, statements, outlets)


def find_speaker(conn: sqlite3.Connection, name: str) -> tuple[int, str, str]:
    """The one stored entity a name means (id, canonical name, type): its canonical name or any
    printed variant, folded; a full name with a spelling variant of the surname; or a surname.
    Several: a StoreError naming them; none: a StoreError suggesting close names."""
    norm = identity.name_norm(name or "")
    if not norm:
        raise StoreError("give a speaker's name")
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT entity_id FROM entity_names WHERE norm = ? UNION SELECT id FROM entities WHERE norm = ?", (norm, norm)
        )
    ]
    if not ids:
        ids = _by_surname(conn, identity.name_key(name, "PERSON"))
    if not ids:
        suggestions = _suggest(conn, name, norm)
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else "; `onrecord speakers` lists them"
        raise StoreError(f"no speaker named {name!r} in the store{hint}")
    rows = _entity_rows(conn, ids)
    speaking = [r for r in rows if r[3] > 0]
    if len(rows) > 1 and len(speaking) == 1:
        rows = speaking
    if len(rows) > 1:
        listed = "; ".join(f"{r[1]} ({r[3]} statements)" for r in sorted(rows, key=lambda r: (-r[3], r[0]))[:10])
        raise StoreError(f"several speakers match {name!r}: {listed}. Give a full name")
    return rows[0][0], rows[0][1], rows[0][2]


def _by_surname(conn: sqlite3.Connection, key: identity.NameKey) -> list[int]:
    if not key.surname:
        return []
    keys = sorted(identity.surname_keys(key.surname))
    rows = conn.execute(
        "SELECT DISTINCT e.id, e.first_name, e.surname FROM surname_keys k CROSS JOIN entities e ON e.id = k.entity_id "
        f"WHERE k.key IN ({','.join('?' * len(keys))}) ORDER BY e.id",
        keys,
    ).fetchall()
    fits = [r for r in rows if r[2] and identity.similar_surname(r[2], key.surname)]
    if key.full:
        fits = [r for r in fits if r[1] == key.first]
    return [r[0] for r in fits]


def _entity_rows(conn: sqlite3.Connection, ids: list[int]) -> list[tuple[int, str, str, int]]:
    unique = sorted(set(ids))
    return conn.execute(
        "SELECT e.id, e.name, e.type, (SELECT count(*) FROM statements s WHERE s.speaker_id = e.id) "
        f"FROM entities e WHERE e.id IN ({','.join('?' * len(unique))}) ORDER BY e.id",
        unique,
    ).fetchall()


def _suggest(conn: sqlite3.Connection, name: str, norm: str) -> list[str]:
    """Up to five names close to one the store does not know: surname variants, then spellings
    close to the names of the most quoted speakers."""
    found: list[str] = []
    for token in norm.split():
        keys = sorted(identity.surname_keys(token))
        found += [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT e.name FROM surname_keys k CROSS JOIN entities e ON e.id = k.entity_id "
                f"WHERE k.key IN ({','.join('?' * len(keys))}) LIMIT 10",
                keys,
            )
        ]
    known = [
        r[0]
        for r in conn.execute(
            "SELECT min(e.name) FROM statements s JOIN entities e ON e.id = s.speaker_id GROUP BY s.speaker_id "
            "ORDER BY count(*) DESC LIMIT 5000"
        )
    ]
    by_norm = {identity.name_norm(k): k for k in known}
    found += [by_norm[m] for m in difflib.get_close_matches(norm, list(by_norm), n=5, cutoff=0.6)]
    return list(dict.fromkeys(found))[:5]


def find_outlet(conn: sqlite3.Connection, name: str) -> tuple[int, str]:
    """The one stored outlet a name means: the same folded name, or the only one containing it."""
    norm = outlet_norm(name or "")
    if not norm:
        raise StoreError("give an outlet's name")
    row = conn.execute("SELECT id, name FROM outlets WHERE norm = ?", (norm,)).fetchone()
    if row:
        return row[0], row[1]
    rows = conn.execute(
        "SELECT id, name FROM outlets WHERE ' ' || norm || ' ' LIKE ? ESCAPE '\\' ORDER BY id",
        ("% " + norm.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " %",),
    ).fetchall()
    if len(rows) == 1:
        return rows[0][0], rows[0][1]
    if rows:
        raise StoreError(f"several outlets match {name!r}: {', '.join(r[1] for r in rows[:10])}. Give the full name")
    by_norm = {r[0]: r[1] for r in conn.execute("SELECT norm, name FROM outlets ORDER BY id LIMIT 10000")}
    close = [by_norm[n] for n in difflib.get_close_matches(norm, list(by_norm), n=5, cutoff=0.6)]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise StoreError(f"no outlet named {name!r} in the store{hint}")


def counts(conn: sqlite3.Connection) -> Counts:
    """How many articles (copies included), statements, statement sources and entities are stored."""
    return Counts(*(int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in ("articles", "statements", "statement_sources", "entities")))
