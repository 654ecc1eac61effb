"""Filter terms kept in the search index beside each statement's words: its speaker, kind, the
outlets it ran in and the days, months and years it was published. A filtered search then
intersects posting lists inside FTS5 instead of checking every match against the tables."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta


def speaker_term(entity_id: int) -> str:
    return f"spk{entity_id}"


def outlet_term(outlet_id: int) -> str:
    return f"out{outlet_id}"


def kind_term(kind: str) -> str:
    return f"kind{kind}"


def facets(speaker_id: int | None, kind: str, sources: Iterable[tuple[str | None, int | None]]) -> str:
    """The facet column of a statement: sources are (published_at, outlet_id) of each source."""
    terms = [kind_term(kind)]
    if speaker_id is not None:
        terms.append(speaker_term(speaker_id))
    for published_at, outlet_id in sources:
        if outlet_id is not None:
            terms.append(outlet_term(outlet_id))
        day = _day(published_at)
        if day is not None:
            terms += [f"day{day:%Y%m%d}", f"mon{day:%Y%m}", f"yr{day:%Y}"]
    return " ".join(dict.fromkeys(terms))


def _day(published_at: str | None) -> date | None:
    try:
        return date.fromisoformat(published_at[:10]) if published_at else None
    except ValueError:
        return None


def date_cover(first: date, last: date) -> list[str]:
    """The fewest day, month and year terms whose days are exactly first..last (inclusive)."""
    terms: list[str] = []
    d: date | None = first
    while d is not None and d <= last:
        year_end = date(d.year, 12, 31)
        month_end = date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
        if (d.month, d.day) == (1, 1) and year_end <= last:
            terms.append(f"yr{d:%Y}")
            d = _day_after(year_end)
        elif d.day == 1 and month_end <= last:
            terms.append(f"mon{d:%Y%m}")
            d = _day_after(month_end)
        else:
            terms.append(f"day{d:%Y%m%d}")
            d = _day_after(d)
    return terms


def _day_after(d: date) -> date | None:
    """The next day; None after 9999-12-31, the last day a date holds."""
    return None if d == date.max else d + timedelta(days=1)


def either(terms: list[str]) -> str:
    """An FTS5 expression matching any of the terms in the facets column ('' for none)."""
    return "facets : (" + " OR ".join(f'"{t}"' for t in terms) + ")" if terms else ""
