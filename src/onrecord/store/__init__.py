"""The store: many articles' records in one SQLite file, speakers merged across articles, the
same statement from many outlets kept once with all its sources, searchable (see docs/architecture.md)."""

from onrecord.store.database import Store, open_store
from onrecord.store.export import FORMATS as EXPORT_FORMATS
from onrecord.store.queries import fts_query
from onrecord.store.records import (
    AddOutcome,
    ArticleRef,
    Counts,
    OutletCount,
    ProfileStatement,
    RoleSpan,
    SearchHit,
    SpeakerProfile,
    SpeakerSummary,
)
from onrecord.store.schema import MIGRATIONS, schema_version

__all__ = [
    "EXPORT_FORMATS",
    "MIGRATIONS",
    "AddOutcome",
    "ArticleRef",
    "Counts",
    "OutletCount",
    "ProfileStatement",
    "RoleSpan",
    "SearchHit",
    "SpeakerProfile",
    "SpeakerSummary",
    "Store",
    "fts_query",
    "open_store",
    "schema_version",
]
