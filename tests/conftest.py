"""Shared fixtures: the pipeline is loaded once per test session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onrecord import Pipeline, Settings
from pg_support import module_store_url, store_url  # noqa: F401  (fixtures: both store backends)

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline(Settings())


@pytest.fixture(scope="session")
def example_text() -> str:
    return (DATA / "cleverly-hussain.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_gold() -> dict:
    return json.loads((DATA / "cleverly-hussain.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def example_record(pipeline, example_text):
    return pipeline.extract(example_text)
