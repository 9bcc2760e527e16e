"""Fusing lexical and dense rankings.

Measured on the dev gold set, reciprocal rank fusion let the dense ranking (weak on the
OCR-damaged plans) push good lexical hits out of the top 5. A convex combination of
max-normalised BM25 and min-max-normalised cosine keeps lexical precision and lets the
dense side break ties and rescue paraphrases.
"""

from __future__ import annotations


def normalized_score_fusion(
    lexical: list[tuple[int, float]], dense: list[tuple[int, float]], dense_weight: float
) -> list[tuple[int, float]]:
    """``bm25 / max(bm25) + w · (cos − min) / (max − min)`` over the union of candidates."""
    fused: dict[int, float] = {}
    top = max((s for _, s in lexical), default=0.0)
    for item, score in lexical:
        fused[item] = score / top if top > 0 else 0.0
    if dense:
        scores = [s for _, s in dense]
        low, high = min(scores), max(scores)
        span = (high - low) or 1.0
        for item, score in dense:
            fused[item] = fused.get(item, 0.0) + dense_weight * (score - low) / span
    return sorted(fused.items(), key=lambda kv: -kv[1])
