"""Facts change: a new single value, or an ending, invalidates the old relation (never deletes)."""

from __future__ import annotations

from graphmem import GraphMemConfig, Memory


def relation(source: str, kind: str, target: str, **extra: str) -> dict[str, str]:
    return {"source": source, "relationship": kind, "target": target, **extra}


def answers(memory: Memory, question: str) -> list[str]:
    return [a["entity"] for a in memory.query(question, user_id="alice")["answers"]]


def test_a_new_home_ends_the_old_one(memory: Memory) -> None:
    memory.add(
        None,
        user_id="alice",
        relations=[relation("Bob Smith", "lives in", "Berlin", valid_from="2020-01-01")],
    )
    moved = memory.add(
        None,
        user_id="alice",
        relations=[relation("Bob Smith", "lives in", "Paris", valid_from="2023-05-01")],
    )
    assert [r["target"] for r in moved["relations"]["invalidated"]] == ["Berlin"]
    assert moved["relations"]["invalidated"][0]["valid_to"] == "2023-05-01"
    assert answers(memory, "Where does Bob Smith live?") == ["Paris"]


def test_the_past_is_still_answered_as_of_its_date(memory: Memory) -> None:
    memory.add(
        None,
        user_id="alice",
        relations=[relation("Bob Smith", "lives in", "Berlin", valid_from="2020-01-01")],
    )
    memory.add(
        None,
        user_id="alice",
        relations=[relation("Bob Smith", "lives in", "Paris", valid_from="2023-05-01")],
    )
    past = memory.query("Where does Bob Smith live?", user_id="alice", as_of="2021-06-01")
    assert [a["entity"] for a in past["answers"]] == ["Berlin"]
    edges = memory.graph.neighbors("Bob Smith", user_id="alice", as_of="2021-06-01")["edges"]
    assert [e["target"] for e in edges] == ["Berlin"]


def test_an_ended_relation_keeps_its_history(memory: Memory) -> None:
    memory.add(None, user_id="alice", relations=[relation("Bob Smith", "lives in", "Berlin")])
    moved = memory.add(
        None, user_id="alice", relations=[relation("Bob Smith", "lives in", "Paris")]
    )
    berlin = moved["relations"]["invalidated"][0]["id"]
    assert [e["event"] for e in memory.history(berlin)] == ["ADD", "INVALIDATE"]
    assert memory.stats(user_id="alice")["relations"] == 2


def test_a_multi_valued_relation_is_not_ended_by_another_value(memory: Memory) -> None:
    memory.add(None, user_id="alice", relations=[relation("Sarah Chen", "works at", "Google")])
    added = memory.add(
        None, user_id="alice", relations=[relation("Sarah Chen", "works at", "Stanford")]
    )
    assert added["relations"]["invalidated"] == []
    assert sorted(answers(memory, "Where does Sarah Chen work?")) == ["Google", "Stanford"]


def test_leaving_a_job_ends_it_in_the_offline_extractor(memory: Memory) -> None:
    memory.add("Sarah Chen works at Google.", user_id="alice")
    left = memory.add("Sarah Chen left Google.", user_id="alice")
    assert [(r["source"], r["target"]) for r in left["relations"]["invalidated"]] == [
        ("Sarah Chen", "Google")
    ]
    assert answers(memory, "Who works at Google?") == []


def test_moving_replaces_the_home_in_the_offline_extractor(memory: Memory) -> None:
    memory.add("Bob Smith lives in Berlin.", user_id="alice")
    memory.add("Bob Smith moved to Paris.", user_id="alice")
    assert answers(memory, "Where does Bob Smith live?") == ["Paris"]


def test_a_pre_extracted_ending_needs_no_text(memory: Memory) -> None:
    memory.add(None, user_id="alice", relations=[relation("Tom Lee", "married to", "Jane Doe")])
    ended = memory.add(
        "Tom Lee and Jane Doe divorced in 2024.",
        user_id="alice",
        relations=[
            {
                **relation("Tom Lee", "married to", "Jane Doe"),
                "ends": True,
                "valid_to": "2024-03-01",
            }
        ],
    )
    assert ended["relations"]["invalidated"][0]["valid_to"] == "2024-03-01"
    assert answers(memory, "Who is Tom Lee married to?") == []


def test_include_history_shows_ended_relations_marked_as_such(memory: Memory) -> None:
    memory.add("Sarah Chen works at Google.", user_id="alice")
    memory.add("Sarah Chen left Google.", user_id="alice")
    now = memory.query("Where does Sarah Chen work?", user_id="alice")
    assert now["answers"] == []
    past = memory.query("Where does Sarah Chen work?", user_id="alice", include_history=True)
    assert [a["entity"] for a in past["answers"]] == ["Google"]
    assert past["relations"][0]["current"] is False
    hits = memory.search("Sarah Chen Google", user_id="alice", include_history=True)
    assert [r["current"] for r in hits["relations"]] == [False]


def test_a_new_ceo_ends_the_old_ones_tenure(memory: Memory) -> None:
    memory.add("Tim Cook is the CEO of Apple.", user_id="alice")
    memory.add("Steve Jobs is the CEO of NeXT.", user_id="alice")
    changed = memory.add("Jeff Williams is the CEO of Apple.", user_id="alice")
    assert [(r["source"], r["target"]) for r in changed["relations"]["invalidated"]] == [
        ("Tim Cook", "Apple")
    ]
    assert answers(memory, "Who is the CEO of Apple?") == ["Jeff Williams"]
    assert answers(memory, "Who is the CEO of NeXT?") == ["Steve Jobs"]


def test_single_holder_types_come_from_config(config: GraphMemConfig) -> None:
    one_owner = config.model_copy(update={"single_holder_relations": ["owns"]})
    with Memory(one_owner) as memory:
        memory.add(None, user_id="alice", relations=[relation("Ann", "owns", "Rex")])
        sold = memory.add(None, user_id="alice", relations=[relation("Bo", "owns", "Rex")])
        assert [r["source"] for r in sold["relations"]["invalidated"]] == ["Ann"]
