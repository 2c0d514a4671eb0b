"""`Memory.search` and `Memory.query`: hybrid retrieval with no LLM on the read path."""

from __future__ import annotations

import pytest

from graphmem import GraphMemConfig, Memory, RetrievalConfig


@pytest.fixture
def filled(memory: Memory) -> Memory:
    memory.add(
        "Sarah Chen works at Google.", user_id="alice", metadata={"topic": "work", "rank": 3}
    )
    memory.add("Tom Lee works at Acme.", user_id="alice", metadata={"topic": "work", "rank": 1})
    memory.add("Bob Smith lives in Berlin.", user_id="alice", metadata={"topic": "home", "rank": 2})
    return memory


def test_search_results_carry_fused_and_per_channel_scores(filled: Memory) -> None:
    hits = filled.search("Who works at Google?", user_id="alice")["results"]
    assert hits[0]["memory"] == "Sarah Chen works at Google."
    assert set(hits[0]["scores"]) == {"graph", "vector", "bm25"}
    assert 0 < hits[0]["score"] <= 1
    assert hits[0]["metadata"] == {"topic": "work", "rank": 3}


def test_search_returns_the_relations_of_named_entities(filled: Memory) -> None:
    relations = filled.search("Who works at Google?", user_id="alice")["relations"]
    assert (relations[0]["source"], relations[0]["relationship"], relations[0]["target"]) == (
        "Sarah Chen",
        "WORKS_AT",
        "Google",
    )
    assert {"score", "fact", "valid_from", "valid_to"} <= set(relations[0])


def test_explain_shows_channel_ranks_and_graph_paths(filled: Memory) -> None:
    hit = filled.search("Who works at Google?", user_id="alice", explain=True)["results"][0]
    assert hit["explain"]["channels"]["graph"]["rank"] == 1
    assert hit["explain"]["paths"][0][0]["relationship"] == "WORKS_AT"


def test_a_single_channel_can_be_asked_for(filled: Memory) -> None:
    hits = filled.search("Berlin", user_id="alice", channels=["bm25"])["results"]
    assert [h["memory"] for h in hits] == ["Bob Smith lives in Berlin."]
    assert hits[0]["scores"]["vector"] is None


def test_threshold_drops_hits_below_it(filled: Memory) -> None:
    everything = filled.search("Google", user_id="alice")["results"]
    strict = filled.search("Google", user_id="alice", threshold=everything[0]["score"])["results"]
    assert len(strict) < len(everything)
    assert all(h["score"] >= everything[0]["score"] for h in strict)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"topic": "work"}, {"Sarah Chen works at Google.", "Tom Lee works at Acme."}),
        ({"rank": {"gte": 2}}, {"Sarah Chen works at Google.", "Bob Smith lives in Berlin."}),
        ({"topic": {"in": ["home"]}}, {"Bob Smith lives in Berlin."}),
        ({"NOT": [{"topic": "work"}]}, {"Bob Smith lives in Berlin."}),
        (
            {"OR": [{"rank": 1}, {"rank": 2}]},
            {"Tom Lee works at Acme.", "Bob Smith lives in Berlin."},
        ),
        ({"topic": {"icontains": "WO"}}, {"Sarah Chen works at Google.", "Tom Lee works at Acme."}),
        ({"created_at": {"lt": "2000-01-01"}}, set()),
    ],
)
def test_filters_select_the_same_memories_in_search_and_get_all(
    filled: Memory, filters: dict[str, object], expected: set[str]
) -> None:
    searched = filled.search("works lives", user_id="alice", filters=filters, limit=10)
    listed = filled.get_all(user_id="alice", filters=filters)
    found = {h["memory"] for h in searched["results"]}
    assert found <= expected and (found or not expected)  # an empty result passes only for none
    assert {h["memory"] for h in listed["results"]} == expected


def test_query_answers_with_entities_and_their_paths(filled: Memory) -> None:
    answer = filled.query("Who works at Google?", user_id="alice")
    assert [a["entity"] for a in answer["answers"]] == ["Sarah Chen"]
    path = answer["answers"][0]["paths"][0]
    assert (path[0]["source"], path[0]["relationship"], path[0]["target"]) == (
        "Sarah Chen",
        "WORKS_AT",
        "Google",
    )
    assert [m["memory"] for m in answer["memories"]] == ["Sarah Chen works at Google."]


def test_query_about_an_unknown_entity_answers_nothing(filled: Memory) -> None:
    assert filled.query("Who works at Microsoft?", user_id="alice")["answers"] == []


def test_search_keeps_working_after_updates_and_deletes(filled: Memory) -> None:
    bob = filled.search("Berlin", user_id="alice", channels=["bm25"])["results"][0]
    filled.update(bob["id"], text="Bob Smith lives in Munich.")
    assert filled.search("Berlin", user_id="alice", channels=["bm25"])["results"] == []
    assert (
        filled.search("Munich", user_id="alice", channels=["bm25"])["results"][0]["id"] == bob["id"]
    )
    filled.delete(bob["id"])
    assert filled.search("Munich", user_id="alice", channels=["bm25"])["results"] == []


def test_fusion_weights_come_from_config(config: GraphMemConfig) -> None:
    graph_only = config.model_copy(
        update={"retrieval": RetrievalConfig(weights={"graph": 1.0, "vector": 0.0, "bm25": 0.0})}
    )
    with Memory(graph_only) as memory:
        memory.add("Sarah Chen works at Google.", user_id="alice")
        memory.add("Google is a search company.", user_id="alice", infer=False)
        hits = memory.search("Who works at Google?", user_id="alice", explain=True)["results"]
    assert [h["memory"] for h in hits] == ["Sarah Chen works at Google."]
    assert set(hits[0]["explain"]["channels"]) == {"graph"}


def test_weighted_fusion_is_a_config_option(config: GraphMemConfig) -> None:
    weighted = config.model_copy(update={"retrieval": RetrievalConfig(fusion="weighted")})
    with Memory(weighted) as memory:
        memory.add("Sarah Chen works at Google.", user_id="alice")
        hits = memory.search("Who works at Google?", user_id="alice")["results"]
    assert hits[0]["memory"] == "Sarah Chen works at Google."
    assert hits[0]["score"] == 1.0
