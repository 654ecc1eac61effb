"""`onrecord spark` on local[2] over a WARC.gz and a JSON Lines file: the same statements as
`onrecord ingest` on the same inputs, and `onrecord load` of its tables gives the store ingest gives.

One Spark run for the module (a JVM start and a model load per worker take most of the time)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.cli import main
from onrecord.ingest import ReadFailure, iter_articles
from onrecord.ingest.tabular import record_article
from onrecord.settings import Settings
from onrecord.spark import inputs, tables
from onrecord.spark.job import SparkUnavailableError, spark_session

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

PAGE = "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
WARC_PAGES = (
    ("https://news.example/port", "Port strike ends", [
        "Dock workers ended a three-week strike at the port of Rotterdam on Tuesday, after a late-night deal on pay.",
        "“This is a fair deal for everyone who works here,” union leader Pieter Jansen told reporters at the gate.",
        "Jansen said the agreement would raise wages by six percent over two years and protect night shifts.",
    ]),
    ("https://news.example/rail", "Rail line delayed", [
        "The new rail line to the airport will open a year late, the transport authority said in a statement on Friday.",
        "Transport minister Clara Holt said that the delay was caused by flooding in the tunnels last winter.",
        "“We will not cut corners on safety,” Holt said.",
    ]),
)  # fmt: skip
JSONL_ARTICLES = (
    {"text": "“We will not raise taxes this year,” Finance Minister Anna Berg said on Monday.\n"
             "Berg told reporters that the budget would be balanced by 2027.",
     "title": "No new taxes", "outlet": "Daily Ledger", "url": "https://ledger.example/1", "published": "2024-05-02"},
    {"text": "Opposition leader Tom Hale said the plan was “a fantasy”.\n“Nobody believes these numbers,” Hale told the BBC.",
     "title": "Hale doubts plan", "outlet": "Daily Ledger", "published": "2024-05-03"},
    {"text": "The mayor, Jane Okafor, warned that the bridge would close in May.\n“We have no choice,” she said.",
     "title": "Bridge to close", "outlet": "City Post"},
)  # fmt: skip
BAD_LINES = ("{not json", json.dumps({"text": "   ", "title": "blank"}))
#: An article in a Parquet input (which ingest does not read): kept apart in the comparisons with ingest.
PARQUET_ROW = {"text": "“The harvest was the best in a decade,” farmer Lena Voss said on Sunday.", "title": "Harvest",
               "outlet": "Farm Weekly", "published": "2024-06-01", "pages": 3}


def java_missing() -> bool:
    home = os.environ.get("JAVA_HOME")
    return shutil.which("java") is None and not (home and Path(home, "bin", "java").exists())


def write_warc(path: Path) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, title, paragraphs in WARC_PAGES:
            body = PAGE.format(title=title, paragraphs="".join(f"<p>{p}</p>" for p in paragraphs)).encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": "2024-05-01T10:00:00Z"}))
        missing = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://news.example/gone", "response",
                                                      payload=io.BytesIO(b"<html>gone</html>"), http_headers=missing))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The inputs, the Spark run's output folder and its printed summary."""
    if java_missing():
        pytest.skip("no Java runtime: Spark needs one (apt-get install default-jre-headless, or set JAVA_HOME)")
    base = tmp_path_factory.mktemp("spark")
    corpus = base / "corpus"
    corpus.mkdir()
    write_warc(corpus / "news.warc.gz")
    lines = [json.dumps(a, ensure_ascii=False) for a in JSONL_ARTICLES]
    (corpus / "news.jsonl").write_text("\n".join([lines[0], BAD_LINES[0], lines[1], "", BAD_LINES[1], lines[2]]) + "\n", encoding="utf-8")
    parquet = base / "extra.parquet"
    pq.write_table(pa.Table.from_pylist([PARQUET_ROW]), parquet)
    output = base / "tables"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        rc = main(["spark", str(corpus), str(parquet), str(output), "--master", "local[2]", "--quiet", "--json"])
    assert rc == 0
    return corpus, output, json.loads(printed.getvalue())


def read_table(output: Path, name: str) -> list[dict]:
    return pq.read_table(output / name).to_pylist()


def test_the_statements_are_those_of_the_pipeline_on_the_ingest_readers(run, pipeline):
    corpus, output, _ = run
    articles = [item for item in iter_articles([corpus], Settings()) if not isinstance(item, ReadFailure)]
    assert len(articles) == len(WARC_PAGES) + len(JSONL_ARTICLES)
    articles.append(record_article(dict(PARQUET_ROW), "extra.parquet", Settings()))
    expected = [row for record in pipeline.pipe(articles) for row in tables.statement_rows(record)]
    names = [c for c, _ in tables.STATEMENT_COLUMNS]
    got = [tuple(row[c] for c in names) for row in read_table(output, "statements")]
    assert len(expected) >= 8
    assert sorted(map(repr, got)) == sorted(map(repr, expected))


def test_the_tables_agree_with_each_other_and_with_the_texts(run):
    _, output, summary = run
    articles = {a["article_id"]: a for a in read_table(output, "articles")}
    statements, entities, mentions = (read_table(output, t) for t in ("statements", "entities", "mentions"))
    assert summary["rows"] == {"articles": 6, "statements": len(statements), "entities": len(entities),
                               "mentions": len(mentions), "failures": 2}  # fmt: skip
    assert summary["files"] == {"warc": 1, "jsonl": 1, "parquet": 1}
    from_parquet = next(a for a in articles.values() if a["outlet"] == PARQUET_ROW["outlet"])
    assert (from_parquet["title"], from_parquet["published"]) == (PARQUET_ROW["title"], PARQUET_ROW["published"])
    assert from_parquet["source"].endswith("extra.parquet")
    entity_ids = {e["entity_id"] for e in entities}
    for s in statements:
        text = articles[s["article_id"]]["text"]
        assert s["statement_id"] == f"{s['article_id']}:{s['local_id']}"
        assert text[s["content_start"]:s["content_end"]] == s["content"]
        assert s["speaker_entity_id"] is None or s["speaker_entity_id"] in entity_ids
    for m in mentions:
        assert articles[m["article_id"]]["text"][m["start"]:m["end"]] == m["text"]
    urls = {a["url"] for a in articles.values()}
    assert {uri for uri, _, _ in WARC_PAGES} <= urls
    assert sum(a["statements"] for a in articles.values()) == len(statements)


def test_unreadable_records_are_in_the_failures_table_with_the_readers_reasons(run):
    corpus, output, _ = run
    failures = read_table(output, "failures")
    ingest_reasons = sorted(item.reason for item in iter_articles([corpus], Settings()) if isinstance(item, ReadFailure))
    assert sorted(f["reason"] for f in failures) == ingest_reasons
    assert all(f["source"].startswith(str(corpus / "news.jsonl") + "@") for f in failures)


def test_load_of_the_tables_gives_the_store_ingest_gives(run, tmp_path, capsys):
    corpus, output, _ = run
    ingested, loaded = str(tmp_path / "ingest.db"), str(tmp_path / "load.db")
    assert main(["ingest", str(corpus), "--db", ingested, "--quiet"]) == 1  # 1: two records failed, as on Spark
    assert main(["load", str(output), "--db", loaded, "--quiet"]) == 0
    assert main(["load", str(output), "--db", loaded, "--quiet"]) == 0
    assert "0 new" in capsys.readouterr().out.splitlines()[-1]
    run_order = {"statement_id", "source_id", "article_id", "speaker_id"}  # integer ids follow the order of adding

    def exported(db: str) -> list[str]:
        out = tmp_path / (Path(db).stem + ".jsonl")
        assert main(["export", "--format", "jsonl", "--output", str(out), "--db", db]) == 0
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        return sorted(json.dumps({k: v for k, v in r.items() if k not in run_order}, sort_keys=True) for r in rows)

    from_ingest = exported(ingested)
    assert len(from_ingest) >= 8
    parquet_article = record_article(dict(PARQUET_ROW), "extra.parquet", Settings()).id  # not read by ingest
    from_load = exported(loaded)
    assert [r for r in from_load if parquet_article not in r] == from_ingest
    assert any(parquet_article in r for r in from_load)


def test_missing_input_and_used_output_are_refused_before_spark_starts(tmp_path, capsys):
    assert main(["spark", str(tmp_path / "none.jsonl"), str(tmp_path / "out")]) == 1
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    (tmp_path / "in.jsonl").write_text("{}\n")
    assert main(["spark", str(tmp_path / "in.jsonl"), str(tmp_path / "used")]) == 1
    err = capsys.readouterr().err
    assert "none.jsonl: no such file or folder" in err and "exists already" in err and "Traceback" not in err


def test_missing_pyspark_says_to_install_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(SparkUnavailableError, match=r"onrecord\[spark\]"):
        spark_session("local[1]")


def test_missing_java_says_what_to_install(monkeypatch):
    pytest.importorskip("pyspark")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(SparkUnavailableError, match="Java is missing.*default-jre-headless"):
        spark_session("local[1]")


def test_input_kinds_come_from_the_file_names():
    found = inputs.classify(["s3a://b/x.warc.gz", "hdfs:///a/b.jsonl", "/d/part-0.parquet", "/d/notes.txt", "/d/c.warc"])
    assert found.warc == ("/d/c.warc", "s3a://b/x.warc.gz")
    assert found.jsonl == ("hdfs:///a/b.jsonl",) and found.parquet == ("/d/part-0.parquet",)
    assert found.skipped == ("/d/notes.txt",)
    assert inputs.shown_path("file:/tmp/a.jsonl") == "/tmp/a.jsonl" and inputs.shown_path("hdfs://n/a") == "hdfs://n/a"


def test_a_jsonl_line_is_read_with_the_field_settings():
    settings = Settings(text_field="body", title_field="headline")
    item = inputs.jsonl_item("file:/x.jsonl", 42, json.dumps({"body": "Text here.", "headline": "H"}), settings)
    assert (item.text, item.title, item.source) == ("Text here.", "H", "/x.jsonl@42")
    assert inputs.jsonl_item("file:/x.jsonl", 0, "   ", settings) is None
    assert isinstance(inputs.jsonl_item("file:/x.jsonl", 0, "[1, 2]", settings), ReadFailure)


def test_a_parquet_row_keeps_its_dates_and_names_its_file():
    import datetime

    row = {"_onrecord_file": "hdfs://n/in/part-0.parquet", "text": "Some text.", "published": datetime.date(2024, 6, 1)}
    item = inputs.parquet_item(row, Settings())
    assert (item.published, item.source) == ("2024-06-01", "hdfs://n/in/part-0.parquet")
