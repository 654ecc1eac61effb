"""Hand-made Extraction records for the store tests: realistic shapes, no parser.

An article is a list of paragraphs; a Said paragraph prints a quotation (or a reported clause)
with its speaker and cue, and the record's offsets are computed from the text, so
text[start:end] == span text holds as in real records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from onrecord.model import Article, Entity, Extraction, Span, SpeakerRef, Statement


@dataclass(frozen=True)
class Person:
    """An entity of one article: its name there, its type, roles and the other forms printed."""

    name: str
    type: str = "PERSON"
    roles: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()  # other mentions printed (a surname, a variant)


@dataclass(frozen=True)
class Said:
    """A statement paragraph: '“quote,” speaker cue.' (direct) or 'speaker cue quote.' (indirect)."""

    quote: str
    speaker: str  # as printed
    who: str | None = None  # the Person.name it refers to; None leaves the speaker unresolved
    cue: str = "said"
    kind: str = "direct"


@dataclass
class ArticleSpec:
    paragraphs: list[str | Said]
    people: list[Person] = field(default_factory=list)
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None


def build(spec: ArticleSpec) -> Extraction:
    """The record of an article written from spec."""
    text = ""
    statements = []
    for para in spec.paragraphs:
        if text:
            text += "\n\n"
        if isinstance(para, str):
            text += para
            continue
        if para.kind == "indirect":
            speaker_start = len(text)
            text += f"{para.speaker} {para.cue} {para.quote}."
            cue_start = speaker_start + len(para.speaker) + 1
            content_start = cue_start + len(para.cue) + 1
            content_end = content_start + len(para.quote)
        else:
            content_start = len(text)
            text += f"“{para.quote},” {para.speaker} {para.cue}."
            content_end = content_start + len(para.quote) + 3
            speaker_start = content_end + 1
            cue_start = speaker_start + len(para.speaker) + 1
        speaker_end = speaker_start + len(para.speaker)
        statements.append((para, content_start, content_end, speaker_start, speaker_end, cue_start))
    entities = []
    ids = {}
    for i, person in enumerate(spec.people, 1):
        ids[person.name] = f"e{i}"
        mentions = []
        for form in dict.fromkeys((person.name, *person.forms)):
            at = text.find(form)
            while at >= 0:
                before = text[at - 1] if at else " "
                after = text[at + len(form)] if at + len(form) < len(text) else " "
                if not before.isalnum() and not after.isalnum() and all(m.start != at for m in mentions):
                    mentions.append(Span.of(text, at, at + len(form)))
                at = text.find(form, at + 1)
        entities.append(Entity(f"e{i}", person.name, person.type, person.roles, tuple(sorted(mentions, key=lambda m: m.start))))
    records = []
    for n, (para, cs, ce, ss, se, cues) in enumerate(statements, 1):
        records.append(
            Statement(
                id=f"s{n}",
                kind=para.kind,  # type: ignore[arg-type]
                content=Span.of(text, cs, ce),
                cue=Span.of(text, cues, cues + len(para.cue)),
                speaker=SpeakerRef(ss, se, text[ss:se], ids.get(para.who) if para.who else None),
                confidence=0.9,
            )
        )
    article = Article(text=text, title=spec.title, url=spec.url, outlet=spec.outlet, published=spec.published)
    return Extraction(article, tuple(records), tuple(entities))


def article(paragraphs, people=(), **meta) -> Extraction:
    """Shorthand: build(ArticleSpec(paragraphs, people, **meta))."""
    return build(ArticleSpec(list(paragraphs), list(people), **meta))


CLEVERLY_QUOTE = (
    "In the short term it is inevitable that Israel, because it has troops in Gaza, "
    "will need to take some responsibility for security"
)
CLEVERLY_CONCLUSION = "But our view is that the preferred outcome would be a move toward a peaceful Palestinian leadership"


def cleverly_article(outlet: str, published: str | None, spelling: str = "James Cleverly", quote: str = CLEVERLY_QUOTE,
                     header: str = "", url: str | None = None, title: str | None = None) -> Extraction:  # fmt: skip
    """The Foreign Secretary's Tokyo remarks as one outlet printed them."""
    surname = spelling.split()[-1]
    return article(
        [
            *([header] if header else []),
            f"British Foreign Secretary {spelling} spoke at the G7 foreign ministers’ meeting in Tokyo on Wednesday.",
            Said(quote, surname, spelling, "told reporters"),
            Said(CLEVERLY_CONCLUSION, "he", spelling, "concluded"),
            Said("could become the next UK prime minister", "polls", None, "say", kind="indirect"),
            "Opposition leader Keir Starmer has called for humanitarian pauses rather than a ceasefire.",
        ],
        [Person(spelling, roles=("British Foreign Secretary",), forms=(surname,)), Person("Keir Starmer", forms=("Starmer",))],
        title=title or f"Cleverly: Israel must take responsibility for Gaza security ({outlet})",
        outlet=outlet,
        url=url or f"https://{outlet.lower().replace(' ', '')}.example/cleverly-tokyo",
        published=published,
    )
