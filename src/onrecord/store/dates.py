"""Publication dates as sortable ISO strings, and the bounds of date filters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

from onrecord.errors import StoreError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def sortable_date(published: str | None) -> str | None:
    """'2023-11-08' stays as it is; a date and time becomes 'YYYY-MM-DDTHH:MM:SS' in UTC when its
    zone is known (so strings sort in time order); RFC 2822 feed dates are read too; else None."""
    if not published or not published.strip():
        return None
    text = published.strip()
    if _DATE.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:  # '9999-12-31T23:59:59-14:00' is past the last moment a datetime holds
            return None
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class DateFilter:
    """A since/until filter: whole days for the index, and exact bounds when a time was given."""

    first_day: date | None
    last_day: date | None
    after: str | None = None  # published_at >= after, when since had a time
    before: str | None = None  # published_at <= before, when until had a time


def date_filter(since: str | None, until: str | None) -> DateFilter:
    """Read --since and --until (ISO dates or date-times; until inclusive)."""
    low = _bound(since, "since", "2023-11-01")
    high = _bound(until, "until", "2023-11-30")
    return DateFilter(
        date.fromisoformat(low[:10]) if low else None,
        date.fromisoformat(high[:10]) if high else None,
        low if low and len(low) > 10 else None,
        high if high and len(high) > 10 else None,
    )


def _bound(value: str | None, name: str, example: str) -> str | None:
    if value is None:
        return None
    bound = sortable_date(value)
    if bound is None:
        raise StoreError(f"{name} {value!r} is not a date: give an ISO date like {example}")
    return bound
