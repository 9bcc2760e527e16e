"""Hybrid search: BM25 over analysed terms + FAISS cosine, fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass

from index.analyze import analyze
from index.fusion import normalized_score_fusion
from index.store import IndexData
from ingest.embed import Embedder
from ingest.records import Chunk
from ingest.segment import WordSegmenter

CANDIDATES = 100
# Lexical ranking carries the OCR-robust and diacritic-free signal; dense adds
# paraphrase and cross-language recall. Weight chosen on the dev set (README).
DENSE_WEIGHT = 0.5


@dataclass(frozen=True)
class SearchHit:
    """A ranked chunk."""

    row: int
    chunk: Chunk
    score: float
    lexical_score: float
    dense_score: float


class HybridSearcher:
    """Searches one loaded index version."""

    def __init__(
        self, data: IndexData, *, embedder: Embedder | None, segmenter: WordSegmenter | None
    ) -> None:
        self.data = data
        self.embedder = embedder
        self.segmenter = segmenter

    def search(
        self,
        query: str,
        k: int = 10,
        *,
        docs: set[str] | None = None,
        lexical_query: str | None = None,
        dense_weight: float = DENSE_WEIGHT,
    ) -> list[SearchHit]:
        """Top ``k`` chunks for ``query``, optionally only from ``docs``.

        ``lexical_query`` replaces the text given to BM25 (the dense side always sees
        the whole question): callers drop words that only name the document.
        """
        terms = analyze(lexical_query if lexical_query is not None else query, self.segmenter, query=True)
        pool = CANDIDATES if docs is None else CANDIDATES * 4
        lexical = self.data.lexical.search(terms, pool)
        dense: list[tuple[int, float]] = []
        if self.embedder is not None and self.data.dense is not None and dense_weight > 0:
            dense = self.data.dense.search(self.embedder.embed_query(query), pool)
        if docs is not None:
            lexical = [(r, s) for r, s in lexical if self.data.chunks[r].doc_id in docs]
            dense = [(r, s) for r, s in dense if self.data.chunks[r].doc_id in docs]
        lexical_scores = dict(lexical)
        dense_scores = dict(dense)
        fused = normalized_score_fusion(lexical, dense, dense_weight)
        return [
            SearchHit(row, self.data.chunks[row], score, lexical_scores.get(row, 0.0), dense_scores.get(row, 0.0))
            for row, score in fused[:k]
        ]
