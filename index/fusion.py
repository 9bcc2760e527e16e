"""Reciprocal rank fusion of ranked lists."""

from __future__ import annotations

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: list[list[tuple[int, float]]], weights: list[float] | None = None, k: int = RRF_K
) -> list[tuple[int, float]]:
    """Fuse ranked (id, score) lists; a higher fused score is better."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, (item, _) in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank + 1)
    return sorted(fused.items(), key=lambda kv: -kv[1])
