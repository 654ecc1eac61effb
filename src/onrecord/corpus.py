"""Ingest runs: articles from any source, through the extractor, into the store.

Each article is stored in one transaction, and an article whose text is already stored is never
extracted again, so a run killed at any moment is finished by running it again: the rerun skips
what was stored and gives the database an uninterrupted run would have given.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onrecord.ingest import ReadFailure, iter_articles
from onrecord.model import Article
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
        for record in pipeline.pipe(_chain(first, pending), n_process=workers):
            summary.count(store.add(record))
            tick()
    tick()
    return summary


def _chain(first: Article, rest: Iterator[Article]) -> Iterator[Article]:
    yield first
    yield from rest
