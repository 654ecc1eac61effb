"""Searches served while an ingest writes to the same store, on SQLite and on PostgreSQL: a real
ingest (corpus.ingest in its own process, as `onrecord ingest` beside `onrecord serve`) adds a
generated corpus to a store that already holds one, while threads search it through
Store.search and through the API (GET /api/statements?q=, the app opened read-only as `onrecord
serve` opens it). No search may fail (no "database is locked", no 500), and the ingest must
really write during the searches. Prints searches done, errors and p50/p95 latency.

ONRECORD_CONCURRENCY_ARTICLES (default 100) sets the articles the ingest writes meanwhile; the
figures in docs/reliability.md come from a longer run."""

from __future__ import annotations

import os
import random
import statistics
import threading
import time

import pytest
from fastapi.testclient import TestClient

from onrecord.server.app import create_app
from onrecord.store import Store
from reliability_support import QUOTES, SURNAME, IngestForker, write_corpus

ARTICLES = int(os.environ.get("ONRECORD_CONCURRENCY_ARTICLES", "100"))
THREADS_PER_KIND = 2
WORDS = sorted({w.lower() for q in QUOTES for w in q.split() if len(w) > 3} | {s.lower() for s in SURNAME})


@pytest.fixture(scope="module")
def forker():
    f = IngestForker()
    yield f
    f.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Searches:
    """Threads searching until stopped: latencies (ms) and errors, per kind."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.latencies: dict[str, list[float]] = {"store": [], "api": []}
        self.errors: list[str] = []
        self.threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self, kind: str, search, seed: int) -> None:
        def loop() -> None:
            rng = random.Random(seed)
            while not self.stop.is_set():
                query = " ".join(rng.sample(WORDS, rng.choice((1, 1, 2))))
                t0 = time.perf_counter()
                try:
                    problem = search(query)
                except Exception as exc:  # noqa: BLE001 - any failure is what the test counts
                    problem = f"{type(exc).__name__}: {exc}"
                ms = (time.perf_counter() - t0) * 1000
                with self._lock:
                    self.latencies[kind].append(ms)
                    if problem:
                        self.errors.append(f"{kind} {query!r}: {problem}")

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        self.threads.append(thread)

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_searches_while_an_ingest_writes_never_fail(forker, store_url, tmp_path):
    location = store_url("shared.db")
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    write_corpus(first, 40, seed=1)
    write_corpus(second, ARTICLES, seed=2)
    assert forker.wait(forker.start(location, [str(first)])) == 0
    with Store(location) as store:
        before = store.counts()

    app = create_app(location)  # read-only, as `onrecord serve` without --allow-ingest
    searchers = [Store(location) for _ in range(THREADS_PER_KIND)]
    searches = Searches()

    def api_search(client: TestClient):
        def search(query: str) -> str | None:
            response = client.get("/api/statements", params={"q": query, "limit": 20})
            return None if response.status_code == 200 else f"{response.status_code} {response.text[:200]}"
        return search

    def store_search(store: Store):
        def search(query: str) -> str | None:
            store.search(query, limit=20)
            return None
        return search

    pid = forker.start(location, [str(second)])
    t0 = time.monotonic()
    for n in range(THREADS_PER_KIND):
        searches.start("store", store_search(searchers[n]), seed=n)
        searches.start("api", api_search(TestClient(app)), seed=100 + n)
    status = forker.wait(pid)
    writing = time.monotonic() - t0
    searches.finish()
    for store in searchers:
        store.close()
    app.state.store.close()

    assert status == 0, f"the ingest exited with {status} while searches ran"
    with Store(location) as store:
        after = store.counts()
    assert after.articles == before.articles + ARTICLES, "the ingest did not store every article"
    done = {kind: len(v) for kind, v in searches.latencies.items()}
    figures = "; ".join(
        f"{kind}: {len(ms)} searches, p50 {statistics.median(ms):.1f} ms, p95 {percentile(ms, 95):.1f} ms, max {max(ms):.1f} ms"
        for kind, ms in searches.latencies.items() if ms
    )
    print(f"\n{store_url.backend}: during {writing:.1f} s of ingest ({ARTICLES} articles, {after.sources - before.sources} "
          f"statement sources added): {figures}; errors {len(searches.errors)}")  # fmt: skip
    assert searches.errors == [], searches.errors[:5]
    assert min(done.values()) >= 10, f"too few searches ran during the ingest: {done}"
