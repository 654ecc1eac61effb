"""Keeping a store's vectors and topics up to date: embed the statements that have no vector yet
(each statement once), and rebuild the topics from all vectors. Works on any Store (duck-typed:
statements_to_embed, add_embeddings, embeddings, replace_topics), so this package never imports
the store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from onrecord.semantic.topics import THRESHOLD, Topic, find_topics


def embed_new_statements(store: Any, embedder: Any, batch_size: int = 64, progress: Callable[[int], None] | None = None) -> int:
    """Embed and store every statement without a vector of the embedder's model, a batch per
    transaction (a killed run keeps the batches done); returns how many were embedded."""
    done = 0
    while True:
        todo = store.statements_to_embed(embedder.model_name, limit=max(1, batch_size) * 16)
        if not todo:
            return done
        for begin in range(0, len(todo), max(1, batch_size)):
            batch = todo[begin : begin + max(1, batch_size)]
            vectors = embedder.embed([text for _, text in batch], batch_size=batch_size)
            done += store.add_embeddings(embedder.model_name, [i for i, _ in batch], vectors)
            if progress is not None:
                progress(done)


def rebuild_topics(store: Any, model: str, dimensions: int, threshold: float = THRESHOLD, min_size: int = 2) -> list[Topic]:
    """Group every embedded statement into topics and store them in place of the old ones."""
    ids, texts, vectors = store.embeddings(model, dimensions)
    topics = find_topics(ids, texts, vectors, threshold=threshold, min_size=min_size)
    store.replace_topics(topics)
    return topics
