"""GraphMemStore through LangGraph's public store API: put, get, search, delete, as agents do.

These follow LangGraph's own store behaviours (its InMemoryStore tests) where they apply to
a store that always searches: every item is indexed unless put with `index=False`.
"""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.store.base import (
    BaseStore,
    GetOp,
    InvalidNamespaceError,
    Item,
    PutOp,
    SearchItem,
    SearchOp,
)

from graphmem import InvalidInput, Memory
from graphmem.integrations.langgraph_store import GraphMemStore

FRUIT = [
    ("doc1", {"text": "red apple", "color": "red", "score": 4.5}),
    ("doc2", {"text": "red car", "color": "red", "score": 3.0}),
    ("doc3", {"text": "green apple", "color": "green", "score": 4.0}),
    ("doc4", {"text": "blue car", "color": "blue", "score": 3.5}),
]


def put_all(store: BaseStore, namespace: tuple[str, ...], docs: list[tuple[str, Any]]) -> None:
    for key, value in docs:
        store.put(namespace, key, value)


def keys(found: list[SearchItem]) -> list[str]:
    return [item.key for item in found]


def test_store_is_a_langgraph_base_store(store: GraphMemStore) -> None:
    assert isinstance(store, BaseStore)
    assert store.supports_ttl is False


def test_put_then_get_returns_the_item(store: GraphMemStore) -> None:
    store.put(("users", "profile"), "prefs", {"theme": "dark", "langs": ["en", "de"]})
    item = store.get(("users", "profile"), "prefs")
    assert isinstance(item, Item)
    assert (item.namespace, item.key) == (("users", "profile"), "prefs")
    assert item.value == {"theme": "dark", "langs": ["en", "de"]}
    assert item.created_at == item.updated_at
    assert item.created_at.tzinfo is not None


def test_get_of_a_missing_key_or_namespace_is_none(store: GraphMemStore) -> None:
    store.put(("users",), "a", {"x": 1})
    assert store.get(("users",), "b") is None
    assert store.get(("others",), "a") is None


def test_put_on_an_existing_key_overwrites_it_and_keeps_created_at(
    store: GraphMemStore, memory: Memory
) -> None:
    store.put(("notes",), "k", {"text": "first"})
    first = store.get(("notes",), "k")
    store.put(("notes",), "k", {"text": "second", "extra": True})
    second = store.get(("notes",), "k")
    assert first is not None and second is not None
    assert second.value == {"text": "second", "extra": True}
    assert second.created_at == first.created_at
    assert second.updated_at > first.updated_at
    assert len(memory.get_all(user_id="alice")["results"]) == 1


def test_put_of_the_same_value_twice_is_one_item(store: GraphMemStore, memory: Memory) -> None:
    store.put(("notes",), "k", {"text": "same"})
    store.put(("notes",), "k", {"text": "same"})
    assert keys(store.search(("notes",))) == ["k"]
    assert len(memory.get_all(user_id="alice")["results"]) == 1


def test_two_keys_with_the_same_value_are_two_items(store: GraphMemStore) -> None:
    store.put(("notes",), "a", {"text": "likes tea"})
    store.put(("notes",), "b", {"text": "likes tea"})
    store.put(("other",), "a", {"text": "likes tea"})
    assert sorted(keys(store.search(("notes",)))) == ["a", "b"]
    store.delete(("notes",), "a")
    assert store.get(("notes",), "b") is not None
    assert store.get(("other",), "a") is not None


def test_delete_and_put_of_none_remove_the_item(store: GraphMemStore) -> None:
    store.put(("notes",), "a", {"text": "one"})
    store.put(("notes",), "b", {"text": "two"})
    store.delete(("notes",), "a")
    store.batch([PutOp(("notes",), "b", None)])
    assert store.get(("notes",), "a") is None
    assert store.get(("notes",), "b") is None
    assert store.search(("notes",)) == []


def test_delete_of_a_missing_key_is_not_an_error(store: GraphMemStore) -> None:
    store.delete(("notes",), "never-put")
    assert store.get(("notes",), "never-put") is None


def test_search_without_a_query_lists_the_prefix_most_recent_first(store: GraphMemStore) -> None:
    store.put(("docs", "a"), "1", {"n": 1})
    store.put(("docs", "b"), "2", {"n": 2})
    store.put(("docsx",), "3", {"n": 3})
    store.put(("docs", "a"), "1", {"n": 11})
    found = store.search(("docs",))
    assert keys(found) == ["1", "2"]
    assert all(item.score is None for item in found)
    assert keys(store.search(("docs", "b"))) == ["2"]
    assert sorted(keys(store.search(()))) == ["1", "2", "3"]


def test_search_filters_on_value_fields_and_operators(store: GraphMemStore) -> None:
    put_all(store, ("test",), FRUIT)
    assert sorted(keys(store.search(("test",), filter={"color": "red"}))) == ["doc1", "doc2"]
    assert sorted(keys(store.search(("test",), filter={"score": {"$gt": 3.2}}))) == [
        "doc1",
        "doc3",
        "doc4",
    ]
    both = {"score": {"$gte": 4.0}, "color": "green"}
    assert keys(store.search(("test",), filter=both)) == ["doc3"]
    assert sorted(keys(store.search(("test",), filter={"color": {"$ne": "red"}}))) == [
        "doc3",
        "doc4",
    ]
    assert keys(store.search(("test",), filter={"score": {"$lt": 3.5, "$gte": 3.0}})) == ["doc2"]


def test_search_filters_on_nested_objects_and_whole_lists(store: GraphMemStore) -> None:
    store.put(("p",), "ann", {"profile": {"city": "Zurich", "age": 31}, "tags": ["a", "b"]})
    store.put(("p",), "bob", {"profile": {"city": "Bern", "age": 40}, "tags": ["a"]})
    assert keys(store.search(("p",), filter={"profile": {"city": "Zurich"}})) == ["ann"]
    assert keys(store.search(("p",), filter={"profile": {"age": {"$gt": 35}}})) == ["bob"]
    assert keys(store.search(("p",), filter={"tags": ["a"]})) == ["bob"]


def test_a_filter_with_an_unknown_operator_is_invalid(store: GraphMemStore) -> None:
    store.put(("p",), "a", {"n": 1})
    with pytest.raises(InvalidInput) as raised:
        store.search(("p",), filter={"n": {"$regex": "1"}})
    assert raised.value.field == "filter"


def test_search_by_query_ranks_the_best_match_first(store: GraphMemStore) -> None:
    put_all(store, ("test",), FRUIT)
    found = store.search(("test",), query="blue car")
    assert found[0].key == "doc4"
    assert found[0].score is not None and 0.0 <= found[0].score <= 1.0
    scores = [item.score for item in found if item.score is not None]
    assert scores == sorted(scores, reverse=True)


def test_search_by_query_and_filter_ranks_only_what_the_filter_keeps(
    store: GraphMemStore,
) -> None:
    put_all(store, ("test",), FRUIT)
    found = store.search(("test",), query="apple", filter={"color": "red"})
    assert keys(found) == ["doc1", "doc2"]
    found = store.search(("test",), query="car", filter={"color": "red"})
    assert keys(found) == ["doc2", "doc1"]
    found = store.search(
        ("test",), query="apple", filter={"score": {"$gte": 4.0}, "color": "green"}
    )
    assert keys(found) == ["doc3"]


def test_an_updated_value_is_found_by_its_new_text(store: GraphMemStore) -> None:
    store.put(("test",), "doc1", {"text": "zany zebra Xerxes"})
    store.put(("test",), "doc2", {"text": "a zany zebra at the zoo"})
    store.put(("test",), "doc3", {"text": "text about birds"})
    assert store.search(("test",), query="zany zebra Xerxes")[0].key == "doc1"
    store.put(("test",), "doc1", {"text": "new text about cats"})
    assert store.search(("test",), query="zany zebra Xerxes")[0].key == "doc2"
    assert store.search(("test",), query="cats")[0].key == "doc1"


def test_an_item_put_with_index_false_is_not_ranked_by_a_query(store: GraphMemStore) -> None:
    store.put(("test",), "indexed", {"text": "new text about dogs"})
    store.put(("test",), "hidden", {"text": "new text about dogs"}, index=False)
    found = store.search(("test",), query="new text about dogs", limit=1)
    assert keys(found) == ["indexed"]
    everything = store.search(("test",), query="new text about dogs")
    assert [(item.key, item.score is None) for item in everything] == [
        ("indexed", False),
        ("hidden", True),
    ]
    assert keys(store.search(("test",), filter={"text": "new text about dogs"})) == [
        "hidden",
        "indexed",
    ]


def test_index_fields_choose_the_text_a_query_reads(memory: Memory) -> None:
    store = GraphMemStore(memory, scope={"user_id": "alice"}, index_fields=["title"])
    store.put(("docs",), "a", {"title": "graph databases", "body": "cooking pasta"})
    store.put(("docs",), "b", {"title": "cooking pasta", "body": "graph databases"})
    assert store.search(("docs",), query="graph databases")[0].key == "a"
    store.put(("docs",), "c", {"title": "x", "body": "sailing boats"}, index=["body"])
    assert store.search(("docs",), query="sailing boats")[0].key == "c"


def test_search_pages_with_limit_and_offset(store: GraphMemStore) -> None:
    for number in range(5):
        store.put(("test",), f"doc{number}", {"text": f"test document number {number}"})
    for query in (None, "test document"):
        first = store.search(("test",), query=query, limit=2)
        second = store.search(("test",), query=query, limit=2, offset=2)
        rest = store.search(("test",), query=query, limit=2, offset=4)
        assert (len(first), len(second), len(rest)) == (2, 2, 1)
        paged = keys(first) + keys(second) + keys(rest)
        assert keys(store.search(("test",), query=query, limit=10)) == paged
        assert sorted(paged) == [f"doc{number}" for number in range(5)]


@pytest.mark.parametrize("query", ["", "   ", None, "test " * 100, "test!@#$%^&*()"])
def test_search_with_an_empty_long_or_odd_query_still_returns_items(
    store: GraphMemStore, query: str | None
) -> None:
    store.put(("test",), "doc1", {"text": "test document"})
    assert keys(store.search(("test",), query=query)) == ["doc1"]


def test_a_value_that_is_not_json_is_invalid_and_writes_nothing(store: GraphMemStore) -> None:
    with pytest.raises(InvalidInput) as raised:
        store.put(("test",), "k", {"when": object()})
    assert raised.value.field == "value"
    assert store.get(("test",), "k") is None


def test_a_value_too_large_for_metadata_is_invalid(store: GraphMemStore) -> None:
    with pytest.raises(InvalidInput) as raised:
        store.put(("test",), "k", {"text": "x" * 70_000})
    assert raised.value.field == "value"


@pytest.mark.parametrize(
    "namespace", [(), ("the", "thing.about"), ("some", "fun", ""), ("langgraph", "foo")]
)
def test_put_refuses_the_namespaces_langgraph_refuses(
    store: GraphMemStore, namespace: tuple[str, ...]
) -> None:
    with pytest.raises(InvalidNamespaceError):
        store.put(namespace, "foo", {"foo": "bar"})


def test_a_namespace_langgraph_is_only_refused_at_its_root(store: GraphMemStore) -> None:
    store.put(("foo", "langgraph", "foo"), "bar", {"foo": "bar"})
    assert store.search(("foo", "langgraph", "foo"))[0].value == {"foo": "bar"}
    store.delete(("foo", "langgraph", "foo"), "bar")
    assert store.get(("foo", "langgraph", "foo"), "bar") is None


def test_batch_refuses_a_label_with_a_period_past_the_public_api(store: GraphMemStore) -> None:
    with pytest.raises(InvalidNamespaceError):
        store.batch([PutOp(("foo.bar",), "k", {"x": 1})])


def test_ttl_is_not_supported(store: GraphMemStore) -> None:
    with pytest.raises(NotImplementedError):
        store.put(("test",), "k", {"x": 1}, ttl=5.0)


def test_batch_runs_ops_in_order_with_one_result_each(store: GraphMemStore) -> None:
    results = store.batch(
        [
            PutOp(("b",), "k", {"v": 1}),
            GetOp(("b",), "k"),
            PutOp(("b",), "k", {"v": 2}),
            SearchOp(("b",)),
            PutOp(("b",), "k", None),
            GetOp(("b",), "k"),
        ]
    )
    assert results[0] is None and results[2] is None and results[4] is None
    first, listed, gone = results[1], results[3], results[5]
    assert isinstance(first, Item) and first.value == {"v": 1}
    assert isinstance(listed, list)
    assert [item.value for item in listed if isinstance(item, Item)] == [{"v": 2}]
    assert gone is None
