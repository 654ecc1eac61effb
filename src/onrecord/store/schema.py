"""The SQLite file: opening it (WAL, foreign keys) and its versioned migrations; a
postgresql:// URL opens a PostgreSQL store instead, with the same migrations (store/pg_schema.py).

PRAGMA user_version holds the number of migrations applied. Opening a file applies the missing
ones in order, each in its own transaction with the version bump, so a file is always at one
version or the next; a file from a newer onrecord is refused.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typing import Any

from onrecord.errors import StoreError
from onrecord.store import backend

_V1 = """
CREATE TABLE outlets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    norm TEXT NOT NULL UNIQUE             -- folded name: 'The Guardian' and 'the guardian' are one outlet
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,               -- ingest order
    sha256 TEXT NOT NULL,                 -- of the text: the record's article id
    title TEXT,
    url TEXT,
    outlet_id INTEGER REFERENCES outlets(id),
    published TEXT,                       -- as the reader gave it
    published_at TEXT,                    -- sortable ISO date or UTC date-time, NULL when unknown
    author TEXT,
    source TEXT,                          -- the path or '-' it was read from
    text TEXT,                            -- NULL for a copy: the text is its original's
    copy_of INTEGER REFERENCES articles(id),          -- the same text published again elsewhere
    syndicated_from INTEGER REFERENCES articles(id),  -- a near-identical earlier article
    CHECK ((copy_of IS NULL) = (text IS NOT NULL))
);
CREATE UNIQUE INDEX articles_sha256 ON articles(sha256) WHERE copy_of IS NULL;
CREATE INDEX articles_copy_of ON articles(copy_of) WHERE copy_of IS NOT NULL;
CREATE INDEX articles_syndicated_from ON articles(syndicated_from) WHERE syndicated_from IS NOT NULL;
CREATE INDEX articles_outlet ON articles(outlet_id, published_at);
CREATE INDEX articles_published ON articles(published_at);
CREATE TABLE article_shingles (           -- sampled word-shingle hashes: finds near-identical articles
    hash INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    PRIMARY KEY (hash, article_id)
) WITHOUT ROWID;
CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,                   -- PERSON, ORG
    name TEXT NOT NULL,                   -- canonical: the most frequent full-name form
    norm TEXT NOT NULL,                   -- folded name at creation
    first_name TEXT,                      -- persons: folded; NULL when known by surname only
    surname TEXT                          -- persons: folded
);
CREATE INDEX entities_norm ON entities(norm, type);
CREATE TABLE entity_names (               -- every form an entity was printed under, with counts
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    name TEXT NOT NULL,
    norm TEXT NOT NULL,
    full INTEGER NOT NULL,                -- 1 when it can be a canonical name (a person's full name)
    mentions INTEGER NOT NULL,
    UNIQUE (entity_id, name)
);
CREATE INDEX entity_names_norm ON entity_names(norm);
CREATE TABLE surname_keys (               -- a surname and its one-letter deletions: finds spelling variants
    key TEXT NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    PRIMARY KEY (key, entity_id)
) WITHOUT ROWID;
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    article_entity TEXT NOT NULL,         -- the entity's id in the article's record (e1)
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE TABLE roles (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    role TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    date TEXT,                            -- the article's published_at
    UNIQUE (entity_id, role, article_id)
);
CREATE INDEX roles_article ON roles(article_id);
CREATE TABLE statements (                 -- one per statement, however many outlets printed it
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect', 'mixed')),
    text TEXT NOT NULL,                   -- the content as first seen
    cue TEXT,
    speaker_id INTEGER REFERENCES entities(id),
    speaker_text TEXT,                    -- the speaker as printed where first seen
    first_article_id INTEGER NOT NULL REFERENCES articles(id),
    first_published TEXT,                 -- published_at of first_article_id
    source_count INTEGER NOT NULL,
    outlet_count INTEGER NOT NULL
);
CREATE INDEX statements_speaker ON statements(speaker_id, first_published);
CREATE INDEX statements_first_article ON statements(first_article_id);
CREATE TABLE statement_sources (          -- where each statement ran, checkable: article.text[start:end] == text
    id INTEGER PRIMARY KEY,
    statement_id INTEGER NOT NULL REFERENCES statements(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    article_statement TEXT NOT NULL,      -- the statement's id in the article's record (s3)
    kind TEXT NOT NULL,
    confidence REAL NOT NULL,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    content TEXT NOT NULL,
    content_pieces TEXT,                  -- JSON [[start, end], ...] of a discontinuous content
    cue_start INTEGER,
    cue_end INTEGER,
    cue TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    speaker TEXT,
    speaker_entity_id INTEGER REFERENCES entities(id),
    addressee_start INTEGER,
    addressee_end INTEGER,
    addressee TEXT,
    medium_start INTEGER,
    medium_end INTEGER,
    medium TEXT,
    UNIQUE (statement_id, article_id)     -- two statements of one article are never one
);
CREATE INDEX statement_sources_article ON statement_sources(article_id);
CREATE TABLE statement_shingles (         -- winnowed shingle hashes salted by speaker: finds the same quote
    hash INTEGER NOT NULL,
    statement_id INTEGER NOT NULL REFERENCES statements(id),
    PRIMARY KEY (hash, statement_id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE statements_fts USING fts5(
    text, speaker, title,                 -- rowid = statements.id; speaker names and titles of all sources
    facets,                               -- filter terms (store/facets.py): speaker, kind, outlets, dates
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '3'                          -- word* searches of three letters stay fast
);
INSERT INTO statements_fts(statements_fts, rank) VALUES ('rank', 'bm25(4.0, 2.0, 1.0, 0.0)');
"""

_V2_SEMANTIC = """
CREATE TABLE statement_embeddings (       -- one unit vector per statement (semantic search, topics)
    statement_id INTEGER PRIMARY KEY REFERENCES statements(id),
    model TEXT NOT NULL,                  -- the embedding model's name: vectors of two models never meet
    vector BLOB NOT NULL                  -- little-endian float32
);
CREATE TABLE topics (                     -- rebuilt as a whole from the embeddings (`onrecord embed`)
    id INTEGER PRIMARY KEY,               -- largest topic first
    label TEXT NOT NULL                   -- its most distinctive words
);
CREATE TABLE statement_topics (
    statement_id INTEGER PRIMARY KEY REFERENCES statements(id),
    topic_id INTEGER NOT NULL REFERENCES topics(id)
);
CREATE INDEX statement_topics_topic ON statement_topics(topic_id);
"""

_V3_POSITIONS = """
CREATE TABLE positions (                  -- what a holder is for or against, read from one article
    id INTEGER PRIMARY KEY,
    entity_id INTEGER REFERENCES entities(id),    -- NULL when the holder is not an entity of the record
    holder_text TEXT NOT NULL,            -- the holder as printed
    target_norm TEXT NOT NULL,            -- one key per target ('a ceasefire', 'ceasefires' -> 'ceasefire')
    target_text TEXT NOT NULL,            -- the target as printed: article.text[target_start:target_end]
    stance TEXT NOT NULL CHECK (stance IN ('favor', 'against')),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    statement_id INTEGER REFERENCES statements(id),  -- the stored statement it was read from
    cue_start INTEGER NOT NULL,
    cue_end INTEGER NOT NULL,
    target_start INTEGER NOT NULL,
    target_end INTEGER NOT NULL,
    confidence REAL NOT NULL
);
CREATE INDEX positions_target ON positions(target_norm, stance, entity_id);
CREATE INDEX positions_entity ON positions(entity_id, target_norm, stance);
CREATE INDEX positions_article ON positions(article_id);
CREATE TABLE disagreements (              -- one side disagreeing with another, as one article says
    id INTEGER PRIMARY KEY,
    a_entity_id INTEGER REFERENCES entities(id),  -- NULL for an unnamed side ('a party MP'): a_text says who
    a_text TEXT NOT NULL,
    b_entity_id INTEGER REFERENCES entities(id),
    b_text TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('explicit', 'derived')),
    target_norm TEXT,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    statement_id INTEGER REFERENCES statements(id),  -- the stored statement that says it
    evidence_start INTEGER,               -- the sentence that says it: article.text[evidence_start:evidence_end]
    evidence_end INTEGER,
    confidence REAL NOT NULL
);
CREATE INDEX disagreements_a ON disagreements(a_entity_id);
CREATE INDEX disagreements_b ON disagreements(b_entity_id);
CREATE INDEX disagreements_article ON disagreements(article_id);
"""

#: Migration steps in order; step i brings a file from user_version i to i + 1. Append, never edit.
MIGRATIONS: list[str] = [_V1, _V2_SEMANTIC, _V3_POSITIONS]


def connect(path: str | Path, create: bool = True, read_only: bool = False) -> Any:
    """Open (and, with create, make) the store file, migrated to the current schema; read_only
    opens an existing, current file through SQLite's mode=ro, so nothing can write to it.
    A postgresql:// URL gives a backend.PostgresConnection to that database instead."""
    if backend.is_postgres(path):
        from onrecord.store import pg_schema

        return pg_schema.connect(str(path), MIGRATIONS, create=create, read_only=read_only)
    target = Path(path)
    if (not create or read_only) and str(path) != ":memory:" and not target.is_file():
        raise StoreError(f"no store at {path}: run `onrecord ingest` first (or give --db)")
    try:
        # autocommit mode: the store opens its own transactions (BEGIN IMMEDIATE) around each write
        if read_only:
            conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the store {path}: {exc}") from exc
    try:
        _check_is_ours(conn, str(path))  # before WAL, which would change a file that is not ours
        if read_only:
            _check_current(conn, str(path))
            conn.execute("PRAGMA busy_timeout = 5000")
        else:
            _configure(conn)
            migrate(conn, str(path))
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path} is not an onrecord store ({exc}): give another --db") from exc
    except StoreError:
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    # WAL: readers never block the writer. synchronous=NORMAL: a commit is not fsynced, so a
    # power cut may lose the last transactions, but never corrupts the file or splits one;
    # a killed process loses nothing committed.
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MiB of page cache


def schema_version(conn: Any) -> int:
    """The number of migrations applied to this file (or PostgreSQL store)."""
    if backend.dialect(conn) == backend.POSTGRESQL:
        from onrecord.store import pg_schema

        return pg_schema.schema_version(conn)
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _check_is_ours(conn: sqlite3.Connection, name: str) -> None:
    version = schema_version(conn)
    if version > len(MIGRATIONS):
        raise StoreError(
            f"{name} has schema version {version}, newer than this onrecord knows ({len(MIGRATIONS)}): "
            "upgrade onrecord to read it"
        )
    if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise StoreError(f"{name} is a SQLite database that onrecord did not make: give another --db")


def _check_current(conn: sqlite3.Connection, name: str) -> None:
    if schema_version(conn) < len(MIGRATIONS):
        raise StoreError(f"{name} has an older schema: open it once for writing (`onrecord ingest`) to migrate it")


def migrate(conn: sqlite3.Connection, name: str = "the store") -> int:
    """Apply the missing migrations in order; returns the version reached."""
    _check_is_ours(conn, name)
    version = schema_version(conn)
    for step in range(version, len(MIGRATIONS)):
        # the version bump commits with the step or not at all
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{MIGRATIONS[step]}\nPRAGMA user_version = {step + 1};\nCOMMIT;")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"cannot migrate {name} to schema version {step + 1}: {exc}") from exc
    return len(MIGRATIONS)
