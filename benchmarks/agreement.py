"""How far PolNeAR's annotators agree with each other, scored as `onrecord evaluate` scores onrecord.

Where a text has several annotators, the first (the one `evaluate` scores against) is the gold and
each other annotator's attributions are the predictions, their Source spans the speakers (so that
the speaker's mention and its entity are the same). The figures bound what any system trained and
scored on these annotations can be expected to reach (docs/model.md).

    .venv/bin/python benchmarks/agreement.py ../shared/bench/polnear/train ../shared/bench/polnear/dev --engine model

``--engine`` also scores an onrecord engine on the same texts, against the same gold.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import replace

from onrecord.evaluate.gold import GoldArticle, GoldSet, load_gold, other_annotations
from onrecord.evaluate.metrics import ArticleScore, PredStatement, Summary, score_article, summarize
from onrecord.settings import ENGINES, Settings


def as_predictions(article: GoldArticle) -> tuple[PredStatement, ...]:
    """An annotator's attributions in the form the metrics read predictions in."""
    return tuple(
        PredStatement(id=str(i), kind="indirect", content=a.content, cue=a.cue, speaker=a.source,
                      entity=f"source {a.source}" if a.source else None, entity_mentions=a.source)
        for i, a in enumerate(article.attributions)
    )


def row(name: str, texts: int, summary: Summary) -> str:
    """One line of the table: element-level exact F1 and end-to-end F1."""
    elements = " ".join(f"{100 * summary.elements[e].f1:{w}.1f}" for e, w in (("Source", 7), ("Cue", 6), ("Content", 8)))
    return f"  {name:14} {texts:5} {elements} {100 * summary.all.end_to_end.f1:6.1f}"


def main(argv: list[str] | None = None) -> int:
    """Print element-level exact F1 and end to end for each pair of annotators and pooled, per folder."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", help="brat folders (e.g. ../shared/bench/polnear/train)")
    ap.add_argument("--engine", choices=ENGINES, help="also score this onrecord engine on the same texts")
    args = ap.parse_args(argv)
    for folder in args.folders:
        pairs: dict[tuple[str, str], list[ArticleScore]] = defaultdict(list)
        gold = load_gold(folder)
        for article in gold.articles:
            for other in other_annotations(folder, article):
                score = score_article(article.name, article.text, article.attributions, as_predictions(other))
                pairs[(article.annotator or "", other.annotator or "")].append(score)
        texts = {s.name for scores in pairs.values() for s in scores}
        print(f"{folder}: {len(texts)} texts with more than one annotator")
        print(f"  {'gold / other':14} {'texts':>5} {'Source':>7} {'Cue':>6} {'Content':>8} {'e2e':>6}   (F1; elements exact)")
        for (first, other), scores in sorted(pairs.items()):
            print(row(f"{first} / {other}", len({s.name for s in scores}), summarize(scores)))
        if texts:
            print(row("pooled", len(texts), summarize([s for scores in pairs.values() for s in scores])))
        if texts and args.engine:
            from onrecord.evaluate.runner import evaluate

            shared = GoldSet(gold.source, gold.format, tuple(a for a in gold.articles if a.name in texts), gold.skipped)
            scored = evaluate(shared, replace(Settings.from_env(), engine=args.engine))
            print(row(f"{args.engine} engine", len(texts), scored.summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
