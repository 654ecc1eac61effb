"""A bounded load test of `onrecord serve` on loopback: starts the server on a free port of
127.0.0.1 over a store built from the demo corpus (or --db), sends a fixed number of search
requests from a pool of concurrent clients, prints p50/p95/max latency and the error count,
and stops the server. Nothing is sent anywhere but 127.0.0.1.

    .venv/bin/python benchmarks/bench_server.py                      # 2,000 API searches, 16 at a time
    .venv/bin/python benchmarks/bench_server.py --target page --db /tmp/demo.db
    .venv/bin/python benchmarks/bench_server.py --clients 50 --duration 60   # 50 clients held for 60 s, mixed endpoints

With --clients, each client is a thread with its own keep-alive connection that sends requests
back to back until --duration ends, drawn from a mix of every kind of read (API search, the
search page, a statement, an article, speakers, a speaker, targets, health) over ids the store
really holds; any answer but 200 or 404, and any connection failure, is an error.
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


#: The mixed load: (weight, kind); kinds are filled by mixed_request.
MIX = [(30, "api_search"), (15, "page_search"), (15, "statement"), (10, "article"), (10, "speaker"),
       (5, "speakers"), (5, "articles"), (5, "targets"), (5, "health")]  # fmt: skip


def store_ids(port: int) -> dict[str, list[int]]:
    """Ids of statements, articles and speakers the store holds (read through the API)."""
    articles = [a["id"] for a in get_json(port, "/api/articles?limit=100")["items"]]
    statements = sorted({s["statement_id"] for a in articles[:50] for s in get_json(port, f"/api/articles/{a}")["statements"]})
    speakers = [s["entity_id"] for s in get_json(port, "/api/speakers?top=100")["items"]]
    return {"article": articles, "statement": statements, "speaker": speakers}


def mixed_request(rng: random.Random, queries: list[str], ids: dict[str, list[int]]) -> tuple[str, str]:
    """One request of the mix: (kind, path)."""
    kind = rng.choices([k for _, k in MIX], weights=[w for w, _ in MIX])[0]
    if kind in ("api_search", "page_search"):
        path = "/api/statements" if kind == "api_search" else "/search"
        return kind, f"{path}?{urlencode({'q': rng.choice(queries), 'limit': 20} if kind == 'api_search' else {'q': rng.choice(queries)})}"
    if kind in ids and ids[kind]:
        prefix = {"statement": "/api/statements/", "article": "/articles/", "speaker": "/api/speakers/"}[kind]
        return kind, f"{prefix}{rng.choice(ids[kind])}"
    return kind, {"speakers": "/api/speakers?top=50", "articles": "/articles", "targets": "/api/targets", "health": "/health"}.get(kind, "/health")


def hold_load(port: int, queries: list[str], ids: dict[str, list[int]], clients: int, duration: float, seed: int) -> tuple[list[tuple[str, float, bool]], float]:
    """clients threads sending mixed requests back to back for duration seconds: every request's
    (kind, ms, ok) and the wall time."""
    results: list[tuple[str, float, bool]] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        mine = []
        while time.perf_counter() < deadline:
            kind, path = mixed_request(rng, queries, ids)
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status in (200, 404)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                ok = False
            mine.append((kind, (time.perf_counter() - t0) * 1000, ok))
        conn.close()
        with lock:
            results.extend(mine)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - t0


def print_hold(results: list[tuple[str, float, bool]], wall: float, clients: int) -> int:
    """The held load's table, overall and by kind; returns the number of errors."""
    print("| kind | requests | p50 ms | p95 ms | p99 ms | max ms | requests/s | errors |")
    print("|---|---|---|---|---|---|---|---|")
    kinds = [k for _, k in MIX if any(r[0] == k for r in results)]
    for kind in [*kinds, f"all ({clients} clients)"]:
        rows = [r for r in results if r[0] == kind or kind.startswith("all")]
        ms = [r[1] for r in rows]
        print(f"| {kind} | {len(rows)} | {statistics.median(ms):.1f} | {percentile(ms, 95):.1f} | {percentile(ms, 99):.1f} | "
              f"{max(ms):.1f} | {len(rows) / wall:.0f} | {sum(1 for r in rows if not r[2])} |")  # fmt: skip
    return sum(1 for r in results if not r[2])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="search requests to send (default 2000)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight at once (default 16)")
    parser.add_argument("--db", help="an existing store (default: build one from the demo corpus)")
    parser.add_argument("--target", choices=("api", "page"), default="api", help="GET /api/statements or the /search page")
    parser.add_argument("--clients", type=int, help="hold this many concurrent clients on mixed endpoints (with --duration)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds to hold --clients (default 60)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not 1 <= args.requests <= 100_000 or not 1 <= args.concurrency <= 256:
        parser.error("--requests must be 1..100000 and --concurrency 1..256")
    if args.clients is not None and not (1 <= args.clients <= 1000 and 1 <= args.duration <= 3600):
        parser.error("--clients must be 1..1000 and --duration 1..3600 seconds")
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
            if args.clients is not None:
                results, wall = hold_load(port, queries, store_ids(port), args.clients, args.duration, args.seed)
            else:
                latencies, errors, wall = run_load(port, queries, args.concurrency, args.target)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    if args.clients is not None:
        print(f"store: {stored['articles']} articles, {stored['statements']} statements; {args.clients} clients held for "
              f"{wall:.1f} s on mixed endpoints, one uvicorn process on {HOST}")  # fmt: skip
        return 1 if print_hold(results, wall, args.clients) else 0
    print(f"store: {stored['articles']} articles, {stored['statements']} statements; target {args.target}; "
          f"{args.requests} requests, {args.concurrency} concurrent, one uvicorn process on {HOST}")  # fmt: skip
    print("| requests | concurrency | p50 ms | p95 ms | p99 ms | max ms | requests/s | errors |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {len(latencies)} | {args.concurrency} | {statistics.median(latencies):.1f} | {percentile(latencies, 95):.1f} | "
          f"{percentile(latencies, 99):.1f} | {max(latencies):.1f} | {len(latencies) / wall:.0f} | {errors} |")  # fmt: skip
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
