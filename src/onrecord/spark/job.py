"""The Spark job: read the inputs on the executors, run each partition through `Pipeline.pipe` (the
model loaded once per executor Python worker), and write the Parquet tables of spark/tables.py.

The extraction runs once: its rows are persisted (in the JVM), and the five tables are selected from them.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from onrecord.errors import InputError, OnrecordError
from onrecord.ingest.base import Item, ReadFailure
from onrecord.model import Article
from onrecord.settings import Settings
from onrecord.spark import inputs as _inputs
from onrecord.spark import tables


class SparkUnavailableError(OnrecordError):
    """Spark cannot run here: PySpark or Java is missing, or the Spark session did not start."""


@dataclass
class SparkSummary:
    """What one Spark run wrote: rows per table, the input files by kind, and the time taken."""

    output: str
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    skipped_files: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: Called every few seconds on the driver with (articles done, tasks done, tasks in all).
Progress = Callable[[int, int, int], None]


def spark_session(master: str | None = None, app_name: str = "onrecord", config: dict[str, str] | None = None) -> Any:
    """A SparkSession (the running one under spark-submit); a SparkUnavailableError saying what to
    install when PySpark or Java is missing or the JVM does not start."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailableError("PySpark is not installed: install onrecord[spark] (pip install 'onrecord[spark]')") from exc
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started this Python and its JVM
    if not submitted and not _java_found():
        raise SparkUnavailableError(
            "Java is missing: Spark needs a Java runtime (17 or 21); install one "
            "(Debian/Ubuntu: apt-get install default-jre-headless) or set JAVA_HOME"
        )
    if not submitted and (master is None or master.startswith("local")):
        # local executors run this very Python, where onrecord and the spaCy model are installed
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    defaults = {"spark.ui.showConsoleProgress": "false"}
    if master:
        builder = builder.master(master)
        if master.startswith("local"):  # Spark's 200 shuffle partitions are for clusters; here a few per core do
            defaults["spark.sql.shuffle.partitions"] = str(2 * (os.cpu_count() or 1))
    for key, value in {**defaults, **(config or {})}.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # py4j and PySpark raise several kinds when the JVM cannot start
        raise SparkUnavailableError(f"Spark did not start ({type(exc).__name__}: {str(exc).strip()[:300]}); check Java and the --master URL") from exc
    spark.sparkContext.setLogLevel("WARN")
    return spark


def _java_found() -> bool:
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "java")):
        return True
    return shutil.which("java") is not None


# -- on the executors ------------------------------------------------------------------------------

_pipeline: Any = None  # one Pipeline per executor Python worker, loaded by its first partition


def _worker_pipeline(settings: Settings) -> Any:
    global _pipeline
    if _pipeline is None or _pipeline.settings != settings:
        from onrecord.pipeline import Pipeline

        _pipeline = Pipeline(settings)
    return _pipeline


def extract_partition(items: Iterable[Item], settings: Settings) -> Iterator[tuple[Any, ...]]:
    """One partition's output, a row of tables.OUTPUT_COLUMNS per item: an article's row with its
    statement, entity and mention rows, through the same `Pipeline.pipe` as `onrecord ingest`, or
    the failure row of an input that gave no article. The model is loaded only when an article needs it."""
    failures: list[ReadFailure] = []

    def articles() -> Iterator[Article]:
        for item in items:
            if isinstance(item, ReadFailure):
                failures.append(item)
            else:
                yield item

    pending = articles()
    first = next(pending, None)
    if first is not None:
        pipeline = _worker_pipeline(settings)
        for record in pipeline.pipe(_chain(first, pending)):
            yield tables.output_row(record)
            while failures:
                yield _failure(failures.pop(0))
    for failure in failures:
        yield _failure(failure)


def _failure(failure: ReadFailure) -> tuple[Any, ...]:
    return tables.failure_output_row(failure.source, failure.reason)


def _chain(first: Article, rest: Iterator[Article]) -> Iterator[Article]:
    yield first
    yield from rest


# -- on the driver ---------------------------------------------------------------------------------


def run_job(
    spark: Any,
    inputs: Iterable[str],
    output: str,
    settings: Settings | None = None,
    *,
    partitions: int | None = None,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> SparkSummary:
    """Extract every article under inputs and write the tables (spark/tables.py) as Parquet folders
    under output: articles, statements, entities, mentions and failures."""
    from pyspark import StorageLevel

    settings = settings or Settings.from_env()
    started = time.perf_counter()
    files = _inputs.list_files(spark, list(inputs))
    if not files.count:
        shown = ", ".join(files.skipped[:5]) or "nothing"
        raise InputError(f"no WARC (.warc, .warc.gz), JSON Lines (.jsonl, .jsonl.gz) or Parquet (.parquet) file in the inputs (found: {shown})")
    _check_output(spark, output, overwrite)
    sc = spark.sparkContext
    items = _inputs.read_items(spark, files, settings, sc.defaultParallelism)
    # a few partitions per core at least, so that a slow partition does not leave cores idle at the end
    wanted = partitions or 4 * sc.defaultParallelism
    if partitions or items.getNumPartitions() < wanted:
        items = items.repartition(wanted)
    done = sc.accumulator(0)

    def extract(part: Iterable[Item]) -> Iterator[tuple[Any, ...]]:
        for row in extract_partition(part, settings):
            if row[0] is not None:
                done.add(1)
            yield row

    # One pass through Python: the extraction's rows become one DataFrame, persisted in the JVM,
    # from which each table is selected, so that parsing runs once for the five tables.
    from pyspark.sql import functions as F

    output_rows = spark.createDataFrame(items.mapPartitions(extract), tables.ddl(tables.OUTPUT_COLUMNS))
    output_rows = output_rows.persist(StorageLevel.MEMORY_AND_DISK)
    watcher = _Watcher(sc, done, progress) if progress else None
    try:
        for name in tables.TABLES:
            column, key = tables.OUTPUT_OF[name]
            if column in ("article", "failure"):
                frame = output_rows.where(F.col(column).isNotNull()).select(f"{column}.*")
            else:
                frame = output_rows.select(F.explode(column).alias("row")).select("row.*")
            if key:  # a text read twice (a copy from another outlet) is extracted twice: keep its rows once
                frame = frame.dropDuplicates(list(key))
            frame.write.mode("overwrite").parquet(_join(output, name))
    finally:
        if watcher:
            watcher.stop()
        output_rows.unpersist()
    counts = {name: spark.read.parquet(_join(output, name)).count() for name in tables.TABLES}
    return SparkSummary(
        output=output,
        rows=counts,
        files={"warc": len(files.warc), "jsonl": len(files.jsonl), "parquet": len(files.parquet)},
        skipped_files=list(files.skipped),
        seconds=time.perf_counter() - started,
    )


def _join(base: str, name: str) -> str:
    return base.rstrip("/") + "/" + name


def _check_output(spark: Any, output: str, overwrite: bool) -> None:
    """Refuse to write into an existing output folder with something in it, unless overwrite."""
    sc = spark.sparkContext
    path = sc._jvm.org.apache.hadoop.fs.Path(output)
    fs = path.getFileSystem(sc._jsc.hadoopConfiguration())
    if fs.exists(path) and not overwrite:
        if not fs.getFileStatus(path).isDirectory() or fs.listStatus(path):
            raise _inputs.output_in_use(output)


class _Watcher:
    """Reports the job's progress from the driver every few seconds, on a thread of its own."""

    def __init__(self, sc: Any, done: Any, progress: Progress, every: float = 5.0) -> None:
        self.sc, self.done, self.progress, self.every = sc, done, progress, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="onrecord-spark-progress", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.report()

    def report(self) -> None:
        tracker = self.sc.statusTracker()
        finished = total = 0
        for stage_id in tracker.getActiveStageIds():
            info = tracker.getStageInfo(stage_id)
            if info is not None:
                finished += info.numCompletedTasks
                total += info.numTasks
        self.progress(self.done.value, finished, total)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)
        self.report()
