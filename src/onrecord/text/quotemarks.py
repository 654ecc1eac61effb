"""Quotation-mark spans: paragraph-aware, apostrophe-aware, and never raising on odd marks.

A quotation that runs over several paragraphs reopens its mark at each new paragraph without
closing the previous one; it comes back as one ``Quote`` with one piece per paragraph. A mark
left open at a paragraph's end that the next paragraph does not continue closes at that end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = frozenset("“„«")
DOUBLE_CLOSE = frozenset("”»")
SINGLE_OPEN = frozenset("‘‹")
SINGLE_CLOSE = frozenset("’›")
STRAIGHT_DOUBLE = '"'
STRAIGHT_SINGLE = "'"
ALL_MARKS = DOUBLE_OPEN | DOUBLE_CLOSE | SINGLE_OPEN | SINGLE_CLOSE | {STRAIGHT_DOUBLE, STRAIGHT_SINGLE}
# What may stand right before an opening mark / right after a closing mark.
_BEFORE_OPEN = frozenset(" \t\n([{—–-/:;,") | DOUBLE_OPEN | SINGLE_OPEN | {STRAIGHT_DOUBLE}
_AFTER_CLOSE = frozenset(" \t\n)]}.,;:!?—–-/…") | DOUBLE_CLOSE | SINGLE_CLOSE | {STRAIGHT_DOUBLE, STRAIGHT_SINGLE}
#: What a carried-over quotation closes after when its paragraph goes on ("… early." After the match …).
_BEFORE_CARRIED_CLOSE = frozenset(".!?,…")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
# Two straight apostrophes typed for a double mark (''Yes,'' he said: typewriter style, kept in
# news archives' plain text); of three, the two outside the single mark they hold.
APOSTROPHE_PAIR = "'" * 2
_APOSTROPHE_RUN = re.compile(r"(?<!')'{2,3}(?!')")


@dataclass(frozen=True)
class Quote:
    """One quotation: from its opening mark to its closing mark (both included)."""

    start: int
    end: int
    pieces: tuple[tuple[int, int], ...]
    double: bool  # double marks (or guillemets); False for single marks
    closed: bool  # False when the last piece ends at a paragraph end without a closing mark
    words: int
    marks: tuple[int, int] = (1, 1)  # characters of the opening and the closing mark (2 for an apostrophe pair)

    @property
    def inner(self) -> tuple[int, int]:
        """The offsets of the quoted words, without the marks."""
        start = self.start + self.marks[0]
        end = self.end - self.marks[1] if self.closed else self.end
        return start, max(start, end)


@dataclass
class _Open:
    pos: int
    double: bool
    pieces: list[tuple[int, int]]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line: quotes never cross a line without reopening."""
    out = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((pos, end))
        pos = end + 1
    return out


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def _apostrophe_pairs(text: str) -> set[int]:
    """Where two straight apostrophes stand for one double mark (the pair's first offset)."""
    pairs = set()
    for m in _APOSTROPHE_RUN.finditer(text):
        if len(m.group()) == 2:
            pairs.add(m.start())
        else:  # three open as a pair then a single mark, and close as a single mark then a pair
            pairs.add(m.start() if m.end() < len(text) and text[m.end()].isalnum() else m.start() + 1)
    return pairs


def _role(text: str, i: int, start: int, end: int, width: int = 1) -> str | None:
    """'open', 'close', 'either' or None (an apostrophe, a prime or a stray) for the mark at i, which
    takes `width` characters (2 for an apostrophe pair, read as a straight double mark)."""
    ch = text[i] if width == 1 else STRAIGHT_DOUBLE
    before = text[i - 1] if i > start else " "
    after = text[i + width] if i + width < end else " "
    if width == 2 and before.isspace() and after.isspace():
        return None  # an empty string typed as two apostrophes
    can_open = (before in _BEFORE_OPEN or before.isspace()) and not after.isspace()
    can_close = (after in _AFTER_CLOSE or after.isspace()) and not before.isspace()
    if ch in SINGLE_CLOSE or ch == STRAIGHT_SINGLE:
        if _is_letter(before) and _is_letter(after):
            return None  # don’t, Britain’s
        if ch == STRAIGHT_SINGLE and before.isdigit():
            return None  # 6' tall
        if (before.isspace() or i == start) and after.isdigit():
            return None  # ’90s
    if ch in DOUBLE_OPEN or ch in SINGLE_OPEN:
        if not after.isspace():
            return "open"
        return "close" if can_close else None  # an opening mark typed where a closing one belongs: here,“ said
    if ch in DOUBLE_CLOSE or ch in SINGLE_CLOSE:
        if can_open and not can_close:
            return "open"  # a ’ used as an opening mark by some typesetters; a ” typed for a “ (”Fear. I am …”)
        return "close" if not before.isspace() or i == end - 1 else None
    if can_open and can_close:
        return "either"
    if can_open:
        return "open"
    if can_close:
        return "close"
    return "either" if ch == STRAIGHT_DOUBLE else None


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in ``text``, in order of their opening marks; never raises."""
    quotes: list[Quote] = []
    carried: _Open | None = None  # a double quote left open at the end of the previous paragraph
    paras = paragraphs(text)
    pairs = _apostrophe_pairs(text)
    for n, (pstart, pend) in enumerate(paras):
        first = _first_mark(text, pstart, pend)
        width = 2 if first in pairs else 1
        if carried is not None and not (
            first is not None and (width == 2 or _is_double(text[first])) and _role(text, first, pstart, pend, width) in ("open", "either")
            or _closes_carried_quotation(text, pstart, pend)
        ):  # carried on where the paragraph reopens it, or where its only double mark closes it at its end
            quotes.append(_make(text, carried.pieces, carried.double, closed=False))
            carried = None
        dbl: _Open | None = None
        sgl: _Open | None = None
        inner: int | None = None  # where a quotation nested in the open double one opened
        for i in range(pstart, pend):
            ch = text[i]
            if ch not in ALL_MARKS or i - 1 in pairs:
                continue
            width = 2 if i in pairs else 1
            if width == 2:
                ch = STRAIGHT_DOUBLE
            role = _role(text, i, pstart, pend, width)
            if role is None:
                continue
            if _is_double(ch):
                if dbl is None:
                    if role == "close" and carried is None:
                        continue  # a stray closing mark
                    if carried is not None:
                        dbl = _Open(carried.pos, True, carried.pieces)
                        carried = None
                        if role == "close":
                            # the previous paragraph's quote closes here without reopening
                            dbl.pieces.append((pstart, i + width))
                            quotes.append(_make(text, dbl.pieces, True, closed=True))
                            dbl = None
                            continue
                        dbl.pieces.append((i, i))  # reopened: this paragraph's piece starts here
                    else:
                        dbl = _Open(i, True, [(i, i)])
                    continue
                if inner is not None:
                    if role in ("close", "either"):
                        quotes.append(_make(text, [(inner, i + width)], True, closed=True))
                        inner = None
                    continue
                if role == "open" and ch in DOUBLE_OPEN and i > dbl.pieces[-1][0] and _two_closers_follow(text, i + 1, pend):
                    inner = i  # a quotation in the same marks inside the open one (“… what he calls “hell” …”)
                    continue
                if role == "open" and ch in DOUBLE_OPEN and i > dbl.pieces[-1][0]:
                    # a new opening mark while one is open: the earlier one was never closed
                    quotes.append(_make(text, _close_piece(dbl.pieces, _trim_end(text, i)), True, closed=False))
                    dbl = _Open(i, True, [(i, i)])
                    sgl = None
                    continue
                if role == "open" and ch == STRAIGHT_DOUBLE:
                    quotes.append(_make(text, _close_piece(dbl.pieces, _trim_end(text, i)), True, closed=False))
                    dbl = _Open(i, True, [(i, i)])
                    sgl = None
                    continue
                quotes.append(_make(text, _close_piece(dbl.pieces, i + width), True, closed=True))
                dbl, sgl = None, None
            else:
                if sgl is None:
                    if role in ("open", "either"):
                        sgl = _Open(i, False, [(i, i)])
                    continue
                if role in ("close", "either"):
                    quotes.append(_make(text, [(sgl.pos, i + 1)], False, closed=True))
                    sgl = None
                elif role == "open":
                    sgl = _Open(i, False, [(i, i)])
        if dbl is not None:
            pieces = _close_piece(dbl.pieces, _trim_end(text, pend))
            nxt = paras[n + 1] if n + 1 < len(paras) else None
            if nxt is not None:
                carried = _Open(dbl.pos, True, pieces)
            else:
                quotes.append(_make(text, pieces, True, closed=False))
    if carried is not None:
        quotes.append(_make(text, carried.pieces, carried.double, closed=False))
    quotes.sort(key=lambda q: q.start)
    return [q for q in quotes if q.end - q.start > 1]


def _two_closers_follow(text: str, start: int, end: int) -> bool:
    """Whether the next two curly double marks in text[start:end] both close (and no opening one comes
    first): then an opening mark before them nests a quotation rather than leaving the open one unclosed."""
    marks = (text[i] for i in range(start, end) if text[i] in DOUBLE_OPEN or text[i] in DOUBLE_CLOSE)
    first, second = next(marks, None), next(marks, None)  # stop at the second: never the rest of a long paragraph
    return first in DOUBLE_CLOSE and second in DOUBLE_CLOSE


def _closes_carried_quotation(text: str, start: int, end: int) -> bool:
    """Whether a paragraph's first double mark closes a quotation carried over from the paragraph before
    without reopening: at its end ("… said, “We learned a lot.¶It was an emotional day.”") or before a
    quotation of its own ("He said, "In the first half it felt good.¶We could have scored." After the
    match, the coach said, "…"")."""
    end = _trim_end(text, end)
    marks = [i for i in range(start, end) if _is_double(text[i])]
    if not marks or text[marks[0]] in DOUBLE_OPEN or marks[0] - 1 < start or text[marks[0] - 1].isspace():
        return False
    return marks == [end - 1] or _role(text, marks[0], start, end) == "close" and text[marks[0] - 1] in _BEFORE_CARRIED_CLOSE


def _is_double(ch: str) -> bool:
    return ch in DOUBLE_OPEN or ch in DOUBLE_CLOSE or ch == STRAIGHT_DOUBLE


def _first_mark(text: str, start: int, end: int) -> int | None:
    i = start
    while i < end and text[i].isspace():
        i += 1
    return i if i < end and text[i] in ALL_MARKS else None


def _close_piece(pieces: list[tuple[int, int]], end: int) -> list[tuple[int, int]]:
    last_start = pieces[-1][0]
    return pieces[:-1] + [(last_start, max(last_start + 1, end))]


def _trim_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _make(text: str, pieces: list[tuple[int, int]], double: bool, closed: bool) -> Quote:
    pieces = [(a, b) for a, b in pieces if b > a] or pieces[:1]
    start, end = pieces[0][0], pieces[-1][1]
    words = sum(len(_WORD.findall(text[a:b])) for a, b in pieces)
    marks = (2 if text.startswith(APOSTROPHE_PAIR, start) else 1, 2 if closed and text.startswith(APOSTROPHE_PAIR, end - 2) else 1)
    return Quote(start, end, tuple(pieces), double, closed, words, marks)
