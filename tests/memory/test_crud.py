"""get / get_all / update / delete / delete_all / history / reset."""

from __future__ import annotations

import pytest

from graphmem import InvalidInput, Memory, NotFound, StoreUnavailable
from graphmem.models.scope import Scope


def test_get_returns_the_stored_memory_without_scores(memory: Memory) -> None:
    added = memory.add("Sarah Chen works at Google.", user_id="alice")
    stored = memory.get(added["results"][0]["id"])
    assert stored["memory"] == "Sarah Chen works at Google."
    assert stored["user_id"] == "alice"
    assert "score" not in stored
    assert {"created_at", "updated_at", "metadata", "hash"} <= set(stored)


@pytest.mark.parametrize("memory_id", ["no-such-id", "00000000-0000-0000-0000-000000000000"])
def test_get_of_an_unknown_id_raises_not_found(memory: Memory, memory_id: str) -> None:
    with pytest.raises(NotFound):
        memory.get(memory_id)


def test_history_lists_add_then_update_oldest_first(memory: Memory) -> None:
    memory_id = memory.add("Sarah Chen works at Google.", user_id="alice")["results"][0]["id"]
    updated = memory.update(memory_id, text="Sarah Chen works at Google as a director.")
    assert updated["event"] == "UPDATE"
    assert updated["previous_memory"] == "Sarah Chen works at Google."
    events = memory.history(memory_id)
    assert [e["event"] for e in events] == ["ADD", "UPDATE"]
    assert events[1]["old_memory"] == "Sarah Chen works at Google."
    assert events[1]["new_memory"] == "Sarah Chen works at Google as a director."


def test_update_of_metadata_only_keeps_the_text(memory: Memory) -> None:
    memory_id = memory.add("Sarah Chen works at Google.", user_id="alice")["results"][0]["id"]
    memory.update(memory_id, metadata={"checked": True})
    stored = memory.get(memory_id)
    assert (stored["memory"], stored["metadata"]) == (
        "Sarah Chen works at Google.",
        {"checked": True},
    )


def test_update_without_changes_is_invalid(memory: Memory) -> None:
    memory_id = memory.add("Sarah Chen works at Google.", user_id="alice")["results"][0]["id"]
    with pytest.raises(InvalidInput):
        memory.update(memory_id)


def test_delete_removes_the_memory_and_what_only_it_supported(memory: Memory) -> None:
    memory_id = memory.add("Sarah Chen works at Google.", user_id="alice")["results"][0]["id"]
    memory.delete(memory_id)
    with pytest.raises(NotFound):
        memory.get(memory_id)
    assert memory.stats(user_id="alice") | {
        "memories": 0,
        "entities": 0,
        "relations": 0,
    } == memory.stats(user_id="alice")
    assert [e["event"] for e in memory.history(memory_id)] == ["ADD", "DELETE"]


def test_delete_keeps_entities_other_memories_mention(memory: Memory) -> None:
    first = memory.add("Sarah Chen works at Google.", user_id="alice")["results"][0]["id"]
    memory.add("Tom Lee works at Google.", user_id="alice")
    memory.delete(first)
    names = {e["name"] for e in memory.graph.entities(user_id="alice")}
    assert names == {"Tom Lee", "Google"}


def _lives_in(memory: Memory, city: str) -> str:
    """Add "Ana lives in <city>" pre-extracted for alice; the new memory's id."""
    added = memory.add(
        f"Ana lives in {city}.",
        user_id="alice",
        entities=[{"name": "Ana", "type": "Person"}, {"name": city, "type": "Location"}],
        relations=[{"source": "Ana", "relationship": "lives in", "target": city}],
    )
    memory_id: str = added["results"][0]["id"]
    return memory_id


def _cited_memories(memory: Memory) -> set[str]:
    """Every memory id the provenance of alice's relations (ended ones too) cites."""
    scope = Scope.of(user_id="alice")
    graph = memory.backends.graph
    entity_ids = [entity.id for entity in graph.list_entities(scope)]
    relations = graph.relations_of(scope, entity_ids, include_history=True)
    return {memory_id for relation in relations for memory_id in relation.memory_ids}


def test_deleting_the_memory_that_ended_a_relation_leaves_no_relation_citing_it(
    memory: Memory,
) -> None:
    lisbon = _lives_in(memory, "Lisbon")
    lagos = _lives_in(memory, "Lagos")  # LIVES_IN is single-valued: Lisbon ends
    assert lagos in _cited_memories(memory)
    memory.delete(lagos)
    assert _cited_memories(memory) == {lisbon}
    assert memory.graph.neighbors("Ana", user_id="alice")["edges"] == []


def test_delete_all_empties_one_scope_only(memory: Memory) -> None:
    memory.add("Sarah Chen works at Google.", user_id="alice")
    memory.add("Tom Lee works at Acme.", user_id="alice")
    memory.add("Bob Smith lives in Berlin.", user_id="bob")
    assert memory.delete_all(user_id="alice")["deleted"] == 2
    assert memory.get_all(user_id="alice")["results"] == []
    assert memory.stats(user_id="alice")["entities"] == 0
    assert len(memory.get_all(user_id="bob")["results"]) == 1


def test_get_all_pages_with_a_cursor(memory: Memory) -> None:
    texts = {f"Fact number {i} is here." for i in range(5)}
    for text in texts:
        memory.add(text, user_id="alice", infer=False)
    first = memory.get_all(user_id="alice", limit=2)
    second = memory.get_all(user_id="alice", limit=2, cursor=first["next_cursor"])
    third = memory.get_all(user_id="alice", limit=2, cursor=second["next_cursor"])
    seen = [m["memory"] for page in (first, second, third) for m in page["results"]]
    assert sorted(seen) == sorted(texts)
    assert third["next_cursor"] is None


def test_reset_forgets_every_scope(memory: Memory) -> None:
    memory.add("Sarah Chen works at Google.", user_id="alice")
    memory.add("Bob Smith lives in Berlin.", user_id="bob")
    memory.reset()
    assert memory.stats()["memories"] == 0
    assert memory.stats()["entities"] == 0
    assert memory.search("Google", user_id="alice")["results"] == []


def test_a_vector_store_that_is_down_is_unavailable_not_not_found(memory: Memory) -> None:
    """A closed store answers StoreUnavailable (REST 503) for get, update, delete; never
    NotFound (404), which would tell the caller the memory is gone."""
    memory_id = memory.add("Sarah Chen works at Google.", user_id="alice")["results"][0]["id"]
    memory.backends.vectors.close()
    for call in (
        lambda: memory.get(memory_id),
        lambda: memory.update(memory_id, text="Sarah Chen works at Initech."),
        lambda: memory.delete(memory_id),
    ):
        with pytest.raises(StoreUnavailable):
            call()
