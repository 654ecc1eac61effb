"""The inputs of a Spark run: WARC(.gz), JSON Lines and Parquet files on any Hadoop-compatible
path, read on the executors into Articles by the same readers and field settings as `onrecord ingest`.

A WARC file is the unit of work (a .warc.gz cannot be split); JSON Lines files are split at line
boundaries by Hadoop, a line named ``path@BYTE`` (the byte offset where it starts, since a split
does not know its line numbers); a Parquet row is named by its file and row-group split.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from onrecord.errors import InputError
from onrecord.ingest.base import Item, ReadFailure
from onrecord.ingest.tabular import record_article
from onrecord.ingest.warc import iter_warc
from onrecord.settings import Settings

WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")  # not .json: a JSON list is no line-split input
PARQUET_SUFFIXES = (".parquet",)
#: Article fields read from a Parquet input besides the text, as Settings names them.
_FIELD_SETTINGS = ("title_field", "url_field", "published_field", "outlet_field")


@dataclass(frozen=True)
class InputFiles:
    """The files found under the inputs, by kind; ``skipped`` are those of no kind read here."""

    warc: tuple[str, ...] = ()
    jsonl: tuple[str, ...] = ()
    parquet: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.warc) + len(self.jsonl) + len(self.parquet)


def kind_of_name(name: str) -> str | None:
    """warc, jsonl or parquet by the file name's suffix; None for anything else."""
    lower = name.lower()
    for kind, suffixes in (("warc", WARC_SUFFIXES), ("jsonl", JSONL_SUFFIXES), ("parquet", PARQUET_SUFFIXES)):
        if lower.endswith(suffixes):
            return kind
    return None


def classify(paths: Iterable[str]) -> InputFiles:
    """Sort file paths by kind, in sorted order so that runs over the same files read them alike."""
    found: dict[str, list[str]] = {"warc": [], "jsonl": [], "parquet": [], "skipped": []}
    for path in sorted(set(paths)):
        found[kind_of_name(path.rsplit("/", 1)[-1]) or "skipped"].append(path)
    return InputFiles(*(tuple(found[k]) for k in ("warc", "jsonl", "parquet", "skipped")))


def list_files(spark: Any, inputs: Iterable[str]) -> InputFiles:
    """Every file under the inputs (files, folders read recursively, or globs), through Hadoop's
    FileSystem so that hdfs://, s3a://, gs:// and local paths work alike; hidden entries (names
    starting with '.' or '_', such as _SUCCESS) are left out. A missing input is an InputError."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    files: list[str] = []
    for given in inputs:
        path = jvm.org.apache.hadoop.fs.Path(given)
        fs = path.getFileSystem(conf)
        statuses = fs.globStatus(path)
        if not statuses:
            raise InputError(f"{given}: no such file or folder; check the path")
        for status in statuses:
            if not status.isDirectory():
                files.append(status.getPath().toString())
                continue
            root = status.getPath().toString().rstrip("/") + "/"
            listing = fs.listFiles(status.getPath(), True)
            while listing.hasNext():
                found = listing.next().getPath().toString()
                if not any(part.startswith((".", "_")) for part in found.removeprefix(root).split("/")):
                    files.append(found)
    return classify(files)


def read_items(spark: Any, files: InputFiles, settings: Settings, min_partitions: int) -> Any:
    """An RDD of Article or ReadFailure items for every record of the files, read on the executors."""
    sc = spark.sparkContext
    parts = []
    if files.warc:
        data = sc.binaryFiles(",".join(files.warc), minPartitions=min(min_partitions, len(files.warc)))
        parts.append(data.flatMap(lambda pair: warc_items(pair[0], pair[1], settings)))
    for path in files.jsonl:
        lines = sc.newAPIHadoopFile(
            path,
            "org.apache.hadoop.mapreduce.lib.input.TextInputFormat",
            "org.apache.hadoop.io.LongWritable",
            "org.apache.hadoop.io.Text",
        )
        parts.append(lines.map(lambda pair, p=path: jsonl_item(p, pair[0], pair[1], settings)).filter(_not_none))
    if files.parquet:
        parts.append(_parquet_items(spark, files.parquet, settings))
    if not parts:
        return sc.emptyRDD()
    return parts[0] if len(parts) == 1 else sc.union(parts)


def shown_path(uri: str) -> str:
    """A file's name in sources: a local file as a plain path (as `onrecord ingest` names it), any other URI as it is."""
    return uri.removeprefix("file://") if uri.startswith("file:///") else uri.removeprefix("file:")


def local_path(given: str) -> str | None:
    """The local file path an input names (a plain path or a file: URI), None for any other URI or a glob."""
    if any(c in given for c in "*?[{"):
        return None
    if given.startswith("file:"):
        return shown_path(given)
    return None if "://" in given else given


def output_in_use(output: str) -> InputError:
    """The error for an output folder that holds something already."""
    return InputError(f"{output} exists already; give a new output folder, or --overwrite to replace its tables")


def _not_none(item: Item | None) -> bool:
    return item is not None


def warc_items(path: str, data: bytes, settings: Settings) -> Iterator[Item]:
    """The items of one WARC file's bytes, read by onrecord's WARC reader (records named ``path#N``)."""
    yield from iter_warc(io.BufferedReader(io.BytesIO(data)), shown_path(path), settings)


def jsonl_item(path: str, offset: int, line: str, settings: Settings) -> Item | None:
    """The item of one JSON Lines line (None for a blank line), fields named by Settings."""
    if not line.strip():
        return None
    where = f"{shown_path(path)}@{offset}"
    if len(line) > settings.max_input_bytes:
        return ReadFailure(where, f"a line over the limit of {settings.max_input_bytes:,} bytes; raise ONRECORD_MAX_INPUT_BYTES to read it")
    try:
        record = json.loads(line.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        return ReadFailure(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
    return record_article(record, where, settings)


def _parquet_items(spark: Any, paths: tuple[str, ...], settings: Settings) -> Any:
    from pyspark.sql import functions as F

    frame = spark.read.parquet(*paths)
    if settings.text_field not in frame.columns:
        shown = ", ".join(repr(c) for c in frame.columns[:12]) or "none"
        raise InputError(f"the Parquet inputs have no {settings.text_field!r} column (found: {shown}); name it with ONRECORD_TEXT_FIELD")
    wanted = [settings.text_field] + [getattr(settings, f) for f in _FIELD_SETTINGS] + ["author"]
    present = [c for c in dict.fromkeys(wanted) if c in frame.columns]
    rows = frame.select(F.input_file_name().alias("_onrecord_file"), *present)
    return rows.rdd.map(lambda row: parquet_item(row.asDict(), settings))


def parquet_item(row: dict[str, Any], settings: Settings) -> Item:
    """The item of one Parquet row (a dict with the input file under ``_onrecord_file``)."""
    source = shown_path(row.pop("_onrecord_file", None) or "parquet")
    dated = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}  # Parquet dates and timestamps
    return record_article(dated, source, settings)
