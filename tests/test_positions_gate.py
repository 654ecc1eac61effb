"""Regression gate for positions: the labelled PolNeAR dev triples (tests/data/positions/), scored
with `onrecord evaluate-positions`, must stay at or above pinned floors.

Measured with `onrecord evaluate-positions tests/data/positions/polnear_dev_positions.jsonl`: once
the rules were written (2026-11-30) precision 47.4 (18/38), recall 8.3 (18/217); after the
precision round (rules developed on PolNeAR train only, the dev errors never read), precision 55.2
(16/29), then after a last train-only fix 64.0 (16/25), recall 7.4 (16/217), F1 13.2 over 20
articles. Still below the issue's bar (precision >= 0.80). The precision floor rises to 0.60; the
recall and true-positive floors come down (0.075 -> 0.07, 18 -> 16): the round traded two true
triples for eleven false ones fewer, as the issue puts precision first. Floors otherwise only move
up; the gold is a held-out test, so rules are developed on PolNeAR train texts, never on it.
PolNeAR texts are read from shared/ (beside the repository, or $ONRECORD_SHARED).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from onrecord.evaluate.positions import evaluate_positions, format_position_report

GOLD = Path(__file__).parent / "data" / "positions" / "polnear_dev_positions.jsonl"
SHARED = Path(os.environ.get("ONRECORD_SHARED") or Path(__file__).resolve().parents[2] / "shared")
POLNEAR_DEV = SHARED / "bench" / "polnear" / "dev"

FLOORS = {"precision": 0.60, "recall": 0.07, "true_positives": 16}


def _require(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("ONRECORD_SHARED") or os.environ.get("CI"):
            pytest.fail(f"{path} is missing: shared/ must lie beside the repository (or set ONRECORD_SHARED)")
        pytest.skip(f"{path} not found; set ONRECORD_SHARED to the shared folder")
    return path


def test_positions_gate_polnear_dev(pipeline):
    result = evaluate_positions(GOLD, _require(POLNEAR_DEV), pipeline)
    assert result.articles == 20 and result.true_positives + result.false_negatives == 217
    measured = {"precision": result.precision, "recall": result.recall, "true_positives": result.true_positives}
    below = {k: (round(v, 4), FLOORS[k]) for k, v in measured.items() if v < FLOORS[k]}
    assert not below, "below the floor (measured, floor): " + repr(below) + "\n" + format_position_report(result)
