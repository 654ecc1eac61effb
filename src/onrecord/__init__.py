"""onrecord: reads news and keeps a checkable record of who said what."""

from onrecord.errors import InputError, ModelNotFoundError, OnrecordError, RecordError, SettingsError, StoreError
from onrecord.model import Article, Disagreement, Entity, Extraction, Position, Span, SpeakerRef, Statement
from onrecord.pipeline import Pipeline, extract
from onrecord.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Disagreement",
    "Entity",
    "Extraction",
    "InputError",
    "ModelNotFoundError",
    "OnrecordError",
    "Pipeline",
    "Position",
    "RecordError",
    "Settings",
    "SettingsError",
    "Span",
    "SpeakerRef",
    "Statement",
    "StoreError",
    "extract",
    "__version__",
]
