"""Same-length text for the parser: offsets into it are offsets into the original."""

from __future__ import annotations

import unicodedata

from onrecord.text.quotemarks import Quote

_SPACE_LIKE = {"\u00a0", "\u2007", "\u202f", "\u2009", "\u200a", "\u2002", "\u2003", "\u3000", "\ufeff", "\u200b"}


def normalize_for_parser(text: str, quotes: list[Quote] | None = None) -> str:
    """Replace characters that confuse the parser, one for one: control and odd space characters
    become spaces, and straight double quotes become curly ones facing the right way."""
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch in "\n\t":
            continue
        if ch in _SPACE_LIKE or ch == "\r":
            chars[i] = " "
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") or ch in "\u2028\u2029":
            chars[i] = "\n" if ch in "\u2028\u2029\x0b\x0c\x85" else " "
    for q in quotes or ():
        if not q.double:
            continue
        for a, _ in q.pieces:
            if chars[a] == '"':
                chars[a] = "“"
        if q.closed and chars[q.end - 1] == '"':
            chars[q.end - 1] = "”"
    out = "".join(chars)
    assert len(out) == len(text)
    return out
