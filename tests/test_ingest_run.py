"""Ingest runs: every kind of input into one store, idempotent reruns, a quote printed by two
outlets kept once, one identity per speaker, and a run killed with SIGKILL finished by a rerun."""

from __future__ import annotations

import html
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.corpus import ingest
from onrecord.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "cleverly-hussain.txt"
CORPUS = ROOT / "examples" / "wikinews-gum.jsonl"
QUOTE = "In the short term it is inevitable that Israel, because it has troops in Gaza, will need to take some responsibility for security"


def example_html(site: str, date: str) -> str:
    """The example article as a news page of one outlet, on one date."""
    paragraphs = [p for p in EXAMPLE.read_text(encoding="utf-8").split("\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f"<html><head><title>Cleverly backs two-state solution</title>"
        f'<meta property="og:site_name" content="{site}"><meta property="article:published_time" content="{date}">'
        f"</head><body><article><h1>Cleverly backs two-state solution</h1>{body}</article></body></html>"
    )


def rss_feed(title: str, items: list[tuple[str, str, str, str]]) -> str:
    """An RSS 2.0 feed of (title, link, RFC 822 date, text) items."""
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{link}</link><pubDate>{date}</pubDate>"
        f"<description>{html.escape(text)}</description></item>"
        for t, link, date, text in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{entries}</channel></rss>'


WIRE_TEXT = (
    "British Foreign Secretary James Cleverly spoke in Tokyo on Monday. "
    f"“{QUOTE},” Cleverly told the meeting of G7 foreign ministers."
)
COUNCIL_PAGE = (
    "<html><head><title>Council delays budget vote</title></head><body><article><h1>Council delays budget vote</h1>"
    "<p>The city council postponed its budget vote on Tuesday after a long debate about school funding.</p>"
    "<p>“We need another week to get the numbers right,” council leader Maria Gomez told reporters.</p>"
    "<p>Opposition members said the delay would cost the city money.</p></article></body></html>"
)


def write_warc(path: Path) -> None:
    """A .warc.gz with one HTML page (status 200) and one 404 response."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, status, body in (
            ("https://city.example.org/council-budget", "200 OK", COUNCIL_PAGE.encode()),
            ("https://city.example.org/gone", "404 Not Found", b"<html><body>Not found</body></html>"),
        ):
            http = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-03-06T10:00:00Z"}))


@pytest.fixture()
def inputs(tmp_path: Path) -> dict[str, Path]:
    """Every kind of input the issue names, and a folder with a binary and an empty file."""
    (tmp_path / "example.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "example.html").write_text(example_html("The Northern Ledger", "2023-11-14"), encoding="utf-8")
    (tmp_path / "wire.rss").write_text(rss_feed("Westminster Wire", [
        ("Cleverly in Tokyo", "https://wire.example.com/cleverly", "Mon, 13 Nov 2023 09:00:00 +0000", WIRE_TEXT),
        ("Markets", "https://wire.example.com/markets", "Mon, 13 Nov 2023 10:00:00 +0000",
         "Shares rose in London on Monday, and the pound was steady against the dollar."),
    ]), encoding="utf-8")
    write_warc(tmp_path / "crawl.warc.gz")
    bad = tmp_path / "folder"
    bad.mkdir()
    (bad / "image.bin").write_bytes(bytes(range(256)) * 8)
    (bad / "empty.txt").write_bytes(b"")
    return {
        "corpus": CORPUS, "txt": tmp_path / "example.txt", "html": tmp_path / "example.html",
        "rss": tmp_path / "wire.rss", "warc": tmp_path / "crawl.warc.gz", "folder": bad,
    }


def test_ingest_every_kind_of_input_stores_each_readable_article(pipeline, inputs, tmp_path):
    with Store(tmp_path / "all.db") as store:
        summary = ingest([str(p) for p in inputs.values()], store, pipeline=pipeline)
        failed = {Path(f.source).name: f.reason for f in summary.failed}
        assert set(failed) == {"image.bin", "empty.txt"}, failed
        assert "binary" in failed["image.bin"] and "empty" in failed["empty.txt"]
        # 24 Wikinews articles, the example as text and as a page, two feed items, one WARC page
        assert (summary.added, summary.copies, summary.already_stored) == (29, 0, 0)
        assert store.counts().articles == 29
        titles = {r[0] for r in store.conn.execute("SELECT title FROM articles")}
        assert {"Council delays budget vote", "Cleverly backs two-state solution", "Markets"} <= titles

        again = ingest([str(p) for p in inputs.values()], store, pipeline=pipeline)
        assert (again.added, again.copies, again.already_stored, len(again.failed)) == (0, 0, 29, 2)
        assert again.new_statements == 0 and store.counts().articles == 29


def test_ingest_speakers_of_the_example_are_one_each(pipeline, inputs, tmp_path):
    with Store(tmp_path / "speakers.db") as store:
        ingest([str(inputs[k]) for k in ("txt", "html", "rss", "corpus")], store, pipeline=pipeline)
        names = [s.name for s in store.speakers()]
        for surname in ("Clever", "Starmer", "Hussain"):
            assert len([n for n in names if surname in n]) == 1, (surname, names)
        profile = store.speaker("James Cleverly")
        assert "British Foreign Secretary" in {r.role for r in profile.roles}


def test_ingest_quote_from_two_outlets_is_one_statement_first_seen_earlier(pipeline, inputs, tmp_path):
    with Store(tmp_path / "quote.db") as store:
        # the later publication is ingested first: first seen must follow the dates, not the order
        ingest([str(inputs["html"]), str(inputs["rss"])], store, pipeline=pipeline)
        [hit] = [h for h in store.search("inevitable troops Gaza responsibility") if QUOTE[:40] in h.text]
        assert (hit.sources, hit.outlets) == (2, 2)
        assert hit.first_seen.outlet == "Westminster Wire" and hit.first_seen.published.startswith("2023-11-13")
        rows = store.conn.execute(
            "SELECT a.text, s.content_start, s.content_end, s.content FROM statement_sources s "
            "JOIN articles a ON a.id = s.article_id WHERE s.statement_id = ?", (hit.statement_id,)).fetchall()
        assert len(rows) == 2
        for text, start, end, content in rows:
            assert text[start:end] == content and QUOTE in content


# --- killed and resumed ----------------------------------------------------------------------

KILLS = 5


def run_ingest(db: Path, *paths: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "onrecord.cli", "ingest", *map(str, paths), "--db", str(db), "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )


def stored_articles(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def logical_dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every plain table, and the full-text index's own rows; ids included."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
        fts = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'")]
        shadow = tuple(f"{name}_" for name in fts)
        dump = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables if not t.startswith(shadow)}
        dump |= {f: sorted(conn.execute(f'SELECT rowid, * FROM "{f}"').fetchall(), key=repr) for f in fts}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return dump


def test_ingest_killed_at_random_points_is_finished_by_a_rerun(tmp_path):
    paths = (EXAMPLE, CORPUS)
    whole = tmp_path / "whole.db"
    done = run_ingest(whole, *paths)
    assert done.wait(timeout=300) == 0, done.stderr.read().decode()
    expected = logical_dump(whole)
    total = len(expected["articles"])
    assert total == 25

    rng = random.Random(20231114)
    for n in range(KILLS):
        db = tmp_path / f"killed{n}.db"
        # records reach the store in bursts (the parser works in batches of 16): kill as soon as
        # a random number of articles is stored, in the middle of a burst of writes
        target = rng.randint(1, total - 9)
        proc = run_ingest(db, *paths)
        deadline = time.monotonic() + 300
        while stored_articles(db) < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
        killed_at = stored_articles(db)
        assert 0 < killed_at < total
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

        rerun = run_ingest(db, *paths)
        assert rerun.wait(timeout=300) == 0, rerun.stderr.read().decode()
        assert logical_dump(db) == expected, f"kill {n} at {killed_at} articles"


def test_cli_ingest_prints_a_summary_and_fails_on_unreadable_inputs(tmp_path, capsys):
    from onrecord.cli import main

    db = str(tmp_path / "cli.db")
    missing = str(tmp_path / "missing.txt")
    assert main(["ingest", str(EXAMPLE), missing, "--db", db, "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "1 articles read" in out and "1 new" in out and "1 failed" in out
    assert f"failed: {missing}: no such file" in out

    assert main(["ingest", str(EXAMPLE), "--db", db, "--quiet", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["added"], summary["already_stored"], summary["failed"]) == (0, 1, [])

    assert main(["ingest", str(EXAMPLE), "--db", db, "--workers", "0"]) == 1
    assert "--workers must be at least 1" in capsys.readouterr().err
