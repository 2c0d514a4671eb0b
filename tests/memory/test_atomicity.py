"""A failure in any store during a write leaves every store as it was."""

from __future__ import annotations

from typing import Any

import pytest

from graphmem import GraphMemError, Memory


class StoreDown(RuntimeError):
    pass


def fail(*_args: Any, **_kwargs: Any) -> None:
    raise StoreDown("injected store failure")


def snapshot(memory: Memory) -> tuple[int, int, int, int, list[str]]:
    stats = memory.stats()
    bm25_hits = memory.search("Google Sarah Chen", user_id="alice", channels=["bm25"])["results"]
    return (
        stats["memories"],
        stats["entities"],
        stats["relations"],
        len(memory.backends.bm25),
        [hit["id"] for hit in bm25_hits],
    )


@pytest.mark.parametrize(
    ("store", "method"),
    [
        ("history", "append"),
        ("bm25", "add"),
        ("vectors", "upsert_memories"),
        ("vectors", "upsert_entities"),
        ("graph", "apply"),
    ],
)
def test_a_failing_store_leaves_nothing_behind(
    memory: Memory, monkeypatch: pytest.MonkeyPatch, store: str, method: str
) -> None:
    memory.add("Tom Lee works at Google.", user_id="alice")
    before = snapshot(memory)
    monkeypatch.setattr(getattr(memory.backends, store), method, fail)
    with pytest.raises(GraphMemError):
        memory.add("Sarah Chen works at Google.", user_id="alice")
    monkeypatch.undo()
    assert snapshot(memory) == before
    assert (
        memory.query("Who works at Google?", user_id="alice")["answers"][0]["entity"] == "Tom Lee"
    )


def test_a_failed_delete_keeps_the_memory_and_its_graph(
    memory: Memory, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory_id = memory.add("Sarah Chen works at Google.", user_id="alice")["results"][0]["id"]
    before = snapshot(memory)
    monkeypatch.setattr(memory.backends.history, "append", fail)
    with pytest.raises(GraphMemError):
        memory.delete(memory_id)
    monkeypatch.undo()
    assert snapshot(memory) == before
    assert memory.get(memory_id)["memory"] == "Sarah Chen works at Google."


def test_a_failed_update_keeps_the_old_text(
    memory: Memory, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory_id = memory.add("Sarah Chen works at Google.", user_id="alice")["results"][0]["id"]
    monkeypatch.setattr(memory.backends.history, "append", fail)
    with pytest.raises(GraphMemError):
        memory.update(memory_id, text="Sarah Chen works at Initech.")
    monkeypatch.undo()
    assert memory.get(memory_id)["memory"] == "Sarah Chen works at Google."
    assert memory.search("Initech", user_id="alice", channels=["bm25"])["results"] == []
