"""What every reader shares: the failure record, byte decoding, dates, and HTML to text. No NLP here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import BinaryIO, Union

from onrecord.errors import InputError
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
    """The article, or an "empty" failure when its text holds nothing but whitespace."""
    if article.text.strip():
        return article
    return ReadFailure(article.source or "", EMPTY)


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


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """UTF-16 with a BOM, else UTF-8 (BOM optional), else the declared or <meta> charset, else cp1252.

    Raises InputError (the reason alone, no source) for binary data.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
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
    except (TypeError, ValueError, IndexError):
        return None


def date_from_struct(parsed: object) -> str | None:
    """An ISO timestamp from a UTC ``time.struct_time`` (as feedparser gives), or None."""
    try:
        return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()  # type: ignore[index, misc]
    except (TypeError, ValueError, IndexError):
        return None


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
    except (lxml.etree.ParserError, ValueError):
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


def read_all(stream: BinaryIO, limit: int) -> bytes:
    """The whole stream, or InputError when it holds more than ``limit`` bytes."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"over the limit of {limit:,} bytes; raise ONRECORD_MAX_INPUT_BYTES to read it")
    return data
