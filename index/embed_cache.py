"""Passage vectors cached by text, so a re-parse (new parser version, edited document)
re-embeds only passages whose text changed. One cache per embedder, beside the index
versions; written atomically, and a damaged cache is simply ignored."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """``text → vector`` for one embedder."""

    def __init__(self, directory: Path, embedder_name: str, dim: int) -> None:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in embedder_name)
        self.path = directory / f"embeddings-{safe}-{dim}.npz"
        self.dim = dim
        self._vectors: dict[str, np.ndarray] = {}
        self._load()

    def _load(self) -> None:
        if not self.path.is_file():
            return
        try:
            with np.load(self.path) as data:
                keys = json.loads(str(data["keys"]))
                vectors = data["vectors"]
            if vectors.shape[1:] == (self.dim,) and len(keys) == len(vectors):
                self._vectors = dict(zip(keys, vectors, strict=True))
        except (OSError, ValueError, KeyError) as exc:
            log.warning("ignoring unreadable embedding cache %s: %s", self.path.name, exc)

    def get(self, text: str) -> np.ndarray | None:
        """The cached vector of ``text``, if any."""
        return self._vectors.get(_key(text))

    def save(self, texts: list[str], vectors: np.ndarray) -> None:
        """Keep exactly these passages (the current index's), replacing the file atomically."""
        keys = [_key(t) for t in texts]
        tmp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.npz")
        np.savez(tmp, keys=np.array(json.dumps(keys)), vectors=vectors.astype(np.float32))
        os.replace(tmp, self.path)
        self._vectors = dict(zip(keys, vectors, strict=True))
