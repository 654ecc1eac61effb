"""Labels of the trained attribution model: spans to BIO tags over word pieces and back, exactly;
windows that cover every piece; training windows built from gold without torch."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from onrecord.errors import OnrecordError
from onrecord.evaluate.gold import GoldArticle, GoldAttribution
from onrecord.nlp.trained.labels import (
    B, I, IGNORE, LAYERS, O, PredictedSpan, best_tags, decode_layer, encode_layer, spans_from_logits, whole_words,
    without_dangling_words,
)
from onrecord.nlp.trained.windows import CLS_ID, SEP_ID, owner_windows, pieces_of, window_capitals, window_starts

TEXT = "“We will win,” Jane Doe, the mayor, said on Tuesday. Critics said that the plan would fail."


def _span(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part)


def test_spans_survive_encoding_and_decoding_with_exact_offsets():
    pieces = pieces_of(TEXT)
    spans = [_span(TEXT, "We will win,"), _span(TEXT, "that the plan would fail")]
    tags = encode_layer(pieces.offsets, spans)
    decoded = decode_layer(pieces.offsets, tags, "Content")
    assert [(s.start, s.end) for s in decoded] == sorted(spans)
    assert [TEXT[s.start : s.end] for s in decoded] == ["We will win,", "that the plan would fail"]
    assert tags.count(B) == 2 and tags.count(I) > 2


def test_a_span_ending_inside_a_piece_takes_the_whole_piece():
    pieces = pieces_of(TEXT)
    start, end = _span(TEXT, "Critics")
    decoded = decode_layer(pieces.offsets, encode_layer(pieces.offsets, [(start, end - 2)]), "Source")
    assert [(s.start, s.end) for s in decoded] == [(start, end)]


def test_nested_spans_of_one_layer_keep_the_longest():
    pieces = pieces_of(TEXT)
    outer, inner = _span(TEXT, "Jane Doe, the mayor"), _span(TEXT, "Jane Doe")
    decoded = decode_layer(pieces.offsets, encode_layer(pieces.offsets, [inner, outer]), "Source")
    assert [(s.start, s.end) for s in decoded] == [outer]


def test_adjacent_spans_stay_apart_and_a_stray_inside_tag_opens_a_span():
    offsets = [(0, 3), (4, 7), (8, 11), (12, 15)]
    assert encode_layer(offsets, [(0, 7), (8, 15)]) == [B, I, B, I]
    spans = decode_layer(offsets, [O, I, I, O], "Cue", [0.1, 0.6, 0.8, 0.2])
    assert [(s.start, s.end) for s in spans] == [(4, 11)]
    assert spans[0].score == pytest.approx(0.7)


def test_a_piece_that_dips_below_outside_does_not_cut_a_long_span_in_two():
    #          O    B    I    I  (dip) I    I    O
    probs = np.array([[.9, .05, .05], [.1, .8, .1], [.1, .1, .8], [.2, .1, .7], [.55, .05, .4], [.2, .1, .7], [.1, .1, .8], [.9, .05, .05]])
    assert probs.argmax(axis=1).tolist() == [O, B, I, I, O, I, I, O]  # piece by piece: two spans
    assert best_tags(probs) == [O, B, I, I, I, I, I, O]


def test_sequence_decoding_keeps_short_confident_spans_and_never_puts_inside_after_outside():
    probs = np.array([[.9, .05, .05], [.1, .85, .05], [.9, .05, .05], [.3, .6, .1], [.2, .1, .7], [.9, .05, .05]])
    assert best_tags(probs) == [O, B, O, B, I, O]  # a one-piece span stays
    rng = np.random.default_rng(7)
    for _ in range(50):
        tags = best_tags(rng.dirichlet([1, 1, 1], size=30))
        assert tags[0] != I and all(not (a == O and b == I) for a, b in zip(tags, tags[1:]))
    assert best_tags(np.zeros((0, 3))) == []


def test_windows_cover_every_piece_and_each_piece_has_a_central_owner():
    for n in (1, 254, 255, 600, 1000):
        starts = window_starts(n, 254, 127)
        covered = {i for s in starts for i in range(s, min(n, s + 254))}
        assert covered == set(range(n))
        owner = owner_windows(n, starts, 254)
        assert all(starts[owner[i]] <= i < starts[owner[i]] + 254 for i in range(n))
    assert owner_windows(600, window_starts(600, 254, 127), 254)[300] == 1  # 300 sits mid-window 1 (127..380)


def test_logits_of_overlapping_windows_decode_to_spans_of_every_layer():
    offsets = [(i * 4, i * 4 + 3) for i in range(10)]
    starts, window = [0, 4], 6
    owner = owner_windows(10, starts, window)
    logits = []
    for s in starts:
        rows = np.zeros((window + 2, 3 * len(LAYERS)), dtype=np.float32)
        for i in range(s, min(10, s + window)):
            rows[1 + i - s, 0] = 5.0  # Source: O
            rows[1 + i - s, 3 + (B if i == 2 else I if i in (3, 4) else O)] = 5.0  # Cue
            rows[1 + i - s, 6 + (B if i == 7 else I if i == 8 else O)] = 5.0  # Content
        logits.append(rows)
    spans = spans_from_logits(offsets, owner, starts, logits)
    assert [(s.layer, s.start, s.end) for s in spans] == [("Cue", 8, 19), ("Content", 28, 35)]


def test_training_windows_of_a_gold_article_align_tags_with_pieces():
    from onrecord.nlp.trained.train import examples_of

    text = " ".join([TEXT] * 30)
    content = _span(text, "that the plan would fail", 20)
    gold = GoldArticle("synthetic", text, (GoldAttribution("E1", (content,), (_span(text, "said", 41),), (_span(text, "Critics", 20),)),))
    examples = examples_of(gold, window=64, stride=64)
    assert len(examples) > 5
    for e in examples:
        assert e.ids[0] == CLS_ID and e.ids[-1] == SEP_ID and len(e.ids) <= 66
        assert len(e.labels) == len(e.ids) and e.labels[0] == e.labels[-1] == (IGNORE,) * 3
    tagged = [row for e in examples for row in e.labels[1:-1]]
    assert [row[2] for row in tagged].count(B) == 1
    assert sum(row[0] == B for row in tagged) == 1 and sum(row[1] == B for row in tagged) == 1


def test_capitals_reach_the_model_as_token_types_the_uncased_pieces_lose():
    from onrecord.nlp.trained.train import examples_of

    text = "Jane Doe met the mayor of Springfield."
    pieces = pieces_of(text)
    upper = [text[a:b] for (a, b), c in zip(pieces.offsets, pieces.capitals) if c]
    assert upper == ["Jane", "Doe", "Springfield"]
    assert window_capitals(pieces, 1, window=3) == [0, 1, 0, 0, 0]  # [CLS] Doe met the [SEP]
    gold = GoldArticle("synthetic", text, ())
    assert examples_of(gold, casing=True)[0].types == tuple(window_capitals(pieces, 0))
    assert set(examples_of(gold)[0].types) == {0}


@pytest.mark.parametrize("cased", [True, False])
def test_inference_feeds_capitals_only_to_a_model_that_takes_them(cased):
    from types import SimpleNamespace

    from onrecord.nlp.trained.infer import predict_spans

    class Session:
        feeds: list[dict] = []

        def get_inputs(self):
            names = ["input_ids", "attention_mask"] + (["token_type_ids"] if cased else [])
            return [SimpleNamespace(name=n) for n in names]

        def run(self, outputs, feed):
            self.feeds.append(feed)
            return [np.zeros((*feed["input_ids"].shape, 3 * len(LAYERS)), dtype=np.float32)]

    session = Session()
    assert predict_spans("Jane Doe said it rains.", session) == []
    feed = session.feeds[0]
    assert ("token_type_ids" in feed) == cased
    if cased:
        assert feed["token_type_ids"][0].tolist()[:4] == [0, 1, 1, 0]


def test_training_without_torch_says_which_extra_to_install(monkeypatch, tmp_path):
    from onrecord.nlp.trained import train as training

    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(OnrecordError, match=r"onrecord\[train\]"):
        training.train(tmp_path, tmp_path / "out")


def test_train_command_refuses_a_count_under_one(capsys):
    from onrecord.cli import main

    assert main(["train", "--data", "x", "--out", "y", "--epochs", "0"]) == 1
    assert "--epochs must be at least 1" in capsys.readouterr().err


def test_spans_widen_to_whole_words_and_never_overlap():
    text = "Regulations on dangerous pollutants, he said."
    cut = text.index("pollutants") + len("polluta")
    spans = [PredictedSpan("Content", 0, cut, 0.9), PredictedSpan("Content", cut, cut + 3, 0.8),
             PredictedSpan("Cue", text.index("said") + 1, text.index("said") + 4, 0.7)]
    got = whole_words(text, spans)
    assert [(s.layer, text[s.start:s.end]) for s in got] == [("Content", text[: cut + 3]), ("Cue", "said")]
    assert got[0].score == 0.9 and whole_words(text, []) == []



def test_spans_never_end_on_a_word_no_span_of_their_layer_ends_with():
    text = "The United Nations Security Council on Friday said the move and the test were a threat, and the"
    spans = [PredictedSpan("Source", 0, text.index(" Friday"), 0.9),
             PredictedSpan("Cue", text.index("said"), text.index(" the move"), 0.8),
             PredictedSpan("Content", text.index("the move"), len(text), 0.7),
             PredictedSpan("Cue", 0, text.index(" Friday"), 0.6)]
    got = without_dangling_words(text, spans)
    assert [text[s.start:s.end] for s in got] == [
        "The United Nations Security Council", "said", "the move and the test were a threat",
        "The United Nations Security Council on",  # a cue may end on a preposition ("accused her of")
    ]
    assert [s.score for s in got] == [0.9, 0.8, 0.7, 0.6]
    assert without_dangling_words("The", [PredictedSpan("Source", 0, 3)]) == [PredictedSpan("Source", 0, 3)]  # one word stays
