"""The two databases a store can live in: a SQLite file (a path) or a PostgreSQL database (a
postgresql:// URL). The store's SQL is written once, for SQLite, in the subset both read; a
PostgreSQL connection is wrapped so that it takes that SQL as it is (? placeholders), and the
few places where the two really differ (full-text search, the schema, transactions) ask
`dialect(conn)`. psycopg is imported only when a PostgreSQL store is opened."""

from __future__ import annotations

import re
import sqlite3
import sys
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from onrecord.errors import StoreError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
_SCHEMES = ("postgresql://", "postgres://")
#: Outside quoted literals: a ? placeholder, a % (doubled for psycopg), and the SQLite spellings
#: PostgreSQL reads otherwise: instr(, CROSS JOIN ... ON (SQLite's fixed join order), and the
#: scalar min(a, b) and max(a, b).
_SQL_PIECE = re.compile(r"'(?:[^']|'')*'|\?|%|\binstr\(|\bCROSS JOIN\b|\b(min|max)\(([\w.]+), ([\w.]+)\)")
_SCALAR = {"min": "least", "max": "greatest"}


def is_postgres(target: object) -> bool:
    """True for a postgresql:// (or postgres://) URL, False for a SQLite path."""
    return str(target).startswith(_SCHEMES)


def redacted(target: object) -> str:
    """A store's name fit for messages and logs: a URL's password is left out."""
    text = str(target)
    if not is_postgres(text):
        return text
    parts = urlsplit(text)
    if parts.password is None:
        return text
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def dialect(conn: Any) -> str:
    """SQLITE for a sqlite3 connection, POSTGRESQL for a PostgresConnection."""
    return getattr(conn, "dialect", SQLITE)


def database_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a database raises (psycopg's only once it is loaded)."""
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error, psycopg.Error) if psycopg is not None else (sqlite3.Error,)


def is_database_error(exc: BaseException | None) -> bool:
    """True when exc was raised by SQLite or PostgreSQL (not by onrecord's own checks)."""
    return exc is not None and isinstance(exc, database_errors())


@lru_cache(maxsize=2048)
def postgres_sql(sql: str, with_params: bool = True) -> str:
    """The store's SQLite-flavoured SQL as psycopg takes it: ? becomes %s (and % is doubled)
    outside literals when parameters are passed; see _SQL_PIECE for the rest."""

    def piece(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%" if with_params else "%"
        if token.startswith("instr"):
            return "strpos("
        if token == "CROSS JOIN":
            return "JOIN"
        if m.group(1):
            return f"{_SCALAR[m.group(1)]}({m.group(2)}, {m.group(3)})"
        return token.replace("%", "%%") if with_params else token  # a literal: psycopg reads its % too

    return _SQL_PIECE.sub(piece, sql)


class PostgresConnection:
    """A psycopg connection (autocommit: the store opens its own transactions) that runs the
    store's SQL: execute and executemany as sqlite3's, script for several statements."""

    dialect = POSTGRESQL

    def __init__(self, raw: Any, name: str) -> None:
        self.raw = raw
        self.name = name

    def execute(self, sql: str, params: Any = ()) -> Any:
        params = tuple(params) if params else None
        return self.raw.execute(postgres_sql(sql, params is not None), params)

    def executemany(self, sql: str, rows: Any) -> Any:
        rows = [tuple(r) for r in rows]
        cur = self.raw.cursor()
        if rows:
            cur.executemany(postgres_sql(sql), rows)
        return cur

    def script(self, sql: str) -> None:
        """Run several statements given as one text (no parameters)."""
        self.raw.execute(sql)

    @property
    def in_transaction(self) -> bool:
        return bool(self.raw.info.transaction_status != 0)  # 0: idle, outside a transaction

    def close(self) -> None:
        self.raw.close()


def psycopg_module() -> Any:
    """psycopg, or a StoreError saying how to install it."""
    try:
        import psycopg
    except ImportError as exc:
        raise StoreError("a PostgreSQL store needs psycopg: install onrecord[postgres] (pip install 'onrecord[postgres]')") from exc
    return psycopg


def connect_postgres(url: str) -> PostgresConnection:
    """An autocommit connection to the database at url; a StoreError saying why when none."""
    psycopg = psycopg_module()
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"cannot connect to the store {redacted(url)}: {reason} (is PostgreSQL running, is the URL right?)") from exc
    return PostgresConnection(raw, redacted(url))


def begin_write(conn: Any, name: str) -> None:
    """Open a write transaction, one writer at a time (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
    advisory lock on the store's schema, so ids stay max + 1 as in SQLite); StoreError when
    another writer holds the store past the lock timeout."""
    try:
        if dialect(conn) == SQLITE:
            conn.execute("BEGIN IMMEDIATE")
            return
        conn.execute("BEGIN")
        # every lookup of a write is a point lookup with its index, joined in the order written
        # (as SQLite's CROSS JOIN): nested loops over indexes, since the planner's statistics lag
        # behind a store that grows inside one transaction (a first bulk load would keep the
        # scans and join orders planned when it was empty)
        conn.execute(
            "SELECT pg_advisory_xact_lock(hashtext('onrecord:' || current_schema())), set_config('enable_seqscan', 'off', true), "
            "set_config('enable_mergejoin', 'off', true), set_config('enable_hashjoin', 'off', true), "
            "set_config('join_collapse_limit', '1', true)"
        )
    except database_errors() as exc:
        if dialect(conn) == POSTGRESQL and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise StoreError(f"cannot write to {name}: {exc} (is another onrecord writing to it?)") from exc


def pipelined(conn: Any) -> AbstractContextManager[Any]:
    """Inside a write transaction: on PostgreSQL, statements whose results nobody reads (most
    INSERTs and UPDATEs) are sent without waiting for the server (psycopg's pipeline mode), so
    an article costs fewer round trips; a read waits as usual. Nothing on SQLite."""
    return conn.raw.pipeline() if dialect(conn) == POSTGRESQL else nullcontext()
