"""Fusing channel rankings: reciprocal rank fusion and weighted scores."""

from __future__ import annotations

from graphmem.retrieval.fusion import fuse_rankings


def test_rrf_scores_a_hit_first_everywhere_as_one() -> None:
    hits = fuse_rankings(
        {"vector": [("a", 0.9), ("b", 0.5)], "bm25": [("a", 3.0)]},
        weights={"vector": 1.0, "bm25": 1.0},
    )
    assert [hit.id for hit in hits] == ["a", "b"]
    assert hits[0].score == 1.0
    assert hits[0].channels["bm25"].rank == 1
    assert "bm25" not in hits[1].channels


def test_a_zero_weight_silences_a_channel() -> None:
    hits = fuse_rankings(
        {"vector": [("a", 0.9)], "bm25": [("b", 3.0)]}, weights={"vector": 0.0, "bm25": 1.0}
    )
    assert [hit.id for hit in hits] == ["b"]


def test_weighted_fusion_uses_normalised_scores() -> None:
    hits = fuse_rankings(
        {"vector": [("a", 0.9), ("b", 0.1)], "bm25": [("b", 5.0), ("a", 4.0)]},
        weights={"vector": 3.0, "bm25": 1.0},
        method="weighted",
    )
    assert [hit.id for hit in hits] == ["a", "b"]
    assert round(hits[0].score, 3) == 0.75
