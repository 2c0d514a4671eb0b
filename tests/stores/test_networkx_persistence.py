"""The networkx store survives a restart, writes each apply all or nothing, and migrates
the older JSON snapshots."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from graphmem.errors import StoreUnavailable
from graphmem.models.naming import entity_key
from graphmem.models.records import Entity, Relation
from graphmem.stores.graph.base import GraphWrite
from graphmem.stores.graph.networkx_store import GRAPH_FILE, NetworkxGraphStore
from graphmem.stores.graph.persistence import PartitionSnapshot


def make(name: str) -> Entity:
    return Entity(name=name, key=entity_key(name), type="Person", user_id="alice")


def link(source: Entity, target: Entity) -> Relation:
    return Relation(source_id=source.id, target_id=target.id, type="KNOWS", user_id="alice")


@contextmanager
def relation_writes_refused(folder: Path) -> Iterator[None]:
    """Make the file refuse every relation row, as a full disk would, mid-transaction."""
    conn = sqlite3.connect(folder / GRAPH_FILE, isolation_level=None)
    conn.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON relations BEGIN SELECT RAISE(ABORT, 'full'); END"
    )
    try:
        yield
    finally:
        conn.execute("DROP TRIGGER refuse")
        conn.close()


def test_a_reopened_store_sees_what_was_written(tmp_path: Path) -> None:
    sarah, tom = make("Sarah"), make("Tom")
    knows = link(sarah, tom)
    NetworkxGraphStore(tmp_path).apply(GraphWrite(entities=[sarah, tom], relations=[knows]))
    reopened = NetworkxGraphStore(tmp_path)
    assert reopened.get_entities([sarah.id])[0].name == "Sarah"
    assert reopened.get_relations([knows.id]) == [knows]


def test_a_reopened_store_sees_updates_and_cascading_deletes(tmp_path: Path) -> None:
    sarah, tom, ana = make("Sarah"), make("Tom"), make("Ana")
    knows, met = link(sarah, tom), link(sarah, ana)
    store = NetworkxGraphStore(tmp_path)
    store.apply(GraphWrite(entities=[sarah, tom, ana], relations=[knows, met]))
    store.apply(GraphWrite(entities=[sarah.model_copy(update={"name": "Sarah Chen"})]))
    store.apply(GraphWrite(delete_entity_ids=[tom.id]))
    reopened = NetworkxGraphStore(tmp_path)
    assert reopened.get_entities([sarah.id])[0].name == "Sarah Chen"
    assert reopened.get_entities([tom.id]) == []
    assert [r.id for r in reopened.get_relations([knows.id, met.id])] == [met.id]


def test_a_failed_write_is_undone_in_memory_and_on_disk(tmp_path: Path) -> None:
    sarah, tom = make("Sarah"), make("Tom")
    store = NetworkxGraphStore(tmp_path)
    store.apply(GraphWrite(entities=[sarah]))
    renamed = sarah.model_copy(update={"name": "Sarah Chen"})
    with relation_writes_refused(tmp_path), pytest.raises(StoreUnavailable, match="undone"):
        store.apply(GraphWrite(entities=[renamed, tom], relations=[link(sarah, tom)]))
    for view in (store, NetworkxGraphStore(tmp_path)):
        assert view.counts().entities == 1
        assert view.counts().relations == 0
        assert view.get_entities([sarah.id])[0].name == "Sarah"


def test_applies_from_many_threads_all_reach_the_file(tmp_path: Path) -> None:
    store = NetworkxGraphStore(tmp_path)
    hub = make("Hub")
    store.apply(GraphWrite(entities=[hub]))

    def write_spokes() -> None:
        for number in range(50):
            spoke = make(f"Spoke {number}")
            store.apply(GraphWrite(entities=[spoke], relations=[link(hub, spoke)]))

    threads = [threading.Thread(target=write_spokes) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert NetworkxGraphStore(tmp_path).counts().relations == 200


def test_a_failed_commit_is_written_by_the_next_apply(tmp_path: Path) -> None:
    sarah, tom = make("Sarah"), make("Tom")
    store = NetworkxGraphStore(tmp_path)
    store.apply(GraphWrite(entities=[sarah, tom]))
    with relation_writes_refused(tmp_path), pytest.raises(StoreUnavailable):
        store.apply(GraphWrite(relations=[link(sarah, tom)]))
    store.apply(GraphWrite(entities=[make("Ana")]))
    assert NetworkxGraphStore(tmp_path).counts().entities == 3
    assert NetworkxGraphStore(tmp_path).counts().relations == 0  # the failed one was undone


def test_reset_empties_the_file(tmp_path: Path) -> None:
    store = NetworkxGraphStore(tmp_path)
    store.apply(GraphWrite(entities=[make("Sarah")]))
    store.reset()
    assert NetworkxGraphStore(tmp_path).counts().entities == 0


def test_older_json_snapshots_are_migrated_once_and_kept_as_migrated(tmp_path: Path) -> None:
    sarah, tom = make("Sarah"), make("Tom")
    knows = link(sarah, tom)
    old = PartitionSnapshot(
        partition=tuple(sarah.partition()), entities=[sarah, tom], relations=[knows]
    )
    (tmp_path / "partition-0123abcd.json").write_text(old.model_dump_json())
    NetworkxGraphStore(tmp_path).apply(GraphWrite(delete_entity_ids=[tom.id]))
    assert sorted(p.name for p in tmp_path.glob("partition-*")) == [
        "partition-0123abcd.json.migrated"
    ]
    reopened = NetworkxGraphStore(tmp_path)
    assert [e.id for e in reopened.get_entities([sarah.id, tom.id])] == [sarah.id]
    assert reopened.counts().relations == 0
