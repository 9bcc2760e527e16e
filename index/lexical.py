"""BM25 over analysed terms, stored as a sparse matrix."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy import sparse

K1 = 1.2
B = 0.75


class LexicalIndex:
    """BM25 weights per (document, term); a query scores by summing its terms' columns."""

    def __init__(self, vocab: dict[str, int], weights: sparse.csc_matrix) -> None:
        self.vocab = vocab
        self.weights = weights
        # Document frequency per term (non-zeros per column of the CSC matrix).
        self._df = np.diff(weights.indptr) if weights.shape[0] else np.zeros(weights.shape[1])

    @classmethod
    def build(cls, documents: list[list[str]]) -> LexicalIndex:
        """Index tokenised documents (one list of terms per chunk)."""
        vocab: dict[str, int] = {}
        rows, cols, counts = [], [], []
        lengths = np.zeros(len(documents), dtype=np.float32)
        for row, terms in enumerate(documents):
            lengths[row] = len(terms)
            tf: dict[int, int] = {}
            for term in terms:
                col = vocab.setdefault(term, len(vocab))
                tf[col] = tf.get(col, 0) + 1
            rows.extend([row] * len(tf))
            cols.extend(tf.keys())
            counts.extend(tf.values())
        shape = (len(documents), max(len(vocab), 1))
        tf_matrix = sparse.csr_matrix((np.asarray(counts, np.float32), (rows, cols)), shape=shape)
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=shape[1]).astype(np.float32)
        n_docs = max(len(documents), 1)
        idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg = float(lengths.mean()) if len(documents) else 1.0
        norm = K1 * (1 - B + B * lengths / max(avg, 1e-6))
        coo = tf_matrix.tocoo()
        tf = coo.data
        weight = idf[coo.col] * tf * (K1 + 1) / (tf + norm[coo.row])
        weights = sparse.csc_matrix((weight.astype(np.float32), (coo.row, coo.col)), shape=shape)
        return cls(vocab, weights)

    def search(self, terms: list[str], k: int) -> list[tuple[int, float]]:
        """Top ``k`` (row, score) for the query terms."""
        ids = [self.vocab[t] for t in terms if t in self.vocab]
        if not ids or self.weights.shape[0] == 0:
            return []
        scores = np.asarray(self.weights[:, ids].sum(axis=1)).ravel()
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def idf(self, term: str) -> float:
        """Inverse document frequency of ``term``; unseen terms get the rarest value."""
        n_docs = max(self.weights.shape[0], 1)
        col = self.vocab.get(term)
        df = float(self._df[col]) if col is not None else 0.0
        return float(np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)))

    def save(self, directory: Path) -> None:
        """Write ``lexical.npz`` and ``lexical_vocab.json``."""
        sparse.save_npz(directory / "lexical.npz", self.weights.tocsc())
        (directory / "lexical_vocab.json").write_text(json.dumps(self.vocab, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        """Read what :meth:`save` wrote."""
        weights = sparse.load_npz(directory / "lexical.npz").tocsc()
        vocab = json.loads((directory / "lexical_vocab.json").read_text("utf-8"))
        return cls(vocab, weights)
