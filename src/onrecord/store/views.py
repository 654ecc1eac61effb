"""Reading the store for the web: one statement with its sources, one article with every
statement span in it, pages of articles, speakers and search hits behind opaque cursors, and a
speaker's statements by month. Each function takes an open connection and returns named records.

Cursors are urlsafe base64 of a small JSON object naming the listing, the position reached and
a fingerprint of the query they continue, so a cursor given to another query, edited or made up
is refused (CursorError) instead of silently paging something else.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sqlite3
from datetime import date
from typing import Any

from onrecord.errors import NotFoundError, StoreError
from onrecord.store import queries
from onrecord.store.records import (
    ArticlePage,
    ArticleSummary,
    ArticleView,
    MonthCount,
    SearchPage,
    SpeakerPage,
    SpeakerProfile,
    SpeakerTimeline,
    StatementDetail,
    StatementSource,
    TextSpan,
)

#: The most items one page holds.
MAX_PAGE = 100
#: A timeline spanning more months than this lists only the months with statements.
MAX_FILLED_MONTHS = 600


class CursorError(StoreError):
    """A cursor this store did not give for this listing and query."""


# -- cursors ---------------------------------------------------------------------------------------


def _fingerprint(params: Any) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:12]


def encode_cursor(listing: str, position: int, params: Any = None) -> str:
    """An opaque cursor continuing listing at position for the query params."""
    raw = json.dumps({"l": listing, "p": position, "f": _fingerprint(params)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, listing: str, params: Any = None) -> int:
    """The position a cursor from encode_cursor holds; CursorError when it is not one for this
    listing and query."""
    refusal = CursorError(f"cursor {cursor[:40]!r} is not one given for this query: repeat the query without a cursor")
    if not cursor or len(cursor) > 200:
        raise refusal
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise refusal from None
    if not isinstance(data, dict) or data.get("l") != listing or data.get("f") != _fingerprint(params):
        raise refusal
    position = data.get("p")
    if type(position) is not int or position < 0:
        raise refusal
    return position


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise StoreError(f"limit must be between 1 and {MAX_PAGE}, not {limit}")


# -- search ----------------------------------------------------------------------------------------


def search_page(
    conn: sqlite3.Connection,
    query: str,
    speaker: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    limit: int = 20,
    cursor: str | None = None,
    marks: tuple[str, str] = ("[", "]"),
) -> SearchPage:
    """One page of queries.search's hits (the same filters and ranking); next_cursor continues it,
    None on the last page. Only the queries.RANK_CAP best-ranked can be paged to."""
    _check_limit(limit)
    params = [query, speaker, outlet, since, until, kind]
    offset = decode_cursor(cursor, "search", params) if cursor is not None else 0
    if offset >= queries.RANK_CAP:
        return SearchPage((), None)
    hits = queries.search(conn, query, speaker, outlet, since, until, kind, limit=limit + 1, marks=marks, offset=offset)
    more = len(hits) > limit and offset + limit < queries.RANK_CAP
    return SearchPage(tuple(hits[:limit]), encode_cursor("search", offset + limit, params) if more else None)


def match_ranges(highlighted: str, marks: tuple[str, str]) -> tuple[tuple[int, int], ...]:
    """Where the marked words lie in the unmarked text: (start, end) offsets, end exclusive."""
    ranges: list[tuple[int, int]] = []
    plain_len, at = 0, 0
    while True:
        open_at = highlighted.find(marks[0], at)
        if open_at < 0:
            return tuple(ranges)
        close_at = highlighted.find(marks[1], open_at + len(marks[0]))
        if close_at < 0:
            return tuple(ranges)
        start = plain_len + (open_at - at)
        end = start + (close_at - open_at - len(marks[0]))
        ranges.append((start, end))
        plain_len = end
        at = close_at + len(marks[1])


# -- statements and articles -----------------------------------------------------------------------

_SOURCE_SELECT = (
    "SELECT ss.statement_id, ss.article_id, ss.article_statement, ss.kind, ss.confidence, ss.content_start, "
    "ss.content_end, ss.content, ss.content_pieces, ss.cue_start, ss.cue_end, ss.cue, ss.speaker_start, "
    "ss.speaker_end, ss.speaker, ss.speaker_entity_id, coalesce(e.name, ss.speaker), ss.addressee_start, "
    "ss.addressee_end, ss.addressee, ss.medium_start, ss.medium_end, ss.medium "
    "FROM statement_sources ss LEFT JOIN entities e ON e.id = ss.speaker_entity_id "
)


def _span(start: int | None, end: int | None, text: str | None) -> TextSpan | None:
    return TextSpan(start, end, text) if start is not None and end is not None and text is not None else None


def _sources(conn: sqlite3.Connection, where: str, arg: int, order: str) -> tuple[StatementSource, ...]:
    rows = conn.execute(_SOURCE_SELECT + where + order, (arg,)).fetchall()
    refs = queries.article_refs(conn, [r[1] for r in rows])
    return tuple(
        StatementSource(
            statement_id=r[0], article=refs[r[1]], article_statement=r[2], kind=r[3], confidence=r[4],
            content=TextSpan(r[5], r[6], r[7]),
            content_pieces=tuple((int(a), int(b)) for a, b in json.loads(r[8])) if r[8] else (),
            cue=_span(r[9], r[10], r[11]), speaker=_span(r[12], r[13], r[14]), speaker_entity_id=r[15],
            speaker_name=r[16], addressee=_span(r[17], r[18], r[19]), medium=_span(r[20], r[21], r[22]),
        )
        for r in rows
    )  # fmt: skip


def statement_detail(conn: sqlite3.Connection, statement_id: int) -> StatementDetail:
    """One statement with every source: the article it ran in and the exact offsets and texts of
    its content, cue, speaker, addressee and medium there. NotFoundError when not stored."""
    row = conn.execute(
        "SELECT s.id, s.kind, s.text, s.cue, coalesce(e.name, s.speaker_text), s.speaker_id, s.first_article_id, "
        "s.first_published, s.source_count, s.outlet_count FROM statements s LEFT JOIN entities e ON e.id = s.speaker_id "
        "WHERE s.id = ?",
        (statement_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no statement {statement_id} in the store: search for statements to get their ids")
    sources = _sources(
        conn, "WHERE ss.statement_id = ?", statement_id,
        " ORDER BY (SELECT published_at IS NULL FROM articles WHERE id = ss.article_id), "
        "(SELECT published_at FROM articles WHERE id = ss.article_id), ss.article_id",
    )  # fmt: skip
    first = queries.article_refs(conn, [row[6]])[row[6]]
    return StatementDetail(row[0], row[1], row[2], row[3], row[4], row[5], first, row[7], row[8], row[9], sources)


def article_view(conn: sqlite3.Connection, article_id: int) -> ArticleView:
    """One article: its publication, its text (a copy's is its original's) and every statement
    source in it in text order, each span checkable as text[start:end]. NotFoundError when not stored."""
    row = conn.execute(
        "SELECT a.id, a.sha256, a.title, o.name, a.url, a.published, a.author, coalesce(a.text, c.text), a.copy_of, "
        "a.syndicated_from FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id "
        "LEFT JOIN articles c ON c.id = a.copy_of WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no article {article_id} in the store: list the articles to get their ids")
    original = row[8] if row[8] is not None else row[0]
    copies = [r[0] for r in conn.execute("SELECT id FROM articles WHERE (id = ? OR copy_of = ?) AND id != ? ORDER BY id",
                                         (original, original, row[0]))]  # fmt: skip
    refs = queries.article_refs(conn, copies)
    statements = _sources(conn, "WHERE ss.article_id = ?", row[0], " ORDER BY ss.content_start, ss.content_end, ss.id")
    return ArticleView(*row, other_publications=tuple(refs[i] for i in copies), statements=statements)


def list_articles(conn: sqlite3.Connection, limit: int = 20, cursor: str | None = None) -> ArticlePage:
    """Stored articles (copies included), most recently stored first, limit at a time."""
    _check_limit(limit)
    before = decode_cursor(cursor, "articles") if cursor is not None else None
    rows = conn.execute(
        "SELECT a.id, a.title, o.name, a.url, a.published, a.copy_of, "
        "(SELECT count(*) FROM statement_sources ss WHERE ss.article_id = a.id) "
        "FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id WHERE a.id < ? ORDER BY a.id DESC LIMIT ?",
        (before if before is not None else 2**62, limit + 1),
    ).fetchall()
    items = tuple(ArticleSummary(*r) for r in rows[:limit])
    return ArticlePage(items, encode_cursor("articles", items[-1].id) if len(rows) > limit else None)


# -- speakers --------------------------------------------------------------------------------------


def speakers_page(conn: sqlite3.Connection, limit: int = 20, cursor: str | None = None) -> SpeakerPage:
    """queries.speakers (most statements first), limit at a time."""
    _check_limit(limit)
    offset = decode_cursor(cursor, "speakers") if cursor is not None else 0
    rows = queries.speakers(conn, offset + limit + 1)[offset:]
    return SpeakerPage(tuple(rows[:limit]), encode_cursor("speakers", offset + limit) if len(rows) > limit else None)


def _entity(conn: sqlite3.Connection, entity_id: int) -> tuple[int, str, str]:
    row = conn.execute("SELECT id, name, type FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no speaker {entity_id} in the store: list the speakers to get their ids")
    return int(row[0]), str(row[1]), str(row[2])


def speaker_profile(conn: sqlite3.Connection, entity_id: int) -> SpeakerProfile:
    """The profile of the entity with this id (see queries.speaker); NotFoundError when none."""
    return queries.profile(conn, *_entity(conn, entity_id))


def speaker_timeline(conn: sqlite3.Connection, speaker: int | str) -> SpeakerTimeline:
    """A speaker's statements counted by the month they were first published ('YYYY-MM'), every
    month from the first to the last listed (zero when none, unless that is over
    MAX_FILLED_MONTHS months); speaker is an entity id or a name as queries.find_speaker reads it."""
    entity_id, name, _ = _entity(conn, speaker) if isinstance(speaker, int) else queries.find_speaker(conn, speaker)
    counts = dict(
        conn.execute(
            "SELECT substr(first_published, 1, 7), count(*) FROM statements WHERE speaker_id = ? "
            "AND first_published IS NOT NULL GROUP BY 1 ORDER BY 1",
            (entity_id,),
        ).fetchall()
    )
    undated = conn.execute("SELECT count(*) FROM statements WHERE speaker_id = ? AND first_published IS NULL", (entity_id,)).fetchone()[0]
    return SpeakerTimeline(entity_id, name, tuple(MonthCount(m, counts.get(m, 0)) for m in _months(sorted(counts))), int(undated))


def _months(listed: list[str]) -> list[str]:
    """Every month from the first listed to the last, or only those listed when that is too many."""
    try:
        first, last = date.fromisoformat(listed[0] + "-01"), date.fromisoformat(listed[-1] + "-01")
    except (IndexError, ValueError):
        return listed
    if (last.year - first.year) * 12 + last.month - first.month >= MAX_FILLED_MONTHS:
        return listed
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
