"""graphmem migrate: a local-mode data dir moves to Qdrant Edge with every point as stored,
and an interruption at any step leaves the old folder whole or a copy the next run puts in
place."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from graphmem import ConfigError, GraphMemConfig, Memory
from graphmem.stores.vector import migrate
from graphmem.stores.vector.edge_store import EdgeVectorStore
from graphmem.stores.vector.factory import migration_folder
from graphmem.stores.vector.migrate import migrate_data_dir
from graphmem.stores.vector.qdrant_store import QdrantVectorStore


def config(data_dir: Path, vector_store: str = "auto") -> GraphMemConfig:
    return GraphMemConfig(
        data_dir=data_dir,
        embedder="hash",
        embedding_dims=64,
        extractor="offline",
        vector_store=vector_store,
    )


def snapshot(memory: Memory) -> dict[str, Any]:
    """What a user sees of the data dir: every memory, a search, a graph answer, history."""
    memories = {user: memory.get_all(user_id=user)["results"] for user in ("alice", "bob")}
    return {
        "memories": memories,
        "search": [hit["id"] for hit in memory.search("Google", user_id="alice")["results"]],
        "scores": [hit["score"] for hit in memory.search("Zurich", user_id="alice")["results"]],
        "history": [event["event"] for m in memories["alice"] for event in memory.history(m["id"])],
    }


@pytest.fixture
def local_mode_dir(data_dir: Path) -> tuple[Path, dict[str, Any]]:
    """A data dir made on local mode, and what it showed then."""
    with Memory(config(data_dir, "local")) as memory:
        memory.add("Sarah Chen works at Google.", user_id="alice", metadata={"topic": "work"})
        memory.add("Alice lives in Zurich.", user_id="alice", timestamp="2024-05-01T10:00:00Z")
        memory.add("Bob is married to Carol.", user_id="bob", agent_id="helper")
        assert isinstance(memory._backends.vectors, QdrantVectorStore)
        return data_dir, snapshot(memory)


def test_auto_keeps_a_local_mode_folder_on_local_mode(
    local_mode_dir: tuple[Path, dict[str, Any]],
) -> None:
    data_dir, before = local_mode_dir
    with Memory(config(data_dir)) as memory:
        assert isinstance(memory._backends.vectors, QdrantVectorStore)
        assert snapshot(memory) == before


def test_asking_for_edge_on_a_local_mode_folder_names_migrate(
    local_mode_dir: tuple[Path, dict[str, Any]],
) -> None:
    with pytest.raises(ConfigError, match="graphmem migrate") as raised:
        Memory(config(local_mode_dir[0], "edge"))
    assert raised.value.field == "vector_store"


def test_migrate_moves_every_point_and_keeps_what_users_see(
    local_mode_dir: tuple[Path, dict[str, Any]],
) -> None:
    data_dir, before = local_mode_dir
    steps: dict[str, tuple[int, int]] = {}
    summary = migrate_data_dir(
        config(data_dir), progress=lambda step, done, total: steps.update({step: (done, total)})
    )
    assert (summary.memories, summary.embedder) == (3, "hash-64")
    assert steps["copying memories"] == (3, 3)
    assert summary.kept_local_mode_at == str(data_dir / "qdrant.local-mode")
    with Memory(config(data_dir)) as memory:
        assert isinstance(memory._backends.vectors, EdgeVectorStore)
        after = snapshot(memory)
    assert after["memories"] == before["memories"]
    assert after["search"] == before["search"] and after["history"] == before["history"]
    assert after["scores"] == pytest.approx(before["scores"], abs=1e-5)


def test_a_second_migrate_has_nothing_to_do(
    local_mode_dir: tuple[Path, dict[str, Any]],
) -> None:
    migrate_data_dir(config(local_mode_dir[0]))
    assert migrate_data_dir(config(local_mode_dir[0])).kept_local_mode_at is None


def test_a_migrate_cut_short_while_copying_leaves_local_mode_whole(
    local_mode_dir: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, before = local_mode_dir

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("killed while copying")

    monkeypatch.setattr(migrate, "_check_count", crash)
    with pytest.raises(RuntimeError, match="killed while copying"):
        migrate_data_dir(config(data_dir))
    monkeypatch.undo()
    with Memory(config(data_dir)) as memory:  # the partial copy is ignored
        assert isinstance(memory._backends.vectors, QdrantVectorStore)
        assert snapshot(memory) == before
    assert migrate_data_dir(config(data_dir)).memories == 3
    assert not migration_folder(data_dir / "qdrant").exists()


def test_a_migrate_cut_short_between_the_renames_is_finished_by_the_next(
    local_mode_dir: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, before = local_mode_dir
    replace, renames = os.replace, 0

    def crash_on_the_second(source: Any, target: Any) -> None:
        nonlocal renames
        renames += 1
        if renames == 2:
            raise RuntimeError("killed between the renames")
        replace(source, target)

    monkeypatch.setattr(migrate, "os", SimpleNamespace(replace=crash_on_the_second))
    with pytest.raises(RuntimeError, match="between the renames"):
        migrate_data_dir(config(data_dir))
    monkeypatch.undo()
    with pytest.raises(ConfigError, match="run `graphmem migrate` again"):
        Memory(config(data_dir))
    assert migrate_data_dir(config(data_dir)).memories == 3
    with Memory(config(data_dir)) as memory:
        assert isinstance(memory._backends.vectors, EdgeVectorStore)
        assert snapshot(memory)["memories"] == before["memories"]
