"""`Memory.add`: facts become memories, names become entities, phrasings become relations."""

from __future__ import annotations

from graphmem import GraphMemConfig, Memory


def test_add_returns_the_mem0_shape_with_graph_relations(memory: Memory) -> None:
    result = memory.add("Sarah Chen works at Google.", user_id="alice")
    assert [r["event"] for r in result["results"]] == ["ADD"]
    assert set(result["results"][0]) == {"id", "memory", "event"}
    added = result["relations"]["added"]
    assert [(r["source"], r["relationship"], r["target"]) for r in added] == [
        ("Sarah Chen", "WORKS_AT", "Google")
    ]
    assert result["relations"]["invalidated"] == []


def test_the_same_fact_twice_is_stored_once(memory: Memory) -> None:
    memory.add("Sarah Chen works at Google.", user_id="alice")
    again = memory.add("sarah chen works at  Google.", user_id="alice")
    assert [r["event"] for r in again["results"]] == ["NONE"]
    assert again["relations"]["added"] == []
    assert memory.stats(user_id="alice")["memories"] == 1


def test_entities_are_shared_by_every_memory_of_a_scope(memory: Memory) -> None:
    memory.add("Sarah Chen works at Google.", user_id="alice")
    memory.add("Tom Lee works at Google.", user_id="alice")
    names = [e["name"] for e in memory.graph.entities(user_id="alice")]
    assert names.count("Google") == 1
    assert memory.stats(user_id="alice")["relations"] == 2


def test_infer_false_stores_the_text_as_given_without_a_graph(memory: Memory) -> None:
    result = memory.add("Sarah Chen works at Google.", user_id="alice", infer=False)
    assert result["results"][0]["memory"] == "Sarah Chen works at Google."
    assert memory.stats(user_id="alice")["entities"] == 0


def test_metadata_is_stored_with_the_memory(memory: Memory) -> None:
    added = memory.add("Sarah Chen works at Google.", user_id="alice", metadata={"source": "crm"})
    assert memory.get(added["results"][0]["id"])["metadata"] == {"source": "crm"}


def test_pre_extracted_relations_are_normalised_and_typed(memory: Memory) -> None:
    memory.add(
        "Sarah Chen works at Google.",
        user_id="alice",
        entities=[{"name": "Sarah Chen", "type": "person"}],
        relations=[{"source": "Sarah Chen", "relationship": "works at", "target": "Google"}],
    )
    entities = {e["name"]: e["type"] for e in memory.graph.entities(user_id="alice")}
    assert entities == {"Sarah Chen": "Person", "Google": "Entity"}
    edges = memory.graph.neighbors("Sarah Chen", user_id="alice")["edges"]
    assert [e["relationship"] for e in edges] == ["WORKS_AT"]


def test_relations_without_text_become_readable_facts(memory: Memory) -> None:
    result = memory.add(
        None,
        user_id="alice",
        relations=[
            {"source": "Sarah Chen", "relationship": "WorksAt", "target": "Google"},
            {"source": "Sarah Chen", "relationship": "lives_in", "target": "Zurich"},
        ],
    )
    assert [r["memory"] for r in result["results"]] == [
        "Sarah Chen works at Google",
        "Sarah Chen lives in Zurich",
    ]


def test_pre_extracted_valid_from_is_kept(memory: Memory) -> None:
    result = memory.add(
        "Sarah Chen works at Google.",
        user_id="alice",
        relations=[
            {
                "source": "Sarah Chen",
                "relationship": "works at",
                "target": "Google",
                "valid_from": "2021-03-01",
            }
        ],
    )
    assert result["relations"]["added"][0]["valid_from"] == "2021-03-01"


def test_a_conversation_resolves_first_person_to_the_speaker(memory: Memory) -> None:
    memory.add(
        [
            {"role": "user", "name": "Alice", "content": "I live in Zurich."},
            {"role": "assistant", "content": "Zurich is lovely!"},
        ],
        user_id="alice",
    )
    answer = memory.query("Where does Alice live?", user_id="alice")
    assert [a["entity"] for a in answer["answers"]] == ["Zurich"]


def test_a_memory_lists_the_entities_and_relations_it_mentions(memory: Memory) -> None:
    result = memory.add("Sarah Chen works at Google.", user_id="alice")
    stored = memory.get(result["results"][0]["id"])
    assert len(stored["entity_ids"]) == 2
    assert stored["relation_ids"] == [result["relations"]["added"][0]["id"]]


def test_a_relation_outside_the_configured_schema_is_not_written(config: GraphMemConfig) -> None:
    schema = config.model_copy(update={"relation_types": ["works at"]})
    with Memory(schema) as memory:
        result = memory.add(
            "Sarah Chen works at Google. Sarah Chen lives in Zurich.", user_id="alice"
        )
    assert [r["relationship"] for r in result["relations"]["added"]] == ["WORKS_AT"]


def test_an_alias_the_text_states_names_the_same_entity(memory: Memory) -> None:
    memory.add(
        "Robert Smith, also known as Bob, is a chef. Bob works at Acme Corp.", user_id="alice"
    )
    people = {e["name"]: e["aliases"] for e in memory.graph.entities(user_id="alice")}
    assert people["Robert Smith"] == ["Bob"]
    assert "Bob" not in people
    answers = memory.query("Where does Bob work?", user_id="alice")["answers"]
    assert [a["entity"] for a in answers] == ["Acme Corp"]
