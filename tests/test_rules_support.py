"""The checker the rule-case files share: a short text's statements against the expected ones.

A case lists every statement the text should give, in text order; each expected statement names
its kind, cue text, speaker mention text, the speaker entity's name (None where the article never
names the speaker) and its content: a substring, or the exact text when it starts with "=".
Optional keys: pieces (how many spans the content has), addressee, medium (text or None).
"""

from __future__ import annotations

from typing import Any

import pytest

_UNSET = object()


def S(kind: str, cue: str | None, speaker: str | None, entity: str | None, content: str, **extra: Any) -> dict[str, Any]:
    """One expected statement."""
    return {"kind": kind, "cue": cue, "speaker": speaker, "entity": entity, "content": content, **extra}


def entity_name(record, statement) -> str | None:
    """The name of the entity a statement's speaker resolves to, or None."""
    if statement.speaker is None or statement.speaker.entity is None:
        return None
    entity = record.entity(statement.speaker.entity)
    return entity.name if entity else None


def check_spans(record) -> None:
    """Every span of the record is the text it points at."""
    text = record.article.text
    for s in record.statements:
        for span in (s.content, s.cue, s.speaker, s.addressee, s.medium):
            if span is not None:
                assert text[span.start:span.end] == span.text
        for a, b in s.content.spans:
            assert s.content.start <= a < b <= s.content.end
    for e in record.entities:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text


def check_statements(record, expected: list[dict[str, Any]]) -> None:
    """The record holds exactly the expected statements, in text order, field by field."""
    check_spans(record)
    got = list(record.statements)
    summary = [(s.kind, s.cue.text if s.cue else None, s.content.text[:50]) for s in got]
    assert len(got) == len(expected), summary
    for s, want in zip(got, expected):
        where = s.content.text[:50]
        assert s.kind == want["kind"], (where, s.kind)
        assert (s.cue.text if s.cue else None) == want["cue"], where
        assert (s.speaker.text if s.speaker else None) == want["speaker"], where
        assert entity_name(record, s) == want["entity"], where
        content = want["content"]
        if content.startswith("="):
            assert s.content.text == content[1:], where
        else:
            assert content in s.content.text, where
        if "pieces" in want:
            assert max(1, len(s.content.spans)) == want["pieces"], where
        for field in ("addressee", "medium"):
            value = want.get(field, _UNSET)
            if value is not _UNSET:
                span = getattr(s, field)
                assert (span.text if span else None) == value, (where, field)


def entity(record, name: str):
    """The entity of that name; fails when there is none."""
    found = [e for e in record.entities if e.name == name]
    assert found, [e.name for e in record.entities]
    return found[0]


def test_rules_support_checker_accepts_a_plain_case(pipeline):
    text = "Mayor Tom Reed said the bridge would reopen."
    check_statements(pipeline.extract(text), [S("indirect", "said", "Mayor Tom Reed", "Tom Reed", "=the bridge would reopen")])


def test_rules_support_polnear_span_convention(pipeline):
    """With PolNeAR's convention "that" is content and the cue runs on to the content; not by default."""
    from onrecord.nlp.attribution import attribute_statements
    from onrecord.text.quotemarks import find_quotes

    text = "Mayor Tom Reed said that the bridge would reopen."
    doc = pipeline.nlp(text)
    got = {c: attribute_statements(doc, find_quotes(text), convention=c)[0] for c in ("onrecord", "polnear")}
    assert text[slice(*got["onrecord"].content[0])] == "the bridge would reopen"
    assert text[slice(*got["polnear"].content[0])] == "that the bridge would reopen"


@pytest.mark.parametrize(
    "text, polnear",
    [
        ("Mayor Tom Reed said that “the bridge would reopen in May.”", "that “the bridge would reopen in May.”"),
        ("Mayor Tom Reed said that, “the bridge would reopen in May.”", "“the bridge would reopen in May.”"),
    ],
)
def test_rules_support_polnear_that_before_a_quotation(pipeline, text, polnear):
    """Under PolNeAR's convention "that" stays before a quotation it introduces (in PolNeAR train 94
    gold contents hold it, 2 leave it out); not before a comma, and never by default."""
    from onrecord.nlp.attribution import attribute_statements
    from onrecord.text.quotemarks import find_quotes

    doc = pipeline.nlp(text)
    got = {c: attribute_statements(doc, find_quotes(text), convention=c)[0] for c in ("onrecord", "polnear")}
    assert text[slice(*got["onrecord"].content[0])] == "“the bridge would reopen in May.”"
    assert text[slice(*got["polnear"].content[0])] == polnear


@pytest.mark.parametrize(
    "text, speaker, cue, content",
    [
        # nested: onrecord gives the words to whoever the report quotes; PolNeAR to the report (its annotators' outer frame)
        ("According to the Herald, Mayor Tom Reed said the bridge would reopen.", ("Mayor Tom Reed", "the Herald"),
         ("said", "According to"), ("the bridge would reopen", "Mayor Tom Reed said the bridge would reopen")),
        # the parser reads the cue as an adjective of the name after it ("added KCNA")
        ("“Troops were sent to the border”, added KCNA.", ("KCNA", "KCNA"), ("added", "added"),
         ("“Troops were sent to the border”", "“Troops were sent to the border”")),
        ("He characterized the talks as “a waste of time”.", ("He", "He"), ("characterized", "characterized"),
         ("the talks as “a waste of time”", "the talks as “a waste of time”")),
        ("As the minister told reporters, the talks have failed.", ("the minister", "the minister"), ("told", "told"),
         ("the talks have failed", "the talks have failed")),
    ],
)
def test_rules_support_statement_in_each_convention(pipeline, text, speaker, cue, content):
    """The rules alone (no model), in onrecord's convention and in PolNeAR's: one statement each."""
    from onrecord.nlp.attribution import attribute_statements
    from onrecord.text.quotemarks import find_quotes

    doc = pipeline.nlp(text)
    for n, convention in enumerate(("onrecord", "polnear")):
        found = attribute_statements(doc, find_quotes(text), convention=convention)
        assert len(found) == 1, (convention, found)
        got = found[0]
        span = lambda offsets: text[slice(*offsets)] if offsets else None  # noqa: E731
        assert (span(got.speaker), span(got.cue), span(got.content[0])) == (speaker[n], cue[n], content[n]), convention
