"""The engines with the statement scorer fitted on other articles than those scored: k-fold by article.

The shipped scorer is fitted on all of PolNeAR dev, so `onrecord evaluate` on dev scores it on what it
was fitted to; this prints the figures of scorers that never saw the articles they are scored on.

    .venv/bin/python benchmarks/selection_cv.py ../shared/bench/polnear/dev --folds 5
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import zlib
from dataclasses import replace
from pathlib import Path

from onrecord.evaluate.gold import GoldSet, load_gold
from onrecord.evaluate.metrics import summarize
from onrecord.evaluate.runner import evaluate
from onrecord.nlp.trained.fit_selection import L2, THRESHOLD, labelled_candidates
from onrecord.nlp.trained.selection import fit_scorer
from onrecord.settings import Settings


def fold_of(name: str, folds: int) -> int:
    """A stable fold for an article name."""
    return zlib.crc32(name.encode()) % folds


def main(argv: list[str] | None = None) -> int:
    """Print end-to-end and element figures of each engine, every article scored by a scorer fitted without it."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", help="a brat folder (e.g. ../shared/bench/polnear/dev)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--engines", default="model,hybrid")
    args = ap.parse_args(argv)
    gold = load_gold(args.gold)
    rows, right, names = labelled_candidates(gold.articles, progress=lambda n: print(f"\r{n} articles", end="", file=sys.stderr))
    print(file=sys.stderr)
    folds = [fold_of(n, args.folds) for n in names]
    scores: dict[str, list] = {e: [] for e in args.engines.split(",")}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.folds):
            keep = [i for i, f in enumerate(folds) if f != k]
            path = fit_scorer([rows[i] for i in keep], [right[i] for i in keep], THRESHOLD, L2).save(Path(tmp) / f"fold{k}.json")
            part = GoldSet(gold.source, gold.format, tuple(a for a in gold.articles if fold_of(a.name, args.folds) == k), gold.skipped)
            for engine in scores:
                settings = replace(Settings.from_env(), engine=engine, statement_scorer=str(path))
                scores[engine] += evaluate(part, settings).articles
            print(f"fold {k + 1}/{args.folds}", file=sys.stderr)
    print(f"{len(gold.articles)} articles, {args.folds} folds by article; threshold {THRESHOLD}")
    for engine, found in scores.items():
        s = summarize(found)
        e2e, st = s.all.speaker_coref, s.all.statements[0.5]
        elements = " ".join(f"{k} {100 * v.f1:.1f}" for k, v in s.elements.items())
        print(f"{engine:7} end to end P {100 * e2e.precision:.1f} R {100 * e2e.recall:.1f} F1 {100 * e2e.f1:.1f} | "
              f"statements P {100 * st.precision:.1f} R {100 * st.recall:.1f} | {elements}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
