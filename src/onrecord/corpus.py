"""Ingest runs: articles from any source, through the extractor, into the store.

Each article is stored in one transaction, and an article whose text is already stored is never
extracted again, so a run killed at any moment is finished by running it again: the rerun skips
what was stored and gives the database an uninterrupted run would have given.

No article may take longer than ``Settings.max_article_seconds`` to extract: one that does is
reported as a failure, nothing of it is stored, and the run goes on.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onrecord.ingest import ReadFailure, iter_articles
from onrecord.ingest.base import over_time
from onrecord.ingest.timelimit import TimeLimitExceeded, time_limit
from onrecord.model import Article, Extraction
from onrecord.settings import Settings
from onrecord.store import AddOutcome, Store

if TYPE_CHECKING:
    from onrecord.pipeline import Pipeline


@dataclass
class IngestSummary:
    """What one ingest run did: articles added, already stored, recorded as copies, and the
    inputs that could not be read, with their reasons."""

    added: int = 0
    already_stored: int = 0
    copies: int = 0
    new_statements: int = 0
    merged_statements: int = 0
    failed: list[ReadFailure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def read(self) -> int:
        """Articles read, whatever became of them (failures apart)."""
        return self.added + self.already_stored + self.copies

    def count(self, outcome: AddOutcome) -> None:
        if outcome.status == "added":
            self.added += 1
            self.new_statements += outcome.new_statements
            self.merged_statements += outcome.merged_statements
        elif outcome.status == "copy":
            self.copies += 1
        else:
            self.already_stored += 1

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["read"] = self.read
        d["failed"] = [asdict(f) for f in self.failed]
        return d


#: Called after every input handled, with the summary so far.
Progress = Callable[[IngestSummary], None]


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    settings: Settings | None = None,
    *,
    workers: int = 1,
    pipeline: Pipeline | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Read every article of paths, extract the ones not yet stored and store their records.

    Unreadable inputs are counted with their reasons and never stop the run. The language model
    is loaded only when some article needs extracting."""
    settings = settings or Settings.from_env()
    summary = IngestSummary()
    started = time.perf_counter()

    def tick() -> None:
        summary.seconds = time.perf_counter() - started
        if progress is not None:
            progress(summary)

    def to_extract() -> Iterator[Article]:
        for item in iter_articles(paths, settings):
            if isinstance(item, ReadFailure):
                summary.failed.append(item)
                tick()
                continue
            known = store.known(item)
            if known is not None:
                summary.count(known)
                tick()
                continue
            yield item

    pending = to_extract()
    first = next(pending, None)
    if first is not None:
        if pipeline is None:
            from onrecord.pipeline import Pipeline

            pipeline = Pipeline(settings)
        for result in _extract_all(pipeline, _chain(first, pending), workers, settings):
            if isinstance(result, ReadFailure):
                summary.failed.append(result)
            else:
                summary.count(store.add(result))
            tick()
    tick()
    return summary


def _chain(first: Article, rest: Iterator[Article]) -> Iterator[Article]:
    yield first
    yield from rest


#: Articles parsed together (spaCy is faster on batches than one by one).
BATCH_SIZE = 16


def extract_within(pipeline: Pipeline, articles: list[Article], seconds: float) -> list[Extraction | ReadFailure]:
    """The record of each article, or a failure for one whose extraction took longer than ``seconds``
    (0: no limit). The batch is parsed together; only if it overruns are its articles timed one by one."""
    try:
        with time_limit(seconds * len(articles), "the batch took too long"):
            return list(pipeline.pipe(articles, batch_size=max(1, len(articles))))
    except TimeLimitExceeded:
        pass
    results: list[Extraction | ReadFailure] = []
    for article in articles:
        try:
            with time_limit(seconds, over_time("extracting the statements", seconds)):
                results.append(pipeline.extract(article))
        except TimeLimitExceeded as exc:
            results.append(ReadFailure(article.source or "", str(exc)))
    return results


def _extract_all(
    pipeline: Pipeline, articles: Iterator[Article], workers: int, settings: Settings
) -> Iterator[Extraction | ReadFailure]:
    """Records (or time-limit failures) for the articles, in input order, in this process or in
    ``workers`` processes, each holding a few batches at most."""
    batches = iter(lambda: list(islice(articles, BATCH_SIZE)), [])
    seconds = settings.max_article_seconds
    if workers <= 1:
        for batch in batches:
            yield from extract_within(pipeline, batch, seconds)
        return
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(settings,)) as pool:
        window: deque[Future[list[Extraction | ReadFailure]]] = deque()
        for batch in batches:
            window.append(pool.submit(_extract_in_worker, batch, seconds))
            if len(window) >= 2 * workers:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


_worker_pipeline: Pipeline | None = None


def _start_worker(settings: Settings) -> None:
    """A worker process: one thread for the parser's maths, and its own pipeline, loaded once."""
    global _worker_pipeline
    from onrecord.pipeline import Pipeline

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _worker_pipeline = Pipeline(settings)


def _extract_in_worker(articles: list[Article], seconds: float) -> list[Extraction | ReadFailure]:
    assert _worker_pipeline is not None
    return extract_within(_worker_pipeline, articles, seconds)
