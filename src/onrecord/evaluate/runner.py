"""Running an evaluation: gold articles through the pipeline (or given records), scored and summarised."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onrecord.errors import InputError
from onrecord.evaluate.gold import GoldArticle, GoldSet, load_gold
from onrecord.evaluate.metrics import ArticleScore, Summary, predictions_from_record, score_article, summarize
from onrecord.evaluate.report import error_records
from onrecord.model import Article, Extraction
from onrecord.settings import SPAN_CONVENTIONS, Settings

if TYPE_CHECKING:
    from onrecord.pipeline import Pipeline

#: Called after each article with (articles done, articles in all, article name).
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Evaluation:
    """The outcome of one evaluation: the gold, each article's score, the summary and the errors."""

    gold: GoldSet
    articles: tuple[ArticleScore, ...]
    summary: Summary
    errors: tuple[dict[str, Any], ...]
    seconds: float
    system: str = "onrecord"
    convention: str = "onrecord"  # the span convention the extractor followed (Settings.span_convention)


def convention_for(gold: GoldSet, convention: str = "auto") -> str:
    """The span convention to extract with: the gold's own when "auto" (brat folders are PolNeAR's)."""
    if convention != "auto" and convention not in SPAN_CONVENTIONS:
        raise InputError(f"unknown span convention {convention!r}; use auto or one of {', '.join(SPAN_CONVENTIONS)}")
    if convention == "auto":
        return "polnear" if gold.format == "brat" else "onrecord"
    return convention


def article_of(gold: GoldArticle) -> Article:
    """The Article the extractor reads for a gold article: its exact text, with its metadata."""
    return Article(text=gold.text, title=gold.title, outlet=gold.outlet, published=gold.published, source=gold.name)


def score_records(
    gold: GoldSet,
    records: Iterable[Extraction],
    *,
    system: str = "onrecord",
    progress: Progress | None = None,
) -> Evaluation:
    """Score records (one per gold article, in the same order) against the gold; the timer covers the iteration."""
    started = time.perf_counter()
    scores: list[ArticleScore] = []
    errors: list[dict[str, Any]] = []
    total = len(gold.articles)
    records_iter = iter(records)
    for n, article in enumerate(gold.articles, 1):
        record = next(records_iter, None)
        if record is None:
            raise InputError(f"{system}: only {n - 1} records for {total} gold articles")
        if record.article.text != article.text:
            raise InputError(f"{system}: the record for {article.name} is not of the gold text; records must follow the gold order")
        score = score_article(article.name, article.text, article.attributions, predictions_from_record(record))
        scores.append(score)
        errors += error_records(article, score)
        if progress is not None:
            progress(n, total, article.name)
    return Evaluation(gold, tuple(scores), summarize(scores), tuple(errors), time.perf_counter() - started, system)


def evaluate(
    gold: str | Path | GoldSet,
    settings: Settings | None = None,
    *,
    limit: int | None = None,
    n_process: int = 1,
    progress: Progress | None = None,
    pipeline: Pipeline | None = None,
    convention: str = "auto",
) -> Evaluation:
    """Run onrecord's Pipeline over the gold articles and score it: what `onrecord evaluate` prints.

    The extractor follows the gold's content convention (``convention_for``) unless a pipeline is given."""
    from onrecord.pipeline import Pipeline

    gold_set = gold if isinstance(gold, GoldSet) else load_gold(gold, limit=limit)
    if isinstance(gold, GoldSet) and limit is not None:
        gold_set = GoldSet(gold.source, gold.format, gold.articles[:limit], gold.skipped)
    if pipeline is None:
        chosen = convention_for(gold_set, convention)
        settings = replace(settings or Settings.from_env(), span_convention=chosen)
        pipeline = Pipeline(settings)
    chosen = pipeline.settings.span_convention
    records = pipeline.pipe((article_of(a) for a in gold_set.articles), n_process=n_process)
    engine = pipeline.settings.engine
    system = "onrecord" if engine == "rules" else f"onrecord ({engine} engine)"
    return replace(score_records(gold_set, records, system=system, progress=progress), convention=chosen)
