"""The Parquet tables of a Spark run, as plain rows: no Spark and no store here, so the job, `onrecord
load` and the tests share one definition of every column.

Ids are deterministic: an article is the sha256 of its text (the store's ``articles.sha256``), a
statement or entity is that id, a colon and its id in the article's record (``<sha256>:s3``,
``<sha256>:e1``). The same text gives the same record, so the same ids, on every run.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from onrecord.errors import RecordError
from onrecord.model import Extraction, Span

Columns = tuple[tuple[str, str], ...]

#: One row per publication read (a text read twice, from two outlets, gives two rows with one
#: article_id); ``record`` is the JSON of Extraction.to_dict(), from which `load` rebuilds it.
ARTICLE_COLUMNS: Columns = (
    ("article_id", "string"),
    ("source", "string"),
    ("title", "string"),
    ("url", "string"),
    ("outlet", "string"),
    ("published", "string"),
    ("author", "string"),
    ("text", "string"),
    ("statements", "int"),
    ("entities", "int"),
    ("record", "string"),
)
#: One row per statement of each distinct text; offsets are Python string offsets into the text.
STATEMENT_COLUMNS: Columns = (
    ("statement_id", "string"),
    ("article_id", "string"),
    ("local_id", "string"),
    ("kind", "string"),
    ("confidence", "double"),
    ("content", "string"),
    ("content_start", "int"),
    ("content_end", "int"),
    ("content_pieces", "array<array<int>>"),
    ("cue", "string"),
    ("cue_start", "int"),
    ("cue_end", "int"),
    ("speaker", "string"),
    ("speaker_start", "int"),
    ("speaker_end", "int"),
    ("speaker_entity_id", "string"),
    ("addressee", "string"),
    ("addressee_start", "int"),
    ("addressee_end", "int"),
    ("medium", "string"),
    ("medium_start", "int"),
    ("medium_end", "int"),
)
ENTITY_COLUMNS: Columns = (
    ("entity_id", "string"),
    ("article_id", "string"),
    ("local_id", "string"),
    ("name", "string"),
    ("type", "string"),
    ("roles", "array<string>"),
    ("mentions", "int"),
)
MENTION_COLUMNS: Columns = (
    ("entity_id", "string"),
    ("article_id", "string"),
    ("start", "int"),
    ("end", "int"),
    ("text", "string"),
)
#: Inputs (or records of them) that gave no article, with the reason, as `onrecord ingest` reports them.
FAILURE_COLUMNS: Columns = (
    ("source", "string"),
    ("reason", "string"),
)

#: Table name -> columns, in the order the job writes them.
TABLES: dict[str, Columns] = {
    "articles": ARTICLE_COLUMNS,
    "statements": STATEMENT_COLUMNS,
    "entities": ENTITY_COLUMNS,
    "mentions": MENTION_COLUMNS,
    "failures": FAILURE_COLUMNS,
}


def _struct(columns: Columns) -> str:
    return "struct<" + ", ".join(f"`{name}`: {kind}" for name, kind in columns) + ">"


#: What the job's extraction step gives per input item, from which each table is selected: an
#: article's row and its statement, entity and mention rows, or a failure's row.
OUTPUT_COLUMNS: Columns = (
    ("article", _struct(ARTICLE_COLUMNS)),
    ("statements", f"array<{_struct(STATEMENT_COLUMNS)}>"),
    ("entities", f"array<{_struct(ENTITY_COLUMNS)}>"),
    ("mentions", f"array<{_struct(MENTION_COLUMNS)}>"),
    ("failure", _struct(FAILURE_COLUMNS)),
)
#: Table name -> (its column of OUTPUT_COLUMNS, the key its rows are kept once by, if any).
OUTPUT_OF: dict[str, tuple[str, tuple[str, ...]]] = {
    "articles": ("article", ()),
    "statements": ("statements", ("statement_id",)),
    "entities": ("entities", ("entity_id",)),
    "mentions": ("mentions", ("entity_id", "start", "end")),
    "failures": ("failure", ()),
}


def ddl(columns: Columns) -> str:
    """A Spark DDL schema string (``"a string, b int"``) for a table's columns."""
    return ", ".join(f"`{name}` {kind}" for name, kind in columns)


def output_row(record: Extraction) -> tuple[Any, ...]:
    """The extraction step's row (OUTPUT_COLUMNS) of one article's record."""
    return (article_row(record), statement_rows(record), entity_rows(record), mention_rows(record), None)


def failure_output_row(source: str, reason: str) -> tuple[Any, ...]:
    """The extraction step's row (OUTPUT_COLUMNS) of an input that gave no article."""
    return (None, [], [], [], (source, reason))


def global_id(article_id: str, local_id: str | None) -> str | None:
    """The run-independent id of a statement or entity of an article's record."""
    return f"{article_id}:{local_id}" if local_id is not None else None


def article_row(record: Extraction) -> tuple[Any, ...]:
    """The articles-table row of one record (the record's JSON holds everything but the text)."""
    a = record.article
    as_json = json.dumps(record.to_dict(), ensure_ascii=False, separators=(",", ":"))
    return (a.id, a.source, a.title, a.url, a.outlet, a.published, a.author, a.text,
            len(record.statements), len(record.entities), as_json)  # fmt: skip


def _span(span: Span | None) -> tuple[Any, Any, Any]:
    return (span.text, span.start, span.end) if span is not None else (None, None, None)


def statement_rows(record: Extraction) -> list[tuple[Any, ...]]:
    """The statements-table rows of one record."""
    aid = record.article.id
    rows = []
    for s in record.statements:
        pieces = [list(p) for p in s.content.spans] or [[s.content.start, s.content.end]]
        speaker = s.speaker
        rows.append((
            global_id(aid, s.id), aid, s.id, s.kind, float(s.confidence),
            s.content.text, s.content.start, s.content.end, pieces,
            *_span(s.cue),
            speaker.text if speaker else None, speaker.start if speaker else None, speaker.end if speaker else None,
            global_id(aid, speaker.entity) if speaker else None,
            *_span(s.addressee),
            *_span(s.medium),
        ))  # fmt: skip
    return rows


def entity_rows(record: Extraction) -> list[tuple[Any, ...]]:
    """The entities-table rows of one record (an entity of one article; `load` merges them across articles)."""
    aid = record.article.id
    return [(global_id(aid, e.id), aid, e.id, e.name, e.type, list(e.roles), len(e.mentions)) for e in record.entities]


def mention_rows(record: Extraction) -> list[tuple[Any, ...]]:
    """The mentions-table rows of one record: every mention of every entity, with its offsets."""
    aid = record.article.id
    return [(global_id(aid, e.id), aid, m.start, m.end, m.text) for e in record.entities for m in e.mentions]


def record_from_row(text: str, source: str | None, record_json: str) -> Extraction:
    """Rebuild an article's Extraction from its articles-table row, exactly as the job had it."""
    try:
        data = json.loads(record_json)
    except (TypeError, json.JSONDecodeError) as exc:
        raise RecordError(f"the record of {source or 'an article'} is not JSON ({exc}); was the table written by onrecord spark?") from exc
    record = Extraction.from_dict(data, text=text)
    return replace(record, article=replace(record.article, source=source))
