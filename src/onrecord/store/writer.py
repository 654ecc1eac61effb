"""Adding one article's record to the store: the article, its entities resolved to stored
identities, its statements merged with the same statements from other articles.

Every function here runs inside a transaction the Store opened; none commits. Ids are plain
INTEGER PRIMARY KEYs, so the same records added in the same order give the same ids.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from onrecord.errors import StoreError
from onrecord.model import Article, Entity, Extraction, Span, Statement
from onrecord.store import facets, identity, positions, quotes
from onrecord.store.dates import sortable_date
from onrecord.store.records import AddOutcome
from onrecord.store.similarity import containment, sampled, shingle_hashes, words

#: Near-identical articles: words per shingle, sampling rate of the index, containment threshold.
ARTICLE_SHINGLE = 5
ARTICLE_SAMPLE_RATE = 16
SYNDICATION_CONTAINMENT = 0.9
#: A sampled shingle found in this many articles is boilerplate (a footer): no longer indexed.
COMMON_SHINGLE = 50
#: The FTS columns speaker and title hold several names or titles joined by this.
FTS_JOIN = " | "


def add_record(conn: sqlite3.Connection, record: Extraction) -> AddOutcome:
    """Store one article's record (inside the caller's transaction)."""
    record = checked(record)
    article = record.article
    original = conn.execute("SELECT id FROM articles WHERE sha256 = ? AND copy_of IS NULL", (article.id,)).fetchone()
    if original:
        return add_publication(conn, original[0], article)
    return _add_new(conn, record)


def stored_publication(conn: sqlite3.Connection, article: Article) -> AddOutcome | None:
    """When this article's text is stored: record the publication and say what it was; else None."""
    article = _with_text_id(article)
    original = conn.execute("SELECT id FROM articles WHERE sha256 = ? AND copy_of IS NULL", (article.id,)).fetchone()
    return add_publication(conn, original[0], article) if original else None


def checked(record: Extraction) -> Extraction:
    """The record with its article id recomputed from the text, after checking that every span
    is the text at its offsets: a record that cannot be checked against its source is refused."""
    text = record.article.text
    spans = [(f"statement {s.id}", span) for s in record.statements for span in (s.content, s.cue, s.speaker, s.addressee, s.medium) if span]
    spans += [(f"entity {e.id}", m) for e in record.entities for m in e.mentions]
    spans += [(f"position of {p.holder_text[:30]!r}", span) for p in record.positions for span in (p.target, p.cue)]
    spans += [(f"disagreement of {d.a_text[:30]!r}", d.evidence) for d in record.disagreements if d.evidence]
    for owner, span in spans:
        if not (0 <= span.start <= span.end <= len(text)) or text[span.start : span.end] != span.text:
            raise StoreError(
                f"{owner} of article {record.article.id[:12]} has a span {span.start}:{span.end} that is not "
                f"{span.text[:40]!r} in the article text: the record does not match its text, nothing was stored"
            )
    article = _with_text_id(record.article)
    return record if article is record.article else replace(record, article=article)


def _with_text_id(article: Article) -> Article:
    sha = hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()
    return article if article.id == sha else replace(article, id=sha)


def add_publication(conn: sqlite3.Connection, original_id: int, article: Article) -> AddOutcome:
    """The same text again: 'already_stored' when no new outlet or url, else a 'copy' row whose
    statement sources repeat the original's (same text, so the same offsets)."""
    outlet_id = _outlet_id(conn, article.outlet, create=False)
    for pub_id, pub_outlet, pub_url in conn.execute(
        "SELECT id, outlet_id, url FROM articles WHERE id = ? OR copy_of = ? ORDER BY id", (original_id, original_id)
    ).fetchall():
        same_outlet = article.outlet is None or (outlet_id is not None and outlet_id == pub_outlet)
        if same_outlet and (article.url is None or article.url == pub_url):
            return AddOutcome("already_stored", pub_id, article.id)
    copy_id = _insert_article(conn, article, text=None, copy_of=original_id)
    columns = ", ".join(_SOURCE_COLUMNS)
    conn.execute(
        f"INSERT INTO statement_sources (article_id, {columns}) SELECT ?, {columns} FROM statement_sources "
        "WHERE article_id = ? ORDER BY id",
        (copy_id, original_id),
    )
    statement_ids = [r[0] for r in conn.execute("SELECT statement_id FROM statement_sources WHERE article_id = ? ORDER BY id", (copy_id,))]
    for sid in statement_ids:
        _refresh_statement(conn, sid, titles=[article.title] if article.title else [])
    return AddOutcome("copy", copy_id, article.id, merged_statements=len(statement_ids), copy_of=original_id)


_SOURCE_COLUMNS = (
    "statement_id", "article_statement", "kind", "confidence", "content_start", "content_end", "content",
    "content_pieces", "cue_start", "cue_end", "cue", "speaker_start", "speaker_end", "speaker", "speaker_entity_id",
    "addressee_start", "addressee_end", "addressee", "medium_start", "medium_end", "medium",
)  # fmt: skip


def _add_new(conn: sqlite3.Connection, record: Extraction) -> AddOutcome:
    article = record.article
    article_id = _insert_article(conn, article, text=article.text, copy_of=None)
    published_at = sortable_date(article.published)
    syndicated_from = _syndication(conn, article_id, article.text, published_at)
    entity_ids = _add_entities(conn, record, article_id, published_at)
    new, merged = _add_statements(conn, record, article_id, entity_ids)
    positions.add_positions(conn, record, article_id, entity_ids)
    for entity_id in sorted(set(entity_ids.values())):
        _refresh_canonical_name(conn, entity_id)
    return AddOutcome("added", article_id, article.id, new, merged, syndicated_from)


def _insert_article(conn: sqlite3.Connection, article: Article, text: str | None, copy_of: int | None) -> int:
    cur = conn.execute(
        "INSERT INTO articles (sha256, title, url, outlet_id, published, published_at, author, source, text, copy_of) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (
            article.id, article.title, article.url, _outlet_id(conn, article.outlet, create=True), article.published,
            sortable_date(article.published), article.author, article.source, text, copy_of,
        ),
    )  # fmt: skip
    return int(cur.fetchone()[0])


def outlet_norm(name: str) -> str:
    """Outlets compare by folded words: 'The Guardian' is 'the guardian'."""
    return " ".join(words(name))


def _outlet_id(conn: sqlite3.Connection, name: str | None, create: bool) -> int | None:
    if not name or not outlet_norm(name):
        return None
    norm = outlet_norm(name)
    row = conn.execute("SELECT id FROM outlets WHERE norm = ?", (norm,)).fetchone()
    if row or not create:
        return row[0] if row else None
    return int(conn.execute("INSERT INTO outlets (name, norm) VALUES (?, ?) RETURNING id", (" ".join(name.split()), norm)).fetchone()[0])


# -- near-identical articles ------------------------------------------------------------------


def _syndication(conn: sqlite3.Connection, article_id: int, text: str, published_at: str | None) -> int | None:
    """Index the article's sampled shingles and mark it syndicated_from the earliest article of
    its group when a stored one holds (or is held in) nearly all of it."""
    hashes = shingle_hashes(words(text), ARTICLE_SHINGLE)
    samples = sorted(sampled(hashes, ARTICLE_SAMPLE_RATE))
    if not samples:
        return None
    postings: dict[int, list[int]] = {}
    for start in range(0, len(samples), 500):
        chunk = samples[start : start + 500]
        rows = conn.execute(
            f"SELECT hash, article_id FROM article_shingles WHERE hash IN ({','.join('?' * len(chunk))})", chunk
        ).fetchall()
        for h, aid in rows:
            postings.setdefault(h, []).append(aid)
    shared: Counter[int] = Counter()
    for h in samples:
        if len(postings.get(h, ())) < COMMON_SHINGLE:
            shared.update(postings.get(h, ()))
    conn.executemany(
        "INSERT INTO article_shingles (hash, article_id) VALUES (?, ?)",
        [(h, article_id) for h in samples if len(postings.get(h, ())) < COMMON_SHINGLE],
    )
    floor = max(2, int(0.4 * len(samples)))
    candidates = sorted((aid for aid, n in shared.items() if n >= floor), key=lambda a: (-shared[a], a))[:5]
    if not candidates:
        return None
    mine = set(hashes)
    matches = []
    for aid in candidates:
        other = conn.execute("SELECT text FROM articles WHERE id = ?", (aid,)).fetchone()[0]
        if containment(mine, set(shingle_hashes(words(other), ARTICLE_SHINGLE))) >= SYNDICATION_CONTAINMENT:
            matches.append(aid)
    if not matches:
        return None
    roots = {
        row[0]
        for aid in matches
        for row in conn.execute("SELECT coalesce(syndicated_from, id) FROM articles WHERE id = ?", (aid,))
    }
    dated = {
        aid: (pub is None, pub or "", aid)
        for aid, pub in conn.execute(
            f"SELECT id, published_at FROM articles WHERE id IN ({','.join('?' * len(roots))})", sorted(roots)
        )
    }
    dated[article_id] = (published_at is None, published_at or "", article_id)
    earliest = min(dated, key=lambda a: dated[a])
    for root in sorted(roots - {earliest}):
        conn.execute("UPDATE articles SET syndicated_from = ? WHERE syndicated_from = ? OR id = ?", (earliest, root, root))
    if earliest == article_id:
        return None
    conn.execute("UPDATE articles SET syndicated_from = ? WHERE id = ?", (earliest, article_id))
    return earliest


# -- entities -----------------------------------------------------------------------------------


def _add_entities(conn: sqlite3.Connection, record: Extraction, article_id: int, date: str | None) -> dict[str, int]:
    """Resolve each entity of the article to a stored one (or a new one); store its mentions,
    roles and name forms. Full names go first, so a bare surname sees who the article named."""
    keyed = [(e, identity.name_key(e.name, e.type)) for e in record.entities]
    keyed.sort(key=lambda ek: 0 if ek[1].full or not ek[1].is_person else 1)
    ids: dict[str, int] = {}
    for entity, key in keyed:
        entity_id = _resolve_entity(conn, entity, key, claimed=set(ids.values()))
        ids[entity.id] = entity_id
        conn.executemany(
            "INSERT INTO mentions (entity_id, article_id, article_entity, start_offset, end_offset, text) VALUES (?, ?, ?, ?, ?, ?)",
            [(entity_id, article_id, entity.id, m.start, m.end, m.text) for m in entity.mentions],
        )
        conn.executemany(
            "INSERT INTO roles (entity_id, role, article_id, date) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(entity_id, " ".join(r.split()), article_id, date) for r in entity.roles if r.strip()],
        )
        for form, count in Counter(identity.name_forms(entity)).items():
            conn.execute(
                "INSERT INTO entity_names (entity_id, name, norm, \"full\", mentions) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (entity_id, name) DO UPDATE SET mentions = entity_names.mentions + excluded.mentions",
                (entity_id, form, identity.name_norm(form), int(identity.is_full_form(form, entity.type)), count),
            )
    return ids


def _resolve_entity(conn: sqlite3.Connection, entity: Entity, key: identity.NameKey, claimed: set[int]) -> int:
    if key.is_person and key.surname:
        candidates = _stored_persons(conn, key, exclude=set() if key.full else claimed)
        found, takes_full_name = identity.match_person(key, entity.roles, candidates)
        if found is not None:
            if takes_full_name:
                conn.execute("UPDATE entities SET first_name = ?, norm = ? WHERE id = ?", (key.first, key.norm, found))
            return found
    else:
        row = conn.execute("SELECT id FROM entities WHERE type = ? AND norm = ? ORDER BY id LIMIT 1", (key.type, key.norm)).fetchone()
        if row:
            return int(row[0])
    cur = conn.execute(
        "INSERT INTO entities (type, name, norm, first_name, surname) VALUES (?, ?, ?, ?, ?) RETURNING id",
        (entity.type, identity.display_name(entity.name) or entity.name, key.norm, key.first, key.surname),
    )
    entity_id = int(cur.fetchone()[0])
    if key.is_person and key.surname:
        conn.executemany(
            "INSERT INTO surname_keys (key, entity_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(k, entity_id) for k in sorted(identity.surname_keys(key.surname))],
        )
    return entity_id


def _stored_persons(conn: sqlite3.Connection, key: identity.NameKey, exclude: set[int]) -> list[identity.StoredPerson]:
    keys = sorted(identity.surname_keys(key.surname or ""))
    # the keys first, then their entities: two index lookups, which no planner can turn round
    # (PostgreSQL, with no statistics yet in a store growing inside one transaction, would)
    ids = sorted({r[0] for r in conn.execute(f"SELECT entity_id FROM surname_keys WHERE key IN ({','.join('?' * len(keys))})", keys)})
    rows = conn.execute(
        f"SELECT id, first_name, surname FROM entities WHERE id IN ({','.join('?' * len(ids))}) AND type = 'PERSON' ORDER BY id", ids
    ).fetchall() if ids else []  # fmt: skip
    people = []
    for pid, first, surname in rows:
        if pid in exclude:
            continue
        # roles only matter for a bare surname on either side
        needs_roles = not key.full or first is None
        roles = tuple(r[0] for r in conn.execute("SELECT DISTINCT role FROM roles WHERE entity_id = ?", (pid,))) if needs_roles else ()
        people.append(identity.StoredPerson(pid, first, surname, roles))
    return people


def _refresh_canonical_name(conn: sqlite3.Connection, entity_id: int) -> None:
    """Canonical name: the form printed most often, full names first, ties to the earliest."""
    row = conn.execute(
        "SELECT name FROM entity_names WHERE entity_id = ? ORDER BY \"full\" DESC, mentions DESC, id LIMIT 1", (entity_id,)
    ).fetchone()
    if row:
        conn.execute("UPDATE entities SET name = ? WHERE id = ? AND name != ?", (row[0], entity_id, row[0]))


# -- statements ---------------------------------------------------------------------------------


def _add_statements(conn: sqlite3.Connection, record: Extraction, article_id: int, entity_ids: dict[str, int]) -> tuple[int, int]:
    new = merged = 0
    touched: dict[int, list[str]] = {}
    title = [record.article.title] if record.article.title else []
    published_at, outlet_id = conn.execute("SELECT published_at, outlet_id FROM articles WHERE id = ?", (article_id,)).fetchone()
    for s in record.statements:
        entity_id = entity_ids.get(s.speaker.entity) if s.speaker and s.speaker.entity else None
        speaker_text = s.speaker.text if s.speaker else None
        article_entity = record.entity(s.speaker.entity if s.speaker else None)
        label = identity.display_name(article_entity.name) if article_entity else (speaker_text or "")
        # every form the article prints the speaker under, so that "Cleverly" finds "James Cleverley"
        forms = [label, *identity.name_forms(article_entity)] if article_entity else [label]
        key = quotes.speaker_key(entity_id, speaker_text)
        content_words = quotes.quote_words(s.content.text)
        prints = quotes.fingerprints(content_words, key)
        statement_id = _find_same_statement(conn, content_words, prints, entity_id, speaker_text, article_id)
        if statement_id is None:
            statement_id = _insert_statement(conn, s, entity_id, article_id, published_at, outlet_id)
            names = [_entity_name(conn, entity_id)] if entity_id is not None else []
            names += forms
            conn.execute(
                "INSERT INTO statements_fts (rowid, text, speaker, title, facets) VALUES (?, ?, ?, ?, ?)",
                (statement_id, s.content.text, _joined([], names), _joined([], title),
                 facets.facets(entity_id, s.kind, [(published_at, outlet_id)])),
            )  # fmt: skip
            new += 1
        else:
            touched.setdefault(statement_id, []).extend(forms)
            merged += 1
        _insert_source(conn, statement_id, article_id, s, entity_id)
        conn.executemany(
            "INSERT INTO statement_shingles (hash, statement_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(h, statement_id) for h in sorted(prints)],
        )
    for statement_id, names in touched.items():
        _refresh_statement(conn, statement_id, titles=title, speakers=names)
    return new, merged


def _find_same_statement(
    conn: sqlite3.Connection, content_words: list[str], prints: set[int], entity_id: int | None,
    speaker_text: str | None, article_id: int,
) -> int | None:  # fmt: skip
    """A stored statement of the same speaker, from another article, whose content is this one's."""
    if not prints:
        return None
    hashes = sorted(prints)
    rows = conn.execute(
        f"SELECT statement_id, count(*) AS n FROM statement_shingles WHERE hash IN ({','.join('?' * len(hashes))}) "
        "GROUP BY statement_id ORDER BY n DESC, statement_id LIMIT 10",
        hashes,
    ).fetchall()
    for statement_id, _ in rows:
        speaker_id, stored_speaker = conn.execute(
            "SELECT speaker_id, speaker_text FROM statements WHERE id = ?", (statement_id,)
        ).fetchone()
        if speaker_id != entity_id or (entity_id is None and not quotes.same_speaker_text(stored_speaker, speaker_text)):
            continue
        sources = conn.execute("SELECT content, article_id FROM statement_sources WHERE statement_id = ?", (statement_id,)).fetchall()
        if any(aid == article_id for _, aid in sources):
            continue  # two statements of one article are never one
        contents = [c for c, _ in sources]
        if any(quotes.same_quote(content_words, quotes.quote_words(c)) for c in dict.fromkeys(contents)):
            return int(statement_id)
    return None


def _insert_statement(
    conn: sqlite3.Connection, s: Statement, entity_id: int | None, article_id: int, published_at: str | None, outlet_id: int | None
) -> int:
    cur = conn.execute(
        "INSERT INTO statements (kind, text, cue, speaker_id, speaker_text, first_article_id, first_published, source_count, outlet_count) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?) RETURNING id",
        (
            s.kind, s.content.text, s.cue.text if s.cue else None, entity_id, s.speaker.text if s.speaker else None,
            article_id, published_at, int(outlet_id is not None),
        ),
    )  # fmt: skip
    return int(cur.fetchone()[0])


def _insert_source(conn: sqlite3.Connection, statement_id: int, article_id: int, s: Statement, entity_id: int | None) -> None:
    pieces = json.dumps([list(p) for p in s.content.spans]) if s.content.spans else None
    conn.execute(
        f"INSERT INTO statement_sources (article_id, {', '.join(_SOURCE_COLUMNS)}) VALUES ({', '.join('?' * (len(_SOURCE_COLUMNS) + 1))})",
        (
            article_id, statement_id, s.id, s.kind, float(s.confidence), s.content.start, s.content.end, s.content.text, pieces,
            *_span(s.cue), *_span(s.speaker), entity_id, *_span(s.addressee), *_span(s.medium),
        ),
    )  # fmt: skip


def _span(span: Span | object | None) -> tuple[int | None, int | None, str | None]:
    if span is None:
        return None, None, None
    return span.start, span.end, span.text  # type: ignore[attr-defined]


def _refresh_statement(
    conn: sqlite3.Connection, statement_id: int, titles: Iterable[str] = (), speakers: Iterable[str] = ()
) -> None:
    """After a new source: counts, the first-seen source (earliest published, unknown dates
    last, then ingest order), and the search row."""
    rows = conn.execute(
        "SELECT ss.article_id, a.published_at, a.outlet_id, ss.content, ss.cue, ss.kind, ss.speaker "
        "FROM statement_sources ss JOIN articles a ON a.id = ss.article_id WHERE ss.statement_id = ? "
        "ORDER BY a.published_at IS NULL, a.published_at, a.id",
        (statement_id,),
    ).fetchall()
    first = rows[0]
    outlets = {r[2] for r in rows if r[2] is not None}
    old_text, speaker_id = conn.execute("SELECT text, speaker_id FROM statements WHERE id = ?", (statement_id,)).fetchone()
    conn.execute(
        "UPDATE statements SET kind = ?, text = ?, cue = ?, speaker_text = ?, first_article_id = ?, first_published = ?, "
        "source_count = ?, outlet_count = ? WHERE id = ?",
        (first[5], first[3], first[4], first[6], first[0], first[1], len(rows), len(outlets), statement_id),
    )
    speaker, title, old_facets = conn.execute(
        "SELECT speaker, title, facets FROM statements_fts WHERE rowid = ?", (statement_id,)
    ).fetchone()
    new_title = _joined(title.split(FTS_JOIN) if title else [], titles)
    new_speaker = _joined(speaker.split(FTS_JOIN) if speaker else [], speakers)
    new_facets = facets.facets(speaker_id, first[5], [(r[1], r[2]) for r in rows])
    if (first[3], new_title, new_speaker, new_facets) != (old_text, title, speaker, old_facets):
        conn.execute(
            "UPDATE statements_fts SET text = ?, speaker = ?, title = ?, facets = ? WHERE rowid = ?",
            (first[3], new_speaker, new_title, new_facets, statement_id),
        )


def _entity_name(conn: sqlite3.Connection, entity_id: int) -> str:
    return str(conn.execute("SELECT name FROM entities WHERE id = ?", (entity_id,)).fetchone()[0])


def _joined(existing: list[str], more: Iterable[str]) -> str:
    return FTS_JOIN.join(dict.fromkeys([*existing, *(m for m in more if m)]))
