"""The article the product is built for: every gold statement, right speaker, kind and cue.

The gold annotation is read only to score the output; nothing of it reaches the extractor."""

from __future__ import annotations

import pytest

CLEVERLY_NAMES = {"james cleverly", "james cleverley"}


def _coverage(gold_start: int, gold_end: int, pieces) -> float:
    gold = set(range(gold_start, gold_end))
    got = set()
    for a, b in pieces:
        got |= set(range(a, b))
    return len(gold & got) / len(gold)


def _pieces(statement):
    return statement.content.spans or ((statement.content.start, statement.content.end),)


def _match(record, quote):
    best = max(record.statements, key=lambda s: _coverage(quote["quote_start"], quote["quote_end"], _pieces(s)))
    if _coverage(quote["quote_start"], quote["quote_end"], _pieces(best)) >= 0.8:
        return best
    return None


def _speaker_name(record, statement) -> str:
    entity = record.entity(statement.speaker.entity) if statement.speaker else None
    return entity.name.lower() if entity else ""


def test_example_every_gold_statement_found_with_kind_cue_and_speaker(example_record, example_gold):
    for quote in example_gold["quotes"]:
        s = _match(example_record, quote)
        assert s is not None, f"missed: {example_gold['text'][quote['quote_start']:quote['quote_end']][:60]}"
        assert s.kind == quote["type"], (s.content.text[:40], s.kind)
        assert s.cue is not None and s.cue.text == quote["cue"]
        want = quote["speaker_entity"].lower()
        names = CLEVERLY_NAMES if want in CLEVERLY_NAMES else {want}
        assert _speaker_name(example_record, s) in names, (s.content.text[:40], _speaker_name(example_record, s))


def test_example_speaker_counts(example_record, example_gold):
    counts: dict[str, int] = {}
    for quote in example_gold["quotes"]:
        name = _speaker_name(example_record, _match(example_record, quote))
        name = "james cleverly" if name in CLEVERLY_NAMES else name
        counts[name] = counts.get(name, 0) + 1
    assert counts == {"james cleverly": 4, "keir starmer": 1, "imran hussain": 3}


def test_example_no_wrong_speaker_and_few_extras(example_record, example_gold):
    gold_spans = [(q["quote_start"], q["quote_end"]) for q in example_gold["quotes"]]
    extras = []
    for s in example_record.statements:
        matched = any(_coverage(a, b, _pieces(s)) >= 0.8 for a, b in gold_spans)
        if not matched:
            extras.append(s)
    assert len(extras) <= 4
    # an extra statement never names one of the article's people as its speaker without a cue of its own
    for s in extras:
        assert s.cue is not None
        assert s.speaker is None or s.speaker.entity is None or s.speaker.text.lower() not in {"he", "she"}


def test_example_addressees_and_medium(example_record, example_gold):
    by_cue = {s.cue.text: s for s in example_record.statements if s.cue}
    assert by_cue["told"].addressee.text == "the G7 foreign ministers’ meeting in Tokyo"
    assert by_cue["wrote"].addressee.text == "Keir Starmer"
    assert by_cue["wrote"].medium.text == "resignation letter"


def test_example_entities_hold_spellings_and_roles(example_record):
    people = {e.name.lower(): e for e in example_record.entities if e.type == "PERSON"}
    cleverly = next(people[n] for n in people if n in CLEVERLY_NAMES)
    spellings = {m.text for m in cleverly.mentions}
    assert {"Cleverly", "James Cleverley"} <= spellings
    assert "British Foreign Secretary" in cleverly.roles
    assert "MP for Bradford" in people["imran hussain"].roles
    assert "keir starmer" in people and people["keir starmer"] is not cleverly


@pytest.mark.parametrize("field", ["content", "cue", "speaker", "addressee", "medium"])
def test_example_every_span_points_into_the_text(example_record, example_text, field):
    for s in example_record.statements:
        span = getattr(s, field)
        if span is not None:
            assert example_text[span.start:span.end] == span.text
    for e in example_record.entities:
        for m in e.mentions:
            assert example_text[m.start:m.end] == m.text
