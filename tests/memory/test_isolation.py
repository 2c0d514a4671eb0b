"""Scope isolation: user A never sees user B, in any call."""

from __future__ import annotations

import pytest

from graphmem import Memory, NotFound


@pytest.fixture
def two_users(memory: Memory) -> Memory:
    memory.add("Sarah Chen works at Google.", user_id="alice")
    memory.add("Sarah Chen works at Initech.", user_id="bob")
    return memory


def test_search_never_returns_another_users_memories(two_users: Memory) -> None:
    for query in ("Sarah Chen", "Initech", "Google"):
        hits = two_users.search(query, user_id="alice")
        assert [h["memory"] for h in hits["results"]] == ["Sarah Chen works at Google."]
        assert {r["target"] for r in hits["relations"]} <= {"Google"}
    relations = two_users.search("Sarah Chen works at", user_id="alice")["relations"]
    assert [r["target"] for r in relations] == ["Google"]


def test_query_answers_only_from_the_askers_graph(two_users: Memory) -> None:
    assert two_users.query("Who works at Initech?", user_id="alice")["answers"] == []
    answers = two_users.query("Who works at Initech?", user_id="bob")["answers"]
    assert [a["entity"] for a in answers] == ["Sarah Chen"]


def test_the_same_name_is_two_entities_in_two_scopes(two_users: Memory) -> None:
    alice = {e["name"]: e["id"] for e in two_users.graph.entities(user_id="alice")}
    bob = {e["name"]: e["id"] for e in two_users.graph.entities(user_id="bob")}
    assert alice["Sarah Chen"] != bob["Sarah Chen"]
    assert "Initech" not in alice


def test_neighbors_do_not_cross_scopes(two_users: Memory) -> None:
    edges = two_users.graph.neighbors("Sarah Chen", user_id="alice", depth=2)["edges"]
    assert {e["target"] for e in edges} == {"Google"}
    bob_google = {e["name"]: e["id"] for e in two_users.graph.entities(user_id="bob")}
    with pytest.raises(NotFound):
        two_users.graph.neighbors(bob_google["Sarah Chen"], user_id="alice")


def test_get_all_and_delete_all_stay_in_scope(two_users: Memory) -> None:
    assert [m["user_id"] for m in two_users.get_all(user_id="alice")["results"]] == ["alice"]
    two_users.delete_all(user_id="alice")
    assert len(two_users.get_all(user_id="bob")["results"]) == 1
    assert two_users.query("Who works at Initech?", user_id="bob")["answers"] != []


def test_agent_scope_sees_only_its_own_memories(memory: Memory) -> None:
    memory.add("Sarah Chen works at Google.", user_id="alice", agent_id="travel")
    memory.add("Sarah Chen lives in Rome.", user_id="alice", agent_id="health")
    hits = memory.search("Sarah Chen", user_id="alice", agent_id="travel")["results"]
    assert [h["memory"] for h in hits] == ["Sarah Chen works at Google."]
    assert len(memory.search("Sarah Chen", user_id="alice")["results"]) == 2
