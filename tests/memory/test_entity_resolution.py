"""One node per real thing, on every graph store: the write path resolves entities.

Exact keys and aliases are found by the graph; other spellings by the vector store's
entity index, judged by `graphmem.resolution.match_entity` with its guards.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from graphmem import GraphMemConfig, Memory
from graphmem.stores.embedders.hash import HashEmbedder
from tests.fakes.openai_server import FakeOpenAIServer


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


def test_a_stored_look_alike_is_embedded_once_not_at_every_add(
    memory: Memory, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory.add(None, user_id="alice", **works_at("Sarah Chen", "Acme, Inc."))
    embedded: Counter[str] = Counter()
    embed = HashEmbedder.embed

    def counted(self: HashEmbedder, texts: Sequence[str]) -> list[list[float]]:
        embedded.update(texts)
        return embed(self, texts)

    monkeypatch.setattr(HashEmbedder, "embed", counted)
    for person in ("Bob Stone", "Eve Adams", "Ann Lee"):
        memory.add(None, user_id="alice", **works_at(person, "Globex Corporation"))
    assert embedded["Sarah Chen"] == 1  # a look-alike each time, embedded the first time
    assert embedded["Bob Stone"] == 2  # its own add's draft, then a look-alike


# -- wrong merges of issue 13, defect 8 --------------------------------------------------


@pytest.fixture
def llm_memory(fake_llm_config: GraphMemConfig) -> Iterator[Memory]:
    with Memory(fake_llm_config) as memory:
        yield memory


def starred(movie: str, actor: str, actor_type: str = "Person") -> dict[str, Any]:
    """The LLM's extraction of "<movie> starred <actor>."."""
    fact = f"{movie} starred {actor}."
    return {
        "facts": [fact],
        "entities": [{"name": movie, "type": "Movie"}, {"name": actor, "type": actor_type}],
        "relations": [
            {"source": movie, "relationship": "starred_actors", "target": actor, "fact": fact}
        ],
    }


def add_through_the_llm(memory: Memory, server: FakeOpenAIServer, movie: str, actor: str) -> None:
    server.script_json(starred(movie, actor))
    memory.add(f"{movie} starred {actor}.", user_id="alice")


@pytest.mark.parametrize(
    ("first", "second"),
    [("Jason Barry", "Raymond J. Barry"), ("John G. Young", "Gig Young")],
)
def test_the_llm_path_keeps_people_with_different_given_names_apart(
    llm_memory: Memory, fake_openai_server: FakeOpenAIServer, first: str, second: str
) -> None:
    add_through_the_llm(llm_memory, fake_openai_server, "Kismet", first)
    add_through_the_llm(llm_memory, fake_openai_server, "Laura", second)
    people = {n: a for n, a in names(llm_memory).items() if n not in ("Kismet", "Laura")}
    assert people == {first: [], second: []}


def test_the_llm_path_keeps_a_title_and_the_title_with_an_article_apart(
    llm_memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    add_through_the_llm(llm_memory, fake_openai_server, "Butterfly", "Pilar Lopez de Ayala")
    add_through_the_llm(llm_memory, fake_openai_server, "The Butterfly", "Michel Serrault")
    assert {"Butterfly", "The Butterfly"} <= names(llm_memory).keys()
    assert names(llm_memory)["Butterfly"] == []


def test_the_llm_path_still_merges_a_case_insensitive_repeat_of_a_person(
    llm_memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    add_through_the_llm(llm_memory, fake_openai_server, "Kismet", "Alice")
    add_through_the_llm(llm_memory, fake_openai_server, "Laura", "alice")
    assert names(llm_memory).keys() == {"Kismet", "Laura", "Alice"}


def kb_line(head: str, relation: str, tail: str, types: tuple[str, str] | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "user_id": "alice",
        "relations": [{"source": head, "relationship": relation, "target": tail}],
    }
    if types:
        record["entities"] = [{"name": head, "type": types[0]}, {"name": tail, "type": types[1]}]
    return record


def test_an_untyped_import_keeps_a_title_apart_from_a_lower_case_tag(memory: Memory) -> None:
    memory.import_records(
        [
            kb_line("Thief", "directed_by", "Michael Mann", None),
            kb_line("After the Sunset", "has_tags", "thief", None),
        ],
        progress=False,
    )
    assert {"Thief", "thief"} <= names(memory).keys()
    films = memory.graph.neighbors("After the Sunset", user_id="alice")["nodes"]
    assert "Thief" not in {node["name"] for node in films}


@pytest.mark.parametrize("types", [("Movie", "Tag"), None], ids=["typed", "untyped"])
def test_a_movie_tagged_with_its_own_title_keeps_the_relation(
    memory: Memory, types: tuple[str, str] | None
) -> None:
    summary = memory.import_records(
        [kb_line("Airport", "has_tags", "airport", types)], progress=False
    )
    assert summary["relations"] == 1
    assert names(memory).keys() == {"Airport", "airport"}
