"""Invariants for any input: extract never raises, and every span points at its own text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

MARKS = "\"'“”‘’«»‹›„"
pieces = st.one_of(
    st.text(max_size=40),
    st.sampled_from(list(MARKS)),
    st.sampled_from([" said ", " he said.", "Smith", " told reporters: ", "\n\n", "😀", "\x00", "\u200b", "\r\n", "—", "According to Jones, "]),
    st.characters(codec="utf-8"),
)
texts = st.lists(pieces, max_size=60).map("".join)


def _check_spans(record, text):
    for s in record.statements:
        for span in (s.content, s.cue, s.speaker, s.addressee, s.medium):
            if span is not None:
                assert 0 <= span.start <= span.end <= len(text)
                assert text[span.start:span.end] == span.text
        for a, b in s.content.spans:
            assert s.content.start <= a < b <= s.content.end
        assert s.kind in ("direct", "indirect", "mixed")
        assert 0.0 <= s.confidence <= 1.0
        assert s.speaker is None or s.speaker.entity is None or record.entity(s.speaker.entity) is not None
    for e in record.entities:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_extract_any_text_never_raises_and_spans_hold(pipeline, text):
    record = pipeline.extract(text)
    _check_spans(record, text)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(pieces, min_size=5, max_size=30).map("".join), st.integers(min_value=50_000, max_value=300_000))
def test_extract_large_inputs_never_raise(pipeline, seed, size):
    body = (seed + " “A quote,” she said. ") or "x"
    text = (body * (size // len(body) + 1))[:size]
    record = pipeline.extract(text)
    _check_spans(record, text)


def test_extract_one_megabyte_single_line(pipeline):
    text = ("He said “" + "word " * 50 + "” and left; ") * 1
    text = (text * (1_000_000 // len(text) + 1))[:1_000_000]
    assert "\n" not in text
    record = pipeline.extract(text)
    _check_spans(record, text)
