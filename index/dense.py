"""Dense vectors in FAISS (inner product over normalised vectors = cosine)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class DenseIndex:
    """A flat inner-product FAISS index; exact search is fast at this corpus size."""

    def __init__(self, index: object, dim: int) -> None:
        self._index = index
        self.dim = dim

    @classmethod
    def build(cls, vectors: np.ndarray) -> DenseIndex:
        """Index ``vectors`` (rows aligned with chunks)."""
        import faiss

        dim = int(vectors.shape[1])
        index = faiss.IndexFlatIP(dim)
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index, dim)

    @property
    def size(self) -> int:
        """Number of vectors."""
        return int(self._index.ntotal)  # type: ignore[attr-defined]

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Top ``k`` (row, cosine)."""
        if self.size == 0:
            return []
        query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        scores, ids = self._index.search(query, min(k, self.size))  # type: ignore[attr-defined]
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=False) if i >= 0]

    def save(self, path: Path) -> None:
        """Write the FAISS index file."""
        import faiss

        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        """Read a FAISS index file."""
        import faiss

        index = faiss.read_index(str(path))
        return cls(index, int(index.d))
