"""The named records the store's functions return; each has to_dict() for JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

AddStatus = Literal["added", "already_stored", "copy"]


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class AddOutcome(_Record):
    """What adding one article's record did: 'added' (extracted and stored), 'already_stored'
    (this text from this outlet and url is in the store), or 'copy' (the same text published
    again elsewhere, recorded as a copy of the stored article)."""

    status: AddStatus
    article_id: int
    sha256: str
    new_statements: int = 0
    merged_statements: int = 0  # statements already stored from other articles, given a new source
    syndicated_from: int | None = None  # a near-identical earlier article (for 'added')
    copy_of: int | None = None  # the stored article whose text this is (for 'copy')


@dataclass(frozen=True)
class ArticleRef(_Record):
    """Where a statement ran: one article's id and publication."""

    id: int
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None


@dataclass(frozen=True)
class SearchHit(_Record):
    """One statement found by search, ranked by bm25 (lower score is better)."""

    statement_id: int
    text: str
    highlighted: str  # text with the matched words between the marks search was given
    kind: str
    speaker: str | None  # canonical name, or the unresolved speaker as printed
    speaker_id: int | None
    cue: str | None
    first_seen: ArticleRef
    sources: int
    outlets: int
    score: float


@dataclass(frozen=True)
class SpeakerSummary(_Record):
    """An entity that made statements, with how much and where."""

    entity_id: int
    name: str
    type: str
    statements: int
    outlets: int
    first_date: str | None
    last_date: str | None
    role: str | None  # the most recent role an article gave


@dataclass(frozen=True)
class RoleSpan(_Record):
    """A role as articles gave it, over time."""

    role: str
    first_date: str | None
    last_date: str | None
    articles: int


@dataclass(frozen=True)
class ProfileStatement(_Record):
    """One statement of a speaker profile."""

    statement_id: int
    date: str | None
    kind: str
    text: str
    cue: str | None
    first_seen: ArticleRef
    sources: int


@dataclass(frozen=True)
class OutletCount(_Record):
    """How many of a speaker's statements ran in one outlet."""

    outlet: str
    statements: int


@dataclass(frozen=True)
class SpeakerProfile(_Record):
    """Everything the store knows of one speaker."""

    entity_id: int
    name: str
    type: str
    variants: tuple[str, ...]
    roles: tuple[RoleSpan, ...]
    statements: tuple[ProfileStatement, ...]
    outlets: tuple[OutletCount, ...]


@dataclass(frozen=True)
class Counts(_Record):
    """How much the store holds; articles counts every publication, copies included."""

    articles: int
    statements: int
    sources: int
    entities: int
