"""JSON Lines, JSON and CSV inputs: one article per record, fields named by Settings. No NLP here.

Sources name the record: ``path:LINE`` for a JSON Lines line or a CSV row (the line it starts on),
``path#N`` for the N-th object of a JSON list, the path alone for a JSON file holding one object.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from onrecord.errors import InputError
from onrecord.ingest.base import (
    EMPTY,
    Item,
    ReadFailure,
    article_or_empty,
    normalize_date,
    normalize_newlines,
    read_all,
)
from onrecord.model import Article
from onrecord.settings import Settings


def record_article(record: Any, source: str, settings: Settings) -> Item:
    """The article of one JSON object or CSV row, or why it has none."""
    if not isinstance(record, dict):
        kind = type(record).__name__
        return ReadFailure(source, f"a JSON {kind}, not an object with a {settings.text_field!r} field")
    field = settings.text_field
    if field not in record:
        return ReadFailure(source, _missing_field(field, "field", record))
    text = record[field]
    if text is None:
        return ReadFailure(source, EMPTY)
    if not isinstance(text, str):
        return ReadFailure(source, f"the {field!r} field holds a {type(text).__name__}, not text")
    return article_or_empty(
        Article(
            text=normalize_newlines(text),
            title=_scalar(record.get(settings.title_field)),
            url=_scalar(record.get(settings.url_field)),
            outlet=_scalar(record.get(settings.outlet_field)),
            published=normalize_date(_scalar(record.get(settings.published_field))),
            author=_scalar(record.get("author")),
            source=source,
        )
    )


def _scalar(value: Any) -> str | None:
    """A metadata value as text: strings stripped, numbers written out, anything else (or blank) None."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


#: The reason given for JSON nested deeper than Python's parser goes (a thousand levels or so).
TOO_DEEP = "JSON nested too deeply to read (a damaged or hostile file)"


def _missing_field(field: str, what: str, names: Any) -> str:
    shown = ", ".join(repr(_shortened(str(n))) for n in list(names)[:12]) or "none"
    return f"no {field!r} {what} (found: {shown}); name the text {what} with ONRECORD_TEXT_FIELD"


def _shortened(name: str, most: int = 40) -> str:
    return name if len(name) <= most else name[: most - 1] + "…"


def iter_jsonl(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item]:
    """One item per non-blank line, streamed; a bad line fails alone (``source:LINE``)."""
    seen = False
    for lineno, raw in enumerate(_lines(stream, settings.max_input_bytes), 1):
        if raw is not None and not raw.strip():
            continue
        seen = True
        where = f"{source}:{lineno}"
        if raw is None:
            yield ReadFailure(where, f"a line over the limit of {settings.max_input_bytes:,} bytes; "
                                     "raise ONRECORD_MAX_INPUT_BYTES to read it")
            continue
        try:
            record = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
        except UnicodeDecodeError:
            yield ReadFailure(where, "not UTF-8 text; save the file as UTF-8")
            continue
        except json.JSONDecodeError as exc:
            yield ReadFailure(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield ReadFailure(where, TOO_DEEP)
            continue
        yield record_article(record, where, settings)
    if not seen:
        yield ReadFailure(source, EMPTY)


def _lines(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """Lines of at most ``limit`` bytes; None stands for a longer line, which is skipped to its end."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(1 << 20)
            yield None
        else:
            yield line


def iter_json(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item]:
    """A JSON list of objects (``source#N``) or one object; a file of several lines of objects reads as JSON Lines."""
    try:
        data = read_all(stream, settings.max_input_bytes)
        document = json.loads(data.decode("utf-8-sig"))
    except InputError as exc:
        yield ReadFailure(source, str(exc))
        return
    except UnicodeDecodeError:
        yield ReadFailure(source, "not UTF-8 text; save the file as UTF-8")
        return
    except RecursionError:
        yield ReadFailure(source, TOO_DEEP)
        return
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # one object per line, named .json
            yield from iter_jsonl(io.BytesIO(data), source, settings)
        else:
            yield ReadFailure(source, f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})")
        return
    if isinstance(document, list):
        if not document:
            yield ReadFailure(source, EMPTY)
        for n, record in enumerate(document, 1):
            yield record_article(record, f"{source}#{n}", settings)
    else:
        yield record_article(document, source, settings)


def iter_csv(stream: BinaryIO, source: str, settings: Settings, delimiter: str = ",") -> Iterator[Item]:
    """One item per row after the header row, streamed; rows are named by the line they start on."""
    csv.field_size_limit(settings.max_input_bytes)  # process-wide: set for this file's limit, each time
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text, delimiter=delimiter)
    try:
        header = reader.fieldnames
        if not header:
            yield ReadFailure(source, EMPTY)
            return
        if settings.text_field not in header:
            yield ReadFailure(source, _missing_field(settings.text_field, "column", header))
            return
        rows = 0
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            rows += 1
            yield record_article(row, f"{source}:{start}", settings)
        if not rows:
            yield ReadFailure(source, EMPTY)
    except UnicodeDecodeError:
        where = f"{source}:{reader.line_num + 1}"
        yield ReadFailure(where, "not UTF-8 text; save the file as UTF-8 (the rest was not read)")
    except csv.Error as exc:
        reason = f"not readable as CSV ({exc}; the rest was not read)"
        if "field limit" in str(exc):
            reason = (f"a field over the limit of {settings.max_input_bytes:,} bytes; raise ONRECORD_MAX_INPUT_BYTES "
                      "to read it (the rest was not read)")
        yield ReadFailure(f"{source}:{reader.line_num}", reason)
    finally:
        text.detach()  # the caller owns the stream and closes it
