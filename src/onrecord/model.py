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


def merge_pieces(pieces: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sorted (start, end) pieces with overlapping or touching ones joined."""
    merged: list[list[int]] = []
    for a, b in sorted(pieces):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple((a, b) for a, b in merged)


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


Stance = Literal["favor", "against"]
STANCES: tuple[str, ...] = ("favor", "against")
DisagreementKind = Literal["explicit", "derived"]
DISAGREEMENT_KINDS: tuple[str, ...] = ("explicit", "derived")


#: Positions below this confidence stay in the record as leads but are not reported: not shown by
#: the store, the CLI or the web app, nor scored by evaluate-positions (see nlp/positions.py).
POSITION_REPORT_CONFIDENCE: float = 0.45


@dataclass(frozen=True)
class Position:
    """What a holder is for or against: the target, the stance and the cue it was read from."""

    holder: str | None  # entity id; None when the holder is named but not an entity of the record
    holder_text: str
    target: Span
    target_norm: str
    stance: Stance
    cue: Span
    statement: str | None = None  # id of the statement it was read from
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "holder": self.holder,
            "holder_text": self.holder_text,
            "target": self.target.to_dict(),
            "target_norm": self.target_norm,
            "stance": self.stance,
            "cue": self.cue.to_dict(),
            "statement": self.statement,
            "confidence": round(self.confidence, 3),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Position:
        if d.get("stance") not in STANCES:
            raise RecordError(f"position stance {d.get('stance')!r} is not one of {', '.join(STANCES)}")
        target, cue = Span.from_dict(d["target"]), Span.from_dict(d["cue"])
        if target is None or cue is None:
            raise RecordError("a position needs a target and a cue")
        return cls(
            holder=d.get("holder"),
            holder_text=str(d.get("holder_text", "")),
            target=target,
            target_norm=str(d["target_norm"]),
            stance=d["stance"],
            cue=cue,
            statement=d.get("statement"),
            confidence=float(d.get("confidence", 0.5)),
        )


@dataclass(frozen=True)
class Disagreement:
    """Side a disagrees with side b: said outright (explicit) or read off opposite positions on one target (derived)."""

    a: str | None  # entity id; None for an unnamed side ("some in the party"), then a_text says who
    a_text: str
    b: str | None
    b_text: str
    kind: DisagreementKind
    target_norm: str | None = None
    statements: tuple[str, ...] = ()
    evidence: Span | None = None
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "a_text": self.a_text,
            "b": self.b,
            "b_text": self.b_text,
            "kind": self.kind,
            "target_norm": self.target_norm,
            "statements": list(self.statements),
            "evidence": self.evidence.to_dict() if self.evidence else None,
            "confidence": round(self.confidence, 3),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Disagreement:
        if d.get("kind") not in DISAGREEMENT_KINDS:
            raise RecordError(f"disagreement kind {d.get('kind')!r} is not one of {', '.join(DISAGREEMENT_KINDS)}")
        return cls(
            a=d.get("a"),
            a_text=str(d.get("a_text", "")),
            b=d.get("b"),
            b_text=str(d.get("b_text", "")),
            kind=d["kind"],
            target_norm=d.get("target_norm"),
            statements=tuple(str(x) for x in d.get("statements", ())),
            evidence=Span.from_dict(d.get("evidence")),
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
    """One article's record: its statements, the entities who made or received them, and the
    positions and disagreements read from them."""

    article: Article
    statements: tuple[Statement, ...] = ()
    entities: tuple[Entity, ...] = ()
    positions: tuple[Position, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()

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
            "positions": [p.to_dict() for p in self.positions],
            "disagreements": [x.to_dict() for x in self.disagreements],
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
                positions=tuple(Position.from_dict(p) for p in d.get("positions", ())),
                disagreements=tuple(Disagreement.from_dict(x) for x in d.get("disagreements", ())),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RecordError(f"not an onrecord record ({exc!r}); expected the JSON of `onrecord extract`") from exc
