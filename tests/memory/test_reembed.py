"""reembed_data_dir: every vector rebuilt with the new model, nothing else changed, and an
interruption at any step leaves the old vectors or a copy the next run finishes."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from qdrant_client import QdrantClient

from graphmem import ConfigError, GraphMemConfig, InvalidInput, Memory, StoreUnavailable
from graphmem.memory.reembed import reembed_data_dir
from graphmem.stores.embedders.hash import HashEmbedder
from graphmem.stores.vector import edge_reembed, qdrant_reembed
from graphmem.stores.vector.edge_reembed import pages
from graphmem.stores.vector.edge_shards import is_edge_folder, load_shard

COLLECTIONS = ("graphmem_memories", "graphmem_entities")

RawPoints = dict[str, dict[str, dict[str, Any]]]


def hash_config(data_dir: Path, dims: int) -> GraphMemConfig:
    return GraphMemConfig(
        data_dir=data_dir, embedder="hash", embedding_dims=dims, extractor="offline"
    )


def raw_points(data_dir: Path) -> RawPoints:
    """Every point's payload, by collection and id, read from the vector folder directly."""
    return {
        name: {i: payload for i, (payload, _) in points.items()}
        for name, points in _raw(data_dir).items()
    }


def vector_sizes(data_dir: Path) -> set[int]:
    return {len(vector) for points in _raw(data_dir).values() for _, vector in points.values()}


def _raw(data_dir: Path) -> dict[str, dict[str, tuple[dict[str, Any], list[float]]]]:
    folder = data_dir / "qdrant"
    found: dict[str, dict[str, tuple[dict[str, Any], list[float]]]] = {}
    if is_edge_folder(folder):
        for name in COLLECTIONS:
            shard = load_shard(folder / name)
            try:
                found[name] = {
                    str(r.id): (r.payload or {}, list(r.vector or []))
                    for page in pages(shard, 10_000, with_vector=True)
                    for r in page
                }
            finally:
                shard.close()
        return found
    client = QdrantClient(path=str(folder))
    try:
        for name in COLLECTIONS:
            points, _ = client.scroll(name, limit=10_000, with_payload=True, with_vectors=True)
            found[name] = {str(p.id): (p.payload or {}, list(p.vector)) for p in points}
        return found
    finally:
        client.close()


class CountingEmbedder(HashEmbedder):
    """hash vectors that remember how many texts each call embedded."""

    def __init__(self, dims: int) -> None:
        super().__init__(dims)
        self.calls: list[int] = []

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls.append(len(texts))
        return super().embed(texts)


class FailingEmbedder(HashEmbedder):
    """hash vectors until the second call, which fails like an endpoint that went down."""

    def __init__(self, dims: int) -> None:
        super().__init__(dims)
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls == 2:
            raise StoreUnavailable("embedding endpoint went away")
        return super().embed(texts)


@pytest.fixture(params=["edge", "local"])
def made_with_hash_64(request: pytest.FixtureRequest, data_dir: Path) -> Path:
    """Memories in two scopes, with metadata, embedded by hash-64, on each embedded engine
    (later opens use `auto`, which finds the engine the folder was made by)."""
    config = hash_config(data_dir, 64).model_copy(update={"vector_store": request.param})
    with Memory(config) as memory:
        memory.add("Sarah Chen works at Google.", user_id="alice", metadata={"topic": "work"})
        memory.add("Alice lives in Zurich.", user_id="alice")
        memory.add("Bob is married to Carol.", user_id="bob", agent_id="helper")
    return data_dir


def test_reembed_carries_every_payload_over_exactly(made_with_hash_64: Path) -> None:
    before = raw_points(made_with_hash_64)
    reembed_data_dir(hash_config(made_with_hash_64, 32))
    assert raw_points(made_with_hash_64) == before


def test_reembed_rebuilds_every_vector_at_the_new_size(made_with_hash_64: Path) -> None:
    reembed_data_dir(hash_config(made_with_hash_64, 32))
    assert vector_sizes(made_with_hash_64) == {32}


def test_reembed_counts_the_memories_and_entities_of_every_scope(
    made_with_hash_64: Path,
) -> None:
    before = raw_points(made_with_hash_64)
    summary = reembed_data_dir(hash_config(made_with_hash_64, 32))
    assert (summary.memories, summary.entities) == (3, len(before["graphmem_entities"]))


def test_reembed_names_the_model_it_replaced_and_the_new_one(made_with_hash_64: Path) -> None:
    summary = reembed_data_dir(hash_config(made_with_hash_64, 32))
    assert (summary.previous_embedder, summary.previous_embedding_dims) == ("hash-64", 64)
    assert (summary.embedder, summary.embedding_dims) == ("hash-32", 32)


def test_after_reembed_the_data_dir_opens_with_the_new_model_only(made_with_hash_64: Path) -> None:
    reembed_data_dir(hash_config(made_with_hash_64, 32))
    with Memory(hash_config(made_with_hash_64, 32)) as memory:
        assert memory.stats()["recorded_embedder"] == "hash-32"
    with pytest.raises(ConfigError, match="hash-32"):
        Memory(hash_config(made_with_hash_64, 64))


def test_after_reembed_search_and_query_find_the_memories(made_with_hash_64: Path) -> None:
    reembed_data_dir(hash_config(made_with_hash_64, 32))
    with Memory(hash_config(made_with_hash_64, 32)) as memory:
        hits = memory.search("Where does Sarah work?", user_id="alice", channels=["vector"])
        answer = memory.query("Who works at Google?", user_id="alice")
    assert hits["results"][0]["memory"] == "Sarah Chen works at Google."
    assert answer["answers"][0]["entity"] == "Sarah Chen"


def test_reembed_embeds_in_batches_of_at_most_batch_size(made_with_hash_64: Path) -> None:
    embedder = CountingEmbedder(32)
    reembed_data_dir(hash_config(made_with_hash_64, 32), embedder=embedder, batch_size=2)
    assert embedder.calls and max(embedder.calls) <= 2


def test_reembed_reports_the_progress_of_each_step(made_with_hash_64: Path) -> None:
    steps: dict[str, tuple[int, int]] = {}
    reembed_data_dir(
        hash_config(made_with_hash_64, 32),
        progress=lambda step, done, total: steps.__setitem__(step, (done, total)),
    )
    assert steps["re-embedding memories"] == (3, 3)
    assert steps["swapping in memories"] == (3, 3)
    assert set(steps) >= {"re-embedding entity names", "swapping in entity names"}


def test_a_reembed_interrupted_while_embedding_leaves_the_old_vectors(
    made_with_hash_64: Path,
) -> None:
    before = raw_points(made_with_hash_64)
    with pytest.raises(StoreUnavailable):
        reembed_data_dir(
            hash_config(made_with_hash_64, 32), embedder=FailingEmbedder(32), batch_size=1
        )
    with Memory(hash_config(made_with_hash_64, 64)) as memory:
        assert memory.stats()["recorded_embedder"] == "hash-64"
    assert raw_points(made_with_hash_64) == before


def test_the_next_reembed_starts_over_after_one_interrupted_while_embedding(
    made_with_hash_64: Path,
) -> None:
    before = raw_points(made_with_hash_64)
    with pytest.raises(StoreUnavailable):
        reembed_data_dir(
            hash_config(made_with_hash_64, 32), embedder=FailingEmbedder(32), batch_size=1
        )
    assert reembed_data_dir(hash_config(made_with_hash_64, 32)).memories == 3
    assert raw_points(made_with_hash_64) == before


def interrupt_the_first_swap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the swap of the first collection fail after its original was dropped (local
    mode) or moved aside (Edge)."""
    copy_points, replace_folder = qdrant_reembed._copy_points, edge_reembed.replace_folder
    swaps = 0

    def crash_once(swap: Callable[..., None]) -> Callable[..., None]:
        def swap_or_crash(*args: Any, **kwargs: Any) -> None:
            nonlocal swaps
            swaps += 1
            if swaps == 1:
                if swap is replace_folder:
                    os.replace(args[1], args[1].with_name(f"{args[1].name}.old"))
                raise RuntimeError("killed while swapping")
            swap(*args, **kwargs)

        return swap_or_crash

    monkeypatch.setattr(qdrant_reembed, "_copy_points", crash_once(copy_points))
    monkeypatch.setattr(edge_reembed, "replace_folder", crash_once(replace_folder))


def test_a_reembed_interrupted_while_swapping_is_refused_on_open(
    made_with_hash_64: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupt_the_first_swap(monkeypatch)
    with pytest.raises(StoreUnavailable, match="killed while swapping"):
        reembed_data_dir(hash_config(made_with_hash_64, 32))
    for dims in (32, 64):
        with pytest.raises(ConfigError, match="interrupted `graphmem reembed`"):
            Memory(hash_config(made_with_hash_64, dims))


def test_the_next_reembed_finishes_an_interrupted_swap_losing_nothing(
    made_with_hash_64: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = raw_points(made_with_hash_64)
    interrupt_the_first_swap(monkeypatch)
    with pytest.raises(StoreUnavailable):
        reembed_data_dir(hash_config(made_with_hash_64, 32))
    embedder = CountingEmbedder(32)
    assert reembed_data_dir(hash_config(made_with_hash_64, 32), embedder=embedder).memories == 3
    assert embedder.calls == []  # the finished copies were swapped in, not embedded again
    assert raw_points(made_with_hash_64) == before
    assert vector_sizes(made_with_hash_64) == {32}


def test_a_batch_size_below_one_is_invalid_input(made_with_hash_64: Path) -> None:
    with pytest.raises(InvalidInput, match="batch_size"):
        reembed_data_dir(hash_config(made_with_hash_64, 32), batch_size=0)
