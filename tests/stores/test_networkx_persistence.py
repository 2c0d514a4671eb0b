"""The networkx store survives a restart and never leaves half a snapshot behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmem.errors import StoreUnavailable
from graphmem.models.naming import entity_key
from graphmem.models.records import Entity
from graphmem.stores.graph.base import GraphWrite
from graphmem.stores.graph.networkx_store import NetworkxGraphStore


def make(name: str) -> Entity:
    return Entity(name=name, key=entity_key(name), type="Person", user_id="alice")


def test_a_reopened_store_sees_what_was_written(tmp_path: Path) -> None:
    sarah = make("Sarah")
    NetworkxGraphStore(tmp_path).apply(GraphWrite(entities=[sarah]))
    assert NetworkxGraphStore(tmp_path).get_entities([sarah.id])[0].name == "Sarah"


def test_no_temporary_files_remain_after_a_write(tmp_path: Path) -> None:
    NetworkxGraphStore(tmp_path).apply(GraphWrite(entities=[make("Sarah")]))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")] == []


def test_a_failed_snapshot_write_is_undone_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "graph"
    store = NetworkxGraphStore(folder)
    folder.rmdir()
    folder.write_text("a file where the snapshot folder was")  # every write now fails
    with pytest.raises(StoreUnavailable):
        store.apply(GraphWrite(entities=[make("Sarah")]))
    assert store.counts().entities == 0


def test_deferred_persistence_writes_once_at_the_end(tmp_path: Path) -> None:
    store = NetworkxGraphStore(tmp_path)
    with store.deferred_persistence():
        store.apply(GraphWrite(entities=[make("A")]))
        assert list(tmp_path.glob("partition-*.json")) == []
    assert len(list(tmp_path.glob("partition-*.json"))) == 1
