"""Crash consistency: a real ingest (corpus.ingest, what `onrecord ingest` runs) of a generated
corpus, killed with SIGKILL at random moments, on SQLite and on PostgreSQL. After every kill the
store is sound (SQLite's integrity, foreign-key and FTS5 checks; on both, every statement has its
search row and sources, counts agree), holds whole articles only (each stored article has exactly
the statement sources, mentions, roles and shingles a clean ingest gives it) and a prefix of the
clean ingest; after a run to completion it is row for row, ids included, the store one
uninterrupted ingest makes: nothing lost, nothing duplicated.

ONRECORD_CRASH_KILLS (default 20) sets the kills per backend; kills are chained, a killed run
resumed and killed again, KILLS_PER_CHAIN times, before a run is let finish."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from onrecord.store import Store
from reliability_support import IngestForker, write_corpus

KILLS = int(os.environ.get("ONRECORD_CRASH_KILLS", "20"))
KILLS_PER_CHAIN = 5
ARTICLES = 60
#: Columns that tie a row to its article: per article, these rows must be whole after a kill.
_PER_ARTICLE = {
    "statement_sources": "article_statement, kind, content_start, content_end, speaker_start, speaker_end, cue_start, cue_end",
    "mentions": "article_entity, start_offset, end_offset, text",
    "roles": "role",
    "article_shingles": "hash",
    "positions": "holder_text, target_start, target_end, stance",
    "disagreements": "a_text, b_text, kind",
}


@pytest.fixture(scope="module")
def forker():
    f = IngestForker()
    yield f
    f.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "corpus.jsonl"
    write_corpus(path, ARTICLES)
    return path


def tables(conn: Any, backend: str) -> list[str]:
    if backend == "sqlite":
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'statements_fts_%'"
        )
    else:
        rows = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
    return sorted(r[0] for r in rows)


def _name(column: Any) -> str:
    return str(getattr(column, "name", None) or column[0])


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, with article ids given as the article's (text hash,
    source): a copy is recorded when it is read, ahead of the extraction of the articles before
    it, so after a resumed run a copy's id (and its sources' ids) may differ from a clean run's
    while every row says the same. The FTS table's speaker and title lists are sets."""
    key = {aid: (sha, source) for aid, sha, source in store.conn.execute("SELECT id, sha256, source FROM articles")}
    refs = {"article_id", "first_article_id", "copy_of", "syndicated_from"}
    out = {}
    for table in tables(store.conn, store.backend):
        select = "rowid, *" if table == "statements_fts" and store.backend == "sqlite" else "*"
        cur = store.conn.execute(f'SELECT {select} FROM "{table}"')
        names = [_name(c) for c in cur.description]
        rows = []
        for row in cur.fetchall():
            values = dict(zip(names, row))
            for name in refs & set(values) | ({"id"} if table == "articles" else set()):
                values[name] = key.get(values[name])
            if table == "statement_sources":
                del values["id"]
            if table == "statements_fts":
                values = {**values, **{n: tuple(sorted((values[n] or "").split(" | "))) for n in ("speaker", "title")}}
            rows.append(tuple(sorted(values.items(), key=lambda kv: kv[0])))
        out[table] = sorted(rows, key=repr)
    return out


def soundness_problems(store: Store) -> list[str]:
    """What is wrong with the store's integrity ([] when sound)."""
    conn, problems = store.conn, []
    if store.backend == "sqlite":
        problems += [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in conn.execute("PRAGMA foreign_key_check")]
        try:
            conn.execute("INSERT INTO statements_fts(statements_fts, rank) VALUES ('integrity-check', 1)")
        except Exception as exc:  # noqa: BLE001 - the check's failure is the finding
            problems.append(f"fts5 integrity-check: {exc}")
    checks = {
        "statements without a search row": "SELECT count(*) FROM statements s WHERE NOT EXISTS (SELECT 1 FROM statements_fts f WHERE f.rowid = s.id)",
        "search rows without a statement": "SELECT count(*) FROM statements_fts f WHERE NOT EXISTS (SELECT 1 FROM statements s WHERE s.id = f.rowid)",
        "statements whose source_count is not their sources": (
            "SELECT count(*) FROM statements s WHERE source_count != (SELECT count(*) FROM statement_sources ss WHERE ss.statement_id = s.id)"
        ),
        "copies whose sources are not their original's": (
            "SELECT count(*) FROM articles c WHERE c.copy_of IS NOT NULL AND "
            "(SELECT count(*) FROM statement_sources WHERE article_id = c.id) != (SELECT count(*) FROM statement_sources WHERE article_id = c.copy_of)"
        ),
        "spans that are not their text": (
            "SELECT count(*) FROM statement_sources ss JOIN articles a ON a.id = ss.article_id JOIN articles t ON t.id = coalesce(a.copy_of, a.id) "
            "WHERE substr(t.text, CAST(ss.content_start + 1 AS INTEGER), CAST(ss.content_end - ss.content_start AS INTEGER)) != ss.content"
        ),
        "texts stored twice": "SELECT count(*) FROM (SELECT sha256 FROM articles WHERE copy_of IS NULL GROUP BY sha256 HAVING count(*) > 1) t",
    }
    for name, sql in checks.items():
        n = conn.execute(sql).fetchone()[0]
        if n:
            problems.append(f"{n} {name}")
    return problems


def per_article(store: Store) -> dict[tuple, dict[str, list[tuple]]]:
    """For each stored article (its text's hash and where it was read from), its rows in every
    table that refers to it, as the columns that do not depend on later articles."""
    out: dict[tuple, dict[str, list[tuple]]] = {}
    for aid, sha, source in store.conn.execute("SELECT id, sha256, source FROM articles"):
        out[(sha, source)] = {
            table: sorted(tuple(r) for r in store.conn.execute(f"SELECT {cols} FROM {table} WHERE article_id = ?", (aid,)))
            for table, cols in _PER_ARTICLE.items()
        }
    return out


def articles_in_order(store: Store) -> list[tuple]:
    """The stored articles in id order: (text hash, source, the text hash of the original of a copy)."""
    return [tuple(r) for r in store.conn.execute(
        "SELECT a.sha256, a.source, o.sha256 FROM articles a LEFT JOIN articles o ON o.id = a.copy_of ORDER BY a.id")]


def is_clean_prefix(stored: list[tuple], clean: list[tuple]) -> bool:
    """True when the new articles stored are the clean run's first ones, in its order, and every
    copy stored is one of the clean run's: a copy is recorded when it is read, ahead of the
    extraction of the articles read before it."""
    new = [a for a in stored if a[2] is None]
    return new == [a for a in clean if a[2] is None][: len(new)] and set(stored) <= set(clean)


class StoredCounter:
    """How many articles the store holds now, read over one plain connection of its own (no
    Store: opening one would migrate a store the ingest is still making); 0 while there is none."""

    def __init__(self, location: str, backend: str) -> None:
        self.location, self.backend, self.conn = location, backend, None

    def __call__(self) -> int:
        try:
            if self.conn is None:
                if self.backend == "sqlite":
                    self.conn = sqlite3.connect(f"file:{self.location}?mode=ro", uri=True, timeout=0.1)
                else:
                    import psycopg

                    self.conn = psycopg.connect(self.location, autocommit=True)
            return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        except Exception:  # noqa: BLE001 - no file or table yet
            self.close()
            return 0

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run_once(forker: IngestForker, location: str, corpus: Path) -> float:
    t0 = time.monotonic()
    status = forker.wait(forker.start(location, [str(corpus)]))
    assert status == 0, f"ingest exited with {status}"
    return time.monotonic() - t0


def test_ingest_killed_at_random_points_loses_and_duplicates_nothing(forker, corpus, store_url):
    backend = store_url.backend
    clean_at = store_url("clean.db")
    clean_seconds = run_once(forker, clean_at, corpus)
    with Store(clean_at) as clean:
        expected_dump, expected_articles, expected_rows = dump(clean), articles_in_order(clean), per_article(clean)
        assert soundness_problems(clean) == []
    total = len(expected_articles)
    assert total == ARTICLES and all(sum(len(r[t]) for r in expected_rows.values()) > 20 for t in ("statement_sources", "positions", "disagreements"))

    rng = random.Random(f"crash-{backend}")
    kills = chains = unkilled = 0
    kill_points: list[int] = []
    while kills < KILLS:
        chains += 1
        location = store_url(f"chain{chains}.db")
        count = StoredCounter(location, backend)
        for _ in range(KILLS_PER_CHAIN):
            before = count()
            if before >= total:
                break  # every article is in: only the run's end is left
            pid = forker.start(location, [str(corpus)])
            if kills % 2 == 0 or before >= total - 1:
                # a random delay over what is left of the run
                time.sleep(rng.uniform(0, clean_seconds * (1 - before / total)))
            else:
                # as soon as a random number of further articles is stored: in a burst of writes
                target, deadline = rng.randint(before + 1, total - 1), time.monotonic() + 120
                while count() < target and time.monotonic() < deadline:
                    time.sleep(0.005)
            os.kill(pid, signal.SIGKILL)
            status = forker.wait(pid)
            if status == 0:
                unkilled += 1
                break  # the run ended before the kill: the chain is complete
            assert status == -signal.SIGKILL, f"ingest exited with {status} before the kill"
            kills += 1
            count.close()  # the check below opens the store as the next run would
            with Store(location) as killed:
                problems = soundness_problems(killed)
                stored = articles_in_order(killed)
                rows = per_article(killed)
            kill_points.append(len(stored))
            assert problems == [], f"kill {kills} at {len(stored)} articles: {problems}"
            assert is_clean_prefix(stored, expected_articles), f"kill {kills}: the stored articles are not the clean run's first ones"
            for key, article_rows in rows.items():
                assert article_rows == expected_rows[key], f"kill {kills}: article {key[1]} is not whole"
            if kills >= KILLS:
                break
        count.close()
        run_once(forker, location, corpus)
        with Store(location) as finished:
            assert soundness_problems(finished) == []
            assert dump(finished) == expected_dump, f"chain {chains}: the finished store differs from one clean ingest"
    print(f"\n{backend}: {kills} kills in {chains} chains (stored at each kill: {kill_points}), "
          f"{unkilled} runs ended before their kill; clean ingest {clean_seconds:.1f} s")
    assert any(0 < k < total for k in kill_points), "no kill landed in the middle of the run"
