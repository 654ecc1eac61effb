"""The store file: schema version and migrations, WAL, integrity, and refusing files it cannot use."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest

from onrecord.errors import StoreError
from onrecord.store import MIGRATIONS, Store, schema_version
from onrecord.store import schema as schema_module
from storefakes import cleverly_article

TABLES = {"articles", "outlets", "entities", "mentions", "roles", "statements", "statement_sources", "entity_names"}


def test_store_schema_new_file_is_at_current_version_in_wal(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert schema_version(store.conn) == len(MIGRATIONS) >= 1
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        assert TABLES <= names and "statements_fts" in names


def test_store_schema_reopening_keeps_data_and_integrity(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as store:
        store.add(cleverly_article("BBC News", "2023-11-08"))
    with Store(path) as store:
        assert schema_version(store.conn) == len(MIGRATIONS)
        assert store.counts().statements == 3
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_store_schema_older_file_is_migrated_in_order(tmp_path, monkeypatch):
    path = tmp_path / "s.db"
    with Store(path) as store:
        store.add(cleverly_article("BBC News", "2023-11-08"))
    step = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) SELECT title FROM articles;"
    monkeypatch.setattr(schema_module, "MIGRATIONS", [*MIGRATIONS, step])
    with Store(path) as store:
        assert schema_version(store.conn) == len(MIGRATIONS) + 1
        assert store.conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 1
        assert store.counts().articles == 1


def test_store_schema_failed_migration_leaves_the_file_at_its_version(tmp_path, monkeypatch):
    path = tmp_path / "s.db"
    Store(path).close()
    monkeypatch.setattr(schema_module, "MIGRATIONS", [*MIGRATIONS, "CREATE TABLE half (x); SELECT * FROM no_such_table;"])
    with pytest.raises(StoreError, match="cannot migrate"):
        Store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'half'").fetchone()
    conn.close()


def test_store_schema_newer_file_is_refused(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this onrecord"):
        Store(path)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p.write_text("not a database at all " * 100), "not an onrecord store"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE other (x)").connection.commit(), "did not make"),
    ],
)
def test_store_schema_foreign_files_are_refused_untouched(tmp_path, make, message):
    path = tmp_path / "other.db"
    make(path)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=message):
        Store(path)
    assert path.read_bytes() == before


def test_store_schema_read_open_of_missing_file_creates_nothing(tmp_path):
    path = tmp_path / "missing.db"
    with pytest.raises(StoreError, match="onrecord ingest"):
        Store(path, create=False)
    assert not path.exists()


def test_store_never_imports_the_parser():
    package = Path(schema_module.__file__).parent
    for module in package.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [m for m in imported if m.startswith(("spacy", "onrecord.nlp", "onrecord.pipeline"))], module.name
