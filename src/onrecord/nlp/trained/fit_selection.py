"""Fitting the statement scorer (selection.py) to gold articles: every candidate of the model's pairing
and of the rules, labelled right when it covers half a gold content and names its source."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from onrecord.evaluate.gold import GoldArticle
from onrecord.evaluate.runner import article_of
from onrecord.nlp.attribution import Attribution
from onrecord.nlp.spacy_model import load_model
from onrecord.nlp.trained.infer import load_session, predict_spans
from onrecord.nlp.trained.selection import StatementScorer, candidate_features, candidates, fit_scorer
from onrecord.pipeline import chunk_statements, model_text, prepare
from onrecord.settings import Settings

#: The scorer keeps a candidate from this probability up (dev, 5-fold by article: 0.3 to 0.5 all
#: measure 75.5 to 76.0 end to end under the model engine).
THRESHOLD = 0.4
#: The L2 penalty of the fit (0.1 to 10 measured the same).
L2 = 1.0


def labelled_candidates(
    articles: Sequence[GoldArticle], model: str | Path | None = None, progress: Callable[[int], None] | None = None
) -> tuple[list[list[float]], list[bool], list[str]]:
    """Feature rows of every candidate statement of the articles, whether each is right, and its article's name."""
    settings = replace(Settings.from_env(), engine="model", span_convention="polnear")
    nlp = load_model(settings.spacy_model, settings.fast_morphology)
    session = load_session(str(model) if model else None)
    rows: list[list[float]] = []
    right: list[bool] = []
    names: list[str] = []
    for n, gold in enumerate(articles, 1):
        prepared = prepare(article_of(gold), settings)
        docs = [nlp(t) for t in prepared.chunk_texts]
        spans = predict_spans(model_text(gold.text), session) if prepared.chunks else []
        for base, doc, _, rules, local in chunk_statements(prepared, docs, spans, settings):
            found = candidates(doc, local or [], rules, settings.span_convention)
            rows += candidate_features(doc, local or [], found)
            right += [is_right(gold, c.statement, base) for c in found]
            names += [gold.name] * len(found)
        if progress:
            progress(n)
    return rows, right, names


def is_right(gold: GoldArticle, att: Attribution, base: int = 0) -> bool:
    """Whether a statement covers at least half of a gold content's characters and names its source
    (or, for a gold attribution without one, names none): the end-to-end test of `onrecord evaluate`."""
    said = {i for a, b in att.content for i in range(a + base, b + base)}
    speaker = None if att.speaker is None else (att.speaker[0] + base, att.speaker[1] + base)
    for g in gold.attributions:
        content = {i for a, b in g.content for i in range(a, b)}
        if not content or 2 * len(content & said) < len(content):
            continue
        if not g.source and speaker is None:
            return True
        if speaker is not None and any(a < speaker[1] and speaker[0] < b for a, b in g.source):
            return True
    return False


def fit_selection(
    articles: Sequence[GoldArticle], model: str | Path | None = None, progress: Callable[[int], None] | None = None
) -> StatementScorer:
    """The statement scorer fitted to gold articles (the dev split) with a model's spans."""
    rows, right, _ = labelled_candidates(articles, model, progress)
    return fit_scorer(rows, right, THRESHOLD, L2)
