"""The store: one SQLite file (or PostgreSQL database), one connection, every write in one
transaction per article."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

from onrecord.errors import StoreError
from onrecord.model import Article, Extraction
from onrecord.store import export as _export
from onrecord.store import queries, stances, views, writer
from onrecord.store.backend import begin_write, database_errors, dialect, pipelined, redacted
from onrecord.store.records import (
    AddOutcome,
    ArticlePage,
    ArticleView,
    Counts,
    SearchHit,
    SearchPage,
    SpeakerPage,
    SpeakerProfile,
    SpeakerSummary,
    SpeakerTimeline,
    StatementDetail,
)
from onrecord.store.schema import connect

T = TypeVar("T")


class Store:
    """An onrecord store. Writes go through this object's one connection, serialised by a lock;
    each article's record is one transaction, so a crash leaves it wholly stored or not at all."""

    def __init__(self, path: str | Path, create: bool = True, read_only: bool = False) -> None:
        """Open the store at path, a SQLite file or a postgresql:// URL (creating it only when
        create), migrated to the current schema; read_only opens an existing, current store that
        nothing can then write through this object."""
        self.path = redacted(path)  # a URL's password stays out of messages
        self.read_only = read_only
        self.conn = connect(path, create=create, read_only=read_only)
        self.backend = dialect(self.conn)  # backend.SQLITE or backend.POSTGRESQL
        self._lock = threading.RLock()
        self._vectors: Any = None  # vectors.VectorCache, loaded by the first similar()
        self._embedder: Any = None  # the query embedder of similar(), loaded on first use

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writes ------------------------------------------------------------------------------------

    def add(self, record: Extraction) -> AddOutcome:
        """Store one article's record: 'added', 'already_stored' or 'copy' (see AddOutcome)."""
        with self._transaction():
            return writer.add_record(self.conn, record)

    def add_many(self, records: Iterable[Extraction], batch_size: int = 500) -> list[AddOutcome]:
        """Store many records, one transaction per batch (the fast path for bulk loads); the same
        outcomes as adding them one by one, in order."""
        outcomes: list[AddOutcome] = []
        batch: list[Extraction] = []
        for record in records:
            batch.append(record)
            if len(batch) >= max(1, batch_size):
                outcomes += self._add_batch(batch)
                batch = []
        if batch:
            outcomes += self._add_batch(batch)
        return outcomes

    def _add_batch(self, batch: list[Extraction]) -> list[AddOutcome]:
        with self._transaction():
            return [writer.add_record(self.conn, record) for record in batch]

    def known(self, article: Article) -> AddOutcome | None:
        """Before extracting: when this text is stored, record this publication of it (a copy from
        a new outlet or url) and say so; None when the article needs extracting and adding."""
        with self._transaction():
            return writer.stored_publication(self.conn, article)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock:
            begin_write(self.conn, self.path)
            try:
                with pipelined(self.conn):
                    yield
                self.conn.execute("COMMIT")
            except BaseException as exc:
                self.conn.execute("ROLLBACK")
                if isinstance(exc, database_errors()):
                    raise StoreError(f"cannot write to {self.path}: {exc}; nothing of this write was stored") from exc
                raise

    # -- reads -------------------------------------------------------------------------------------

    def _read(self, query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self._lock:
            try:
                return query(self.conn, *args, **kwargs)
            except database_errors() as exc:
                raise StoreError(f"cannot read {self.path}: {exc}") from exc

    def search(self, query: str, **filters: Any) -> list[SearchHit]:
        """Statements matching query, best first; filters: speaker, outlet, since, until, kind,
        limit, marks (see queries.search)."""
        return self._read(queries.search, query, **filters)

    def speakers(self, top: int | None = None) -> list[SpeakerSummary]:
        """Entities that made statements, most statements first."""
        return self._read(queries.speakers, top)

    def speaker(self, name: str) -> SpeakerProfile:
        """One speaker's profile, found by canonical name, variant or surname."""
        return self._read(queries.speaker, name)

    def export(self, fmt: str, out: str | Path | IO[Any] | None = None) -> int:
        """Write every statement source as jsonl, csv or parquet; returns the rows written."""
        return self._read(_export.export, fmt, out)

    def counts(self) -> Counts:
        """How many articles, statements, sources and entities are stored."""
        return self._read(queries.counts)

    # -- the web's views (store/views.py); their names and records are what server/ relies on ------

    def search_page(self, query: str, cursor: str | None = None, **filters: Any) -> SearchPage:
        """One page of search hits (filters as search, limit 1..100) and the cursor of the next."""
        return self._read(views.search_page, query, cursor=cursor, **filters)

    def statement_detail(self, statement_id: int) -> StatementDetail:
        """One statement with every source's article and exact offsets; NotFoundError when none."""
        return self._read(views.statement_detail, statement_id)

    def article_view(self, article_id: int) -> ArticleView:
        """One article's text and every statement span in it; NotFoundError when none."""
        return self._read(views.article_view, article_id)

    def list_articles(self, limit: int = 20, cursor: str | None = None) -> ArticlePage:
        """Articles, most recently stored first, a page at a time."""
        return self._read(views.list_articles, limit, cursor)

    def speakers_page(self, limit: int = 20, cursor: str | None = None) -> SpeakerPage:
        """Speakers, most statements first, a page at a time."""
        return self._read(views.speakers_page, limit, cursor)

    def speaker_profile(self, entity_id: int) -> SpeakerProfile:
        """One speaker's profile by entity id; NotFoundError when none."""
        return self._read(views.speaker_profile, entity_id)

    def speaker_timeline(self, speaker: int | str) -> SpeakerTimeline:
        """A speaker's (entity id or name) statements by month."""
        return self._read(views.speaker_timeline, speaker)

    # -- positions and disagreements (store/stances.py) --------------------------------------------

    def speaker_positions(self, speaker: int | str) -> stances.SpeakerPositions:
        """What a speaker (entity id or name) is for and against (stances.SpeakerPositions)."""
        return self._read(stances.speaker_positions, speaker)

    def target(self, target: str) -> stances.TargetView:
        """Who is for and who is against a target (its key or a printed form), by month (stances.TargetView)."""
        return self._read(stances.target, target)

    def targets(self, top: int | None = None) -> list[stances.TargetSummary]:
        """Targets with the most positions first (stances.TargetSummary)."""
        return self._read(stances.targets, top)

    def disagreement_network(self, min_weight: int = 1, limit: int = 50) -> stances.DisagreementNetwork:
        """Speakers who disagree, explicitly or by opposite stances (stances.DisagreementNetwork)."""
        return self._read(stances.disagreement_network, min_weight, limit)

    # -- embeddings and topics (store/vectors.py; the vectors come from onrecord.semantic) ----------

    def statements_to_embed(self, model: str, limit: int = 1000) -> list[tuple[int, str]]:
        """Up to limit (id, text) of statements with no vector of this model, in id order."""
        from onrecord.store import vectors

        return self._read(vectors.statements_to_embed, model, limit)

    def add_embeddings(self, model: str, ids: Sequence[int], matrix: Any) -> int:
        """Store the vectors (rows of matrix) of these statements in one transaction."""
        from onrecord.store import vectors

        with self._transaction():
            added = vectors.add_embeddings(self.conn, model, ids, matrix)
        self._vectors = None  # rows may have been replaced: reload on the next similar()
        return added

    def embeddings(self, model: str, dimensions: int) -> tuple[list[int], list[str], Any]:
        """Every statement with a vector of this model: ids, texts, (n, dimensions) matrix."""
        from onrecord.store import vectors

        return self._read(vectors.embeddings, model, dimensions)

    def replace_topics(self, topics: Sequence[Any]) -> int:
        """Replace the stored topics (semantic.topics.Topic records) in one transaction."""
        from onrecord.store import vectors

        with self._transaction():
            return vectors.replace_topics(self.conn, topics)

    def topics(self, top: int | None = None) -> list[Any]:
        """Stored topics (TopicSummary), largest first."""
        from onrecord.store import vectors

        return self._read(vectors.topics, top)

    def similar(self, query: Any, limit: int = 20, embedder: Any = None, **filters: Any) -> list[Any]:
        """Statements closest in meaning to query (a text, embedded with embedder or the default
        onrecord.semantic Embedder, or a unit vector), most similar first (SimilarHit); filters:
        speaker, outlet, since, until, kind, as for search. Needs `onrecord embed` first."""
        from onrecord.store import vectors

        if isinstance(query, str):
            if not query.strip():
                return []
            if embedder is None:
                if self._embedder is None:
                    from onrecord.semantic.embedder import Embedder

                    self._embedder = Embedder(threads=1)  # one short text: more threads only wait
                embedder = self._embedder
            query = embedder.embed([query])[0]
        model, dimensions = _model_of(embedder)
        with self._lock:
            if self._vectors is None or self._vectors.model != model:
                self._vectors = vectors.VectorCache(model, dimensions)
            index = self._read(self._vectors.current)
            return self._read(vectors.similar, index, query, limit, **filters)


def _model_of(embedder: Any) -> tuple[str, int]:
    """The model name and vector size of an embedder, or of the default one."""
    from onrecord.semantic.embedder import DIMENSIONS, MODEL_NAME

    return getattr(embedder, "model_name", MODEL_NAME), getattr(embedder, "dimensions", DIMENSIONS)


def open_store(path: str | Path, create: bool = True, read_only: bool = False) -> Store:
    """Open the store at path (a SQLite file or a postgresql:// URL); with create=False (or read_only) a missing file is a StoreError
    saying to ingest first."""
    return Store(path, create=create, read_only=read_only)
