"""onrecord against textacy's direct_quotations on PolNeAR: the same articles, the same spaCy model,
the same metrics (onrecord.evaluate), with speed and peak memory. Figures go into BENCHMARKS.md.

    .venv/bin/python benchmarks/bench_polnear.py ../shared/bench/polnear/dev --out out/bench

Each tool runs in its own fresh subprocess (``--worker``) that loads the model, extracts every
article once, one process, and reports its wall time for the extraction loop (model loading
excluded, reported apart) and its own peak resident set size (``ru_maxrss``: the whole process,
Python, spaCy and the model included). The parent then scores both tools' records with the same code.

textacy gets the least clean-up it needs not to crash: ``direct_quotations`` raises on an odd
number of quotation-mark tokens (apostrophes such as ``voters’`` count). For such an article the
single marks (' ’ ‘ ` ´) that stand as tokens of their own are replaced by spaces (same length, so
offsets hold) and the text is parsed again; an article that still has an odd count is counted as
empty (no predictions). Needs textacy: ``.venv/bin/pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from onrecord.evaluate import article_of, load_gold, score_records
from onrecord.evaluate.metrics import HEADLINE_THETA, MetricSet
from onrecord.model import Extraction, Span, SpeakerRef, Statement

TOOLS = ("onrecord", "textacy")
SINGLE_MARKS = frozenset("'’‘`´")


def rss_mib() -> float:
    """The current resident set size in MiB (Linux /proc), 0 where unknown."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def peak_rss_mib() -> float:
    """This process's peak resident set size in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- textacy ---------------------------------------------------------------------------------


def _pieces(tokens: list[Any], text: str) -> list[tuple[int, int]]:
    """Token offsets joined into pieces wherever only white space lies between two tokens."""
    out: list[list[int]] = []
    for tok in sorted(tokens, key=lambda t: t.idx):
        a, b = tok.idx, tok.idx + len(tok.text)
        if out and not text[out[-1][1] : a].strip():
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def textacy_record(nlp: Any, text: str, stats: dict[str, int]) -> Extraction:
    """textacy's direct quotations of one text as an onrecord record (no entities: speakers unresolved)."""
    from onrecord.model import Article
    from textacy.extract.triples import direct_quotations

    doc = nlp(text)
    if sum(1 for t in doc if t.is_quote) % 2:
        stats["cleaned"] += 1
        chars = list(text)
        for t in doc:
            if t.is_quote and t.text in SINGLE_MARKS:
                chars[t.idx : t.idx + len(t.text)] = " " * len(t.text)
        doc = nlp("".join(chars))
    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        stats["crashed"] += 1
        triples = []
    statements = []
    for n, tr in enumerate(triples, 1):
        sp = _pieces(tr.speaker, text)
        statements.append(
            Statement(
                id=f"s{n}",
                kind="direct",
                content=Span.of(text, tr.content.start_char, tr.content.end_char),
                cue=Span.joined(text, _pieces(tr.cue, text)),
                speaker=SpeakerRef(sp[0][0], sp[-1][1], text[sp[0][0] : sp[-1][1]], None),
            )
        )
    return Extraction(article=Article(text=text), statements=tuple(statements))


# --- one tool in its own process ---------------------------------------------------------------


def worker(tool: str, gold_path: str, limit: int | None, records_path: Path, stats_path: Path, repeat: int = 1) -> None:
    """Extract every gold article with one tool; write its records and its timing and memory."""
    gold = load_gold(gold_path, limit=limit)
    rss_start = rss_mib()
    t0 = time.perf_counter()
    stats = {"cleaned": 0, "crashed": 0}
    if tool == "onrecord":
        from onrecord.evaluate.runner import convention_for
        from onrecord.pipeline import Pipeline
        from onrecord.settings import Settings

        # the span convention of the gold, as `onrecord evaluate` follows it
        pipeline = Pipeline(Settings.from_env(span_convention=convention_for(gold)))
        run = lambda g: pipeline.extract(article_of(g))  # noqa: E731
    else:
        import textacy.extract.triples  # noqa: F401  (imported with the model, not inside the timed loop)

        from onrecord.nlp.spacy_model import load_model

        nlp = load_model(None, fast_morphology=False)  # textacy reads POS and lemmas: the full pipeline
        run = lambda g: textacy_record(nlp, g.text, stats)  # noqa: E731
    load_s = time.perf_counter() - t0
    rss_loaded = rss_mib()
    records = []
    walls, cpus = [], []
    for n in range(max(1, repeat)):
        t1, c1 = time.perf_counter(), time.process_time()
        for g in gold.articles:
            r = run(g)
            if n == 0:
                records.append({"name": g.name, "record": r.to_dict()})
        walls.append(time.perf_counter() - t1)
        cpus.append(time.process_time() - c1)
        if n == 0:
            first_pass = dict(stats)  # clean-ups and crashes of one pass
    seconds = min(walls)
    with open(records_path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    words = sum(len(g.text.split()) for g in gold.articles)
    stats_path.write_text(
        json.dumps(
            {
                "tool": tool,
                "articles": len(gold.articles),
                "words": words,
                "seconds": seconds,
                "wall_seconds_each_pass": walls,
                "cpu_seconds": min(cpus),
                "load_seconds": load_s,
                "articles_per_s": len(gold.articles) / seconds,
                "words_per_s": words / seconds,
                "rss_start_mib": rss_start,
                "rss_after_load_mib": rss_loaded,
                "peak_rss_mib": peak_rss_mib(),
                "passes": len(walls),
                **first_pass,
            },
            indent=2,
        )
    )


# --- both tools, scored ------------------------------------------------------------------------


def _f(x: float) -> str:
    return f"{100 * x:.1f}"


def _prf(m: MetricSet) -> dict[str, Any]:
    s, e = m.statements[HEADLINE_THETA], m.end_to_end
    return {
        "statements_0.5": s.to_dict(),
        "statements_exact": m.exact.to_dict(),
        "end_to_end": e.to_dict(),
        "speaker_coref_on_matched": m.speaker_coref_on_matched.to_dict(),
        "cue_on_matched": m.cue_on_matched.to_dict(),
    }


def main(argv: list[str] | None = None) -> int:
    """Run each tool in a subprocess, score both, print a Markdown table, write JSON under --out."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", help="a PolNeAR-style brat folder, e.g. ../shared/bench/polnear/dev")
    ap.add_argument("--limit", type=int, help="only the first N articles in sorted order")
    ap.add_argument("--out", default="out/bench", help="folder for records, errors and the JSON summary (default out/bench)")
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma-separated tools (default onrecord,textacy)")
    ap.add_argument("--repeat", type=int, default=3, help="extraction passes per tool; speed is the fastest pass (default 3)")
    ap.add_argument("--worker", choices=TOOLS, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.worker:
        worker(args.worker, args.gold, args.limit, out / f"{args.worker}.records.jsonl", out / f"{args.worker}.stats.json", args.repeat)
        return 0

    gold = load_gold(args.gold, limit=args.limit)
    results: dict[str, Any] = {}
    for tool in args.tools.split(","):
        cmd = [sys.executable, os.path.abspath(__file__), args.gold, "--out", str(out), "--worker", tool, "--repeat", str(args.repeat)]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        print(f"bench: running {tool} ...", file=sys.stderr, flush=True)
        subprocess.run(cmd, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        stats = json.loads((out / f"{tool}.stats.json").read_text())
        by_name = {}
        with open(out / f"{tool}.records.jsonl", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                by_name[r["name"]] = r["record"]
        records = [Extraction.from_dict(by_name[g.name], text=g.text) for g in gold.articles]
        ev = score_records(gold, records, system=tool)
        with open(out / f"{tool}.errors.jsonl", "w", encoding="utf-8") as f:
            for e in ev.errors:
                f.write(json.dumps(e, ensure_ascii=False) + "\n")
        results[tool] = {"stats": stats, "quoted": _prf(ev.summary.quoted), "all": _prf(ev.summary.all)}
    (out / "summary.json").write_text(json.dumps({"gold": args.gold, "articles": len(gold.articles), "tools": results}, indent=2))
    print(markdown_table(results, len(gold.articles)))
    return 0


def markdown_table(results: dict[str, Any], n_articles: int) -> str:
    """The BENCHMARKS.md table: quoted-subset metrics, all-statement end-to-end, speed, memory."""
    head = (
        "| tool | quoted: statements θ=0.5 P / R / F1 | quoted: exact F1 | quoted: end-to-end P / R / F1 "
        "| all: end-to-end F1 | articles/s | words/s | CPU s | peak RSS MiB (after model load) |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    rows = []
    for tool, r in results.items():
        q, a, s = r["quoted"], r["all"], r["stats"]
        st, e = q["statements_0.5"], q["end_to_end"]
        rows.append(
            f"| {tool} | {_f(st['precision'])} / {_f(st['recall'])} / {_f(st['f1'])} | {_f(q['statements_exact']['f1'])} "
            f"| {_f(e['precision'])} / {_f(e['recall'])} / {_f(e['f1'])} | {_f(a['end_to_end']['f1'])} "
            f"| {s['articles_per_s']:.2f} | {s['words_per_s']:.0f} | {s['cpu_seconds']:.1f} "
            f"| {s['peak_rss_mib']:.0f} ({s['rss_after_load_mib']:.0f}) |"
        )
    passes = next(iter(results.values()))["stats"]["passes"]
    notes = [
        f"{n_articles} articles, one process per tool, extraction loop only (model load apart); "
        f"speed from the fastest of {passes} passes, CPU s = process CPU time of that loop."
    ]
    if "textacy" in results:
        s = results["textacy"]["stats"]
        notes.append(f"textacy: {s['cleaned']} articles needed the single-mark clean-up, {s['crashed']} still crashed (counted empty).")
    if "onrecord" in results and "textacy" in results:
        o, t = results["onrecord"]["stats"], results["textacy"]["stats"]
        notes.append(
            f"onrecord takes {o['seconds'] / t['seconds']:.2f}x textacy's wall time, {o['cpu_seconds'] / t['cpu_seconds']:.2f}x its CPU time."
        )
    return "\n".join([head, *rows, "", *notes])


if __name__ == "__main__":
    sys.exit(main())
