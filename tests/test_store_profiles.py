"""Speakers, a speaker's profile, name lookup, counts and exports (jsonl, csv, parquet)."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from onrecord.errors import StoreError
from onrecord.store import Store
from onrecord.store import export as export_module
from storefakes import Person, Said, article, cleverly_article


def _clinton(first, role, quote, outlet, published):
    name = f"{first} Clinton"
    return article(
        [f"{role} {name} spoke on Monday.", Said(quote, "Clinton", name)],
        [Person(name, roles=(role,), forms=("Clinton",))], outlet=outlet, published=published,
    )  # fmt: skip


@pytest.fixture(scope="module")
def store(module_store_url):
    with Store(module_store_url("s.db")) as s:
        s.add(cleverly_article("BBC News", "2023-11-08"))
        s.add(cleverly_article("Guardian", "2023-11-07", "James Cleverley", header="Analysis."))
        s.add(article(
            ["Home Secretary James Cleverly visited Dover.", Said("We will stop the boats this year and that is a promise", "Cleverly", "James Cleverly")],
            [Person("James Cleverly", roles=("Home Secretary",), forms=("Cleverly",))], outlet="Sky", published="2024-01-15",
        ))  # fmt: skip
        s.add(_clinton("Bill", "Former president", "The economy grew faster than anyone expected back then", "CNN", "2016-01-04"))
        s.add(_clinton("Hillary", "Secretary of State", "Diplomacy is the hard work of finding common ground", "NBC", "2016-01-05"))
        yield s


def test_store_profiles_speakers_most_statements_first(store):
    rows = store.speakers()
    assert rows[0].name == "James Cleverly"
    assert (rows[0].statements, rows[0].outlets, rows[0].first_date, rows[0].last_date) == (3, 3, "2023-11-07", "2024-01-15")
    assert rows[0].role == "Home Secretary"
    assert [r.statements for r in rows] == sorted((r.statements for r in rows), reverse=True)
    assert "polls" not in {r.name for r in rows}  # unresolved speakers are not entities
    assert len(store.speakers(top=2)) == 2


def test_store_profiles_speaker_profile(store):
    p = store.speaker("CLEVERLEY")
    assert p.name == "James Cleverly" and p.type == "PERSON"
    assert {"James Cleverly", "James Cleverley", "Cleverly", "Cleverley"} <= set(p.variants)
    assert [(r.role, r.first_date, r.last_date, r.articles) for r in p.roles] == [
        ("British Foreign Secretary", "2023-11-07", "2023-11-08", 2),
        ("Home Secretary", "2024-01-15", "2024-01-15", 1),
    ]
    assert [s.date for s in p.statements] == sorted(s.date for s in p.statements)
    assert p.statements[0].first_seen.outlet == "Guardian" and p.statements[0].sources == 2
    assert {(o.outlet, o.statements) for o in p.outlets} == {("BBC News", 2), ("Guardian", 2), ("Sky", 1)}
    assert json.loads(json.dumps(p.to_dict()))["roles"][0]["role"] == "British Foreign Secretary"


@pytest.mark.parametrize("name", ["james cleverly", "Jámes Clèverly", "Cleverly", "James Cleverley", "MR. JAMES CLEVERLY"])
def test_store_profiles_lookup_is_case_accent_and_variant_insensitive(store, name):
    assert store.speaker(name).name == "James Cleverly"


def test_store_profiles_ambiguous_name_lists_the_candidates(store):
    with pytest.raises(StoreError) as err:
        store.speaker("clinton")
    assert "Bill Clinton" in str(err.value) and "Hillary Clinton" in str(err.value)
    assert store.speaker("hillary clinton").name == "Hillary Clinton"


def test_store_profiles_unknown_name_suggests_close_ones(store):
    with pytest.raises(StoreError, match="did you mean.*James Cleverly"):
        store.speaker("Jane Cleverly")
    with pytest.raises(StoreError, match="no speaker named"):
        store.speaker("Zzyzx Qwerty")
    with pytest.raises(StoreError, match="give a speaker"):
        store.speaker("  ")


def test_store_profiles_counts(store):
    c = store.counts()
    assert (c.articles, c.statements, c.sources) == (5, 6, 9)
    assert c.entities == 4  # Cleverly, Starmer, two Clintons; no entity for "polls"


def _jsonl(store):
    buf = io.StringIO()
    n = store.export("jsonl", buf)
    rows = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert n == len(rows)
    return rows


def test_store_profiles_export_jsonl_rows_are_checkable_sources(store):
    rows = _jsonl(store)
    assert len(rows) == store.counts().sources
    texts = dict(store.conn.execute("SELECT id, text FROM articles"))
    for r in rows:
        assert texts[r["article_id"]][r["content_start"]:r["content_end"]] == r["content"]
        if r["cue_start"] is not None:
            assert texts[r["article_id"]][r["cue_start"]:r["cue_end"]] == r["cue"]
    first = [r for r in rows if r["first_seen"]]
    assert len(first) == store.counts().statements
    assert {r["speaker"] for r in rows} >= {"James Cleverly", "polls", "Hillary Clinton"}


def test_store_profiles_export_csv_round_trips(store, tmp_path):
    out = tmp_path / "e.csv"
    n = store.export("csv", out)
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert n == len(rows) == store.counts().sources
    jsonl = _jsonl(store)
    assert [r["content"] for r in rows] == [r["content"] for r in jsonl]
    assert [int(r["content_start"]) for r in rows] == [r["content_start"] for r in jsonl]


def test_store_profiles_export_parquet_round_trips(store, tmp_path):
    out = tmp_path / "e.parquet"
    assert store.export("parquet", out) == store.counts().sources
    table = pq.read_table(out).to_pylist()
    assert table == _jsonl(store)


def test_store_profiles_export_parquet_without_pyarrow_says_how_to_install(store, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(StoreError, match=r"onrecord\[parquet\]"):
        store.export("parquet", tmp_path / "e.parquet")


def test_store_profiles_export_bad_format_and_unwritable_file(store, tmp_path):
    with pytest.raises(StoreError, match="not one of"):
        store.export("xml", tmp_path / "e.xml")
    with pytest.raises(StoreError, match="cannot write"):
        store.export("csv", tmp_path / "no" / "such" / "dir.csv")
    assert export_module.FORMATS == ("jsonl", "csv", "parquet")
