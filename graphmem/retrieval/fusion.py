"""Fuse ranked lists from several channels into one ranking.

RRF (default): score(d) = sum_c w_c / (k + rank_c(d)), divided by sum_c w_c / (k + 1) so a
hit ranked first by every channel scores 1.0. Weighted: score(d) = sum_c w_c * norm_c(d) /
sum_c w_c, where norm_c is the channel score min-max normalised over that channel's list
(a single hit normalises to 1.0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class ChannelHit:
    """A hit as one channel ranked it (rank starts at 1)."""

    rank: int
    score: float


@dataclass
class FusedHit:
    id: str
    score: float
    channels: dict[str, ChannelHit] = field(default_factory=dict)


Ranking = Sequence[tuple[str, float]]


def fuse_rankings(
    rankings: Mapping[str, Ranking],
    *,
    weights: Mapping[str, float],
    method: Literal["rrf", "weighted"] = "rrf",
    rrf_k: int = 60,
) -> list[FusedHit]:
    """Merge per-channel rankings (best first) into one list, best first, ties by id.

    Example:
        >>> hits = fuse_rankings({"vector": [("a", 0.9)], "bm25": [("a", 3.0), ("b", 1.0)]},
        ...                      weights={"vector": 1.0, "bm25": 1.0})
        >>> [hit.id for hit in hits], round(hits[0].score, 2)
        (['a', 'b'], 1.0)
    """
    active = {name: ranking for name, ranking in rankings.items() if weights.get(name, 0) > 0}
    total_weight = sum(weights[name] for name in active) or 1.0
    fused: dict[str, FusedHit] = {}
    for name, ranking in active.items():
        normalised = _min_max([score for _, score in ranking])
        for rank, ((doc_id, score), norm) in enumerate(zip(ranking, normalised, strict=True), 1):
            hit = fused.setdefault(doc_id, FusedHit(doc_id, 0.0))
            if name in hit.channels:
                continue
            hit.channels[name] = ChannelHit(rank, score)
            if method == "rrf":
                hit.score += weights[name] / (rrf_k + rank)
            else:
                hit.score += weights[name] * norm
    scale = total_weight / (rrf_k + 1) if method == "rrf" else total_weight
    for hit in fused.values():
        hit.score /= scale
    return sorted(fused.values(), key=lambda hit: (-hit.score, hit.id))


def _min_max(scores: list[float]) -> list[float]:
    if not scores:
        return []
    low, high = min(scores), max(scores)
    if high == low:
        return [1.0] * len(scores)
    return [(score - low) / (high - low) for score in scores]
