"""Readers: files and streams to ``Article`` records. No NLP here.

``read_path`` reads one article (the extract command) and raises ``InputError`` with the reason;
``iter_articles`` reads many inputs of every kind (ingest) and yields a ``ReadFailure`` instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from onrecord.errors import InputError
from onrecord.ingest.base import BINARY, ReadFailure, article_from_html, decode_bytes, normalize_newlines, storable
from onrecord.ingest.sources import iter_articles
from onrecord.model import Article
from onrecord.settings import Settings

__all__ = ["ReadFailure", "article_from_bytes", "article_from_html", "decode_text", "iter_articles", "read_path"]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


def read_path(path: str | Path, settings: Settings | None = None) -> Article:
    """One article from a .txt or .html file, or from standard input when path is '-'."""
    settings = settings or Settings()
    if str(path) == "-":
        data = _read_stream(sys.stdin.buffer, settings.max_input_bytes)
        return article_from_bytes(data, "-", kind="auto", seconds=settings.max_article_seconds)
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{p}: is a folder; give the files in it")
    try:
        size = p.stat().st_size
        if size > settings.max_input_bytes:
            raise InputError(
                f"{p}: {size:,} bytes is over the limit of {settings.max_input_bytes:,}; "
                "raise ONRECORD_MAX_INPUT_BYTES to read it"
            )
        data = p.read_bytes()
    except PermissionError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror}); check its permissions") from exc
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    suffix = p.suffix.lower()
    kind = "html" if suffix in HTML_SUFFIXES else "text" if suffix in TEXT_SUFFIXES else "auto"
    return article_from_bytes(data, str(p), kind=kind, seconds=settings.max_article_seconds)


def _read_stream(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"standard input is over the limit of {limit:,} bytes; raise ONRECORD_MAX_INPUT_BYTES")
    return data


def decode_text(data: bytes, source: str) -> str:
    """UTF-16 with a BOM, else UTF-8, else a charset the page declares, else cp1252; binary data is refused."""
    try:
        return decode_bytes(data)
    except InputError as exc:
        binary = str(exc) == BINARY
        reason = "looks like a binary file, not text or HTML; give a .txt or .html article" if binary else exc
        raise InputError(f"{source}: {reason}") from exc


def article_from_bytes(data: bytes, source: str, kind: str = "auto", seconds: float = 0) -> Article:
    """An article from raw bytes: HTML through trafilatura (in at most ``seconds``, 0: no limit),
    anything else as plain text; NULs and lone surrogates become U+FFFD."""
    text = decode_text(data, source)
    if kind == "auto":
        head = text[:2048].lstrip().lower()
        kind = "html" if head.startswith(("<!doctype html", "<html")) or "<body" in head else "text"
    if kind == "html":
        return storable(article_from_html(text, source, seconds=seconds))
    return storable(Article(text=normalize_newlines(text), source=source))
