"""Long-lived loads: the collector is paused while they run, then what they built is frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmem import GraphMemConfig, Memory
from graphmem.stores.heap import cyclic_gc_paused, loading_long_lived, release_long_lived


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
