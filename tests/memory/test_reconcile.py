"""The reconcile step (SPEC §4) through the real openai + instructor client and a fake server.

The stores find the neighbours; a second chat call happens only when there are any, and
its decisions are applied: ADD / UPDATE / DELETE / NONE for facts, KEEP / INVALIDATE for
conflicting relations. A garbage answer fails the add and writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphmem import ExtractionFailed, Memory
from tests.conftest import GRAPH_STORES, neo4j_config
from tests.fakes.fixtures import make_llm_config
from tests.fakes.openai_server import FakeOpenAIServer

SARAH = {"name": "Sarah Chen", "type": "person"}


def extraction(fact: str, relationship: str, target: str, **flags: Any) -> dict[str, Any]:
    return {
        "facts": [fact],
        "entities": [SARAH, {"name": target, "type": "organization"}],
        "relations": [
            {"source": "Sarah Chen", "relationship": relationship, "target": target, **flags}
        ],
    }


@pytest.fixture(params=GRAPH_STORES)
def memory(
    request: pytest.FixtureRequest, fake_openai_server: FakeOpenAIServer, tmp_path: Path
) -> Iterator[Memory]:
    """LLM extraction on the fake server, on each graph store; lexical vectors, so close
    facts are close."""
    data_dir = tmp_path / "graphmem"
    config = make_llm_config(fake_openai_server, data_dir, embedder="hash")
    if request.param == "neo4j":
        graph = neo4j_config(data_dir, request.getfixturevalue("neo4j_uri"))
        config = config.model_copy(
            update={
                name: getattr(graph, name)
                for name in ("graph_store", "neo4j_uri", "neo4j_password")
            }
        )
    with Memory(config) as memory:
        yield memory


def add(memory: Memory, server: FakeOpenAIServer, *replies: dict[str, Any]) -> dict[str, Any]:
    """One add with scripted replies; asserts every scripted reply was asked for."""
    server.reset()
    server.script_json(*replies)
    result = memory.add("(the conversation)", user_id="alice")
    assert len(server.chat_requests) == len(replies)
    return result


GOOGLE = extraction("Sarah Chen works at Google", "works at", "Google")


def start_at_google(memory: Memory, server: FakeOpenAIServer) -> dict[str, Any]:
    """The first add: Sarah Chen works at Google (one call, nothing near it yet)."""
    return add(memory, server, GOOGLE)["results"][0]


def employer(memory: Memory, *, include_history: bool = False) -> set[tuple[str, bool]]:
    answer = memory.search("Sarah Chen works at", user_id="alice", include_history=include_history)
    return {
        (r["target"], r["current"]) for r in answer["relations"] if r["relationship"] == "WORKS_AT"
    }


def test_an_add_without_neighbours_makes_one_call(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    start_at_google(memory, fake_openai_server)
    result = add(
        memory, fake_openai_server, extraction("Bob Stone plays the cello", "likes", "Cello")
    )
    assert [row["event"] for row in result["results"]] == ["ADD"]


def test_delete_and_invalidate_are_applied_and_kept_in_history(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    old_id = start_at_google(memory, fake_openai_server)["id"]
    verdict = {
        "facts": [{"fact": "f1", "event": "DELETE", "memory": "m1"}],
        "relations": [{"relation": "r1", "decision": "INVALIDATE"}],
    }
    second = add(
        memory,
        fake_openai_server,
        extraction("Sarah Chen works at Meta", "works at", "Meta"),
        verdict,
    )
    prompt = json.dumps(fake_openai_server.chat_requests[1].body["messages"])
    assert "Sarah Chen works at Google" in prompt and old_id not in prompt
    events = {(row["event"], row["memory"]) for row in second["results"]}
    assert events == {("DELETE", "Sarah Chen works at Google"), ("ADD", "Sarah Chen works at Meta")}
    assert [r["target"] for r in second["relations"]["invalidated"]] == ["Google"]
    assert employer(memory) == {("Meta", True)}
    assert employer(memory, include_history=True) == {("Meta", True), ("Google", False)}
    assert [e["event"] for e in memory.history(old_id)] == ["ADD", "DELETE"]
    assert memory.stats(user_id="alice")["relations"] == 2  # invalidated, never deleted


def test_keep_leaves_both_relations_current(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    start_at_google(memory, fake_openai_server)
    verdict = {
        "facts": [{"fact": "f1", "event": "ADD"}],
        "relations": [{"relation": "r1", "decision": "keep"}],
    }
    result = add(
        memory,
        fake_openai_server,
        extraction("Sarah Chen also works at Meta", "works at", "Meta"),
        verdict,
    )
    assert result["relations"]["invalidated"] == []
    assert employer(memory) == {("Meta", True), ("Google", True)}


def test_update_replaces_the_text_and_keeps_the_id(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    old_id = start_at_google(memory, fake_openai_server)["id"]
    verdict = {"facts": [{"fact": "f1", "event": "UPDATE", "memory": "m1"}]}
    result = add(
        memory,
        fake_openai_server,
        extraction("Sarah Chen works at Google as a product manager", "works at", "Google"),
        verdict,
    )
    assert result["results"] == [
        {
            "id": old_id,
            "memory": "Sarah Chen works at Google as a product manager",
            "event": "UPDATE",
            "previous_memory": "Sarah Chen works at Google",
        }
    ]
    assert memory.get(old_id)["memory"] == "Sarah Chen works at Google as a product manager"
    assert memory.stats(user_id="alice")["memories"] == 1
    assert [e["event"] for e in memory.history(old_id)] == ["ADD", "UPDATE"]


def test_none_stores_nothing_new(memory: Memory, fake_openai_server: FakeOpenAIServer) -> None:
    first = start_at_google(memory, fake_openai_server)
    verdict = {"facts": [{"fact": "f1", "event": "NONE", "memory": "m1"}]}
    result = add(
        memory,
        fake_openai_server,
        extraction("Sarah Chen is working at Google", "works at", "Google"),
        verdict,
    )
    assert result["results"] == [{**first, "event": "NONE"}]
    assert memory.stats(user_id="alice")["memories"] == 1


def test_garbage_decisions_fail_the_add_and_leave_everything_unchanged(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    start_at_google(memory, fake_openai_server)
    before = (memory.stats(user_id="alice"), employer(memory))
    unknown_memory = {"facts": [{"fact": "f1", "event": "DELETE", "memory": "m7"}]}
    unknown_relation = {"relations": [{"relation": "r9", "decision": "INVALIDATE"}]}
    fake_openai_server.reset()
    fake_openai_server.script_json(
        extraction("Sarah Chen works at Meta", "works at", "Meta"),
        unknown_memory,
        unknown_relation,
        {"facts": "not a list"},
    )
    with pytest.raises(ExtractionFailed, match=r"reconcile failed.*NOT stored"):
        memory.add("(the conversation)", user_id="alice")
    assert len(fake_openai_server.chat_requests) == 4  # one extraction, three reconcile tries
    assert (memory.stats(user_id="alice"), employer(memory)) == before
    found = memory.search("Meta", user_id="alice")["results"]
    assert [hit["memory"] for hit in found] == ["Sarah Chen works at Google"]


def test_the_llm_marks_single_valued_types_and_endings(
    fake_openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    """Random (fake) embeddings: no memory is close, and single-valued types are not put
    to the reconcile call, so every add is one call."""
    with Memory(make_llm_config(fake_openai_server, tmp_path / "gm")) as memory:
        add(
            memory, fake_openai_server, extraction("Sarah Chen reports to Tom", "reports to", "Tom")
        )
        moved = add(
            memory,
            fake_openai_server,
            extraction("Sarah Chen reports to Ann", "reports to", "Ann", single_valued=True),
        )
        assert [r["target"] for r in moved["relations"]["invalidated"]] == ["Tom"]
        left = add(
            memory,
            fake_openai_server,
            extraction("Sarah Chen left Ann's team", "reports to", "Ann", ends=True),
        )
        assert [r["target"] for r in left["relations"]["invalidated"]] == ["Ann"]
        current = memory.search("Sarah Chen reports to", user_id="alice")["relations"]
        assert [r for r in current if r["relationship"] == "REPORTS_TO"] == []


def test_the_same_fact_again_is_none_without_a_second_call(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    first = start_at_google(memory, fake_openai_server)
    again = add(memory, fake_openai_server, GOOGLE)
    assert again["results"] == [{**first, "event": "NONE"}]
    assert again["relations"] == {"added": [], "invalidated": []}
