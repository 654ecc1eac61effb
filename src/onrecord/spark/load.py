"""`onrecord load`: the articles table of a Spark run merged into a store through `Store.add_many`,
which runs the cross-article steps (speaker identity, the same statement from many outlets kept
once, copies and syndication) exactly as `onrecord ingest` does. No Spark here, only pyarrow.

Loading the same tables again adds nothing: a stored text is 'already stored' (or a copy when its
outlet or url is new), as in an ingest run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onrecord.corpus import IngestSummary
from onrecord.errors import InputError
from onrecord.model import Extraction
from onrecord.spark.tables import record_from_row
from onrecord.store import Store

#: The articles-table columns a load reads.
LOAD_COLUMNS = ("text", "source", "record")


@dataclass
class LoadSummary:
    """What a load did (counted as an ingest run counts) and how many inputs the Spark run could not read."""

    counts: IngestSummary = field(default_factory=IngestSummary)
    spark_failures: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {**self.counts.to_dict(), "spark_failures": self.spark_failures}


def load(directory: str | Path, store: Store, *, batch_size: int = 500,
         progress: Callable[[IngestSummary], None] | None = None) -> LoadSummary:  # fmt: skip
    """Add every article record of a Spark run's output folder to the store, batch_size records
    per transaction; a record whose spans do not match its text stops the load with a StoreError
    and nothing of its batch stored (the batches before it are kept; loading again finishes)."""
    summary = LoadSummary()
    started = time.perf_counter()
    articles = _dataset(directory, "articles")
    for batch in _record_batches(articles, batch_size):
        for outcome in store.add_many(batch, batch_size=batch_size):
            summary.counts.count(outcome)
        summary.counts.seconds = time.perf_counter() - started
        if progress is not None:
            progress(summary.counts)
    failures = _dataset(directory, "failures", required=False)
    summary.spark_failures = failures.count_rows() if failures is not None else 0
    summary.counts.seconds = time.perf_counter() - started
    return summary


def check_folder(directory: str | Path) -> None:
    """An InputError unless directory holds a readable articles table (checked before a store is opened)."""
    _dataset(directory, "articles")


def _dataset(directory: str | Path, table: str, required: bool = True) -> Any:
    try:
        import pyarrow.dataset as ds
    except ImportError as exc:
        raise InputError("reading Parquet needs pyarrow: install onrecord[spark] (or onrecord[parquet])") from exc
    base = str(directory).rstrip("/")
    local = "://" not in base
    if local and not Path(base).is_dir():
        raise InputError(f"{directory}: no such folder; give the OUTPUT folder of `onrecord spark`")
    path = f"{base}/{table}"
    if local and not Path(path).is_dir():
        if not required:
            return None
        raise InputError(f"{directory} has no {table} table; give the OUTPUT folder of `onrecord spark`")
    try:
        dataset = ds.dataset(path, format="parquet", exclude_invalid_files=True)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path} cannot be read as Parquet ({exc})") from exc
    missing = [c for c in LOAD_COLUMNS if c not in dataset.schema.names] if table == "articles" else []
    if missing:
        raise InputError(f"{path} lacks the column(s) {', '.join(missing)}; was it written by `onrecord spark`?")
    return dataset


def _record_batches(dataset: Any, size: int) -> Iterator[list[Extraction]]:
    """The records of the articles table, in file and row order, size at a time."""
    for batch in dataset.to_batches(columns=list(LOAD_COLUMNS), batch_size=size, use_threads=False):
        columns = batch.to_pydict()
        yield [record_from_row(t, s, r) for t, s, r in zip(columns["text"], columns["source"], columns["record"])]
