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

    t0, c0 = time.perf_counter(), time.process_time()
    pipeline = Pipeline(settings)
    articles = [a for a in iter_articles([path], settings) if not isinstance(a, ReadFailure)]
    statements = sum(len(r.statements) for r in pipeline.pipe(articles, n_process=1))
    one_s, one_cpu = time.perf_counter() - t0, time.process_time() - c0
    n = len(articles)

    t0 = time.perf_counter()
    spark = spark_session(f"local[{args.cores}]")
    start_s = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), descendants_cpu_seconds(os.getpid())
    summary = run_job(spark, [str(path)], str(out / "tables"), settings, overwrite=True)
    spark_s, spark_cpu = time.perf_counter() - t0, descendants_cpu_seconds(os.getpid()) - c0
    spark.stop()
    load_after = os.getloadavg()
    assert summary.rows["articles"] == n, summary.rows

    db = out / "store.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    t0, c0 = time.perf_counter(), time.process_time()
    with open_store(db) as store:
        loaded = load(out / "tables", store)
        counts = store.counts()
    load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    db_bytes = sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists())

    tables = {t: folder_bytes(out / "tables" / t) for t in summary.rows}
    result = {
        "articles": n,
        "statements": statements,
        "input_bytes": path.stat().st_size,
        "mean_characters_per_article": round(sum(len(a.text) for a in articles) / n),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpu_count": os.cpu_count(),
        "one_process": {"seconds": round(one_s, 2), "cpu_seconds": round(one_cpu, 2), "articles_per_s": round(n / one_s, 2),
                        "note": "includes loading the model"},
        "spark": {"cores": args.cores, "session_start_s": round(start_s, 2), "job_seconds": round(spark_s, 2),
                  "cpu_seconds": round(spark_cpu, 2), "cpu_seconds_per_1000_articles": round(spark_cpu / n * 1000, 1),
                  "articles_per_s": round(n / spark_s, 2), "rows": summary.rows,
                  "note": "the job: reading, a model load per Python worker, extraction, five tables written and counted"},
        "ratio_spark_over_one_process": round(one_s / spark_s, 3),
        "cpu_seconds_per_1000_articles_one_process": round(one_cpu / n * 1000, 1),
        "parquet_bytes": tables,
        "parquet_bytes_per_article": round(sum(tables.values()) / n),
        "load": {"seconds": round(load_s, 2), "cpu_seconds": round(load_cpu, 2), "added": loaded.counts.added,
                 "articles_per_s": round(n / load_s, 1)},
        "store": {"bytes": db_bytes, "bytes_per_article": round(db_bytes / n), **counts.to_dict()},
    }
    (out / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(f"\none process: {n / one_s:.2f} articles/s; local[{args.cores}]: {n / spark_s:.2f} articles/s; "
          f"ratio {one_s / spark_s:.2f}x; load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
          f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
