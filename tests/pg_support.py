"""Both store backends for the tests: a fixture `store_url` (and `module_store_url`) that makes
fresh store locations, SQLite files under the test's tmp dir or, for PostgreSQL, URLs of fresh
schemas (dropped after the test) in the database ONRECORD_TEST_PG_URL names. Without that
variable the PostgreSQL cases skip, saying so (CI sets it: .ci/run starts PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

PG_URL = os.environ.get("ONRECORD_TEST_PG_URL", "")
SKIP_REASON = "PostgreSQL not available: set ONRECORD_TEST_PG_URL or install postgresql (.ci/run starts one)"
BACKENDS = ["sqlite", "postgresql"]


def schema_url(base: str, schema: str) -> str:
    """The URL of base with schema first on its search_path (where a store there lives)."""
    options = quote(f"-csearch_path={schema}", safe="")
    return f"{base}{'&' if '?' in base else '?'}options={options}"


class Locations:
    """Fresh store locations of one backend, one per name (asking again gives the same one)."""

    def __init__(self, backend: str, directory: Path) -> None:
        self.backend = backend
        self.directory = directory
        self.made: dict[str, str] = {}
        self._admin = None

    def __call__(self, name: str = "s.db") -> str:
        if name not in self.made:
            self.made[name] = str(self.directory / name) if self.backend == "sqlite" else self._new_schema()
        return self.made[name]

    def _new_schema(self) -> str:
        schema = f"onrecord_t_{uuid.uuid4().hex[:12]}"
        self.admin().execute(f"CREATE SCHEMA {schema}")
        self.made[f"schema:{schema}"] = schema
        return schema_url(PG_URL, schema)

    def admin(self):
        if self._admin is None:
            import psycopg

            self._admin = psycopg.connect(PG_URL, autocommit=True)
        return self._admin

    def drop(self) -> None:
        if self._admin is None:
            return
        for key, schema in self.made.items():
            if key.startswith("schema:"):
                self._admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        self._admin.close()


def _locations(backend: str, directory: Path) -> Iterator[Locations]:
    if backend == "postgresql" and not PG_URL:
        pytest.skip(SKIP_REASON)
    locations = Locations(backend, directory)
    yield locations
    locations.drop()


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> Iterator[Locations]:
    """Call it with a name for a fresh store location of the test's backend (sqlite, postgresql)."""
    yield from _locations(request.param, tmp_path)


@pytest.fixture(scope="module", params=BACKENDS)
def module_store_url(request, tmp_path_factory) -> Iterator[Locations]:
    """store_url for module-scoped stores."""
    yield from _locations(request.param, tmp_path_factory.mktemp("stores"))


def integrity_problems(store) -> list:
    """What SQLite's integrity and foreign-key checks find ([] when sound); PostgreSQL enforces
    its constraints on every write, so there is nothing to find afterwards."""
    if store.backend != "sqlite":
        return []
    problems = [r[0] for r in store.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
    return problems + store.conn.execute("PRAGMA foreign_key_check").fetchall()
