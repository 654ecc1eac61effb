"""WARC and .warc.gz inputs (fastwarc): each HTTP 200 HTML response becomes an article. No NLP here.

A record is named ``path#N``, N counting every record of the file from 1, so names stay the same
from run to run. The stream is read record by record; a WARC cut off in the middle of a record
gives the articles before the cut, then one failure.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from onrecord.errors import InputError
from onrecord.ingest.base import (
    Item,
    ReadFailure,
    article_from_html,
    article_or_empty,
    decode_bytes,
    normalize_date,
    one_line,
)
from onrecord.settings import Settings

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
GZIP_MAGIC = b"\x1f\x8b"
#: The HTTP Content-Encodings onrecord undoes.
CONTENT_CODINGS = frozenset({"gzip", "x-gzip", "deflate", "br"})
#: A .warc.gz whose data inflates more than this many times what was read of it is refused as a
#: gzip bomb (web pages inflate 3 to 20 times), once more than INFLATE_FLOOR bytes came out of it.
MAX_INFLATE_RATIO = 100
INFLATE_FLOOR = 32 << 20


def is_warc(head: bytes) -> bool:
    """True when the first bytes of a file, gzip-compressed or not, open a WARC record."""
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


class _Truncated(Exception):
    """The record ends before the length its header declares."""


class _CountedReader:
    """A binary stream that counts the bytes read from it (the compressed bytes of a .warc.gz)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.count += len(data)
        return data


class _CheckedStream(io.RawIOBase):
    """The (decompressed) bytes of a WARC for fastwarc, remembering whether the gzip data stopped
    mid-member, and stopping at data that inflates like a gzip bomb.

    fastwarc alone reads a cut .warc.gz as if it simply ended; Python's gzip reader tells.
    """

    def __init__(self, raw: BinaryIO, gzipped: bool) -> None:
        super().__init__()
        self._compressed = _CountedReader(raw) if gzipped else None
        self._inner: Any = gzip.GzipFile(fileobj=self._compressed, mode="rb") if gzipped else raw
        self.problem: str | None = None
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.problem:
            return 0
        try:
            data = self._inner.read1(len(buffer))
        except EOFError:
            self.problem = "truncated: the compressed WARC ends in the middle of a record"
            return 0
        except (OSError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
            self.problem = f"the compressed data is damaged ({exc})"
            return 0
        buffer[: len(data)] = data
        self._pos += len(data)
        if self._compressed is not None and INFLATE_FLOOR < self._pos > MAX_INFLATE_RATIO * self._compressed.count:
            self.problem = (f"refused: its compressed data inflates over {MAX_INFLATE_RATIO} times "
                            f"({self._compressed.count:,} bytes gave {self._pos:,}), like a gzip bomb")
            return 0
        return len(data)

    def tell(self) -> int:
        return self._pos


def iter_warc(stream: BinaryIO, source: str, settings: Settings) -> Iterator[Item]:
    """Articles of the HTML 200 responses of a WARC, streamed; other records are passed over."""
    from fastwarc.warc import ArchiveIterator

    head = stream.peek(2)[:2] if hasattr(stream, "peek") else b""
    checked = _CheckedStream(stream, gzipped=head == GZIP_MAGIC)
    complete = pages = 0
    try:
        # fastwarc undoes chunking only: skipping a record it content-decodes loses its place in the file
        for record in ArchiveIterator(checked, parse_http=True, auto_decode="transfer"):
            try:
                item = _record_item(record, f"{source}#{complete + 1}", settings)
            except _Truncated:
                checked.problem = checked.problem or f"truncated: the WARC ends inside record {complete + 1}"
                break
            complete += 1
            if item is not None:
                pages += 1
                yield item
    except (OSError, ValueError) as exc:
        checked.problem = checked.problem or f"not readable as a WARC ({exc})"
    if checked.problem:
        done = f"; the {complete} complete records before it were read" if complete else ""
        yield ReadFailure(source, checked.problem + done)
    elif not complete:
        yield ReadFailure(source, "no WARC record found; is it a WARC file?")
    elif not pages:
        yield ReadFailure(source, f"no HTML page with HTTP status 200 among its {complete} records")


def _record_item(record: Any, source: str, settings: Settings) -> Item | None:
    """The article of one response record, a failure, or None for a record that holds no page."""
    from fastwarc.warc import WarcRecordType

    headers = record.headers
    if headers.get("Content-Length") is None or headers.get("WARC-Type") is None:
        raise _Truncated
    is_page = (
        record.record_type == WarcRecordType.response
        and record.is_http
        and record.http_headers is not None
        and record.http_headers.status_code == 200
        and (record.http_content_type or "").lower() in HTML_TYPES
    )
    if not is_page:
        _consume(record)
        return None
    if record.content_length > settings.max_input_bytes:
        _consume(record)
        return ReadFailure(source, f"a page of {record.content_length:,} bytes is over the limit of "
                                   f"{settings.max_input_bytes:,}; raise ONRECORD_MAX_INPUT_BYTES to read it")
    expected = record.content_length if _identity(record) else None
    try:
        body = record.reader.read()
    except OSError as exc:
        raise _Truncated from exc
    if expected is not None and len(body) < expected:
        raise _Truncated
    uri = _uri(headers.get("WARC-Target-URI"))
    try:
        body = _content_decoded(body, record.http_headers.get("Content-Encoding") or "", settings.max_input_bytes)
        html = decode_bytes(body, record.http_charset)
        page = article_from_html(html, source, url=uri, seconds=settings.max_article_seconds)
    except InputError as exc:
        return ReadFailure(source, str(exc).removeprefix(f"{source}: "))
    host = urlsplit(uri).hostname if uri else None
    return article_or_empty(
        replace(
            page,
            url=uri or page.url,
            outlet=page.outlet or host,
            published=page.published or normalize_date(headers.get("WARC-Date")),
        )
    )


def _identity(record: Any) -> bool:
    """True when the payload is stored as sent (not chunked), so its length must match the declared one."""
    return not record.http_headers.get("Transfer-Encoding")


def _content_decoded(body: bytes, encodings: str, limit: int) -> bytes:
    """The page with its Content-Encoding (gzip, deflate, br) undone, never inflating past ``limit`` bytes.

    Raises InputError for a page that would inflate further (a compression bomb) or damaged data.
    Other names (identity, or a charset some servers send here) leave the bytes as stored: compressed
    bytes left so are then refused as binary.
    """
    for name in reversed([e.strip().lower() for e in encodings.split(",") if e.strip()]):
        if name not in CONTENT_CODINGS:  # "identity", and the charsets some servers put here: as stored
            continue
        try:
            body = _inflate(body, name, limit)
        except InputError:
            raise
        except Exception as exc:  # zlib.error, brotli.error
            raise InputError(f"the page's {name} data is damaged ({one_line(exc)})") from exc
        if len(body) > limit:
            raise InputError(f"the page inflates to over {limit:,} bytes, over the limit; "
                             "raise ONRECORD_MAX_INPUT_BYTES to read it")
    return body


def _inflate(body: bytes, encoding: str, limit: int) -> bytes:
    """``body`` decoded from one content encoding, cut after ``limit + 1`` bytes or a little more."""
    if encoding in ("gzip", "x-gzip", "deflate"):
        zlib_header = len(body) > 1 and body[0] & 0x0F == 8 and (body[0] << 8 | body[1]) % 31 == 0
        # 47: a gzip or zlib header, told apart by zlib; -15: headerless deflate, which some servers send
        inflater = zlib.decompressobj(47 if encoding != "deflate" or zlib_header else -15)
        out = inflater.decompress(body, limit + 1)
        if len(out) > limit:
            return out
        out += inflater.flush()
        if not inflater.eof and not out:
            raise InputError(f"the page's {encoding} data is damaged (it gives nothing)")
        return out  # a stream cut short gives what it holds, as browsers show it
    import brotli  # "br"

    return brotli.Decompressor().process(body, output_buffer_limit=limit + 1)


def _consume(record: Any) -> None:
    """Read past a record's payload, noticing when it stops short."""
    expected = record.content_length if not record.is_http or record.http_headers is None or _identity(record) else None
    try:
        got = record.reader.consume()
    except OSError as exc:
        raise _Truncated from exc
    if expected is not None and got < expected:
        raise _Truncated


def _uri(value: str | None) -> str | None:
    """A WARC-Target-URI without the angle brackets some WARC 1.0 writers put around it."""
    if not value:
        return None
    return value.strip().removeprefix("<").removesuffix(">") or None
