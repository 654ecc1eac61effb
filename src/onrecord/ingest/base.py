"""What every reader shares: the failure record, byte decoding, dates, and HTML to text. No NLP here."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import BinaryIO, Union

from onrecord.errors import InputError
from onrecord.ingest.timelimit import TimeLimitExceeded, time_limit
from onrecord.model import Article

#: The reason given for an input whose main text is empty or only whitespace.
EMPTY = "empty: no article text"
#: The reason given for bytes that are no text we read.
BINARY = "looks like a binary file, not text, HTML, JSON, CSV, a feed or a WARC"


@dataclass(frozen=True)
class ReadFailure:
    """An input (or one record of it) that gave no article, and why, in words a user can act on."""

    source: str
    reason: str


Item = Union[Article, ReadFailure]


def article_or_empty(article: Article) -> Item:
    """The article (its text made storable), or an "empty" failure when its text holds nothing but whitespace."""
    if article.text.strip():
        return storable(article)
    return ReadFailure(article.source or "", EMPTY)


#: NUL, which PostgreSQL text cannot hold, and lone UTF-16 surrogates (from JSON escapes such as
#: "\\ud800"), which no UTF-8 store can encode.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(article: Article) -> Article:
    """The article with NULs and lone surrogates in its text fields replaced by U+FFFD, one character
    for one, so that every store can hold it; an article without them is returned as it is."""
    changes = {
        f.name: _UNSTORABLE.sub("\ufffd", value)
        for f in fields(article)
        if isinstance(value := getattr(article, f.name), str) and _UNSTORABLE.search(value)
    }
    return replace(article, **changes) if changes else article


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def looks_binary(head: bytes) -> bool:
    """True for bytes that are no text encoding we read: NULs, or many control characters."""
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.05


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)


def utf16_encoding(head: bytes) -> str | None:
    """The UTF-16 codec of text starting with these bytes: "utf-16" with a byte order mark, "utf-16-le"
    or "utf-16-be" without one where most of it is Latin script (every other byte NUL); else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = head[: min(len(head), 8192) // 2 * 2]
    if len(head) < 4:
        return None
    low, high = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    few = half * 0.01
    order = "utf-16-le" if high >= half * 0.6 and low <= few else "utf-16-be" if low >= half * 0.6 and high <= few else None
    if order is None:
        return None
    text = head.decode(order, errors="replace")
    controls = sum(1 for c in text if c < " " and c not in "\t\n\f\r\x1b") + text.count("\ufffd")
    return order if controls <= len(text) * 0.05 else None


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """A codec error handler: bytes that are not UTF-8 are read as cp1252 (a file edited in two encodings)."""
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("onrecord-cp1252", _cp1252_fallback)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xef][\x80-\xbf]{2}"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf4][\x80-\xbf]{3}"
)
_HIGH_BYTES = bytes(range(128, 256))


def _mostly_utf8(data: bytes) -> bool:
    """True when most non-ASCII bytes form valid UTF-8 sequences: UTF-8 text with some cp1252 bytes in it."""
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    return sum(len(m) for m in _UTF8_MULTIBYTE.findall(data)) * 2 > high


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """UTF-16 (with a BOM, or Latin text without), else UTF-8 (BOM optional), else the declared or <meta>
    charset, else UTF-8 with its stray bytes read as cp1252 where most of it is UTF-8, else cp1252.

    Raises InputError (the reason alone, no source) for binary data.
    """
    utf16 = utf16_encoding(data)
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError as exc:
            raise InputError("not valid UTF-16 text") from exc
    if looks_binary(data[:8192]):
        raise InputError(BINARY)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data[:4096])
    for charset in (declared, meta.group(1).decode("ascii") if meta else None):
        if charset:
            try:
                return data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="onrecord-cp1252")
    return data.decode("cp1252", errors="replace")


def normalize_date(value: object) -> str | None:
    """An ISO 8601 date (``YYYY-MM-DD``) or timestamp from ISO or RFC 2822 text; None if absent or unreadable.

    A date without a time stays a date (no midnight is invented); a timestamp keeps its offset.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}(-\d{2})?", text):  # a year, or a year and month: ISO reduced precision
        return text if len(text) == 4 or 1 <= int(text[5:]) <= 12 else None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):  # OverflowError: a zone offset of many digits
        return None


def date_from_struct(parsed: object) -> str | None:
    """An ISO timestamp from a UTC ``time.struct_time`` (as feedparser gives), or None."""
    try:
        return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()  # type: ignore[index, misc]
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def article_from_html(html: str, source: str, url: str | None = None, seconds: float = 0) -> Article:
    """Main text, title, date, author, site name and URL of an HTML page (trafilatura), in at most
    ``seconds`` (0: no limit; past it, TimeLimitExceeded)."""
    import trafilatura

    if not html.strip():
        return Article(text="", source=source, url=url)
    try:
        with time_limit(seconds, f"{source}: {over_time('reading the HTML', seconds)}"):
            doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False, favor_precision=True)
    except TimeLimitExceeded:
        raise
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise InputError(f"{source}: the HTML could not be parsed ({one_line(exc)})") from exc
    if doc is None:
        return Article(text="", source=source, url=url)
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    return Article(
        text=normalize_newlines(get("text") or ""),
        title=get("title") or None,
        url=get("url") or url,
        outlet=get("sitename") or None,
        published=normalize_date(get("date")),
        author=get("author") or None,
        source=source,
    )


_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li "
    "main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_SKIPPED = frozenset({"script", "style", "template", "noscript"})


def html_fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed entry's content): one line per paragraph or block, spaces collapsed.

    trafilatura is not used here: it drops short fragments such as a one-sentence summary.
    """
    import lxml.etree
    import lxml.html

    if not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError, AssertionError):  # lxml asserts on a document without a body
        return ""
    lines: list[str] = []
    words: list[str] = []

    def flush() -> None:
        line = " ".join("".join(words).split())
        if line:
            lines.append(line)
        words.clear()

    skipping = 0
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""  # comments and processing instructions have no text of ours
        if event == "start":
            if tag in _SKIPPED:
                skipping += 1
            elif tag in _BLOCKS:
                flush()
            if tag and not skipping and el.text:
                words.append(el.text)
        else:
            if tag in _SKIPPED:
                skipping -= 1
            elif tag in _BLOCKS:
                flush()
            if not skipping and el.tail and el is not root:
                words.append(el.tail)
    flush()
    return "\n".join(lines)


def one_line(exc: BaseException, most: int = 300) -> str:
    """An exception's kind and message on one line of at most ``most`` characters, for a failure's reason."""
    line = " ".join(f"{type(exc).__name__}: {exc}".split())
    return line if len(line) <= most else line[: most - 1] + "…"


def over_time(what: str, seconds: float) -> str:
    """The reason given for an input that took too long: what took how long, and what to do."""
    return f"{what} took over {seconds:g} s; raise ONRECORD_MAX_ARTICLE_SECONDS (0: no limit) to allow more"


def read_all(stream: BinaryIO, limit: int) -> bytes:
    """The whole stream, or InputError when it holds more than ``limit`` bytes."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"over the limit of {limit:,} bytes; raise ONRECORD_MAX_INPUT_BYTES to read it")
    return data
