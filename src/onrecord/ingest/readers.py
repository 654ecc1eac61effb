"""Readers: files and streams to ``Article`` records. No NLP here.

Each reader raises ``InputError`` with the reason when a source cannot be read; callers that
read many sources report it and go on.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from onrecord.errors import InputError
from onrecord.model import Article
from onrecord.settings import Settings

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


def read_path(path: str | Path, settings: Settings | None = None) -> Article:
    """One article from a .txt or .html file, or from standard input when path is '-'."""
    settings = settings or Settings()
    if str(path) == "-":
        return article_from_bytes(_read_stream(sys.stdin.buffer, settings.max_input_bytes), "-", kind="auto")
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
    return article_from_bytes(data, str(p), kind=kind)


def _read_stream(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"standard input is over the limit of {limit:,} bytes; raise ONRECORD_MAX_INPUT_BYTES")
    return data


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), else UTF-16 with a BOM, else cp1252; binary data is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{source}: not valid UTF-16 text") from exc
    if b"\x00" in data[:8192] or _looks_binary(data[:8192]):
        raise InputError(f"{source}: looks like a binary file, not text or HTML; give a .txt or .html article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.05


def article_from_bytes(data: bytes, source: str, kind: str = "auto") -> Article:
    """An article from raw bytes: HTML through trafilatura, anything else as plain text."""
    text = decode_text(data, source)
    if kind == "auto":
        head = text[:2048].lstrip().lower()
        kind = "html" if head.startswith(("<!doctype html", "<html")) or "<body" in head else "text"
    if kind == "html":
        return article_from_html(text, source)
    return Article(text=_plain(text), source=source)


def _plain(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def article_from_html(html: str, source: str, url: str | None = None) -> Article:
    """Main text, title, date, author, site name and URL of an HTML page (trafilatura)."""
    import trafilatura

    if not html.strip():
        return Article(text="", source=source, url=url)
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False, favor_precision=True)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise InputError(f"{source}: the HTML could not be parsed ({type(exc).__name__}: {exc})") from exc
    if doc is None:
        return Article(text="", source=source, url=url)
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    body = get("text") or ""
    return Article(
        text=_plain(body),
        title=get("title") or None,
        url=get("url") or url,
        outlet=get("sitename") or None,
        published=get("date") or None,
        author=get("author") or None,
        source=source,
    )
