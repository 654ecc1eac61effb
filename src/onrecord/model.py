"""The records: frozen dataclasses that serialise to the JSON of docs/architecture.md and back.

Every span is a pair of Python string offsets into the article text as the reader produced it
(end exclusive), so ``text[start:end] == span.text`` always holds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

from onrecord.errors import RecordError

StatementKind = Literal["direct", "indirect", "mixed"]
KINDS: tuple[str, ...] = ("direct", "indirect", "mixed")


@dataclass(frozen=True)
class Span:
    """A stretch of the article text; ``spans`` lists the pieces when it is discontinuous."""

    start: int
    end: int
    text: str
    spans: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])

    @classmethod
    def joined(cls, text: str, pieces: list[tuple[int, int]]) -> Span:
        """A span from its first piece's start to its last piece's end, keeping the pieces."""
        pieces = sorted(pieces)
        start, end = pieces[0][0], pieces[-1][1]
        return cls(start, end, text[start:end], tuple(pieces) if len(pieces) > 1 else ())

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text}
        if self.spans:
            d["spans"] = [list(p) for p in self.spans]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Span | None:
        if d is None:
            return None
        spans = tuple((int(a), int(b)) for a, b in d.get("spans", ()))
        return cls(int(d["start"]), int(d["end"]), str(d["text"]), spans if len(spans) > 1 else ())


@dataclass(frozen=True)
class SpeakerRef:
    """The mention next to the cue, and the entity it refers to (None when the article never names it)."""

    start: int
    end: int
    text: str
    entity: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "entity": self.entity}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> SpeakerRef | None:
        if d is None:
            return None
        return cls(int(d["start"]), int(d["end"]), str(d["text"]), d.get("entity"))


@dataclass(frozen=True)
class Statement:
    """One attributed statement: what was said, by whom, how, to whom and where."""

    id: str
    kind: StatementKind
    content: Span
    cue: Span | None
    speaker: SpeakerRef | None
    addressee: Span | None = None
    medium: Span | None = None
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "addressee": self.addressee.to_dict() if self.addressee else None,
            "medium": self.medium.to_dict() if self.medium else None,
            "confidence": round(self.confidence, 3),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Statement:
        if d.get("kind") not in KINDS:
            raise RecordError(f"statement kind {d.get('kind')!r} is not one of {', '.join(KINDS)}")
        content = Span.from_dict(d["content"])
        assert content is not None
        return cls(
            id=str(d["id"]),
            kind=d["kind"],
            content=content,
            cue=Span.from_dict(d.get("cue")),
            speaker=SpeakerRef.from_dict(d.get("speaker")),
            addressee=Span.from_dict(d.get("addressee")),
            medium=Span.from_dict(d.get("medium")),
            confidence=float(d.get("confidence", 0.5)),
        )


@dataclass(frozen=True)
class Entity:
    """A person or organisation: its canonical name, the roles the article gives it, its mentions."""

    id: str
    name: str
    type: str
    roles: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "roles": list(self.roles),
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entity:
        return cls(
            id=str(d["id"]),
            name=str(d["name"]),
            type=str(d["type"]),
            roles=tuple(d.get("roles", ())),
            mentions=tuple(Span.from_dict(m) for m in d.get("mentions", ())),  # type: ignore[misc]
        )


@dataclass(frozen=True)
class Article:
    """One article as a reader produced it; ``id`` is the sha256 of its text."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None
    source: str | None = None  # where it was read from: a path, "-" for stdin
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise TypeError("Article.text must be a str")
        if not self.id:
            object.__setattr__(self, "id", hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "published": self.published,
            "author": self.author,
        }


@dataclass(frozen=True)
class Extraction:
    """One article's record: its statements and the entities who made or received them."""

    article: Article
    statements: tuple[Statement, ...] = ()
    entities: tuple[Entity, ...] = ()
    positions: tuple[dict[str, Any], ...] = ()
    disagreements: tuple[dict[str, Any], ...] = ()

    def entity(self, entity_id: str | None) -> Entity | None:
        """The entity with this id, or None."""
        return next((e for e in self.entities if e.id == entity_id), None)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        article = self.article.to_dict()
        if include_text:
            article["text"] = self.article.text
        return {
            "article": article,
            "statements": [s.to_dict() for s in self.statements],
            "entities": [e.to_dict() for e in self.entities],
            "positions": list(self.positions),
            "disagreements": list(self.disagreements),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], text: str | None = None) -> Extraction:
        """Rebuild a record; the article text comes from ``d["article"]["text"]`` or ``text``."""
        try:
            a = d["article"]
            body = a.get("text", text)
            if body is None:
                raise RecordError("the record holds no article text: pass text= or export with include_text")
            article = Article(
                text=body,
                title=a.get("title"),
                url=a.get("url"),
                outlet=a.get("outlet"),
                published=a.get("published"),
                author=a.get("author"),
                id=a.get("id") or "",
            )
            return cls(
                article=article,
                statements=tuple(Statement.from_dict(s) for s in d.get("statements", ())),
                entities=tuple(Entity.from_dict(e) for e in d.get("entities", ())),
                positions=tuple(d.get("positions", ())),
                disagreements=tuple(d.get("disagreements", ())),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RecordError(f"not an onrecord record ({exc!r}); expected the JSON of `onrecord extract`") from exc
