"""Ingest: files, folders, feeds, WARCs and stdin to Article records (no NLP)."""

from onrecord.ingest.base import ReadFailure
from onrecord.ingest.sources import iter_articles

__all__ = ["ReadFailure", "iter_articles"]
