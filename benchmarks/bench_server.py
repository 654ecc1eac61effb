"""A bounded load test of `onrecord serve` on loopback: starts the server on a free port of
127.0.0.1 over a store built from the demo corpus (or --db), sends a fixed number of search
requests from a pool of concurrent clients, prints p50/p95/max latency and the error count,
and stops the server. Nothing is sent anywhere but 127.0.0.1.

    .venv/bin/python benchmarks/bench_server.py                      # 2,000 API searches, 16 at a time
    .venv/bin/python benchmarks/bench_server.py --target page --db /tmp/demo.db
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DEMO = [ROOT / "examples" / "wikinews-gum.jsonl", ROOT / "examples" / "cleverly-hussain.txt"]
ONRECORD = [sys.executable, "-m", "onrecord.cli"]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def build_store(path: Path) -> None:
    subprocess.run([*ONRECORD, "ingest", *map(str, DEMO), "--db", str(path), "--quiet"], check=True, stdout=subprocess.DEVNULL)


def wait_ready(port: int, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode} before answering")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer /health in time")


def get_json(port: int, path: str) -> dict:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path)
        return json.loads(conn.getresponse().read())
    finally:
        conn.close()


def query_words(port: int, n: int, seed: int) -> list[str]:
    """n search queries: one or two words drawn from the stored statements (served by the API)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    words: list[str] = []
    cursor = None
    while len(words) < 5000:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        conn.request("GET", "/api/articles?" + urlencode(params))
        page = json.loads(conn.getresponse().read())
        for item in page["items"]:
            conn.request("GET", f"/api/articles/{item['id']}")
            view = json.loads(conn.getresponse().read())
            for s in view["statements"]:
                words += [w for w in re.findall(r"[A-Za-z]{4,}", s["content"]["text"])]
        cursor = page["next_cursor"]
        if not cursor:
            break
    rng = random.Random(seed)
    return [" ".join(rng.sample(words, rng.choice((1, 1, 2)))) for _ in range(n)]


def run_load(port: int, queries: list[str], concurrency: int, target: str) -> tuple[list[float], int, float]:
    """Latencies in ms of every request, the number of errors, and the wall time in seconds."""
    local = threading.local()
    path = "/api/statements" if target == "api" else "/search"

    def one(q: str) -> tuple[float, bool]:
        conn = getattr(local, "conn", None) or http.client.HTTPConnection(HOST, port, timeout=30)
        local.conn = conn
        t0 = time.perf_counter()
        try:
            conn.request("GET", f"{path}?{urlencode({'q': q, 'limit': 20})}")
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            local.conn = None
            ok = False
        return (time.perf_counter() - t0) * 1000, ok

    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, queries))
    return [ms for ms, _ in results], sum(1 for _, ok in results if not ok), time.perf_counter() - t0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="search requests to send (default 2000)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight at once (default 16)")
    parser.add_argument("--db", help="an existing store (default: build one from the demo corpus)")
    parser.add_argument("--target", choices=("api", "page"), default="api", help="GET /api/statements or the /search page")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not 1 <= args.requests <= 100_000 or not 1 <= args.concurrency <= 256:
        parser.error("--requests must be 1..100000 and --concurrency 1..256")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "demo.db"
        if not args.db:
            t0 = time.perf_counter()
            build_store(db)
            print(f"built the demo store in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        port = free_port()
        server = subprocess.Popen([*ONRECORD, "serve", "--db", str(db), "--host", HOST, "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        try:
            wait_ready(port, server)
            stored = get_json(port, "/health")
            queries = query_words(port, args.requests, args.seed)
            run_load(port, queries[: min(50, len(queries))], args.concurrency, args.target)  # warm-up, not counted
            latencies, errors, wall = run_load(port, queries, args.concurrency, args.target)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    print(f"store: {stored['articles']} articles, {stored['statements']} statements; target {args.target}; "
          f"{args.requests} requests, {args.concurrency} concurrent, one uvicorn process on {HOST}")  # fmt: skip
    print("| requests | concurrency | p50 ms | p95 ms | p99 ms | max ms | requests/s | errors |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {len(latencies)} | {args.concurrency} | {statistics.median(latencies):.1f} | {percentile(latencies, 95):.1f} | "
          f"{percentile(latencies, 99):.1f} | {max(latencies):.1f} | {len(latencies) / wall:.0f} | {errors} |")  # fmt: skip
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
