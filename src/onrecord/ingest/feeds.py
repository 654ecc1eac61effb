"""RSS and Atom feed files (feedparser): one article per entry, named ``path#N``. No NLP here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from onrecord.errors import InputError
from onrecord.ingest.base import (
    EMPTY,
    Item,
    ReadFailure,
    article_or_empty,
    date_from_struct,
    html_fragment_text,
    normalize_date,
    normalize_newlines,
    one_line,
)
from onrecord.model import Article


def parse_feed(data: bytes) -> Any | None:
    """The parsed feed, or None when the bytes are not an RSS or Atom feed.

    Raises InputError where feedparser itself fails (it does on some damaged encoding declarations).
    """
    import feedparser

    try:
        parsed = feedparser.parse(data)  # bytes, never a str: a str may be taken for a URL and fetched
    except Exception as exc:
        raise InputError(f"the feed could not be parsed ({one_line(exc)})") from exc
    return parsed if parsed.get("version") else None


def feed_items(parsed: Any, source: str) -> Iterator[Item]:
    """An article per entry: full content where the feed has it, else the summary; the feed's title is the outlet."""
    outlet = _text_of(parsed.feed.get("title_detail")) or None
    if not parsed.entries:
        yield ReadFailure(source, f"{EMPTY} (the feed has no entries)")
    for n, entry in enumerate(parsed.entries, 1):
        yield article_or_empty(
            Article(
                text=_entry_text(entry),
                title=_text_of(entry.get("title_detail")) or None,
                url=entry.get("link") or None,
                outlet=outlet,
                published=normalize_date(entry.get("published")) or date_from_struct(entry.get("published_parsed")),
                author=entry.get("author") or None,
                source=f"{source}#{n}",
            )
        )


def _entry_text(entry: Any) -> str:
    """The longest full content (content:encoded, Atom content), else the summary, as plain text."""
    contents = [c for c in entry.get("content", ()) if c.get("value", "").strip()]
    if contents:
        return _text_of(max(contents, key=lambda c: len(c["value"])))
    return _text_of(entry.get("summary_detail"))


def _text_of(detail: Any) -> str:
    """The plain text of a feedparser text construct: HTML stripped to lines, plain text kept as it is."""
    if not detail or not detail.get("value"):
        return ""
    value = detail["value"]
    if "html" in (detail.get("type") or ""):
        return html_fragment_text(value)
    return normalize_newlines(value).strip()
