"""An in-memory index of unit vectors by statement id: brute-force cosine (one matrix-vector
product), numpy only. 100,000 vectors of 384 float32 take 150 MB and about 15 ms a query on one
core; float16 would halve the memory but numpy multiplies it without BLAS, some 15 times slower."""

from __future__ import annotations

import contextlib
from typing import Any

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
        self._sorted = True

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, ids: np.ndarray | list[int], vectors: np.ndarray) -> None:
        """Append vectors (rows) under these ids."""
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dimensions)
        self.ids = np.concatenate([self.ids, np.asarray(ids, dtype=np.int64)])
        self.matrix = np.concatenate([self.matrix, vectors]) if len(self.matrix) else vectors.copy()
        self._sorted = bool(np.all(self.ids[1:] > self.ids[:-1]))  # ids ascending: rows found by bisection

    def scores(self, query: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine of the (unit) query with the stored vectors (those rows only, when given)."""
        matrix = self.matrix if rows is None else self.matrix[rows]
        with _one_blas_thread():
            return matrix @ np.asarray(query, dtype=np.float32).reshape(self.dimensions)

    def nearest(self, query: np.ndarray, k: int, among: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k ids most similar to query as (id, cosine), best first (ties: lower id first);
        among restricts them to those ids (only those are scored)."""
        if k < 1 or not len(self.ids):
            return []
        rows = None
        if among is not None:
            rows = self._rows_of(np.asarray(among, dtype=np.int64))
            if not len(rows):
                return []
        scores = self.scores(query, rows)
        rows = np.arange(len(self.ids)) if rows is None else rows
        if len(rows) > k:
            keep = np.argpartition(-scores, k - 1)[:k]
            rows, scores = rows[keep], scores[keep]
        order = np.lexsort((self.ids[rows], -scores))
        return [(int(self.ids[rows[i]]), float(scores[i])) for i in order]

    def _rows_of(self, ids: np.ndarray) -> np.ndarray:
        """The rows holding these ids (ids not stored are skipped)."""
        if not self._sorted:
            return np.flatnonzero(np.isin(self.ids, ids))
        at = np.clip(np.searchsorted(self.ids, ids), 0, len(self.ids) - 1)
        return np.unique(at[self.ids[at] == ids])


_controller: object | None = None


def _one_blas_thread() -> Any:
    """A context running BLAS on one thread: a matrix-vector product is bound by memory, and on
    a busy machine several BLAS threads only wait for each other (p95 twice as long)."""
    global _controller
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return contextlib.nullcontext()
    if _controller is None:
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")  # type: ignore[attr-defined]
