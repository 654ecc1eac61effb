"""Exporting the store: one row per statement source, as JSON Lines, CSV or Parquet."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from onrecord.errors import StoreError

FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")

#: The columns of an export, in order, with their Parquet types.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("statement_id", "int64"),
    ("source_id", "int64"),
    ("first_seen", "bool"),  # this source is the statement's first-seen one
    ("speaker", "string"),  # canonical name, or the unresolved speaker as printed
    ("speaker_id", "int64"),
    ("kind", "string"),
    ("content", "string"),
    ("cue", "string"),
    ("speaker_mention", "string"),
    ("addressee", "string"),
    ("confidence", "float64"),
    ("article_id", "int64"),
    ("article_sha256", "string"),
    ("title", "string"),
    ("outlet", "string"),
    ("url", "string"),
    ("published", "string"),
    ("content_start", "int64"),
    ("content_end", "int64"),
    ("cue_start", "int64"),
    ("cue_end", "int64"),
    ("speaker_start", "int64"),
    ("speaker_end", "int64"),
)

_QUERY = """
SELECT ss.statement_id, ss.id, s.first_article_id = ss.article_id, coalesce(e.name, s.speaker_text), s.speaker_id,
       ss.kind, ss.content, ss.cue, ss.speaker, ss.addressee, ss.confidence, ss.article_id, a.sha256, a.title,
       o.name, a.url, a.published, ss.content_start, ss.content_end, ss.cue_start, ss.cue_end,
       ss.speaker_start, ss.speaker_end
FROM statement_sources ss
JOIN statements s ON s.id = ss.statement_id
JOIN articles a ON a.id = ss.article_id
LEFT JOIN outlets o ON o.id = a.outlet_id
LEFT JOIN entities e ON e.id = s.speaker_id
ORDER BY ss.statement_id, ss.id
"""


def export_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Every statement source as a dict of COLUMNS, by statement then source."""
    names = [c for c, _ in COLUMNS]
    for row in conn.execute(_QUERY):
        record = dict(zip(names, row, strict=True))
        record["first_seen"] = bool(record["first_seen"])
        yield record


def export(conn: sqlite3.Connection, fmt: str, out: str | Path | IO[Any] | None = None) -> int:
    """Write the export to a path or an open file (standard output when None); returns the rows written."""
    if fmt not in FORMATS:
        raise StoreError(f"export format {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if out is None:
            raise StoreError("a parquet export needs a file: give --output FILE")
        return _parquet(conn, out)
    with _text_output(out) as stream:
        if fmt == "jsonl":
            n = 0
            for n, record in enumerate(export_rows(conn), 1):
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            return n
        writer = csv.DictWriter(stream, fieldnames=[c for c, _ in COLUMNS], lineterminator="\n")
        writer.writeheader()
        n = 0
        for n, record in enumerate(export_rows(conn), 1):
            writer.writerow(record)
        return n


@contextmanager
def _text_output(out: str | Path | IO[Any] | None) -> Iterator[IO[str]]:
    if out is None:
        yield sys.stdout
    elif isinstance(out, (str, Path)):
        try:
            with open(out, "w", encoding="utf-8", newline="") as stream:
                yield stream
        except OSError as exc:
            raise StoreError(f"cannot write {out}: {exc.strerror or exc}") from exc
    else:
        yield out


def _parquet(conn: sqlite3.Connection, out: str | Path | IO[Any]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise StoreError("a parquet export needs pyarrow: pip install 'onrecord[parquet]'") from exc
    types = {"int64": pa.int64(), "string": pa.string(), "bool": pa.bool_(), "float64": pa.float64()}
    schema = pa.schema([(name, types[type_]) for name, type_ in COLUMNS])
    n = 0
    batch: list[dict[str, Any]] = []
    try:
        with pq.ParquetWriter(out if not isinstance(out, Path) else str(out), schema) as writer:
            for record in export_rows(conn):
                batch.append(record)
                if len(batch) == 10_000:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    n += len(batch)
                    batch = []
            if batch or not n:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
    except OSError as exc:
        raise StoreError(f"cannot write {out}: {exc}") from exc
    return n
