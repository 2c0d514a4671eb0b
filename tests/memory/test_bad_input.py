"""Bad input gets a GraphMemError subclass naming the field, and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from graphmem import InvalidInput, Memory

GOOD = "Sarah Chen works at Google."

BAD_CALLS: dict[str, tuple[Callable[[Memory], Any], str]] = {
    "empty text": (lambda m: m.add("   ", user_id="alice"), "messages"),
    "no scope": (lambda m: m.add(GOOD), "scope"),
    "blank scope id": (lambda m: m.add(GOOD, user_id=" "), "scope"),
    "scope id not a string": (lambda m: m.add(GOOD, user_id=42), "scope"),
    "messages of the wrong type": (lambda m: m.add(42, user_id="alice"), "messages"),
    "message without content": (lambda m: m.add([{"role": "user"}], user_id="alice"), "messages"),
    "unknown role": (
        lambda m: m.add([{"role": "robot", "content": GOOD}], user_id="alice"),
        "messages",
    ),
    "metadata not an object": (lambda m: m.add(GOOD, user_id="alice", metadata=["x"]), "metadata"),
    "metadata not JSON": (
        lambda m: m.add(GOOD, user_id="alice", metadata={"x": object()}),
        "metadata",
    ),
    "infer not a bool": (lambda m: m.add(GOOD, user_id="alice", infer="no"), "infer"),
    "relation without target": (
        lambda m: m.add(
            GOOD, user_id="alice", relations=[{"source": "A", "relationship": "KNOWS"}]
        ),
        "relations",
    ),
    "relation type without letters": (
        lambda m: m.add(
            GOOD, user_id="alice", relations=[{"source": "A", "relationship": "!!", "target": "B"}]
        ),
        "relations",
    ),
    "relations not a list": (
        lambda m: m.add(GOOD, user_id="alice", relations={"a": 1}),
        "relations",
    ),
    "valid_to before valid_from": (
        lambda m: m.add(
            GOOD,
            user_id="alice",
            relations=[
                {
                    "source": "A",
                    "relationship": "KNOWS",
                    "target": "B",
                    "valid_from": "2024-01-02",
                    "valid_to": "2024-01-01",
                }
            ],
        ),
        "relations",
    ),
    "oversize text": (lambda m: m.add("x" * 100_001, user_id="alice"), "messages"),
    "unknown filter operator": (
        lambda m: m.search("x", user_id="alice", filters={"a": {"regex": "x"}}),
        "filters",
    ),
    "filter not an object": (lambda m: m.get_all(user_id="alice", filters=["a"]), "filters"),
    "in without a list": (
        lambda m: m.get_all(user_id="alice", filters={"a": {"in": "x"}}),
        "filters",
    ),
    "bad date filter": (
        lambda m: m.get_all(user_id="alice", filters={"created_at": {"gt": "soon"}}),
        "filters",
    ),
    "limit as a string": (lambda m: m.search("x", user_id="alice", limit="10"), "limit"),
    "limit zero": (lambda m: m.get_all(user_id="alice", limit=0), "limit"),
    "threshold above one": (lambda m: m.search("x", user_id="alice", threshold=2), "threshold"),
    "unknown channel": (lambda m: m.search("x", user_id="alice", channels=["llm"]), "channels"),
    "empty query": (lambda m: m.search("", user_id="alice"), "query"),
    "query not a string": (lambda m: m.query(["who"], user_id="alice"), "question"),
    "bad as_of": (lambda m: m.query("who", user_id="alice", as_of="yesterday"), "as_of"),
    "memory id not a string": (lambda m: m.get(7), "memory_id"),
    "bad neighbour depth": (lambda m: m.graph.neighbors("A", user_id="alice", depth=9), "depth"),
}


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_bad_input_raises_invalid_input_naming_the_field_and_writes_nothing(
    memory: Memory, case: str
) -> None:
    call, field = BAD_CALLS[case]
    with pytest.raises(InvalidInput) as raised:
        call(memory)
    assert raised.value.field == field
    stats = memory.stats()
    assert (stats["memories"], stats["entities"], stats["relations"]) == (0, 0, 0)


def test_an_order_comparison_with_a_list_is_invalid_not_a_type_error(memory: Memory) -> None:
    memory.add(GOOD, user_id="alice", infer=False, metadata={"tags": [1, None]})
    with pytest.raises(InvalidInput) as raised:
        memory.get_all(user_id="alice", filters={"tags": {"gte": [None]}})
    assert raised.value.field == "filters"
    assert "gte takes a scalar" in raised.value.message
