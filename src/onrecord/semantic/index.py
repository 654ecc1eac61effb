"""An in-memory index of unit vectors by statement id: brute-force cosine (one matrix-vector
product), numpy only. 100,000 vectors of 384 float32 take 150 MB and about 15 ms a query on one
core; float16 would halve the memory but numpy multiplies it without BLAS, some 15 times slower."""

from __future__ import annotations

import numpy as np


def to_blob(vector: np.ndarray) -> bytes:
    """A vector as stored: little-endian float32 bytes."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_blobs(blobs: list[bytes], dimensions: int) -> np.ndarray:
    """Stored vectors back as a (len(blobs), dimensions) float32 matrix."""
    if not blobs:
        return np.zeros((0, dimensions), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), dimensions).astype(np.float32)


class VectorIndex:
    """Unit vectors with their ids, appended in batches; ids need not be sorted or dense."""

    def __init__(self, dimensions: int) -> None:
        self.dimensions = dimensions
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, dimensions), dtype=np.float32)

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, ids: np.ndarray | list[int], vectors: np.ndarray) -> None:
        """Append vectors (rows) under these ids."""
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dimensions)
        self.ids = np.concatenate([self.ids, np.asarray(ids, dtype=np.int64)])
        self.matrix = np.concatenate([self.matrix, vectors]) if len(self.matrix) else vectors.copy()

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Cosine of the (unit) query with every stored vector, in storage order."""
        return self.matrix @ np.asarray(query, dtype=np.float32).reshape(self.dimensions)

    def nearest(self, query: np.ndarray, k: int, among: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k ids most similar to query as (id, cosine), best first (ties: lower id first);
        among restricts them to those ids."""
        if k < 1 or not len(self.ids):
            return []
        scores = self.scores(query)
        rows = np.arange(len(self.ids))
        if among is not None:
            rows = np.flatnonzero(np.isin(self.ids, among))
            scores = scores[rows]
        if len(rows) > k:
            keep = np.argpartition(-scores, k - 1)[:k]
            rows, scores = rows[keep], scores[keep]
        order = np.lexsort((self.ids[rows], -scores))
        return [(int(self.ids[rows[i]]), float(scores[i])) for i in order]

