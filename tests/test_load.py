"""`onrecord load`: the articles table of a Spark run merged into a store, losslessly and only once.

The table is written here with pyarrow from the same row functions the Spark job uses, so these
tests need no Spark."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from onrecord.cli import main  # noqa: E402
from onrecord.errors import InputError, RecordError, StoreError  # noqa: E402
from onrecord.model import Article  # noqa: E402
from onrecord.spark import tables  # noqa: E402
from onrecord.spark.load import load  # noqa: E402
from onrecord.store import open_store  # noqa: E402

TEXTS = (
    "“We will not raise taxes this year,” Finance Minister Anna Berg said on Monday.\n"
    "Berg told reporters that the budget would be balanced by 2027.",
    "Opposition leader Tom Hale said the plan was “a fantasy”.\n"
    "“Nobody believes these numbers,” Hale told the BBC.",
    "The mayor, Jane Okafor, warned that the bridge would close in May.\n"
    "“We have no choice,” she said.",
)


@pytest.fixture(scope="module")
def records(pipeline):
    articles = [Article(text=t, outlet="Daily Ledger", title=f"Story {n}", url=f"https://ledger.example/{n}",
                        published="2024-05-0{}".format(n + 1), source=f"in.jsonl@{n * 100}")
                for n, t in enumerate(TEXTS)]  # fmt: skip
    return list(pipeline.pipe(articles))


def write_articles(folder: Path, records, name: str = "part-00000.parquet") -> Path:
    """An articles table as `onrecord spark` writes it."""
    rows = [tables.article_row(r) for r in records]
    columns = {col: [row[i] for row in rows] for i, (col, _) in enumerate(tables.ARTICLE_COLUMNS)}
    table = pa.table({c: pa.array(v, type=pa.int32() if t == "int" else pa.string()) for (c, t), v in
                      zip(tables.ARTICLE_COLUMNS, columns.values())})  # fmt: skip
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / "articles" / name)
    return folder


def export_rows(db: Path) -> list[dict]:
    with open_store(db, create=False) as store:
        out = db.with_suffix(".jsonl")
        store.export("jsonl", out)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_records_survive_the_table_unchanged(records):
    assert any(r.statements for r in records) and any(r.positions or r.entities for r in records)
    for record in records:
        row = tables.article_row(record)
        named = dict(zip((c for c, _ in tables.ARTICLE_COLUMNS), row))
        assert named["article_id"] == record.article.id
        assert tables.record_from_row(named["text"], named["source"], named["record"]) == record


def test_row_ids_are_the_article_hash_and_the_record_ids(records):
    record = next(r for r in records if r.statements)
    statement = tables.statement_rows(record)[0]
    names = [c for c, _ in tables.STATEMENT_COLUMNS]
    row = dict(zip(names, statement))
    assert row["statement_id"] == f"{record.article.id}:{record.statements[0].id}"
    text = record.article.text
    assert text[row["content_start"]:row["content_end"]] == row["content"]
    mentions = tables.mention_rows(record)
    assert all(text[m[2]:m[3]] == m[4] for m in mentions)
    assert len(tables.entity_rows(record)) == len(record.entities)


def test_load_gives_the_store_adding_the_records_gives(records, tmp_path):
    folder = write_articles(tmp_path / "run", records)
    with open_store(tmp_path / "loaded.db") as store:
        summary = load(folder, store, batch_size=2)
    with open_store(tmp_path / "added.db") as store:
        for record in records:
            store.add(record)
    assert summary.counts.added == len(records) and summary.spark_failures == 0
    assert summary.counts.new_statements == sum(len(r.statements) for r in records) - summary.counts.merged_statements
    assert export_rows(tmp_path / "loaded.db") == export_rows(tmp_path / "added.db")


def test_loading_again_adds_nothing(records, tmp_path):
    folder = write_articles(tmp_path / "run", records)
    db = tmp_path / "store.db"
    with open_store(db) as store:
        load(folder, store)
        before = store.counts()
        again = load(folder, store)
        assert store.counts() == before
    assert again.counts.added == 0 and again.counts.already_stored == len(records)


def test_a_copy_from_another_outlet_is_recorded_as_a_copy(records, tmp_path):
    copy = replace(records[0], article=replace(records[0].article, outlet="Evening Post", url="https://post.example/1"))
    folder = write_articles(tmp_path / "run", [*records, copy])
    with open_store(tmp_path / "store.db") as store:
        summary = load(folder, store)
    assert (summary.counts.added, summary.counts.copies) == (len(records), 1)


def test_a_record_that_does_not_match_its_text_stores_nothing_of_its_batch(records, tmp_path):
    broken = replace(records[1], article=replace(records[1].article, text=records[1].article.text.upper()))
    folder = write_articles(tmp_path / "run", [records[0], broken])
    db = tmp_path / "store.db"
    with open_store(db) as store:
        with pytest.raises(StoreError, match="does not match its text"):
            load(folder, store, batch_size=10)
        assert store.counts().articles == 0


def test_a_record_that_is_not_json_is_a_record_error():
    with pytest.raises(RecordError, match="not JSON"):
        tables.record_from_row("text", "x.jsonl@0", "{not json")


def test_a_folder_without_the_articles_table_is_refused(tmp_path):
    with open_store(tmp_path / "store.db") as store:
        with pytest.raises(InputError, match="no articles table"):
            load(tmp_path, store)
        with pytest.raises(InputError, match="no such folder"):
            load(tmp_path / "missing", store)


def test_the_load_command_twice(records, tmp_path, capsys):
    folder = write_articles(tmp_path / "run", records)
    db = str(tmp_path / "cli.db")
    assert main(["load", str(folder), "--db", db, "--quiet"]) == 0
    first = capsys.readouterr().out
    assert f"{len(records)} new" in first
    assert main(["load", str(folder), "--db", db, "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["added"] == 0 and second["already_stored"] == len(records)


def test_the_load_command_on_a_missing_folder_exits_1_without_a_traceback(tmp_path, capsys):
    assert main(["load", str(tmp_path / "nothing"), "--db", str(tmp_path / "x.db")]) == 1
    err = capsys.readouterr().err
    assert "no such folder" in err and "Traceback" not in err
    assert not (tmp_path / "x.db").exists()
