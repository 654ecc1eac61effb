"""Exact-span F1 of the shipped model's Source, Cue and Content spans on their own, before they are
paired into statements: each contiguous span one element, as CofeNet scores (docs/model.md).

    .venv/bin/python benchmarks/model_spans.py ../shared/bench/polnear/dev
"""

from __future__ import annotations

import argparse
import sys

from onrecord.evaluate.gold import load_gold
from onrecord.nlp.trained.infer import predict_spans
from onrecord.nlp.trained.labels import LAYERS
from onrecord.nlp.trained.train import layer_span_sets


def main(argv: list[str] | None = None) -> int:
    """Print precision, recall and F1 of each layer over the articles of a brat folder."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", help="a brat folder (e.g. ../shared/bench/polnear/dev)")
    ap.add_argument("--limit", type=int, help="only the first N articles")
    args = ap.parse_args(argv)
    articles = load_gold(args.gold, limit=args.limit).articles
    counts = {k: [0, 0, 0] for k in LAYERS}  # tp, predicted, gold
    for n, a in enumerate(articles, 1):
        for k, (g, p) in layer_span_sets(a, predict_spans(a.text)).items():
            counts[k][0] += len(g & p)
            counts[k][1] += len(p)
            counts[k][2] += len(g)
        print(f"\r{n}/{len(articles)} articles", end="", file=sys.stderr)
    print(file=sys.stderr)
    print(f"{len(articles)} articles; exact spans, each contiguous span one element")
    print(f"{'':10} {'P':>6} {'R':>6} {'F1':>6}")
    for k, (tp, pred, gold_n) in counts.items():
        p, r = tp / max(pred, 1), tp / max(gold_n, 1)
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{k:10} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f}   tp {tp}, {pred} predicted, {gold_n} gold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
