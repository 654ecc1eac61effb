"""CPU throughput of the statement engines (rules, model, hybrid) in one run, on the same articles.

    .venv/bin/python benchmarks/bench_engine.py ../shared/bench/polnear/dev --limit 30 --rounds 3

One process; each engine's Pipeline is built and warmed up on one article first (model loading
excluded). Then, round after round, every engine extracts the same articles one by one
(``Pipeline.extract``), engines taking turns so that a busy machine slows each alike; the figure is
the median over rounds of articles per second, and the ratio of each engine to the rules. The
model runs with onnxruntime's default threads unless OMP_NUM_THREADS says otherwise.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from onrecord import Pipeline, Settings
from onrecord.evaluate import article_of, load_gold
from onrecord.settings import ENGINES


def main(argv: list[str] | None = None) -> int:
    """Measure and print articles per second for each engine; write JSON with --out."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", help="a brat folder (e.g. ../shared/bench/polnear/dev)")
    ap.add_argument("--limit", type=int, default=30, help="articles a round (default 30)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    ap.add_argument("--engines", default="rules,hybrid", help=f"comma-separated, of {', '.join(ENGINES)} (default rules,hybrid)")
    ap.add_argument("--out", help="write the figures as JSON to this file")
    args = ap.parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    articles = [article_of(a) for a in load_gold(args.gold, limit=args.limit).articles]
    chars = sum(len(a.text) for a in articles)
    pipelines = {e: Pipeline(Settings(engine=e, span_convention="polnear")) for e in engines}
    for p in pipelines.values():
        p.extract(articles[0])  # warm up: model sessions, caches
    rates: dict[str, list[float]] = {e: [] for e in engines}
    for r in range(args.rounds):
        for e in engines:
            started = time.perf_counter()
            for a in articles:
                pipelines[e].extract(a)
            spent = time.perf_counter() - started
            rates[e].append(len(articles) / spent)
            print(f"round {r + 1} {e}: {len(articles) / spent:.2f} articles/s", file=sys.stderr)
    base = statistics.median(rates["rules"]) if "rules" in rates else None
    result = {
        "gold": args.gold, "articles": len(articles), "characters": chars, "rounds": args.rounds,
        "engines": {
            e: {"median_articles_per_s": round(statistics.median(v), 3), "rounds": [round(x, 3) for x in v],
                "ratio_to_rules": round(statistics.median(v) / base, 3) if base else None}
            for e, v in rates.items()
        },
    }
    for e, fig in result["engines"].items():
        print(f"{e:7s} {fig['median_articles_per_s']:.2f} articles/s (median of {args.rounds})"
              + (f", {fig['ratio_to_rules']:.2f} x rules" if fig["ratio_to_rules"] else ""))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
