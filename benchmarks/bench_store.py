"""Store benchmarks: ingest beside plain extraction on the same articles, and search latency on a
large generated store. Prints a Markdown table; see BENCHMARKS.md for how to read it.

    .venv/bin/python benchmarks/bench_store.py ingest examples/wikinews-gum.jsonl examples/cleverly-hussain.txt
    .venv/bin/python benchmarks/bench_store.py search --statements 200000 --out out/bench-store
    .venv/bin/python benchmarks/bench_store.py search --statements 200000 --out out/bench-store --db postgresql://u:p@host/db

With --db postgresql://... the search runs on that PostgreSQL store; when it holds fewer
statements than asked and the SQLite store of the same size exists under --out, its rows are
copied in (COPY, the same ids) instead of generating them again through Store.add_many.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from onrecord.corpus import ingest
from onrecord.ingest import ReadFailure, iter_articles
from onrecord.model import Article, Entity, Extraction, Span, SpeakerRef, Statement
from onrecord.pipeline import Pipeline
from onrecord.settings import Settings
from onrecord.store import Store


def bench_ingest(paths: list[str], repeat: int, workers: int) -> None:
    """Plain extraction (read + extract) and ingest (read + extract + store) of the same inputs,
    alternated in one process with the model loaded once; medians of the passes."""
    settings = Settings.from_env()
    pipeline = Pipeline(settings)
    articles = [a for a in iter_articles(paths, settings) if not isinstance(a, ReadFailure)]
    words = sum(len(a.text.split()) for a in articles)
    extract_s, ingest_s, extract_cpu, ingest_cpu = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            for _ in pipeline.pipe((a for a in iter_articles(paths, settings) if not isinstance(a, ReadFailure)), n_process=workers):
                pass
            extract_s.append(time.perf_counter() - t0)
            extract_cpu.append(time.process_time() - c0)
            with Store(Path(tmp) / f"run{n}.db") as store:
                t0, c0 = time.perf_counter(), time.process_time()
                summary = ingest(paths, store, settings, workers=workers, pipeline=pipeline)
                ingest_s.append(time.perf_counter() - t0)
                ingest_cpu.append(time.process_time() - c0)
                assert summary.added == len(articles), summary
    ex, ing = statistics.median(extract_s), statistics.median(ingest_s)
    print(f"{len(articles)} articles, {words} words, {repeat} passes each (alternating), {workers} process(es), medians\n")
    print("| run | seconds | articles/s | words/s |")
    print("|---|---|---|---|")
    print(f"| extract only (read + extract) | {ex:.2f} | {len(articles) / ex:.2f} | {words / ex:.0f} |")
    print(f"| ingest (read + extract + store) | {ing:.2f} | {len(articles) / ing:.2f} | {words / ing:.0f} |")
    print(f"\ningest takes {ing / ex:.3f}x the time of extraction alone ({(ing / ex - 1) * 100:+.1f} %)")
    print(f"CPU time of this process (one worker), medians: extract {statistics.median(extract_cpu):.2f} s, "
          f"ingest {statistics.median(ingest_cpu):.2f} s: {statistics.median(ingest_cpu) / statistics.median(extract_cpu):.3f}x")
    print(f"passes, s: extract {', '.join(f'{x:.1f}' for x in extract_s)}; ingest {', '.join(f'{x:.1f}' for x in ingest_s)}")


# --- a large generated store ------------------------------------------------------------------


def generated_records(n_statements: int, per_article: int, seed: int) -> list[Extraction]:
    """Articles of per_article statements each, by speakers from a pool of 5,000 people, in words
    drawn from the demo corpus, dated over ten years and spread over 200 outlets."""
    rng = random.Random(seed)
    vocab = _vocabulary()
    first = ["Ana", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kemal", "Lena"]
    people = [f"{rng.choice(first)} {rng.choice(vocab).title()}{i}" for i in range(5000)]
    records = []
    for a in range(n_statements // per_article):
        text, statements, mentions = "", [], {}
        for s in range(per_article):
            who = rng.choice(people)
            quote = " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 30)))
            if text:
                text += "\n\n"
            start = len(text)
            text += f"“{quote.capitalize()},” {who} said."
            end = start + len(quote) + 3
            sp = end + 1
            mentions.setdefault(who, []).append((sp, sp + len(who)))
            statements.append((start, end, sp, who))
        ids = {who: f"e{i}" for i, who in enumerate(mentions, 1)}
        entities = tuple(
            Entity(ids[who], who, "PERSON", (), tuple(Span.of(text, x, y) for x, y in spans)) for who, spans in mentions.items()
        )
        stmts = tuple(
            Statement(f"s{i}", "direct", Span.of(text, start, end), Span.of(text, sp + len(who) + 1, sp + len(who) + 5),
                      SpeakerRef(sp, sp + len(who), who, ids[who]), confidence=0.9)
            for i, (start, end, sp, who) in enumerate(statements, 1)
        )
        published = f"{2015 + a % 10}-{1 + a % 12:02d}-{1 + a % 28:02d}"
        article = Article(text=text, title=f"Generated {a}", outlet=f"Outlet {a % 200}", published=published,
                          url=f"https://example.org/{a}")
        records.append(Extraction(article=article, statements=stmts, entities=entities))
    return records


def _vocabulary() -> list[str]:
    corpus = Path(__file__).resolve().parents[1] / "examples" / "wikinews-gum.jsonl"
    words = {w.strip(".,;:“”\"'’()").lower() for w in corpus.read_text(encoding="utf-8").split()}
    return sorted(w for w in words if w.isalpha() and 3 <= len(w) <= 12)


#: The store's tables in an order that keeps every reference to a row already copied.
_TABLES = ("outlets", "articles", "article_shingles", "entities", "entity_names", "surname_keys", "mentions", "roles",
           "statements", "statement_sources", "statement_shingles", "statements_fts", "statement_embeddings", "topics",
           "statement_topics", "positions", "disagreements")  # fmt: skip


def copy_store(source: Path, target: Store) -> None:
    """Copy every row of a SQLite store into an empty PostgreSQL store, ids and all, with COPY."""
    lite = sqlite3.connect(source)
    raw = target.conn.raw
    t0 = time.perf_counter()
    raw.execute("BEGIN")
    for table in _TABLES:
        columns = [r[1] for r in lite.execute(f"PRAGMA table_info({table})")]
        if not columns:  # a store of an older version: the table is not there yet
            continue
        if table == "statements_fts":
            columns = ["rowid", *columns]
        names = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in lite.execute(f"SELECT {names} FROM {table}"):
                copy.write_row(row)
    raw.execute("COMMIT")
    raw.execute("ANALYZE")
    lite.close()
    print(f"copied {source} into {target.path} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def bench_search(n_statements: int, out: Path, queries: int, seed: int, db: str | None = None) -> None:
    """Generate (or reuse) a store of n_statements statements, then time searches of one and two
    words, with and without filters: median and 95th percentile. db: a postgresql:// URL to
    search there instead (filled from the SQLite store of that size when it exists)."""
    out.mkdir(parents=True, exist_ok=True)
    sqlite_db = out / f"search-{n_statements}.db"
    with Store(db or sqlite_db) as store:
        have = store.counts().statements
        if have == 0 and store.backend == "postgresql" and sqlite_db.is_file():
            copy_store(sqlite_db, store)
            have = store.counts().statements
        if have < n_statements:
            t0 = time.perf_counter()
            records = generated_records(n_statements - have, 20, seed + have)
            store.add_many(records, batch_size=500)
            print(f"generated {n_statements - have:,} statements in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        counts = store.counts()
        vocab = _vocabulary()
        rng = random.Random(seed)
        speakers = [s.name for s in store.speakers(top=200)]
        kinds = {
            "one word": lambda: dict(query=rng.choice(vocab)),
            "two words": lambda: dict(query=f"{rng.choice(vocab)} {rng.choice(vocab)}"),
            "word + speaker": lambda: dict(query=rng.choice(vocab), speaker=rng.choice(speakers)),
            "word + since/until": lambda: dict(query=rng.choice(vocab), since="2018-01-01", until="2019-12-31"),
            "word + outlet + kind": lambda: dict(query=rng.choice(vocab), outlet=f"Outlet {rng.randrange(200)}", kind="direct"),
        }
        print(f"{store.backend} store: {counts.statements:,} statements, {counts.articles:,} articles, {counts.entities:,} entities; "
              f"{queries} queries of each kind, limit 20\n")
        print("| query | median ms | p95 ms | max ms | mean hits |")
        print("|---|---|---|---|---|")
        every = []
        for name, make in kinds.items():
            times, hits = [], []
            for _ in range(queries):
                args = make()
                t0 = time.perf_counter()
                found = store.search(**args)
                times.append((time.perf_counter() - t0) * 1000)
                hits.append(len(found))
            every += times
            print(f"| {name} | {statistics.median(times):.1f} | {_p95(times):.1f} | {max(times):.1f} | {statistics.mean(hits):.1f} |")
        print(f"| all | {statistics.median(every):.1f} | {_p95(every):.1f} | {max(every):.1f} | |")


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    ing = sub.add_parser("ingest", help="ingest beside plain extraction on the same inputs")
    ing.add_argument("paths", nargs="+")
    ing.add_argument("--repeat", type=int, default=3)
    ing.add_argument("--workers", type=int, default=1)
    se = sub.add_parser("search", help="search latency on a generated store")
    se.add_argument("--statements", type=int, default=200_000)
    se.add_argument("--queries", type=int, default=100)
    se.add_argument("--out", type=Path, default=Path("out/bench-store"))
    se.add_argument("--seed", type=int, default=7)
    se.add_argument("--db", help="a postgresql:// URL: search a PostgreSQL store instead of the SQLite one under --out")
    args = parser.parse_args()
    if args.what == "ingest":
        bench_ingest(args.paths, args.repeat, args.workers)
    else:
        bench_search(args.statements, args.out, args.queries, args.seed, args.db)


if __name__ == "__main__":
    main()
