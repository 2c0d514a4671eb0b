"""GraphMemStore(infer=True): each put's text also feeds graphmem's graph (offline extractor)."""

from __future__ import annotations

import pytest

from graphmem import ExtractionFailed, Memory
from graphmem.integrations.langgraph_store import GraphMemStore

PEOPLE = ("alice", "people")


@pytest.fixture
def inferring_store(memory: Memory) -> GraphMemStore:
    return GraphMemStore(memory, namespace_scope={"user_id": 0}, index_fields=["text"], infer=True)


def answers(memory: Memory, question: str) -> set[str]:
    return {found["entity"] for found in memory.query(question, user_id="alice")["answers"]}


def test_infer_is_off_by_default_and_writes_no_graph(
    user_store: GraphMemStore, memory: Memory
) -> None:
    user_store.put(("alice", "people"), "sarah", {"text": "Sarah Chen works at Google."})
    assert memory.stats(user_id="alice") | {"entities": 0, "relations": 0} == memory.stats(
        user_id="alice"
    )


def test_an_inferred_put_adds_its_relations_to_the_graph(
    inferring_store: GraphMemStore, memory: Memory
) -> None:
    inferring_store.put(PEOPLE, "sarah", {"text": "Sarah Chen works at Google."})
    inferring_store.put(PEOPLE, "tom", {"text": "Tom Lee lives in Zurich."})
    assert answers(memory, "Who works at Google?") == {"Sarah Chen"}
    found = inferring_store.search(("alice",), query="Who works at Google?")
    assert found[0].key == "sarah"
    assert found[0].value == {"text": "Sarah Chen works at Google."}


def test_overwriting_an_inferred_item_replaces_its_facts(
    inferring_store: GraphMemStore, memory: Memory
) -> None:
    inferring_store.put(PEOPLE, "sarah", {"text": "Sarah Chen works at Google."})
    inferring_store.put(PEOPLE, "sarah", {"text": "Sarah Chen works at Meta."})
    assert answers(memory, "Who works at Google?") == set()
    assert answers(memory, "Who works at Meta?") == {"Sarah Chen"}
    texts = sorted(hit["memory"] for hit in memory.get_all(user_id="alice")["results"])
    assert all("Google" not in text for text in texts)
    assert [item.key for item in inferring_store.search(PEOPLE)] == ["sarah"]


def test_putting_the_same_inferred_value_again_keeps_its_graph(
    inferring_store: GraphMemStore, memory: Memory
) -> None:
    inferring_store.put(PEOPLE, "sarah", {"text": "Sarah Chen works at Google."})
    before = memory.stats(user_id="alice")
    inferring_store.put(PEOPLE, "sarah", {"text": "Sarah Chen works at Google.", "seen": 2})
    assert memory.stats(user_id="alice") == before
    assert answers(memory, "Who works at Google?") == {"Sarah Chen"}
    found = inferring_store.search(PEOPLE, query="Google", filter={"seen": 2})
    assert [item.value for item in found] == [{"text": "Sarah Chen works at Google.", "seen": 2}]


def test_deleting_an_inferred_item_removes_its_facts_and_relations(
    inferring_store: GraphMemStore, memory: Memory
) -> None:
    inferring_store.put(PEOPLE, "sarah", {"text": "Sarah Chen works at Google."})
    inferring_store.delete(PEOPLE, "sarah")
    assert memory.get_all(user_id="alice")["results"] == []
    assert memory.stats(user_id="alice")["relations"] == 0
    assert answers(memory, "Who works at Google?") == set()


def test_a_failed_extraction_leaves_the_old_item_whole(
    inferring_store: GraphMemStore, memory: Memory, monkeypatch: pytest.MonkeyPatch
) -> None:
    inferring_store.put(PEOPLE, "sarah", {"text": "Sarah Chen works at Google."})

    def fail(*args: object, **kwargs: object) -> object:
        raise ExtractionFailed("the extractor is down")

    monkeypatch.setattr(memory.backends.extractor, "extract", fail)
    with pytest.raises(ExtractionFailed):
        inferring_store.put(PEOPLE, "sarah", {"text": "Sarah Chen works at Meta."})
    item = inferring_store.get(PEOPLE, "sarah")
    assert item is not None and item.value == {"text": "Sarah Chen works at Google."}
    assert answers(memory, "Who works at Google?") == {"Sarah Chen"}
