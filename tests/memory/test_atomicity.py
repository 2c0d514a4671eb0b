"""A failure in any store during a write leaves every store as it was."""

from __future__ import annotations

from typing import Any

import pytest

from graphmem import GraphMemConfig, GraphMemError, Memory
from graphmem.memory.write import writer
from graphmem.memory.write.plan import WritePlan
from graphmem.memory.write.writer import apply_plan
from graphmem.models.records import MemoryRecord
from graphmem.models.scope import Scope


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


def test_a_memory_deleted_before_a_failed_upsert_is_put_back(
    memory: Memory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vector step deletes, then upserts: its undo restores what the delete took."""
    kept = memory.add("Sarah Chen works at Google.", user_id="alice")["results"][0]["id"]
    record = memory.backends.vectors.get_memories([kept])[0]
    plan = WritePlan()
    plan.delete_memory(record)
    moved = MemoryRecord.create("Sarah Chen works at Initech.", Scope.of(user_id="alice"), {})
    plan.put_memory(moved, None)
    upsert, calls = memory.backends.vectors.upsert_memories, []

    def fail_once(*args: Any) -> None:
        calls.append(args)
        if len(calls) == 1:
            fail()
        upsert(*args)

    monkeypatch.setattr(memory.backends.vectors, "upsert_memories", fail_once)
    with pytest.raises(GraphMemError, match="rolled back"):
        apply_plan(plan, memory.backends)
    monkeypatch.undo()
    assert memory.get(kept)["memory"] == "Sarah Chen works at Google."
    assert memory.backends.vectors.get_memories([moved.id]) == []
    assert [event["event"] for event in memory.history(kept)] == ["ADD"]
    assert memory.backends.history.pending_writes() == []


def test_a_write_a_crash_cut_short_is_undone_when_the_data_dir_opens(
    config: GraphMemConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Memory(config) as memory:
        memory.add("Tom Lee works at Google.", user_id="alice")
        before = snapshot(memory)
        # the process "dies" after the graph and vectors were written, before history
        monkeypatch.setattr(memory.backends.history, "append", fail)
        monkeypatch.setattr(writer, "_undo_or_leave_pending", lambda *args: None)
        with pytest.raises(GraphMemError):
            memory.add("Sarah Chen works at Google.", user_id="alice")
        monkeypatch.undo()
        assert memory.stats()["memories"] == 2  # half-written, as a crash would leave it
        assert len(memory.backends.history.pending_writes()) == 1
    with Memory(config) as reopened:
        assert snapshot(reopened) == before
        assert reopened.backends.history.pending_writes() == []
        answers = reopened.query("Who works at Google?", user_id="alice")["answers"]
        assert [answer["entity"] for answer in answers] == ["Tom Lee"]
