"""The query commands: search, speakers, speaker and export over a store, and their errors."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from onrecord.cli import main
from onrecord.store import Store
from storefakes import cleverly_article


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store.db"
    with Store(path) as store:
        store.add(cleverly_article("BBC News", "2023-11-08"))
        store.add(cleverly_article("Guardian", "2023-11-07", "James Cleverley", header="Analysis."))
    return str(path)


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_query_search_prints_highlighted_hits_with_provenance(capsys, db):
    code, out, err = run(capsys, "search", "inevitable", "--db", db)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("1. James Cleverly · direct · told reporters · 2023-11-07 · Guardian")
    assert "[inevitable]" in lines[1] and "\033[" not in out  # not a terminal: brackets
    assert "ran in 2 outlets (2 sources), first in Guardian https://guardian.example/cleverly-tokyo" in lines[2]


def test_cli_query_search_bold_on_a_terminal(capsys, db, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code, out, _ = run(capsys, "search", "inevitable", "--db", db)
    assert code == 0 and "\033[1minevitable\033[0m" in out


def test_cli_query_search_json_and_filters(capsys, db):
    code, out, _ = run(capsys, "search", "Gaza", "--speaker", "cleverley", "--outlet", "BBC News", "--since", "2023-11-01",
                       "--until", "2023-11-30", "--kind", "direct", "--limit", "5", "--json", "--db", db)  # fmt: skip
    hits = json.loads(out)
    assert code == 0 and hits and all(h["speaker"] == "James Cleverly" and h["kind"] == "direct" for h in hits)
    assert hits[0]["first_seen"]["outlet"] == "Guardian" and "[Gaza]" in hits[0]["highlighted"]  # text before title


def test_cli_query_search_no_match_and_hostile_query(capsys, db):
    assert run(capsys, "search", "zebra", "--db", db)[1].strip() == "(no matches)"
    code, out, err = run(capsys, "search", '"unbalanced (AND -', "--db", db)
    assert code == 0 and not err


def test_cli_query_speakers_table_and_json(capsys, db):
    code, out, _ = run(capsys, "speakers", "--db", db)
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["SPEAKER", "STATEMENTS", "OUTLETS"]
    assert lines[1].startswith("James Cleverly") and "British Foreign Secretary" in lines[1]
    code, out, _ = run(capsys, "speakers", "--top", "1", "--json", "--db", db)
    assert [r["name"] for r in json.loads(out)] == ["James Cleverly"]


def test_cli_query_speaker_profile(capsys, db):
    code, out, _ = run(capsys, "speaker", "cleverly", "--db", db)
    assert code == 0
    assert out.startswith("James Cleverly (person), 2 statements")
    assert "also printed as:" in out and "James Cleverley" in out
    assert "British Foreign Secretary  (2023-11-07 to 2023-11-08; 2 articles)" in out
    assert "outlets: BBC News (2), Guardian (2)" in out
    code, out, _ = run(capsys, "speaker", "James Cleverly", "--json", "--db", db)
    assert json.loads(out)["variants"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_cli_query_export_to_a_file(capsys, db, tmp_path, fmt):
    out_file = tmp_path / f"e.{fmt}"
    code, out, err = run(capsys, "export", "--format", fmt, "--output", str(out_file), "--db", db)
    assert code == 0 and "exported 6 statement sources" in err
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    else:
        rows = pq.read_table(out_file).to_pylist()
    assert len(rows) == 6 and {r["outlet"] for r in rows} == {"BBC News", "Guardian"}


def test_cli_query_export_jsonl_to_stdout(capsys, db):
    code, out, _ = run(capsys, "export", "--format", "jsonl", "--db", db)
    assert code == 0 and len(out.splitlines()) == 6
    code, _, err = run(capsys, "export", "--format", "parquet", "--db", db)
    assert code == 1 and "--output" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["search", "gaza"], "run `onrecord ingest` first"),
        (["speakers"], "run `onrecord ingest` first"),
        (["speaker", "Cleverly"], "run `onrecord ingest` first"),
        (["export", "--format", "csv"], "run `onrecord ingest` first"),
    ],
)
def test_cli_query_missing_store_is_one_line_and_creates_nothing(capsys, tmp_path, args, message):
    missing = tmp_path / "none.db"
    code, out, err = run(capsys, *args, "--db", str(missing))
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1
    assert not missing.exists()


def test_cli_query_db_from_the_environment(capsys, db, monkeypatch):
    monkeypatch.setenv("ONRECORD_DB", db)
    code, out, _ = run(capsys, "speakers", "--top", "1")
    assert code == 0 and "James Cleverly" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["speaker", "Nobody Atall"], "no speaker named"),
        (["search", "gaza", "--since", "yesterday"], "ISO date"),
        (["search", "gaza", "--limit", "0"], "--limit"),
        (["search", "gaza", "--outlet", "Nowhere Times"], "no outlet"),
    ],
)
def test_cli_query_bad_input_is_one_line_error(capsys, db, args, message):
    code, out, err = run(capsys, *args, "--db", db)
    assert code == 1 and message in err and err.startswith("onrecord: error:") and len(err.strip().splitlines()) == 1
