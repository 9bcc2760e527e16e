"""Text embeddings behind a small interface: sentence-transformers, or a hashing fake."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

import numpy as np

from ingest.text import fold, words


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    dim: int

    def embed_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Vectors for passages, shape ``(len(texts), dim)``."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """Vector for one query, shape ``(dim,)``."""
        ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local directory (no hub access).

    E5 models expect "query: " / "passage: " prefixes; the model directory's
    ``config_sentence_transformers.json`` declares them as prompts and we use them by name
    when present.
    """

    def __init__(self, model_path: Path, *, batch_size: int = 32, threads: int | None = None) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - declared dependency
            raise RuntimeError("Cài sentence-transformers / install sentence-transformers") from exc
        if threads:
            torch.set_num_threads(threads)
        self._model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True)
        self._prompts = dict(getattr(self._model, "prompts", {}) or {})
        self.name = f"sentence-transformers:{model_path.name}"
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim() or 0)
        self.batch_size = batch_size

    def _encode(self, texts: list[str], prompt_name: str, progress: bool) -> np.ndarray:
        kwargs = {"prompt_name": prompt_name} if prompt_name in self._prompts else {}
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
            **kwargs,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Passage vectors."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts, "passage", progress)

    def embed_query(self, text: str) -> np.ndarray:
        """Query vector."""
        return self._encode([text], "query", False)[0]


class HashEmbedder:
    """Deterministic fake: hashed bag of folded words. Same text, same vector."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.name = f"hash-{dim}"

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        for word in words(fold(text)):
            bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
            vec[bucket % self.dim] += 1.0
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def embed_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Passage vectors."""
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Query vector."""
        return self._vector(text)
