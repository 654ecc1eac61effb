"""Spark beside one process on the same articles, in one run: `Pipeline.pipe` (n_process=1) and
`onrecord spark` on local[N]; then the sizes the sizing model of docs/scale.md needs (CPU-seconds
per 1,000 articles, Parquet bytes per article, store rows and bytes per article after `load`).

    .venv/bin/python benchmarks/bench_spark.py ../shared/bench/polnear/dev/text --repeat 2 --out out/bench-spark

The input is a folder of .txt articles (PolNeAR dev: read at run time, never copied into the
repository) or a .jsonl file; it is written as one JSON Lines file, repeated --repeat times (each
copy's texts marked so that they stay distinct articles), under --out.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

from onrecord.ingest import ReadFailure, iter_articles
from onrecord.pipeline import Pipeline
from onrecord.settings import Settings
from onrecord.spark.job import run_job, spark_session
from onrecord.spark.load import load
from onrecord.store import open_store


def write_input(source: str, repeat: int, out: Path) -> Path:
    """The articles of source as one JSON Lines file, repeated; a copy's texts end with a marker line."""
    articles = [a for a in iter_articles([source], Settings()) if not isinstance(a, ReadFailure)]
    path = out / "input.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for n in range(repeat):
            for a in articles:
                text = a.text if n == 0 else f"{a.text}\n[copy {n + 1}]"
                f.write(json.dumps({"text": text, "title": a.title, "url": a.url}, ensure_ascii=False) + "\n")
    return path


def descendants_cpu_seconds(root: int) -> float:
    """CPU seconds (user + system, with reaped children) of every process under root: the Spark
    JVM and its Python workers in local mode (Linux /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = sum(int(x) for x in fields[11:15]) / tick
    under, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - under
        under |= frontier
    return sum(times[pid] for pid in under)


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.name.startswith((".", "_")))


def load_store(tables: Path, db: Path) -> tuple:
    """`onrecord load` of a run's tables into a new SQLite store: summary, counts, seconds, CPU seconds, bytes."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    t0, c0 = time.perf_counter(), time.process_time()
    with open_store(db) as store:
        loaded = load(tables, store)
        counts = store.counts()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    size = sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists())
    return loaded, counts, seconds, cpu, size


def sizing_table(r: dict, scales: tuple[int, ...] = (1_000_000, 10_000_000, 100_000_000)) -> str:
    """The sizing model of docs/scale.md: the measured per-article figures times the number of articles."""
    spark_cpu = r["spark"]["marginal_cpu_seconds_per_1000_articles"] / 1000
    one_cpu = r["cpu_seconds_per_1000_articles_one_process"] / 1000
    store = r["store_first_copy"]
    n_store = store["articles"]
    rows = [
        ("CPU, one process (core-hours)", f"{one_cpu * 1000:.0f} CPU-s per 1,000", lambda n: f"{one_cpu * n / 3600:,.0f}"),
        ("CPU on Spark, fixed costs apart (core-hours)", f"{spark_cpu * 1000:.0f} CPU-s per 1,000", lambda n: f"{spark_cpu * n / 3600:,.0f}"),
        ("hours on 1,000 Spark cores (the larger CPU figure)", "", lambda n: f"{max(spark_cpu, one_cpu) * n / 3600 / 1000:,.2f}"),
        ("Parquet tables (GB)", f"{r['parquet_bytes_per_article']:,} bytes", lambda n: f"{r['parquet_bytes_per_article'] * n / 1e9:,.0f}"),
        ("SQLite store (GB)", f"{store['bytes_per_article']:,} bytes", lambda n: f"{store['bytes_per_article'] * n / 1e9:,.0f}"),
        ("store: statement sources (rows)", f"{store['sources'] / n_store:.1f}", lambda n: f"{store['sources'] / n_store * n / 1e6:,.0f} M"),
        ("store: statements (rows, at most)", f"{store['statements'] / n_store:.1f}", lambda n: f"{store['statements'] / n_store * n / 1e6:,.0f} M"),
        ("store: entities (rows, at most)", f"{store['entities'] / n_store:.1f}", lambda n: f"{store['entities'] / n_store * n / 1e6:,.0f} M"),
        ("load, one writer (days)", f"{store['load_articles_per_s']:.0f} articles/s", lambda n: f"{n / store['load_articles_per_s'] / 86400:,.1f}"),
    ]
    lines = ["| measure | per article (measured) | " + " | ".join(f"{n / 1e6:,.0f} M articles" for n in scales) + " |",
             "|---|---|" + "---|" * len(scales)]
    lines += [f"| {name} | {per} | " + " | ".join(f(n) for n in scales) + " |" for name, per, f in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="a folder of .txt articles or a .jsonl file")
    parser.add_argument("--repeat", type=int, default=2, help="copies of the corpus in the input (default 2)")
    parser.add_argument("--cores", type=int, default=2, help="Spark local[N] (default 2)")
    parser.add_argument("--out", default="out/bench-spark", help="working folder (default out/bench-spark)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    settings = Settings.from_env()
    path = write_input(args.source, args.repeat, out)
    load_before = os.getloadavg()

    t0 = time.perf_counter()
    pipeline = Pipeline(settings)
    model_s = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    articles = [a for a in iter_articles([path], settings) if not isinstance(a, ReadFailure)]
    statements = sum(len(r.statements) for r in pipeline.pipe(articles, n_process=1))
    one_s, one_cpu = time.perf_counter() - t0, time.process_time() - c0
    n = len(articles)

    # Spark's one-time costs (the JVM, its warm-up, a model load in each Python worker) are paid
    # by a small job first, as they are once per cluster job; the timed job is then steady state,
    # as the one-process pass above is (its model load is timed apart).
    t0 = time.perf_counter()
    spark = spark_session(f"local[{args.cores}]")
    start_s = time.perf_counter() - t0
    warmup = out / "warmup.jsonl"
    warmup.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[: 4 * args.cores]), encoding="utf-8")
    t0 = time.perf_counter()
    run_job(spark, [str(warmup)], str(out / "warmup-tables"), settings, overwrite=True)
    warmup_s = time.perf_counter() - t0
    # a job on the first copy alone, then the timed job on all: the difference of their CPU
    # seconds over the difference of their articles is Spark's CPU per article, its fixed costs apart
    first = out / "first-copy.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first.write_text("".join(lines[: len(lines) // args.repeat]), encoding="utf-8")
    t0, c0 = time.perf_counter(), descendants_cpu_seconds(os.getpid())
    small = run_job(spark, [str(first)], str(out / "first-copy-tables"), settings, overwrite=True)
    small_s, small_cpu = time.perf_counter() - t0, descendants_cpu_seconds(os.getpid()) - c0
    t0, c0 = time.perf_counter(), descendants_cpu_seconds(os.getpid())
    summary = run_job(spark, [str(path)], str(out / "tables"), settings, overwrite=True)
    spark_s, spark_cpu = time.perf_counter() - t0, descendants_cpu_seconds(os.getpid()) - c0
    small_n = small.rows["articles"]
    marginal = (spark_cpu - small_cpu) / (n - small_n) if n > small_n else float("nan")
    spark.stop()
    load_after = os.getloadavg()
    assert summary.rows["articles"] == n, summary.rows

    loaded, counts, load_s, load_cpu, db_bytes = load_store(out / "tables", out / "store.db")
    distinct = load_store(out / "first-copy-tables", out / "first-copy-store.db")

    tables = {t: folder_bytes(out / "tables" / t) for t in summary.rows}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    result = {
        "commit": commit or None,
        "articles": n,
        "statements": statements,
        "input_bytes": path.stat().st_size,
        "mean_characters_per_article": round(sum(len(a.text) for a in articles) / n),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpu_count": os.cpu_count(),
        "one_process": {"model_load_s": round(model_s, 2), "seconds": round(one_s, 2), "cpu_seconds": round(one_cpu, 2),
                        "articles_per_s": round(n / one_s, 2), "note": "reading and extraction, the model loaded before"},
        "spark": {"cores": args.cores, "session_start_s": round(start_s, 2), "warmup_job_s": round(warmup_s, 2),
                  "job_seconds": round(spark_s, 2),
                  "cpu_seconds": round(spark_cpu, 2), "cpu_seconds_per_1000_articles": round(spark_cpu / n * 1000, 1),
                  "articles_per_s": round(n / spark_s, 2), "rows": summary.rows,
                  "note": "the job after the warm-up: reading, extraction, five tables written and counted",
                  "first_copy_job": {"articles": small_n, "seconds": round(small_s, 2), "cpu_seconds": round(small_cpu, 2)},
                  "marginal_cpu_seconds_per_1000_articles": round(marginal * 1000, 1),
                  "fixed_cpu_seconds_per_job": round(spark_cpu - marginal * n, 1)},
        "projected_ratio_on_idle_cores": round(args.cores * one_cpu / n / marginal, 2) if marginal > 0 else None,
        "ratio_spark_over_one_process": round(one_s / spark_s, 3),
        "cpu_seconds_per_1000_articles_one_process": round(one_cpu / n * 1000, 1),
        "parquet_bytes": tables,
        "parquet_bytes_per_article": round(sum(tables.values()) / n),
        "load": {"seconds": round(load_s, 2), "cpu_seconds": round(load_cpu, 2), "added": loaded.counts.added,
                 "articles_per_s": round(n / load_s, 1)},
        "store": {"bytes": db_bytes, "bytes_per_article": round(db_bytes / n), **counts.to_dict(),
                  "note": "all copies: the statements of near-copies merge"},
        "store_first_copy": {"bytes": distinct[4], "bytes_per_article": round(distinct[4] / small_n), **distinct[1].to_dict(),
                             "load_articles_per_s": round(small_n / distinct[2], 1), "note": "distinct articles only"},
    }
    (out / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))
    print("\n" + sizing_table(result))
    print(f"\none process: {n / one_s:.2f} articles/s; local[{args.cores}]: {n / spark_s:.2f} articles/s; "
          f"ratio {one_s / spark_s:.2f}x; load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
          f"on {os.cpu_count()} cores; CPU per 1,000 articles: one process {one_cpu / n * 1000:.0f} s, "
          f"Spark {marginal * 1000:.0f} s beyond {spark_cpu - marginal * n:.0f} s per job")


if __name__ == "__main__":
    main()
