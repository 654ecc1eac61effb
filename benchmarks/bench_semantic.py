"""Semantic benchmarks: embedding throughput on real sentences, and Store.similar latency over a
large store. Prints Markdown tables; see BENCHMARKS.md.

    .venv/bin/python benchmarks/bench_semantic.py embed examples/wikinews-gum.jsonl
    .venv/bin/python benchmarks/bench_semantic.py search --statements 100000 --queries 200 --out out/bench-semantic

The search store holds generated statements (bench_store.generated_records); their vectors are
not computed from their (random-word) texts but are real sentence vectors from the example
corpus, each stored many times with Gaussian noise (per dimension sd 0.02, about cos 0.9 to its
original) and renormalised, so the matrix has the clustered shape of real embeddings. Queries
are other real sentences, embedded at query time.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_store import _p95, generated_records  # noqa: E402

from onrecord.semantic.embedder import Embedder  # noqa: E402
from onrecord.semantic.topics import find_topics  # noqa: E402
from onrecord.store import Store  # noqa: E402

_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])")


def sentences(path: Path, min_words: int = 4) -> list[str]:
    """The sentences of the articles of a JSON Lines file (a paragraph split at sentence ends)."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        for paragraph in json.loads(line)["text"].split("\n"):
            found += [s.strip() for s in _SENTENCE_END.split(paragraph) if len(s.split()) >= min_words]
    return found


def bench_embed(path: Path, repeat: int, batch_size: int, threads: list[int]) -> None:
    """Sentences per second embedding every sentence of the corpus, medians of the passes."""
    texts = sentences(path)
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} sentences ({words} words, mean {words / len(texts):.1f}) from {path}, batch {batch_size}, "
          f"{repeat} passes, medians\n")  # fmt: skip
    print("| onnxruntime threads | seconds | sentences/s | CPU s per 1,000 sentences |")
    print("|---|---|---|---|")
    for n in threads:
        embedder = Embedder(threads=n or None)
        embedder.embed(texts[:batch_size])  # warm up
        walls, cpus = [], []
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            embedder.embed(texts, batch_size=batch_size)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(f"| {n or 'default'} | {wall:.2f} | {len(texts) / wall:.0f} | {cpu / len(texts) * 1000:.2f} |")


def bench_search(n_statements: int, out: Path, queries: int, seed: int, corpus: Path, with_topics: bool) -> None:
    """Generate (or reuse) a store of n_statements embedded statements, then time Store.similar:
    with the query embedding and without it (a vector query), unfiltered and filtered."""
    out.mkdir(parents=True, exist_ok=True)
    db = out / f"semantic-{n_statements}.db"
    embedder = Embedder(threads=1)
    texts = sentences(corpus)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(texts))
    base_texts = [texts[i] for i in order[: len(texts) // 2]]
    query_texts = [texts[i] for i in order[len(texts) // 2 :]]
    with Store(db) as store:
        have = store.counts().statements
        if have < n_statements:
            t0 = time.perf_counter()
            store.add_many(generated_records(n_statements - have, 20, seed + have), batch_size=500)
            print(f"generated {n_statements - have:,} statements in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        todo = store.statements_to_embed(embedder.model_name, limit=n_statements * 2)
        if todo:
            t0 = time.perf_counter()
            base = embedder.embed(base_texts)
            for begin in range(0, len(todo), 10_000):
                ids = [i for i, _ in todo[begin : begin + 10_000]]
                picked = base[rng.integers(0, len(base), len(ids))]
                noisy = picked + rng.normal(0, 0.02, picked.shape).astype(np.float32)
                store.add_embeddings(embedder.model_name, ids, noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
            print(f"stored {len(todo):,} vectors from {len(base)} real sentences in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        counts = store.counts()
    # a fresh Store: the first query loads the matrix
    with Store(db, read_only=True) as store:
        t0 = time.perf_counter()
        store.similar(query_texts[0], embedder=embedder)
        load_s = time.perf_counter() - t0
        matrix_mb = store._vectors.index.matrix.nbytes / 2**20
        speakers = [s.name for s in store.speakers(top=200)]
        picks = np.random.default_rng(seed + 1)
        cases = {
            "text (embedding + search)": lambda q: (q, {}),
            "vector (search only)": lambda q: (embedder.embed_one(q), {}),
            "text + speaker": lambda q: (q, {"speaker": speakers[picks.integers(len(speakers))]}),
            "text + since/until": lambda q: (q, {"since": "2018-01-01", "until": "2019-12-31"}),
            "text + outlet + kind": lambda q: (q, {"outlet": f"Outlet {picks.integers(200)}", "kind": "direct"}),
        }
        print(f"store: {counts.statements:,} statements, {counts.articles:,} articles, all embedded; "
              f"matrix {matrix_mb:.0f} MiB float32, loaded by the first query in {load_s:.2f} s; "
              f"{queries} queries of each kind (real sentences not among the stored ones), limit 20, 1 onnxruntime thread\n")  # fmt: skip
        print("| query | p50 ms | p95 ms | max ms | mean hits |")
        print("|---|---|---|---|---|")
        for name, make in cases.items():
            times, hits = [], []
            for n in range(queries):
                query, filters = make(query_texts[n % len(query_texts)])
                t0 = time.perf_counter()  # a vector query is embedded before the clock starts
                found = store.similar(query, embedder=embedder, **filters)
                times.append((time.perf_counter() - t0) * 1000)
                hits.append(len(found))
            print(f"| {name} | {statistics.median(times):.1f} | {_p95(times):.1f} | {max(times):.1f} | {statistics.mean(hits):.1f} |")
        times = []
        for n in range(queries):
            t0 = time.perf_counter()
            embedder.embed_one(query_texts[n % len(query_texts)])
            times.append((time.perf_counter() - t0) * 1000)
        print(f"| query embedding alone | {statistics.median(times):.1f} | {_p95(times):.1f} | {max(times):.1f} | |")
        if with_topics:
            t0 = time.perf_counter()
            found = find_topics(*store.embeddings(embedder.model_name, embedder.dimensions))
            print(f"\ntopics of all {counts.statements:,} statements (find_topics): {len(found):,} topics of 2 or more, "
                  f"{sum(t.size for t in found):,} statements in them, {time.perf_counter() - t0:.1f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    em = sub.add_parser("embed", help="embedding throughput")
    em.add_argument("corpus", type=Path)
    em.add_argument("--repeat", type=int, default=3)
    em.add_argument("--batch-size", type=int, default=64)
    em.add_argument("--threads", type=int, nargs="+", default=[1, 0], help="onnxruntime intra-op threads (0: its default)")
    se = sub.add_parser("search", help="Store.similar latency")
    se.add_argument("--statements", type=int, default=100_000)
    se.add_argument("--queries", type=int, default=200)
    se.add_argument("--out", type=Path, default=Path("out/bench-semantic"))
    se.add_argument("--seed", type=int, default=7)
    se.add_argument("--topics", action="store_true", help="also time find_topics over all the stored vectors")
    se.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1] / "examples" / "wikinews-gum.jsonl")
    args = parser.parse_args()
    if args.what == "embed":
        bench_embed(args.corpus, args.repeat, args.batch_size, args.threads)
    else:
        bench_search(args.statements, args.out, args.queries, args.seed, args.corpus, args.topics)


if __name__ == "__main__":
    main()
