"""Where the model engine's Content figure is lost: spans the model never tagged, or candidates the
statement scorer did not keep (PolNeAR's convention, the shipped model and scorer; docs/model.md).

    .venv/bin/python benchmarks/engine_ceiling.py ../shared/bench/polnear/dev

For each gold content it asks: does the engine's pick hold it exactly; does one of the model's own
Content spans; is any candidate (model or rules) right end to end (half its content covered, its
source named), and was that candidate under the scorer's threshold or put aside for an overlapping,
more probable one. A better scorer can win back only the last two; the rest needs a better model.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import replace

from onrecord.evaluate.gold import GoldArticle, GoldAttribution, load_gold
from onrecord.evaluate.metrics import chars, normalized
from onrecord.evaluate.runner import article_of
from onrecord.nlp.attribution import Attribution
from onrecord.nlp.spacy_model import load_model
from onrecord.nlp.trained.fit_selection import is_right
from onrecord.nlp.trained.infer import predict_spans
from onrecord.nlp.trained.selection import candidate_features, candidates, load_scorer, select_statements
from onrecord.pipeline import chunk_statements, model_text, prepare
from onrecord.settings import Settings


def main(argv: list[str] | None = None) -> int:
    """Print how the gold contents of a brat folder fare at each stage of the model engine."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", help="a brat folder (e.g. ../shared/bench/polnear/dev)")
    ap.add_argument("--limit", type=int, help="only the first N articles")
    args = ap.parse_args(argv)
    settings = replace(Settings.from_env(), engine="model", span_convention="polnear")
    nlp = load_model(settings.spacy_model, settings.fast_morphology)
    scorer = load_scorer(settings.statement_scorer)
    articles = load_gold(args.gold, limit=args.limit).articles
    exact: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    n_gold = 0
    for n, gold in enumerate(articles, 1):
        text = gold.text
        spans = predict_spans(model_text(text))
        tagged = {chars(normalized(text, ((s.start, s.end),))) for s in spans if s.layer == "Content"}
        picked: set[frozenset[int]] = set()
        scored: list[tuple[float, bool, Attribution, int]] = []  # probability, kept, statement, its chunk's offset
        prepared = prepare(article_of(gold), settings)
        docs = [nlp(t) for t in prepared.chunk_texts]
        for base, doc, _, rules, local in chunk_statements(prepared, docs, spans, settings):
            found = candidates(doc, local or [], rules, settings.span_convention)
            rows = candidate_features(doc, local or [], found)
            kept = {id(a) for a in select_statements(found, rows, scorer)}
            for c, p in zip(found, scorer.probabilities(rows)):
                if id(c.statement) in kept:
                    picked.add(chars(normalized(text, tuple((a + base, b + base) for a, b in c.statement.content))))
                scored.append((float(p), id(c.statement) in kept, c.statement, base))
        for g in gold.attributions:
            key = chars(normalized(text, g.content))
            if not key:
                continue
            n_gold += 1
            exact["picked exactly"] += key in picked
            exact["tagged exactly by the model"] += key in tagged
            exact["tagged exactly, not picked"] += key in tagged and key not in picked
            missed[_fate(gold, g, scored, scorer.threshold)] += 1
        print(f"\r{n}/{len(articles)} articles", end="", file=sys.stderr)
    print(file=sys.stderr)
    print(f"{len(articles)} articles, {n_gold} gold contents (as `evaluate` counts them, one per attribution)")
    for k, v in exact.items():
        print(f"  {k:40} {v:5}  {100 * v / max(n_gold, 1):5.1f} %")
    print("end to end (half the content covered, the source named), by the best candidate:")
    for k, v in missed.most_common():
        print(f"  {k:40} {v:5}  {100 * v / max(n_gold, 1):5.1f} %")
    return 0


def _fate(gold: GoldArticle, g: GoldAttribution, scored: list[tuple[float, bool, Attribution, int]], threshold: float) -> str:
    """What became of a gold attribution: a kept candidate gets it right, or why none does."""
    one = replace(gold, attributions=(g,))
    right = [(p, kept) for p, kept, att, base in scored if is_right(one, att, base)]
    if any(kept for _, kept in right):
        return "right: a kept candidate"
    if not right:
        return "no right candidate"
    if max(p for p, _ in right) < threshold:
        return "right candidate under the threshold"
    return "right candidate put aside (overlap)"


if __name__ == "__main__":
    raise SystemExit(main())
