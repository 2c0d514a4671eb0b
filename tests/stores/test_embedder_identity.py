"""A data dir remembers the embedding model that made its vectors and refuses another.

The model (the embedder's name and dims) is recorded in the Qdrant collections' metadata
when they are created; collections from before that are adopted by the first open whose
dims fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from qdrant_client import QdrantClient
from qdrant_client import models as qm

from graphmem import ConfigError, GraphMemConfig, Memory
from graphmem.memory.backends import open_backends
from graphmem.stores.embedders.hash import HashEmbedder

COLLECTIONS = ("graphmem_memories", "graphmem_entities")


def hash_config(data_dir: Path, dims: int = 64) -> GraphMemConfig:
    return GraphMemConfig(
        data_dir=data_dir, embedder="hash", embedding_dims=dims, extractor="offline"
    )


class RenamedEmbedder:
    """Another model with the same dims: hash vectors under a different name."""

    def __init__(self, dims: int) -> None:
        self._inner = HashEmbedder(dims)

    @property
    def name(self) -> str:
        return f"other-model-{self._inner.dims}"

    @property
    def dims(self) -> int:
        return self._inner.dims

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return self._inner.embed(texts)


@pytest.fixture
def made_with_hash_64(data_dir: Path) -> Path:
    """A data dir whose memories and entities were embedded by hash-64."""
    with Memory(hash_config(data_dir)) as memory:
        memory.add("Sarah Chen works at Google.", user_id="alice")
        memory.add("Bob lives in Zurich.", user_id="bob", metadata={"topic": "home"})
    return data_dir


@pytest.fixture
def made_before_models_were_recorded(data_dir: Path) -> Path:
    """A data dir whose 64-d collections record no model, as older versions made them."""
    client = QdrantClient(path=str(data_dir / "qdrant"))
    for name in COLLECTIONS:
        params = qm.VectorParams(size=64, distance=qm.Distance.DOT)
        client.create_collection(name, vectors_config=params)
    client.close()
    return data_dir


def test_a_new_data_dir_records_its_embedder(made_with_hash_64: Path) -> None:
    with Memory(hash_config(made_with_hash_64)) as memory:
        stats = memory.stats()
    assert (stats["recorded_embedder"], stats["recorded_embedding_dims"]) == ("hash-64", 64)


def test_reopening_with_other_dims_is_refused_naming_both_models(made_with_hash_64: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        Memory(hash_config(made_with_hash_64, dims=32))
    assert "hash-64 (64 dims)" in refused.value.message
    assert "hash-32 (32 dims)" in refused.value.message
    assert "graphmem reembed" in refused.value.message


def test_a_refused_open_leaves_the_data_dir_to_the_next_opener(made_with_hash_64: Path) -> None:
    with pytest.raises(ConfigError):
        Memory(hash_config(made_with_hash_64, dims=32))
    with Memory(hash_config(made_with_hash_64)) as memory:
        assert memory.stats()["memories"] == 2


def test_reopening_with_the_same_embedder_opens(made_with_hash_64: Path) -> None:
    with Memory(hash_config(made_with_hash_64)) as memory:
        hits = memory.search("Google", user_id="alice")["results"]
    assert hits[0]["memory"] == "Sarah Chen works at Google."


def test_a_model_of_another_name_and_the_same_dims_is_refused(made_with_hash_64: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        open_backends(hash_config(made_with_hash_64), embedder=RenamedEmbedder(64))
    assert "hash-64" in refused.value.message
    assert "other-model-64" in refused.value.message


def test_a_data_dir_from_before_model_identity_is_adopted(
    made_before_models_were_recorded: Path,
) -> None:
    with Memory(hash_config(made_before_models_were_recorded)) as memory:
        stats = memory.stats()
    assert (stats["recorded_embedder"], stats["recorded_embedding_dims"]) == ("hash-64", 64)


def test_an_adopted_data_dir_then_refuses_another_model(
    made_before_models_were_recorded: Path,
) -> None:
    Memory(hash_config(made_before_models_were_recorded)).close()
    with pytest.raises(ConfigError, match="other-model-64"):
        open_backends(hash_config(made_before_models_were_recorded), embedder=RenamedEmbedder(64))


def test_an_old_data_dir_of_other_dims_is_refused_not_adopted(
    made_before_models_were_recorded: Path,
) -> None:
    with pytest.raises(ConfigError, match=r"64-d vectors.*hash-32 makes 32-d"):
        Memory(hash_config(made_before_models_were_recorded, dims=32))
    with Memory(hash_config(made_before_models_were_recorded)) as memory:
        assert memory.stats()["recorded_embedder"] == "hash-64"
