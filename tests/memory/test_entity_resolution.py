"""One node per real thing, on every graph store: the write path resolves entities.

Exact keys and aliases are found by the graph; other spellings by the vector store's
entity index, judged by `graphmem.resolution.match_entity` with its guards.
"""

from __future__ import annotations

from typing import Any

from graphmem import Memory


def names(memory: Memory) -> dict[str, list[str]]:
    """Entity name -> sorted aliases, in alice's scope."""
    return {e["name"]: sorted(e["aliases"]) for e in memory.graph.entities(user_id="alice")}


def works_at(person: str, company: str, company_type: str = "Organization") -> dict[str, Any]:
    return {
        "entities": [
            {"name": person, "type": "Person"},
            {"name": company, "type": company_type},
        ],
        "relations": [{"source": person, "relationship": "works at", "target": company}],
    }


def test_a_legal_suffix_and_case_name_one_company(memory: Memory) -> None:
    memory.add(None, user_id="alice", **works_at("Sarah Chen", "Acme, Inc."))
    memory.add(None, user_id="alice", **works_at("Bob Stone", "ACME"))
    memory.add(None, user_id="alice", **works_at("Eve Adams", "Acme GmbH"))
    assert names(memory) == {
        "Sarah Chen": [],
        "Bob Stone": [],
        "Eve Adams": [],
        "Acme, Inc.": ["ACME", "Acme GmbH"],
    }
    answers = memory.query("Who works at Acme?", user_id="alice")["answers"]
    assert {a["entity"] for a in answers} == {"Sarah Chen", "Bob Stone", "Eve Adams"}


def test_the_offline_path_resolves_spellings_too(memory: Memory) -> None:
    memory.add("Sarah Chen works at Acme, Inc.", user_id="alice")
    memory.add("Bob Stone works at ACME.", user_id="alice")
    memory.add("John Henry Dearle lives in London.", user_id="alice")
    memory.add("J. H. Dearle works at Morris & Co.", user_id="alice")
    entities = names(memory)
    assert entities["Acme, Inc"] == ["ACME"]
    assert entities["John Henry Dearle"] == ["J. H. Dearle"]


def test_names_that_differ_in_an_identifier_stay_apart(memory: Memory) -> None:
    memory.add(None, user_id="alice", **works_at("Sarah Chen", "SR-2023-052", "Ticket"))
    memory.add(None, user_id="alice", **works_at("Sarah Chen", "SR-2023-053", "Ticket"))
    memory.add("Ticket SR-2023-054 blocks the release.", user_id="alice")
    memory.add("Ticket SR-2023-055 blocks the release.", user_id="alice")
    entities = names(memory)
    assert {"SR-2023-052", "SR-2023-053"} <= entities.keys()
    assert {"Ticket SR-2023-054", "Ticket SR-2023-055"} <= entities.keys()
    assert all(aliases == [] for aliases in entities.values())


def test_short_names_and_other_people_are_not_merged_on_likeness(memory: Memory) -> None:
    for person in ("Al Stone", "Ali Stone", "Jane Smithson", "John Smithson"):
        memory.add(None, user_id="alice", **works_at(person, "Google"))
    memory.add(None, user_id="alice", **works_at("Tom", "Globex"))
    memory.add(None, user_id="alice", **works_at("Tim", "Globex"))
    assert names(memory).keys() == {
        "Al Stone",
        "Ali Stone",
        "Jane Smithson",
        "John Smithson",
        "Google",
        "Tom",
        "Tim",
        "Globex",
    }


def test_a_typo_in_a_long_name_joins_the_entity(memory: Memory) -> None:
    memory.add(None, user_id="alice", **works_at("Jonathan Livingston", "Seagull Airlines"))
    memory.add(None, user_id="alice", **works_at("Jonathon Livingston", "Seagull Airlines"))
    assert names(memory)["Jonathan Livingston"] == ["Jonathon Livingston"]


def test_resolution_stays_inside_the_scope(memory: Memory) -> None:
    memory.add(None, user_id="alice", **works_at("Sarah Chen", "Acme, Inc."))
    memory.add(None, user_id="bob", **works_at("Bob Stone", "ACME"))
    assert "ACME" in {e["name"] for e in memory.graph.entities(user_id="bob")}
    assert names(memory)["Acme, Inc."] == []
