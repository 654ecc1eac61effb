"""Labels of the attribution model: three independent BIO layers (Source, Cue, Content) over word
pieces, and the way back from piece tags to exact character spans. Pure Python, no torch.

PolNeAR spans nest (a Content holds another attribution's Source and Cue), so each element has its
own layer. Within one layer, overlapping gold spans keep the longest (the outer one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

#: The layers, in the order of the model's output groups.
LAYERS: tuple[str, ...] = ("Source", "Cue", "Content")
#: Tags of one layer: outside, begin, inside.
O, B, I = 0, 1, 2
#: The label of a piece that is not scored (special tokens, padding).
IGNORE = -100
#: Log-probability a decoded span pays to open and again to close: the tags of a layer are read as
#: the best whole sequence, not piece by piece, so a piece that dips below O inside a long span no
#: longer cuts it in two (PolNeAR dev, epoch-2 model: Content exact F1 37.2 -> 50.9, Source 55.0 -> 65.2).
SWITCH_COST = 0.3
#: The cost for each layer: a Content pays more, which keeps a long content whole (dev: the shipped
#: model's own Content F1 65.2 -> 66.3 at 0.8; Source and Cue are best near 0.3 after pairing).
SWITCH_COSTS: dict[str, float] = {"Source": SWITCH_COST, "Cue": SWITCH_COST, "Content": 0.8}

Offsets = Sequence[tuple[int, int]]


@dataclass(frozen=True)
class PredictedSpan:
    """One span the model found: its layer, exact character offsets and mean tag probability."""

    layer: str
    start: int
    end: int
    score: float = 1.0


def encode_layer(offsets: Offsets, spans: Iterable[tuple[int, int]]) -> list[int]:
    """BIO tags of the pieces at `offsets` for character spans of one layer (longest span wins).

    A piece is inside a span when it shares a character with it; empty pieces stay O."""
    tags = [O] * len(offsets)
    taken = [False] * len(offsets)
    for start, end in sorted(set(spans), key=lambda s: (-(s[1] - s[0]), s[0])):
        inside = [i for i, (a, b) in enumerate(offsets) if a < b and a < end and start < b]
        if not inside or any(taken[i] for i in inside):
            continue
        for n, i in enumerate(inside):
            tags[i] = B if n == 0 else I
            taken[i] = True
    return tags


def decode_layer(
    offsets: Offsets, tags: Sequence[int], layer: str = "", scores: Sequence[float] | None = None
) -> list[PredictedSpan]:
    """Character spans from BIO tags: a B, or an I after O, opens a span; the span runs from its
    first piece's start to its last piece's end."""
    out: list[PredictedSpan] = []
    start = end = -1
    acc: list[float] = []

    def close() -> None:
        if start >= 0 and end > start:
            out.append(PredictedSpan(layer, start, end, sum(acc) / len(acc) if acc else 1.0))

    for i, ((a, b), tag) in enumerate(zip(offsets, tags)):
        if a >= b:  # special or empty piece: leaves any span open
            continue
        if tag == B or (tag == I and start < 0):
            close()
            start, end, acc = a, b, []
        elif tag == I:
            end = b
        else:
            close()
            start = end = -1
            acc = []
            continue
        acc.append(scores[i] if scores is not None else 1.0)
    close()
    return out


def gold_layers(attributions: Iterable[object]) -> dict[str, list[tuple[int, int]]]:
    """The character spans of each layer in gold attributions (GoldAttribution: source, cue, content pieces)."""
    layers: dict[str, list[tuple[int, int]]] = {name: [] for name in LAYERS}
    for g in attributions:
        for name, attr in (("Source", "source"), ("Cue", "cue"), ("Content", "content")):
            layers[name] += list(getattr(g, attr))
    return layers


def spans_from_logits(offsets: Offsets, owner: Sequence[int], starts: Sequence[int], logits: Sequence[object]) -> list[PredictedSpan]:
    """Spans of every layer from per-window logits (numpy, shape pieces+2 x 3*len(LAYERS), [CLS] first):
    each piece takes its tags from its owner window (windows.owner_windows)."""
    import numpy as np

    n = len(offsets)
    k = len(LAYERS)
    rows = np.zeros((n, 3 * k), dtype=np.float32)
    owners = np.asarray(owner, dtype=np.int64)
    for w, start in enumerate(starts):
        at = np.nonzero(owners == w)[0]
        rows[at] = np.asarray(logits[w])[1 + at - start]
    out: list[PredictedSpan] = []
    for li, layer in enumerate(LAYERS):
        group = rows[:, 3 * li : 3 * li + 3]
        group = np.exp(group - group.max(axis=1, keepdims=True))
        probs = group / group.sum(axis=1, keepdims=True)
        tags = best_tags(probs, SWITCH_COSTS[layer])
        out += decode_layer(offsets, tags, layer, probs[np.arange(n), tags].tolist())
    return out


def whole_words(text: str, spans: Sequence[PredictedSpan]) -> list[PredictedSpan]:
    """The spans widened to whole words ("polluta" of "pollutants"): the model tags word pieces, and
    a span never starts or ends inside a word, nor overlaps another span of its layer."""
    out: list[PredictedSpan] = []
    last_end: dict[str, int] = {}
    for s in spans:  # each layer's spans in text order
        start, end = s.start, s.end
        while 0 < start and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
            end += 1
        start = max(start, last_end.get(s.layer, 0))
        if start >= end:
            continue  # the rest of a word the span before already took
        last_end[s.layer] = end
        out.append(s if (start, end) == (s.start, s.end) else PredictedSpan(s.layer, start, end, s.score))
    return out


#: Words no span of a layer ends with in PolNeAR train (of 18,360 sources and 19,832 contents): a span
#: the model ends on one stops before it ("The United Nations Security Council on | Friday").
DANGLING_WORDS: dict[str, frozenset[str]] = {
    "Source": frozenset("the an of on in at for by and or".split()),
    "Content": frozenset("the an and or but".split()),
}


def without_dangling_words(text: str, spans: Sequence[PredictedSpan]) -> list[PredictedSpan]:
    """The spans without a last word that no span of their layer ends with (DANGLING_WORDS)."""
    out: list[PredictedSpan] = []
    for s in spans:
        end, dangling = s.end, DANGLING_WORDS.get(s.layer, frozenset())
        while True:
            head, _, last = text[s.start : end].rstrip(" ,;").rpartition(" ")
            if not head or last.lower() not in dangling:
                break
            end = s.start + len(head.rstrip(" ,;"))
        out.append(s if end == s.end else PredictedSpan(s.layer, s.start, end, s.score))
    return out


def best_tags(probs: Any, switch_cost: float = SWITCH_COST) -> list[int]:
    """The most probable BIO sequence (Viterbi) for per-piece probabilities (pieces x 3), where an I
    never follows an O and each span pays `switch_cost` to open and to close."""
    import numpy as np

    logp = np.log(np.clip(np.asarray(probs, dtype=np.float64), 1e-9, 1.0)).tolist()
    if not logp:
        return []
    c = switch_cost
    # B and I leave alike (to O: close; to B: close and open; to I: stay), so only the better of the two matters
    o, b, i = logp[0][0], logp[0][1] - c, float("-inf")
    back: list[tuple[int, int, int]] = []  # per piece: the previous tag of its best O, B and I
    for lo, lb, li in logp[1:]:
        inside, via = (b, B) if b >= i else (i, I)
        to_o = (o, O) if o >= inside - c else (inside - c, via)
        to_b = (o - c, O) if o - c >= inside - 2 * c else (inside - 2 * c, via)
        back.append((to_o[1], to_b[1], via))
        o, b, i = to_o[0] + lo, to_b[0] + lb, inside + li
    tag = max((o, O), (b, B), (i, I))[1]
    tags = [tag]
    for row in reversed(back):
        tag = row[tag]
        tags.append(tag)
    return tags[::-1]
