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


# -- the web's views (store/views.py) --------------------------------------------------------------


@dataclass(frozen=True)
class TextSpan(_Record):
    """A stretch of an article's text: text == article_text[start:end]."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class StatementSource(_Record):
    """One statement as one article printed it, with the exact offsets of each part there."""

    statement_id: int
    article: ArticleRef
    article_statement: str  # the statement's id in that article's record (s3)
    kind: str
    confidence: float
    content: TextSpan
    content_pieces: tuple[tuple[int, int], ...]  # (start, end) pieces of a discontinuous content, else ()
    cue: TextSpan | None
    speaker: TextSpan | None  # the speaker as printed there
    speaker_entity_id: int | None
    speaker_name: str | None  # the entity's canonical name, or the speaker as printed when unresolved
    addressee: TextSpan | None
    medium: TextSpan | None


@dataclass(frozen=True)
class StatementDetail(_Record):
    """One statement with every article it ran in (sources, oldest publication first)."""

    statement_id: int
    kind: str
    text: str
    cue: str | None
    speaker: str | None  # canonical name, or the unresolved speaker as printed
    speaker_id: int | None
    first_seen: ArticleRef
    first_published: str | None
    source_count: int
    outlet_count: int
    sources: tuple[StatementSource, ...]


@dataclass(frozen=True)
class ArticleView(_Record):
    """One stored article with its text and every statement source in it, in text order."""

    id: int
    sha256: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    author: str | None
    text: str  # a copy's text is its original's
    copy_of: int | None
    syndicated_from: int | None
    other_publications: tuple[ArticleRef, ...]  # the same text stored from other outlets or urls
    statements: tuple[StatementSource, ...]


@dataclass(frozen=True)
class ArticleSummary(_Record):
    """One line of the article list."""

    id: int
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    copy_of: int | None
    statements: int


@dataclass(frozen=True)
class ArticlePage(_Record):
    items: tuple[ArticleSummary, ...]
    next_cursor: str | None  # None on the last page


@dataclass(frozen=True)
class SpeakerPage(_Record):
    items: tuple[SpeakerSummary, ...]
    next_cursor: str | None


@dataclass(frozen=True)
class SearchPage(_Record):
    items: tuple[SearchHit, ...]
    next_cursor: str | None


@dataclass(frozen=True)
class MonthCount(_Record):
    month: str  # YYYY-MM
    statements: int


@dataclass(frozen=True)
class SpeakerTimeline(_Record):
    """A speaker's statements by the month they were first published."""

    entity_id: int
    name: str
    months: tuple[MonthCount, ...]
    undated: int  # statements whose articles give no date
