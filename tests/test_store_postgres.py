"""A store in PostgreSQL: its schema and migrations (the SQLite ones translated), refusing what
it cannot use, one writer at a time, the same rows and the same search hits as SQLite for the
same records, the CLI and the server on a postgresql:// URL, and no psycopg needed for SQLite."""

from __future__ import annotations

import json
import sys

import pytest

from onrecord.errors import StoreError
from onrecord.store import MIGRATIONS, Store, fts_query, schema_version
from onrecord.store import schema as schema_module
from onrecord.store.backend import postgres_sql, redacted
from onrecord.store.pg_schema import postgres_ddl
from onrecord.store.pg_search import facet_tsquery, tsquery
from pg_support import PG_URL, SKIP_REASON, Locations
from storefakes import Person, Said, article, cleverly_article
from test_store_add import corpus, dump


@pytest.fixture
def pg(tmp_path):
    """Fresh PostgreSQL store locations (schemas), dropped after the test."""
    if not PG_URL:
        pytest.skip(SKIP_REASON)
    locations = Locations("postgresql", tmp_path)
    yield locations
    locations.drop()


def _tables(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}


# -- the translation (no server needed) -------------------------------------------------------------


def test_postgres_sql_reads_the_stores_sqlite_spellings():
    sql = "SELECT min(p.a, p.b), max(x, y), min(z) FROM t CROSS JOIN u ON instr(t.n, ?) > 0 WHERE t.s LIKE '%?' AND t.v = ?"
    assert postgres_sql(sql) == (
        "SELECT least(p.a, p.b), greatest(x, y), min(z) FROM t JOIN u ON strpos(t.n, %s) > 0 WHERE t.s LIKE '%%?' AND t.v = %s"
    )
    assert postgres_sql("SELECT '%' FROM t", with_params=False) == "SELECT '%' FROM t"


def test_postgres_ddl_mirrors_every_sqlite_table():
    ddl = "\n".join(postgres_ddl(step) for step in MIGRATIONS)
    for step in MIGRATIONS:
        for table in __import__("re").findall(r"CREATE (?:VIRTUAL )?TABLE (\w+)", step):
            assert f"CREATE TABLE {table} (" in ddl
    assert "INTEGER" not in ddl.replace("version INTEGER", "") and "WITHOUT ROWID" not in ddl and "fts5" not in ddl
    assert "USING gin (words)" in ddl and '"full" BIGINT' in ddl


def test_tsquery_keeps_the_query_syntax():
    assert tsquery(fts_query('Gaza "peaceful leadership" pol*')) == (
        "('Gaza':ABC) & ('peaceful':ABC <-> 'leadership':ABC) & ('pol':*ABC)"
    )
    assert tsquery(fts_query("gaza OR bridge or israel")) == "('gaza':ABC) | ('bridge':ABC) & ('israel':ABC)"
    assert tsquery(fts_query("the of")) == "('the':ABC <-> 'of':ABC)"
    assert tsquery(fts_query("' OR 1=1 --")) == "('1':ABC <-> '1':ABC)"  # words only: nothing else reaches SQL
    assert tsquery("") == "" and facet_tsquery([["spk3"], ["day20240101", "mon202402"]]) == "('spk3':D) & ('day20240101':D | 'mon202402':D)"


def test_a_url_password_stays_out_of_messages():
    assert redacted("postgresql://me:s3cret@db.example:5433/news?sslmode=require") == "postgresql://me:***@db.example:5433/news?sslmode=require"
    assert redacted("/data/onrecord.db") == "/data/onrecord.db"
    with pytest.raises(StoreError, match="cannot connect") as err:
        Store("postgresql://me:s3cret@127.0.0.1:1/news")
    assert "s3cret" not in str(err.value)


def test_without_psycopg_a_postgres_store_says_what_to_install_and_sqlite_works(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails
    with pytest.raises(StoreError, match=r"onrecord\[postgres\]"):
        Store("postgresql://localhost/news")
    with Store(tmp_path / "s.db") as store:
        assert store.add(cleverly_article("BBC News", "2023-11-08")).status == "added"
        assert store.search("inevitable")


# -- the schema ----------------------------------------------------------------------------------------


def test_new_store_is_at_current_version_with_a_gin_index(pg):
    with Store(pg("s")) as store:
        assert store.backend == "postgresql" and schema_version(store.conn) == len(MIGRATIONS)
        assert {"articles", "statements", "statement_sources", "statements_fts", "positions", "onrecord_schema"} <= _tables(store)
        indexes = dict(store.conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()").fetchall())
        assert "USING gin (words)" in indexes["statements_fts_words"]


def test_reopening_keeps_data_and_an_older_store_is_migrated_in_order(pg, monkeypatch):
    url = pg("s")
    with Store(url) as store:
        store.add(cleverly_article("BBC News", "2023-11-08"))
    step = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) SELECT title FROM articles;"
    monkeypatch.setattr(schema_module, "MIGRATIONS", [*MIGRATIONS, step])
    with Store(url) as store:
        assert schema_version(store.conn) == len(MIGRATIONS) + 1
        assert store.conn.execute("SELECT id, body FROM notes").fetchall() == [(1, store.article_view(1).title)]
        assert store.counts().statements == 3


def test_a_failed_migration_leaves_the_store_at_its_version(pg, monkeypatch):
    url = pg("s")
    Store(url).close()
    monkeypatch.setattr(schema_module, "MIGRATIONS", [*MIGRATIONS, "CREATE TABLE half (x TEXT); SELECT * FROM no_such_table;"])
    with pytest.raises(StoreError, match="cannot migrate"):
        Store(url)
    monkeypatch.undo()
    with Store(url) as store:
        assert schema_version(store.conn) == len(MIGRATIONS) and "half" not in _tables(store)


def test_a_newer_store_and_a_foreign_schema_are_refused_untouched(pg):
    url = pg("s")
    with Store(url) as store:
        store.conn.execute("UPDATE onrecord_schema SET version = ?", (len(MIGRATIONS) + 5,))
    with pytest.raises(StoreError, match="newer than this onrecord"):
        Store(url)
    other = pg("other")
    admin = pg.admin()
    schema = other.rsplit("%3D", 1)[1]
    admin.execute(f"CREATE TABLE {schema}.other (x text)")
    with pytest.raises(StoreError, match="did not make"):
        Store(other)
    tables = {r[0] for r in admin.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,))}
    assert tables == {"other"}


def test_opening_a_missing_store_to_read_creates_nothing(pg):
    url = pg("missing")
    for kwargs in ({"create": False}, {"read_only": True}):
        with pytest.raises(StoreError, match="onrecord ingest"):
            Store(url, **kwargs)
    with Store(url) as store:  # still empty: a writable open makes it
        assert schema_version(store.conn) == len(MIGRATIONS) and store.counts().articles == 0


def test_one_writer_at_a_time(pg):
    url = pg("s")
    with Store(url) as first, Store(url) as second:
        second.conn.execute("SET lock_timeout = '200ms'")
        with first._transaction():
            first.conn.execute("INSERT INTO outlets (name, norm) VALUES (?, ?)", ("Wire", "wire"))
            with pytest.raises(StoreError, match="another onrecord"):
                second.add(cleverly_article("BBC News", "2023-11-08"))
        assert second.add(cleverly_article("BBC News", "2023-11-08")).status == "added"
        assert first.counts().articles == 1 and [o for o in first.conn.execute("SELECT id, norm FROM outlets ORDER BY id")] == [(1, "wire"), (2, "bbc news")]


# -- the same behaviour as SQLite --------------------------------------------------------------------


def test_the_same_records_give_the_same_rows_and_ids_in_both(pg, tmp_path):
    with Store(tmp_path / "s.db") as lite, Store(pg("s")) as post:
        for record in corpus():
            assert lite.add(record) == post.add(record)
        assert dump(lite) == dump(post)
        assert lite.export("jsonl", tmp_path / "a.jsonl") == post.export("jsonl", tmp_path / "b.jsonl")
        assert (tmp_path / "a.jsonl").read_text() == (tmp_path / "b.jsonl").read_text()


def _mayor(outlet, published, quote, kind="direct", name="Ana Lopez"):
    return article(
        [f"Mayor {name} spoke at the town hall.", Said(quote, name.split()[-1], name, "told reporters", kind=kind)],
        [Person(name, roles=("Mayor",), forms=(name.split()[-1],))],
        outlet=outlet, published=published, title=f"{name} on the bridge",
    )  # fmt: skip


SEARCHES = [
    ("bridge", {}), ("bridges", {}), ("inevitable Israel", {}), ("Lopez", {}), ("engin*", {}), ('"reopen in May"', {}),
    ('"May reopen"', {}), ("gaza OR bridge OR israel", {"outlet": "Guardian"}), ("gaza OR bridge", {"since": "2024-04-01"}),
    ("gaza OR bridge OR israel", {"until": "2023-11-07"}), ("bridge", {"kind": "indirect"}), ("bridge", {"speaker": "lopez"}),
    ("we will not", {}), ("the", {}), ("cleverley", {}), ("NOT bridge", {}), ("' OR 1=1 --", {}), ("🙂", {}),
]  # fmt: skip


def test_search_finds_the_same_statements_and_ranks_them_alike(pg, tmp_path):
    records = [
        cleverly_article("BBC News", "2023-11-08"), cleverly_article("Guardian", "2023-11-07", header="Analysis."),
        _mayor("Local News", "2024-03-01", "The bridge will reopen in May and the bridge repairs cost less than planned"),
        _mayor("Evening Post", "2024-04-02", "Nobody should cross the old bridge until the engineers say it is safe", kind="indirect"),
        _mayor("Evening Post", "2024-05-02", "Gaza is far from here but we will not forget every family there", kind="mixed"),
    ]  # fmt: skip
    with Store(tmp_path / "s.db") as lite, Store(pg("s")) as post:
        lite.add_many(records)
        post.add_many(records)
        for query, filters in SEARCHES:
            a, b = lite.search(query, **filters), post.search(query, **filters)
            assert {h.statement_id for h in a} == {h.statement_id for h in b}, (query, filters)
            if " OR " not in query:  # ts_rank_cd weighs no word by its rarity (bm25 does): OR can rank otherwise
                assert [h.statement_id for h in a[:1]] == [h.statement_id for h in b[:1]], (query, filters)
            # the same words are marked (PostgreSQL marks a phrase's words one by one)
            assert [h.highlighted for h in sorted(a, key=lambda h: h.statement_id)] == [
                h.highlighted.replace("] [", " ") for h in sorted(b, key=lambda h: h.statement_id)
            ], (query, filters)
        page = post.search_page("bridge", limit=1)
        assert page.next_cursor and post.search_page("bridge", cursor=page.next_cursor, limit=1).items[0].statement_id != page.items[0].statement_id


# -- the CLI and the server on a PostgreSQL URL --------------------------------------------------------


def test_cli_ingest_search_and_export_on_a_postgres_url(pg, tmp_path, capsys, monkeypatch):
    from onrecord.cli import main

    url = pg("cli")
    text = tmp_path / "a.txt"
    text.write_text(
        "Foreign Secretary James Cleverly said on Wednesday that the talks would resume.\n\n"
        "“We will keep working for a peaceful outcome,” Cleverly told reporters in Tokyo.",
        encoding="utf-8",
    )
    assert main(["ingest", str(text), "--db", url]) == 0
    assert "1 new" in capsys.readouterr().out
    monkeypatch.setenv("ONRECORD_DB", url)
    assert main(["search", "peaceful", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and "peaceful" in hits[0]["text"]
    assert main(["speakers"]) == 0 and "Cleverly" in capsys.readouterr().out
    assert main(["export", "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all(r["content"] for r in rows)


def test_server_reads_a_postgres_store(pg):
    from fastapi.testclient import TestClient

    from onrecord.server import create_app

    url = pg("api")
    with Store(url) as store:
        store.add(cleverly_article("BBC News", "2023-11-08"))
    client = TestClient(create_app(url))
    [hit] = client.get("/api/statements", params={"q": "inevitable"}).json()["items"]
    assert "inevitable" in hit["text"] and hit["speaker"] == "James Cleverly" and hit["matches"]
    assert client.get("/api/statements", params={"q": "bridge", "speaker": "Nobody Known"}).status_code == 400
    assert client.get(f"/api/statements/{hit['statement_id']}").json()["sources"][0]["content"]["text"] in hit["text"]
    assert client.get("/search", params={"q": "inevitable"}, headers={"accept": "text/html"}).status_code == 200


def test_embeddings_similar_and_topics_on_postgres(pg):
    import numpy as np

    from onrecord.semantic.topics import Topic

    class FourDimensions:  # stands in for the embedder: similar() is given vectors
        model_name, dimensions = "test-4d", 4

    with Store(pg("s")) as store:
        store.add(cleverly_article("BBC News", "2023-11-08"))
        todo = store.statements_to_embed("test-4d")
        vectors = np.eye(4, dtype=np.float32)[: len(todo)]
        assert store.add_embeddings("test-4d", [i for i, _ in todo], vectors) == 3
        store.add_embeddings("test-4d", [todo[0][0]], vectors[1:2])  # a vector replaced, not added
        assert store.statements_to_embed("test-4d") == []
        ids, texts, matrix = store.embeddings("test-4d", 4)
        assert ids == [i for i, _ in todo] and matrix.shape == (3, 4) and (matrix[0] == vectors[1]).all()
        hits = store.similar(np.array([0, 0, 1, 0], dtype=np.float32), embedder=FourDimensions())
        assert hits[0].statement_id == todo[2][0] and hits[0].similarity == 1.0
        assert store.replace_topics([Topic("gaza security", ("gaza",), tuple(ids[:2]))]) == 1
        [topic] = store.topics()
        assert (topic.label, topic.statements, topic.speakers) == ("gaza security", 2, ("James Cleverly",))
