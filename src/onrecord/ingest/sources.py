"""One entry point for ingest: paths, folders and stdin to a lazy stream of articles and failures. No NLP here.

The kind of a file comes from its suffix, and from its first bytes when the suffix says nothing
(or for stdin). Nothing here raises for a bad input: it yields a ReadFailure and goes on.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import BinaryIO

from onrecord.errors import InputError
from onrecord.ingest.base import (
    BINARY,
    EMPTY,
    Item,
    ReadFailure,
    article_from_html,
    article_or_empty,
    decode_bytes,
    looks_binary,
    normalize_newlines,
    over_time,
    read_all,
    utf16_encoding,
)
from onrecord.ingest.feeds import feed_items, parse_feed
from onrecord.ingest.tabular import iter_csv, iter_json, iter_jsonl
from onrecord.ingest.timelimit import time_limit
from onrecord.ingest.warc import is_warc, iter_warc
from onrecord.model import Article
from onrecord.settings import Settings

SUFFIX_KINDS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "tsv",
    ".warc": "warc",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}
HEAD_BYTES = 1 << 16
_FEED_ROOT = re.compile(r"<(rss|feed|rdf:RDF)[\s>]")
_HTML_MARK = re.compile(r"<(!doctype html|html|head|body)[\s>]", re.I)

Reader = Callable[[BinaryIO, str, Settings], Iterator[Item]]


def iter_articles(paths: Iterable[str | Path], settings: Settings | None = None) -> Iterator[Article | ReadFailure]:
    """Every article in the given files, folders (recursively, sorted, hidden entries skipped) and stdin ("-").

    Lazy: large WARC, JSON Lines and CSV files are streamed. A source that gives no article yields a
    ReadFailure saying why, and reading goes on with the next.
    """
    settings = settings or Settings.from_env()
    for path in paths:
        if str(path) == "-":
            if sys.stdin is None:
                yield ReadFailure("-", "there is no standard input to read")
            else:
                yield from _read_stream(_peekable(sys.stdin.buffer), "-", "", settings)
            continue
        p = Path(path)
        if p.is_dir():
            yield from _read_folder(p, settings)
        else:
            yield from read_file(p, settings)


def read_file(path: Path, settings: Settings) -> Iterator[Item]:
    """The items of one file; a missing or unreadable file is one failure."""
    source = str(path)
    try:
        stream = open(path, "rb", buffering=HEAD_BYTES)  # closed by the with below
    except FileNotFoundError:
        yield ReadFailure(source, "no such file or folder; check the path")
        return
    except OSError as exc:
        yield ReadFailure(source, f"cannot be read ({exc.strerror or exc}); check its permissions")
        return
    with stream:
        try:
            yield from _read_stream(stream, source, path.name, settings)
        except OSError as exc:
            yield ReadFailure(source, f"cannot be read ({exc.strerror or exc})")


def _read_folder(folder: Path, settings: Settings) -> Iterator[Item]:
    """Files under a folder in sorted order of their relative paths; hidden files and folders are skipped."""
    found: list[tuple[tuple[str, ...], Path]] = []
    unreadable: list[ReadFailure] = []

    def note(exc: OSError) -> None:
        unreadable.append(ReadFailure(str(exc.filename or folder), f"folder cannot be read ({exc.strerror or exc})"))

    for root, dirs, files in os.walk(folder, onerror=note):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith("."):
                path = Path(root, name)
                found.append((path.relative_to(folder).parts, path))
    yield from unreadable
    for _, path in sorted(found):
        yield from read_file(path, settings)


def _peekable(stream: BinaryIO) -> BinaryIO:
    return stream if hasattr(stream, "peek") else io.BufferedReader(stream, HEAD_BYTES)  # type: ignore[arg-type]


def _read_stream(stream: BinaryIO, source: str, name: str, settings: Settings) -> Iterator[Item]:
    head = stream.peek(HEAD_BYTES)[:HEAD_BYTES]  # type: ignore[attr-defined]
    if not head:
        yield ReadFailure(source, EMPTY)
        return
    kind = kind_of(name, head)
    if kind == "binary":
        yield ReadFailure(source, "gzip-compressed, and not a WARC" if head.startswith(b"\x1f\x8b") else BINARY)
        return
    yield from READERS[kind](stream, source, settings)


def kind_of(name: str, head: bytes) -> str:
    """The reader for a file: by suffix where it names one, else by its first bytes."""
    lower = name.lower()
    if lower.endswith((".warc", ".warc.gz")) or is_warc(head):
        return "warc"
    if head.startswith(b"\x1f\x8b") or (looks_binary(head[:8192]) and not utf16_encoding(head)):
        return "binary"
    by_suffix = SUFFIX_KINDS.get(Path(lower).suffix)
    return by_suffix or sniff_kind(head)


def sniff_kind(head: bytes) -> str:
    """The kind of a text whose name says nothing: JSON Lines, JSON, a feed, HTML or plain text."""
    text = head.decode(utf16_encoding(head) or "utf-8-sig", errors="replace").lstrip()
    if text.startswith("{"):
        first = text.split("\n", 1)[0]
        try:
            json.loads(first)
            return "jsonl"
        except (json.JSONDecodeError, RecursionError):
            return "json"
    if text.startswith("["):
        return "json"
    if text.startswith("<"):
        return "feed" if _FEED_ROOT.search(text[:4096]) else "html"
    return "text"


def _read_text(stream: BinaryIO, source: str, settings: Settings, html: bool = False) -> Iterator[Item]:
    try:
        text = decode_bytes(read_all(stream, settings.max_input_bytes))
        if html:
            yield article_or_empty(article_from_html(text, source, seconds=settings.max_article_seconds))
        else:
            yield article_or_empty(Article(text=normalize_newlines(text), source=source))
    except InputError as exc:
        yield ReadFailure(source, str(exc).removeprefix(f"{source}: "))


def _read_feed(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item]:
    """A feed; an .xml (or sniffed) file that is not one is read as HTML if it looks like HTML."""
    try:
        data = read_all(stream, settings.max_input_bytes)
    except InputError as exc:
        yield ReadFailure(source, str(exc))
        return
    seconds = settings.max_article_seconds
    try:
        with time_limit(seconds, over_time("reading the feed", seconds)):
            parsed = parse_feed(data)
    except InputError as exc:  # a time limit, or feedparser failing
        yield ReadFailure(source, str(exc))
        return
    if parsed is not None:
        yield from feed_items(parsed, source)
    elif _HTML_MARK.search(data[:4096].decode("utf-8", errors="replace")):
        yield from _read_text(io.BytesIO(data), source, settings, html=True)
    else:
        yield ReadFailure(source, "XML that is neither an RSS nor an Atom feed; give a feed, HTML, JSON, CSV or a WARC")


READERS: dict[str, Reader] = {
    "text": _read_text,
    "html": partial(_read_text, html=True),
    "jsonl": iter_jsonl,
    "json": iter_json,
    "csv": iter_csv,
    "tsv": partial(iter_csv, delimiter="\t"),
    "warc": iter_warc,
    "feed": _read_feed,
}
