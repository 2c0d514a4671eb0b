"""Namespaces map to graphmem scopes, and a namespace never reaches another scope's data."""

from __future__ import annotations

from typing import Any

import pytest

from graphmem import ConfigError, InvalidInput, Memory, ScopeViolation
from graphmem.integrations.langgraph_store import GraphMemStore


def value_of(store: GraphMemStore, namespace: tuple[str, ...], key: str) -> dict[str, Any]:
    item = store.get(namespace, key)
    assert item is not None
    return item.value


def test_a_namespace_label_names_the_user_and_the_item_is_a_graphmem_memory(
    user_store: GraphMemStore, memory: Memory
) -> None:
    user_store.put(("alice", "memories"), "seat", {"text": "prefers window seats"})
    [stored] = memory.get_all(user_id="alice", app_id="travel-agent")["results"]
    assert (stored["user_id"], stored["app_id"], stored["memory"]) == (
        "alice",
        "travel-agent",
        "prefers window seats",
    )
    assert stored["run_id"].startswith("langgraph:")
    assert stored["metadata"]["langgraph"]["namespace"] == ["alice", "memories"]
    assert stored["metadata"]["langgraph"]["key"] == "seat"
    hits = memory.search("window seats", user_id="alice")["results"]
    assert [hit["id"] for hit in hits] == [stored["id"]]


def test_one_user_never_reads_another_users_items(user_store: GraphMemStore) -> None:
    user_store.put(("alice", "memories"), "food", {"text": "likes sushi"})
    user_store.put(("bob", "memories"), "food", {"text": "likes sushi and pizza"})
    found = user_store.search(("alice",), query="sushi pizza")
    assert [(item.namespace, item.key) for item in found] == [(("alice", "memories"), "food")]
    assert user_store.list_namespaces(prefix=("bob",)) == [("bob", "memories")]
    assert value_of(user_store, ("alice", "memories"), "food") == {"text": "likes sushi"}
    user_store.delete(("bob", "memories"), "food")
    assert user_store.get(("alice", "memories"), "food") is not None


@pytest.mark.parametrize("prefix", [(), ("*",), ("*", "memories")])
def test_a_search_that_does_not_name_the_user_is_refused(
    user_store: GraphMemStore, prefix: tuple[str, ...]
) -> None:
    user_store.put(("alice", "memories"), "food", {"text": "likes sushi"})
    with pytest.raises(ScopeViolation):
        user_store.search(prefix, query="sushi")


@pytest.mark.parametrize(
    "conditions",
    [{}, {"prefix": ("*",)}, {"suffix": ("memories",)}, {"prefix": ("*", "memories")}],
)
def test_a_listing_that_does_not_name_the_user_is_refused(
    user_store: GraphMemStore, conditions: dict[str, tuple[str, ...]]
) -> None:
    user_store.put(("alice", "memories"), "food", {"text": "likes sushi"})
    with pytest.raises(ScopeViolation):
        user_store.list_namespaces(**conditions)


def test_a_listing_may_use_a_wildcard_after_the_user(user_store: GraphMemStore) -> None:
    user_store.put(("alice", "memories", "travel"), "seat", {"text": "window"})
    user_store.put(("alice", "notes", "travel"), "seat", {"text": "aisle"})
    user_store.put(("bob", "memories", "travel"), "seat", {"text": "aisle"})
    assert user_store.list_namespaces(prefix=("alice", "*", "travel")) == [
        ("alice", "memories", "travel"),
        ("alice", "notes", "travel"),
    ]


def test_an_item_namespace_too_short_to_name_the_user_is_invalid(memory: Memory) -> None:
    store = GraphMemStore(memory, scope={"app_id": "a"}, namespace_scope={"user_id": 1})
    with pytest.raises(InvalidInput) as raised:
        store.put(("memories",), "k", {"text": "x"})
    assert raised.value.field == "namespace"
    with pytest.raises(InvalidInput):
        store.get(("memories",), "k")


def test_a_user_label_with_outer_spaces_is_invalid(user_store: GraphMemStore) -> None:
    with pytest.raises(InvalidInput):
        user_store.put((" alice", "memories"), "k", {"text": "x"})


def test_a_star_is_a_plain_label_but_never_a_user(user_store: GraphMemStore) -> None:
    user_store.put(("alice", "*"), "k", {"text": "a folder named star"})
    assert [item.key for item in user_store.search(("alice", "*"))] == ["k"]
    with pytest.raises(InvalidInput):
        user_store.put(("*", "memories"), "k", {"text": "x"})


def test_stores_with_other_fixed_scopes_never_share_items(memory: Memory) -> None:
    alice = GraphMemStore(memory, scope={"user_id": "alice"})
    alice_in_app = GraphMemStore(memory, scope={"user_id": "alice", "app_id": "bot"})
    alice.put(("notes",), "k", {"text": "plain"})
    alice_in_app.put(("notes",), "k", {"text": "in the app"})
    assert value_of(alice, ("notes",), "k") == {"text": "plain"}
    assert [item.value for item in alice.search(("notes",), query="app")] == [{"text": "plain"}]
    assert alice.list_namespaces() == [("notes",)]
    alice.delete(("notes",), "k")
    assert value_of(alice_in_app, ("notes",), "k") == {"text": "in the app"}


def test_memories_added_directly_in_the_scope_are_not_items(
    store: GraphMemStore, memory: Memory
) -> None:
    memory.add("Sarah Chen likes tea.", user_id="alice", infer=False)
    forged = {
        "namespace": ["notes"],
        "key": "forged",
        "prefixes": ["notes"],
        "role": "item",
        "indexed": True,
        "value": {},
    }
    memory.add(
        "Sarah Chen likes tea too.",
        user_id="alice",
        run_id="langgraph:forged",
        metadata={"langgraph": forged},
        infer=False,
    )
    store.put(("notes",), "k", {"text": "Sarah Chen likes coffee"})
    assert [item.key for item in store.search(("notes",), query="Sarah tea")] == ["k"]
    assert [item.key for item in store.search(())] == ["k"]


@pytest.mark.parametrize(
    ("scope", "namespace_scope"),
    [
        (None, None),
        ({"run_id": "r1"}, None),
        (None, {"run_id": 0}),
        ({"user_id": "alice"}, {"user_id": 0}),
        (None, {"user_id": 0, "agent_id": 0}),
        (None, {"user_id": -1}),
        ({"user_id": ""}, None),
    ],
)
def test_inconsistent_scope_settings_are_a_config_error(
    memory: Memory,
    scope: dict[str, str] | None,
    namespace_scope: dict[str, int] | None,
) -> None:
    with pytest.raises(ConfigError):
        GraphMemStore(memory, scope=scope, namespace_scope=namespace_scope)
