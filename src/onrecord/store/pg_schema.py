"""A store in PostgreSQL: opening it and its migrations, the SQLite ones (schema.MIGRATIONS)
translated, so both have the same tables, columns and indexes.

The translation: integers are BIGINT, REAL is DOUBLE PRECISION, BLOB is BYTEA, text sorts
byte by byte (COLLATE "C", as SQLite's BINARY), and an `id INTEGER PRIMARY KEY` gets max(id) + 1
from a trigger, as a SQLite rowid does (writers take turns, see backend.begin_write), so the same
records in the same order give the same ids and a rolled-back article leaves no gap. The FTS5
table becomes a table of the same name and columns (rowid = statements.id) with a generated
tsvector (text, speaker, title weighted A, B, C; the facet terms D) and a GIN index on it.
The table onrecord_schema holds the number of migrations applied (SQLite: PRAGMA user_version).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from onrecord.errors import StoreError
from onrecord.store.backend import PostgresConnection, begin_write, connect_postgres, database_errors

VERSION_TABLE = "onrecord_schema"
#: The text search configuration of the index: English stemming (Snowball) with no stopwords,
#: so that a quotation of common words ("we will not") is searchable, as in SQLite.
TS_CONFIG = "onrecord_english"

_FTS5_TABLE = re.compile(r"CREATE VIRTUAL TABLE statements_fts USING fts5\(.*?\n\);\n(INSERT INTO statements_fts\(statements_fts, rank\)[^\n]*\n)?", re.S)
_ID_TABLE = re.compile(r"CREATE TABLE (\w+) \(\s*id INTEGER PRIMARY KEY")
_TYPES = ((re.compile(r"\bINTEGER\b"), "BIGINT"), (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
          (re.compile(r"\bBLOB\b"), "BYTEA"), (re.compile(r"\bTEXT\b"), 'TEXT COLLATE "C"'))  # fmt: skip

_POSTGRES_FTS = f"""
CREATE TEXT SEARCH DICTIONARY onrecord_english_stem (TEMPLATE = snowball, LANGUAGE = english);
CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = english);
ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG}
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH onrecord_english_stem;
CREATE TABLE statements_fts (
    rowid BIGINT PRIMARY KEY REFERENCES statements(id),
    text TEXT COLLATE "C",
    speaker TEXT COLLATE "C",
    title TEXT COLLATE "C",
    facets TEXT COLLATE "C",
    words tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('{TS_CONFIG}', coalesce(text, '')), 'A')
        || setweight(to_tsvector('{TS_CONFIG}', coalesce(speaker, '')), 'B')
        || setweight(to_tsvector('{TS_CONFIG}', coalesce(title, '')), 'C')
        || setweight(to_tsvector('simple', coalesce(facets, '')), 'D')
    ) STORED
);
CREATE INDEX statements_fts_words ON statements_fts USING gin (words);
"""


def postgres_ddl(step: str) -> str:
    """One SQLite migration step as PostgreSQL DDL (see the module's docstring)."""
    sql = re.sub(r"--[^\n]*", "", step)
    tables = _ID_TABLE.findall(sql)
    sql = _FTS5_TABLE.sub("@FTS@\n", sql)
    for pattern, replacement in _TYPES:
        sql = pattern.sub(replacement, sql)
    sql = sql.replace(") WITHOUT ROWID;", ");").replace("@FTS@", _POSTGRES_FTS)
    sql = re.sub(r"^(\s+)full ", r'\1"full" ', sql, flags=re.M)  # a column named as a keyword of PostgreSQL
    for table in tables:
        sql = _after_table(sql, table, (
            f"\nCREATE FUNCTION onrecord_next_id_{table}() RETURNS trigger LANGUAGE plpgsql AS $f$\n"
            f"BEGIN IF NEW.id IS NULL THEN NEW.id := (SELECT coalesce(max(id), 0) + 1 FROM {table}); END IF; RETURN NEW; END $f$;\n"
            f"CREATE TRIGGER {table}_next_id BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION onrecord_next_id_{table}();\n"
        ))  # fmt: skip
    return sql


def _after_table(sql: str, table: str, addition: str) -> str:
    """sql with addition right after the statement that creates table (before any row goes in)."""
    at = sql.index(f"CREATE TABLE {table} (") + len(f"CREATE TABLE {table} ")
    depth = 0
    for i in range(at, len(sql)):
        depth += {"(": 1, ")": -1}.get(sql[i], 0)
        if depth == 0:
            end = sql.index(";", i) + 1
            return sql[:end] + addition + sql[end:]
    return sql + addition


def connect(url: str, migrations: Sequence[str], create: bool = True, read_only: bool = False) -> PostgresConnection:
    """Open the store in the database (and schema: the first of the URL's search_path) at url,
    migrated to the current schema (made there, with create); read_only opens a current store
    whose session then refuses every write."""
    conn = connect_postgres(url)
    try:
        conn.execute("SET lock_timeout = '5s'")  # as SQLite's busy_timeout: a writer waits, then is told
        _check_is_ours(conn, migrations)
        version = schema_version(conn)
        if version == 0 and (not create or read_only):
            raise StoreError(f"no store at {conn.name}: run `onrecord ingest` first (or give --db)")
        if read_only:
            if version < len(migrations):
                raise StoreError(f"{conn.name} has an older schema: open it once for writing (`onrecord ingest`) to migrate it")
            conn.execute("SET default_transaction_read_only = on")
        else:
            migrate(conn, migrations)
    except database_errors() as exc:
        conn.close()
        raise StoreError(f"cannot open the store {conn.name}: {exc}") from exc
    except StoreError:
        conn.close()
        raise
    return conn


def schema_version(conn: PostgresConnection) -> int:
    """The number of migrations applied to this store (0: none, or no store)."""
    row = conn.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?", (VERSION_TABLE,)
    ).fetchone()
    if row is None:
        return 0
    row = conn.execute(f"SELECT max(version) FROM {VERSION_TABLE}").fetchone()
    return int(row[0] or 0)


def _check_is_ours(conn: PostgresConnection, migrations: Sequence[str]) -> None:
    schema = conn.execute("SELECT current_schema()").fetchone()[0]
    if schema is None:
        raise StoreError(f"{conn.name}: no schema of its search_path exists: create the schema or give another URL")
    version = schema_version(conn)
    if version > len(migrations):
        raise StoreError(
            f"{conn.name} has schema version {version}, newer than this onrecord knows ({len(migrations)}): upgrade onrecord to read it"
        )
    tables = conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()").fetchone()[0]
    if version == 0 and tables:
        raise StoreError(f"{conn.name}: schema {schema} holds tables that onrecord did not make: give another database or schema")


def migrate(conn: PostgresConnection, migrations: Sequence[str]) -> int:
    """Apply the missing migrations in order, each with its version bump in one transaction."""
    for step in range(schema_version(conn), len(migrations)):
        begin_write(conn, conn.name)
        try:
            if schema_version(conn) > step:  # another process migrated it while this one waited
                conn.execute("COMMIT")
                continue
            conn.script(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER NOT NULL);\n{postgres_ddl(migrations[step])}")
            conn.execute(f"DELETE FROM {VERSION_TABLE}")
            conn.execute(f"INSERT INTO {VERSION_TABLE} (version) VALUES (?)", (step + 1,))
            conn.execute("COMMIT")
        except database_errors() as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"cannot migrate {conn.name} to schema version {step + 1}: {exc}") from exc
    return len(migrations)
