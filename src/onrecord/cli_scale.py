"""The commands for large corpora: `onrecord spark INPUT... OUTPUT` extracts on Spark into Parquet
tables, and `onrecord load PARQUET_DIR` merges those tables into a store (see docs/scale.md)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, TextIO

from onrecord.cli import _add_db_flag, _add_settings_flags, settings_from_args


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add spark and load to the command parser."""
    sk = sub.add_parser("spark", help="extract WARC, JSON Lines or Parquet inputs on Spark into Parquet tables (spark extra)")
    sk.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or globs on any Hadoop path (file:, hdfs://, s3a://, ...)")
    sk.add_argument("output", metavar="OUTPUT", help="a new folder for the tables articles, statements, entities, mentions, failures")
    sk.add_argument("--master", metavar="URL", help="Spark master, e.g. local[2] or yarn (default: spark-submit's, else local[*])")
    sk.add_argument("--partitions", type=int, metavar="N", help="spread the articles over N partitions (default: the input's, at least 4 per core)")
    sk.add_argument("--overwrite", action="store_true", help="replace the tables of an existing OUTPUT folder")
    sk.add_argument("--quiet", action="store_true", help="no progress, only the summary")
    sk.add_argument("--json", action="store_true", help="print the summary as JSON")
    _add_settings_flags(sk)
    sk.set_defaults(run=_run_spark)

    ld = sub.add_parser("load", help="merge the Parquet tables of `onrecord spark` into a store (loading twice adds nothing twice)")
    ld.add_argument("directory", metavar="PARQUET_DIR", help="the OUTPUT folder of `onrecord spark`")
    ld.add_argument("--batch-size", type=int, default=500, metavar="N", help="records per transaction (default 500)")
    ld.add_argument("--quiet", action="store_true", help="no progress, only the summary")
    ld.add_argument("--json", action="store_true", help="print the summary as JSON")
    _add_db_flag(ld)
    ld.set_defaults(run=_run_load)


def _run_spark(args: argparse.Namespace) -> int:
    from onrecord.spark.job import run_job, spark_session

    if args.partitions is not None and args.partitions < 1:
        from onrecord.errors import InputError

        raise InputError("--partitions must be at least 1")
    _check_local_paths(args.inputs, args.output, args.overwrite)
    settings = settings_from_args(args)
    started_here = not _session_running()
    spark = spark_session(args.master)
    progress = None if args.quiet else _SparkProgress(sys.stderr)
    try:
        summary = run_job(spark, args.inputs, args.output, settings, partitions=args.partitions,
                          overwrite=args.overwrite, progress=progress)  # fmt: skip
    finally:
        if started_here:
            spark.stop()
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
        return 0
    rows = summary.rows
    rate = rows.get("articles", 0) / summary.seconds if summary.seconds else 0.0
    print(
        f"spark into {summary.output}: {rows.get('articles', 0)} articles in {summary.seconds:.1f} s ({rate:.1f} articles/s), "
        f"{rows.get('statements', 0)} statements, {rows.get('entities', 0)} entities, {rows.get('mentions', 0)} mentions, "
        f"{rows.get('failures', 0)} inputs not read (see the failures table)"
    )
    if summary.skipped_files:
        print(f"  {len(summary.skipped_files)} files of no kind read on Spark were left out, e.g. {summary.skipped_files[0]}")
    return 0


def _session_running() -> bool:
    """True when this process had a Spark session before the command (a test's, a notebook's): it is left running."""
    session = getattr(sys.modules.get("pyspark.sql"), "SparkSession", None)
    return session is not None and session.getActiveSession() is not None


def _check_local_paths(inputs: list[str], output: str, overwrite: bool) -> None:
    """Missing local inputs and a used local output folder are refused before Spark starts (seconds saved)."""
    from pathlib import Path

    from onrecord.errors import InputError
    from onrecord.spark.inputs import local_path, output_in_use

    for given in inputs:
        path = local_path(given)
        if path is not None and not Path(path).exists():
            raise InputError(f"{given}: no such file or folder; check the path")
    out = local_path(output)
    if out is not None and not overwrite and Path(out).exists() and (not Path(out).is_dir() or any(Path(out).iterdir())):
        raise output_in_use(output)


class _SparkProgress:
    """A line on standard error every few seconds: articles extracted and tasks done."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.started = time.monotonic()

    def __call__(self, articles: int, tasks_done: int, tasks: int) -> None:
        elapsed = time.monotonic() - self.started
        tasks_note = f", stage tasks {tasks_done}/{tasks}" if tasks else ""
        self.out.write(f"spark: {articles} articles extracted in {elapsed:.0f} s ({articles / max(elapsed, 1e-9):.1f}/s){tasks_note}\n")
        self.out.flush()


def _run_load(args: argparse.Namespace) -> int:
    from onrecord.spark.load import check_folder, load
    from onrecord.store import open_store

    settings = settings_from_args(args)
    last = [time.monotonic()]

    def show(counts: Any) -> None:
        if not args.quiet and time.monotonic() - last[0] >= 5:
            last[0] = time.monotonic()
            print(f"load: {counts.read} articles ({counts.added} new) in {counts.seconds:.0f} s", file=sys.stderr)

    check_folder(args.directory)  # before the store, so that a wrong folder leaves no empty store behind
    with open_store(settings.db) as store:
        where = store.path  # a postgresql:// URL without its password
        summary = load(args.directory, store, batch_size=args.batch_size, progress=show)
    if args.json:
        print(json.dumps({"db": where, **summary.to_dict()}, ensure_ascii=False, indent=2))
        return 0
    c = summary.counts
    print(
        f"load into {where}: {c.read} articles in {c.seconds:.1f} s: {c.added} new ({c.new_statements} statements, "
        f"{c.merged_statements} merged with stored ones), {c.already_stored} already stored, {c.copies} copies of stored texts; "
        f"the Spark run could not read {summary.spark_failures} inputs (see {args.directory.rstrip('/')}/failures)"
    )
    return 0
