"""Evaluation against gold attributions (PolNeAR brat folders, JSON gold records): the figures
behind `onrecord evaluate`, BENCHMARKS.md and the regression gate in tests/test_evaluate_gate.py."""

from onrecord.evaluate.gold import GoldArticle, GoldAttribution, GoldSet, derive_kind, is_quoted, load_gold
from onrecord.evaluate.metrics import (
    HEADLINE_THETA,
    THRESHOLDS,
    ArticleScore,
    MetricSet,
    PredStatement,
    Score,
    Summary,
    predictions_from_record,
    score_article,
    summarize,
)
from onrecord.evaluate.report import format_report, report_dict
from onrecord.evaluate.runner import Evaluation, article_of, evaluate, score_records

__all__ = [
    "HEADLINE_THETA",
    "THRESHOLDS",
    "ArticleScore",
    "Evaluation",
    "GoldArticle",
    "GoldAttribution",
    "GoldSet",
    "MetricSet",
    "PredStatement",
    "Score",
    "Summary",
    "article_of",
    "derive_kind",
    "evaluate",
    "format_report",
    "is_quoted",
    "load_gold",
    "predictions_from_record",
    "report_dict",
    "score_article",
    "score_records",
    "summarize",
]
