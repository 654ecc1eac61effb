"""Regression gate: the example article and the first 10 PolNeAR dev articles (sorted by name),
scored with `onrecord evaluate`'s metrics, must stay at or above pinned floors.

Floors only move up: when the extractor gets better, raise them to a little below the new
figures (run `onrecord evaluate ../shared/bench/polnear/dev --limit 10`). PolNeAR texts are read
from shared/ (beside the repository, or $ONRECORD_SHARED) and never copied into the project.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from onrecord import Pipeline
from onrecord.evaluate import Evaluation, evaluate, format_report

SHARED = Path(os.environ.get("ONRECORD_SHARED") or Path(__file__).resolve().parents[2] / "shared")
EXAMPLE_GOLD = SHARED / "examples" / "cleverly-hussain.gold.json"
POLNEAR_DEV = SHARED / "bench" / "polnear" / "dev"
POLNEAR_SAMPLE = 10

# metric path -> floor. Measured (example): statements θ=0.5 P 80.0 R 100 F1 88.9, end-to-end 88.9,
# exact 88.9, cue 88.9.
EXAMPLE_FLOORS = {
    "all/statements/0.5/recall": 0.99,
    "all/statements/0.5/f1": 0.85,
    "all/end_to_end/recall": 0.99,
    "all/end_to_end/f1": 0.85,
    "all/statements_exact/f1": 0.85,
    "all/cue/f1": 0.85,
    "quoted/end_to_end/f1": 0.99,
}
# Measured (PolNeAR dev, first 10, PolNeAR's span convention, hybrid engine): statements θ=0.5 P 88.1
# R 63.0; end-to-end F1 69.8, quoted 80.9; exact F1 56.8; on matched: speaker (coref) 95.0, cue 94.3;
# elements Source 79.6, Cue 72.0, Content 56.8.
POLNEAR_FLOORS = {
    "all/statements/0.5/precision": 0.87,
    "all/statements/0.5/recall": 0.61,
    "all/end_to_end/f1": 0.68,
    "quoted/end_to_end/f1": 0.79,
    "quoted/statements/0.5/f1": 0.83,
    "all/statements_exact/f1": 0.55,
    "all/on_matched/speaker_coref/accuracy": 0.93,
    "all/on_matched/cue/accuracy": 0.94,
    "elements/Source/f1": 0.78,
    "elements/Cue/f1": 0.70,
    "elements/Content/f1": 0.55,
}


def _figure(evaluation: Evaluation, path: str) -> float:
    """A figure by its path in the JSON summary: all/statements/0.5/f1, quoted/end_to_end/recall, elements/Cue/f1 ..."""
    node = evaluation.summary.to_dict()
    node["elements"] = node.pop("elements_exact")
    for key in path.split("/"):
        node = node[key]
    return float(node)  # type: ignore[arg-type]


def _check(evaluation: Evaluation, floors: dict[str, float]) -> None:
    below = {p: (round(_figure(evaluation, p), 4), f) for p, f in floors.items() if _figure(evaluation, p) < f}
    assert not below, "below the floor (measured, floor): " + repr(below) + "\n" + format_report(evaluation)


def _require(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("ONRECORD_SHARED") or os.environ.get("CI"):
            pytest.fail(f"{path} is missing: shared/ must lie beside the repository (or set ONRECORD_SHARED)")
        pytest.skip(f"{path} not found; set ONRECORD_SHARED to the shared folder")
    return path


def test_evaluate_gate_example_article(pipeline):
    evaluation = evaluate(_require(EXAMPLE_GOLD), pipeline=pipeline)
    assert len(evaluation.gold.articles) == 1 and len(evaluation.gold.articles[0].attributions) == 8
    _check(evaluation, EXAMPLE_FLOORS)


def test_evaluate_gate_polnear_dev_sample(pipeline):
    polnear = Pipeline(replace(pipeline.settings, span_convention="polnear"))  # the gold's convention
    evaluation = evaluate(_require(POLNEAR_DEV), limit=POLNEAR_SAMPLE, pipeline=polnear)
    assert len(evaluation.gold.articles) == POLNEAR_SAMPLE
    assert [a.name for a in evaluation.gold.articles] == sorted(a.name for a in evaluation.gold.articles)
    _check(evaluation, POLNEAR_FLOORS)
