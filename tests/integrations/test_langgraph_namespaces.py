"""GraphMemStore.list_namespaces: LangGraph's prefix, suffix, wildcard, depth and paging rules."""

from __future__ import annotations

from graphmem.integrations.langgraph_store import GraphMemStore

TREE = [
    ("a", "b", "c"),
    ("a", "b", "d", "e"),
    ("a", "b", "d", "i"),
    ("a", "b", "f"),
    ("a", "c", "f"),
    ("b", "a", "f"),
    ("users", "123"),
    ("users", "456", "settings"),
    ("admin", "users", "789"),
]


def put_namespaces(store: GraphMemStore, namespaces: list[tuple[str, ...]]) -> None:
    for number, namespace in enumerate(namespaces):
        store.put(namespace, f"id_{number}", {"data": f"value_{number:02d}"})


def test_an_empty_store_lists_no_namespaces(store: GraphMemStore) -> None:
    assert store.list_namespaces() == []


def test_without_conditions_every_namespace_is_listed_sorted(store: GraphMemStore) -> None:
    put_namespaces(store, [("e", "f", "g"), ("a", "b"), ("c", "d")])
    assert store.list_namespaces() == [("a", "b"), ("c", "d"), ("e", "f", "g")]


def test_a_namespace_with_two_items_is_listed_once(store: GraphMemStore) -> None:
    store.put(("a", "b"), "one", {"n": 1})
    store.put(("a", "b"), "two", {"n": 2})
    assert store.list_namespaces() == [("a", "b")]


def test_prefix_and_suffix_select_namespaces(store: GraphMemStore) -> None:
    put_namespaces(store, TREE)
    assert store.list_namespaces(prefix=("a", "b")) == [
        ("a", "b", "c"),
        ("a", "b", "d", "e"),
        ("a", "b", "d", "i"),
        ("a", "b", "f"),
    ]
    assert store.list_namespaces(suffix=("f",)) == [
        ("a", "b", "f"),
        ("a", "c", "f"),
        ("b", "a", "f"),
    ]
    assert store.list_namespaces(prefix=("a",), suffix=("f",)) == [("a", "b", "f"), ("a", "c", "f")]
    assert store.list_namespaces(prefix=("users", "123")) == [("users", "123")]
    assert store.list_namespaces(prefix=("nonexistent",)) == []


def test_a_wildcard_matches_any_one_label(store: GraphMemStore) -> None:
    put_namespaces(store, TREE)
    assert store.list_namespaces(prefix=("a", "*", "f")) == [("a", "b", "f"), ("a", "c", "f")]
    assert store.list_namespaces(suffix=("*", "f")) == [
        ("a", "b", "f"),
        ("a", "c", "f"),
        ("b", "a", "f"),
    ]
    assert store.list_namespaces(prefix=("users", "*")) == [
        ("users", "123"),
        ("users", "456", "settings"),
    ]
    assert store.list_namespaces(prefix=("*", "users"), suffix=("*", "settings")) == []


def test_max_depth_cuts_namespaces_and_merges_the_cut_ones(store: GraphMemStore) -> None:
    put_namespaces(store, TREE)
    assert store.list_namespaces(prefix=("a", "b"), max_depth=3) == [
        ("a", "b", "c"),
        ("a", "b", "d"),
        ("a", "b", "f"),
    ]
    put_namespaces(store, [("h", "i", "j", "k")])
    assert store.list_namespaces(prefix=("h",), max_depth=2) == [("h", "i")]


def test_limit_and_offset_page_through_the_sorted_list(store: GraphMemStore) -> None:
    for number in range(20):
        store.put(("namespace", f"sub_{number:02d}"), f"id_{number:02d}", {"n": number})
    pages = [
        store.list_namespaces(prefix=("namespace",), limit=5, offset=offset)
        for offset in (0, 5, 15)
    ]
    assert pages == [
        [("namespace", f"sub_{number:02d}") for number in range(start, start + 5)]
        for start in (0, 5, 15)
    ]


def test_a_deleted_items_namespace_is_no_longer_listed(store: GraphMemStore) -> None:
    store.put(("a",), "k", {"n": 1})
    store.put(("b",), "k", {"n": 1})
    store.delete(("a",), "k")
    assert store.list_namespaces() == [("b",)]
