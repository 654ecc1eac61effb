"""One error hierarchy: every message says what went wrong and what to do about it."""

from __future__ import annotations


class OnrecordError(Exception):
    """Base of every error onrecord raises on purpose; the CLI prints its message alone."""


class InputError(OnrecordError):
    """An input that cannot be read: missing, unreadable, binary or of an unknown kind."""


class ModelNotFoundError(OnrecordError):
    """No usable spaCy English model is installed."""


class SettingsError(OnrecordError):
    """A setting has a value onrecord cannot use."""


class RecordError(OnrecordError):
    """A JSON record that does not have the shape of an onrecord Extraction."""


class StoreError(OnrecordError):
    """The store cannot be opened, migrated, written or queried as asked."""


class NotFoundError(StoreError):
    """What was asked for (an article, a statement, a speaker by id) is not in the store."""
