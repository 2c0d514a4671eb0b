"""Long-lived loads: the collector is paused while they run, then what they built is frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmem import GraphMemConfig, Memory
from graphmem.models.records import Entity, Relation
from graphmem.stores.graph.base import GraphWrite
from graphmem.stores.graph.networkx_store import NetworkxGraphStore
from graphmem.stores.heap import (
    cyclic_gc_paused,
    loading_long_lived,
    release_long_lived,
    share_fields_set,
)


@pytest.fixture(autouse=True)
def _nothing_frozen() -> Iterator[None]:
    release_long_lived()
    yield
    release_long_lived()


def test_the_collector_is_paused_inside_and_enabled_again_after() -> None:
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_load_freezes_what_it_built_and_release_hands_it_back() -> None:
    with loading_long_lived():
        records = [{"id": index} for index in range(1000)]

    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(records)
    release_long_lived()
    assert gc.get_freeze_count() == 0


def test_a_load_that_fails_freezes_nothing() -> None:
    with pytest.raises(ValueError), loading_long_lived():
        raise ValueError("the file is unreadable")

    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_reopened_memory_freezes_its_graph_and_closing_releases_it(tmp_path: Path) -> None:
    config = GraphMemConfig(data_dir=tmp_path, embedder="hash")
    with Memory(config) as memory:
        memory.add("I work at Google.", user_id="sarah", infer=False)
    release_long_lived()

    with Memory(config):
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_records_read_back_share_one_fields_set_and_still_copy_and_assign(tmp_path: Path) -> None:
    sarah = Entity(name="Sarah", key="sarah", type="Person", user_id="alice")
    google = Entity(name="Google", key="google", type="Company", user_id="alice")
    works = Relation(
        source_id=sarah.id, target_id=google.id, type="WORKS_AT", fact="x", user_id="alice"
    )
    store = NetworkxGraphStore(tmp_path / "graph")
    store.apply(GraphWrite(entities=[sarah, google], relations=[works]))
    store.close()
    reopened = NetworkxGraphStore(tmp_path / "graph")
    try:
        first, second = reopened.get_entities([sarah.id, google.id])
        (relation,) = reopened.get_relations([works.id])
    finally:
        reopened.close()
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__
    assert first.model_fields_set == set(Entity.model_fields)
    assert relation.model_fields_set == set(Relation.model_fields)
    renamed = first.model_copy(update={"name": "Sarah Chen"})
    renamed.mentions = 4
    assert renamed.__pydantic_fields_set__ is not first.__pydantic_fields_set__
    assert (renamed.name, renamed.mentions, first.name) == ("Sarah Chen", 4, "Sarah")
    assert first.model_fields_set == set(Entity.model_fields)


def test_a_record_given_only_some_fields_keeps_its_own_fields_set() -> None:
    partial = Entity(name="Sarah", key="sarah", type="Person")
    share_fields_set(partial)
    assert partial.model_fields_set == {"name", "key", "type"}
