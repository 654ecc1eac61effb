"""Pure helpers that turn store records into safe HTML pieces for the templates: search matches,
an article's text with its statements highlighted, a bar chart of months.

Every piece of stored text passes through markupsafe.escape before any tag is put around it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from onrecord.store.records import MonthCount, StatementSource

#: Colour classes of speakers (style.css): a speaker keeps its colour on every page.
PALETTE_SIZE = 12
#: Marks handed to store.search around matched words: private-use characters no news text holds.
SEARCH_MARKS = ("\ue000", "\ue001")


def speaker_class(speaker_id: int | None) -> str:
    """The colour class of a speaker: spk-0 .. spk-11 by id, spk-x for an unresolved speaker."""
    return f"spk-{speaker_id % PALETTE_SIZE}" if speaker_id is not None else "spk-x"


def highlighted(text: str, ranges: Sequence[tuple[int, int]]) -> Markup:
    """Text as HTML with the (start, end) ranges in <mark>: every piece escaped, so only the
    <mark> tags are markup."""
    out: list[str] = []
    at = 0
    for start, end in sorted(ranges):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        out += [str(escape(text[at:start])), "<mark>", str(escape(text[start:end])), "</mark>"]
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def tip(mark: StatementSource) -> str:
    """Who said it, with which cue, of which kind: the words shown on hover or focus."""
    cue = mark.cue.text if mark.cue else "no cue"
    return f"{mark.speaker_name or 'unnamed speaker'} · {cue} · {mark.kind}"


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    content: int | None  # index of the innermost statement whose content covers the piece
    attribution: int | None  # index of a statement whose cue or speaker covers it
    role: str | None  # 'cue' or 'who'


def _pieces(length: int, marks: Sequence[StatementSource]) -> list[_Piece]:
    """The text cut at every span boundary: each piece lies wholly inside or outside each span,
    so overlapping and nested spans become a flat sequence."""
    spans: list[tuple[int, int, int, str]] = []
    for i, m in enumerate(marks):
        spans += [(s, e, i, "content") for s, e in (m.content_pieces or ((m.content.start, m.content.end),))]
        spans += [(part.start, part.end, i, role) for part, role in ((m.cue, "cue"), (m.speaker, "who")) if part]
    spans = [(max(0, s), min(length, e), i, r) for s, e, i, r in spans if 0 <= s < e]
    cuts = sorted({0, length, *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    pieces: list[_Piece] = []
    for a, b in zip(cuts, cuts[1:]):
        over = [sp for sp in spans if sp[0] <= a and b <= sp[1]]
        contents = sorted((sp for sp in over if sp[3] == "content"), key=lambda sp: (sp[1] - sp[0], -sp[0]))
        attrs = sorted((sp for sp in over if sp[3] != "content"), key=lambda sp: sp[1] - sp[0])
        piece = _Piece(a, b, contents[0][2] if contents else None, attrs[0][2] if attrs else None, attrs[0][3] if attrs else None)
        if pieces and (pieces[-1].content, pieces[-1].attribution, pieces[-1].role) == (piece.content, piece.attribution, piece.role):
            piece = _Piece(pieces.pop().start, b, piece.content, piece.attribution, piece.role)
        pieces.append(piece)
    return pieces


def article_html(text: str, marks: Sequence[StatementSource]) -> Markup:
    """The article text with every statement's content in a focusable <mark> of its speaker's
    colour (its speaker, cue and kind in data-tip), cues and speaker mentions underlined."""
    out: list[str] = []
    open_mark: int | None = None
    started: set[int] = set()
    for piece in _pieces(len(text), marks):
        if piece.content != open_mark:
            if open_mark is not None:
                out.append("</mark>")
            if piece.content is not None:
                m = marks[piece.content]
                anchor = f' id="q-{m.statement_id}"' if piece.content not in started else ""
                started.add(piece.content)
                out.append(
                    f'<mark class="q {speaker_class(m.speaker_entity_id)} k-{escape(m.kind)}" tabindex="0"{anchor} '
                    f'data-tip="{escape(tip(m))}" aria-describedby="st-{m.statement_id}">'
                )
            open_mark = piece.content
        chunk = str(escape(text[piece.start : piece.end]))
        if piece.attribution is not None:
            m = marks[piece.attribution]
            chunk = f'<span class="{piece.role} {speaker_class(m.speaker_entity_id)}">{chunk}</span>'
        out.append(chunk)
    if open_mark is not None:
        out.append("</mark>")
    return Markup("".join(out))


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label (a month, a year, or 'undated'), count and geometry."""

    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    undated: bool = False


@dataclass(frozen=True)
class Chart:
    """A bar chart of statements over time, laid out for an SVG of width x height."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    top: int  # the largest count
    first: str
    last: str


def month_chart(
    months: Sequence[MonthCount], undated: int = 0, width: int = 640, height: int = 140, max_bars: int = 72, max_slot: float = 56.0
) -> Chart:
    """Bars of statements per month as the timeline lists them (store/views.speaker_timeline), by
    year when there are more than max_bars months; undated statements as one bar at the end. A
    bar is at most max_slot wide, so a few bars stay bars."""
    labels = [(m.month, m.statements) for m in months]
    if len(labels) > max_bars:
        by_year: dict[str, int] = {}
        for month, n in labels:
            by_year[month[:4]] = by_year.get(month[:4], 0) + n
        labels = sorted(by_year.items())
    if undated:
        labels.append(("undated", undated))
    top = max((n for _, n in labels), default=0)
    slot = min(width / max(1, len(labels)), max_slot)
    gap = min(4.0, slot * 0.2)
    bars = []
    for i, (label, n) in enumerate(labels):
        tall = round(height * n / top, 2) if top else 0.0
        bars.append(Bar(label, n, round(i * slot + gap / 2, 2), round(height - tall, 2), round(slot - gap, 2), tall, label == "undated"))
    used = max(120, round(slot * len(labels)))  # a few bars make a narrow chart, not wide bars
    return Chart(tuple(bars), min(width, used), height, top, labels[0][0] if labels else "", labels[-1][0] if labels else "")


def display_title(title: str | None, text: str, words: int = 10) -> str:
    """An article's title, or for an untitled one its opening words."""
    if title and title.strip():
        return title
    opening = text.split()
    return " ".join(opening[:words]) + ("…" if len(opening) > words else "") if opening else "Untitled article"
