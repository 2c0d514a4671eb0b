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
from graphmem.stores.embedders.hash import HashEmbedder
from tests.conftest import GRAPH_STORES, neo4j_config
from tests.fakes.fixtures import make_llm_config
from tests.fakes.openai_server import FakeOpenAIServer


def extraction(
    fact: str, relationship: str, target: str, *, source: str = "Sarah Chen", **flags: Any
) -> dict[str, Any]:
    return {
        "facts": [fact],
        "entities": [{"name": source, "type": "person"}, {"name": target, "type": "organization"}],
        "relations": [{"source": source, "relationship": relationship, "target": target, **flags}],
    }


def cosine(first: str, second: str) -> float:
    """Cosine of two texts under the lexical vectors the `memory` fixture uses."""
    a, b = HashEmbedder().embed([first, second])
    return sum(x * y for x, y in zip(a, b, strict=True))


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


def stored(memory: Memory) -> dict[str, Any]:
    """alice's stats but the LLM usage, which a failed add adds to too."""
    stats = memory.stats(user_id="alice")
    del stats["llm_usage"]
    return stats


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
    before = (stored(memory), employer(memory))
    calls_before = memory.stats()["llm_usage"]["llm_calls"]
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
    assert (stored(memory), employer(memory)) == before
    assert memory.stats()["llm_usage"]["llm_calls"] == calls_before + 4  # spent all the same
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


def test_a_similar_memory_about_other_entities_makes_no_reconcile_call(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    stored = "Sarah Chen works at Google as a product manager"
    new = "Bob Stone works at Meta as a product manager"
    assert 0.5 <= cosine(stored, new) < 0.9  # close enough to be looked at, no duplicate
    add(memory, fake_openai_server, extraction(stored, "works at", "Google"))
    result = add(
        memory, fake_openai_server, extraction(new, "works at", "Meta", source="Bob Stone")
    )
    assert [row["event"] for row in result["results"]] == ["ADD"]
    assert memory.stats(user_id="alice")["memories"] == 2


def test_a_single_valued_change_of_the_same_subject_is_reconciled_and_ends_the_old_value(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    add(memory, fake_openai_server, extraction("Sarah Chen lives in Paris", "lives in", "Paris"))
    moved = add(
        memory,
        fake_openai_server,
        extraction("Sarah Chen lives in Berlin", "lives in", "Berlin"),
        {"facts": [{"fact": "f1", "event": "ADD"}]},
    )
    prompt = json.dumps(fake_openai_server.chat_requests[1].body["messages"])
    assert "Sarah Chen lives in Paris" in prompt
    assert [r["target"] for r in moved["relations"]["invalidated"]] == ["Paris"]
    homes = memory.search("Sarah Chen lives in", user_id="alice", include_history=True)
    assert {
        (r["target"], r["current"]) for r in homes["relations"] if r["relationship"] == "LIVES_IN"
    } == {("Berlin", True), ("Paris", False)}


def test_a_close_memory_stating_another_relation_of_the_same_subject_makes_no_reconcile_call(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    """Both are about Sarah Chen, but working with Tom Baker can neither repeat nor
    contradict working at Google: they state different relations of her."""
    new = "Sarah Chen works with Tom Baker"
    assert 0.5 <= cosine("Sarah Chen works at Google", new) < 0.9
    start_at_google(memory, fake_openai_server)
    result = add(memory, fake_openai_server, extraction(new, "works with", "Tom Baker"))
    assert [row["event"] for row in result["results"]] == ["ADD"]
    assert employer(memory) == {("Google", True)}


def test_a_close_memory_stating_the_same_relation_of_the_same_subject_is_reconciled(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    """Same source, type and target, so no stored relation to judge: the memory alone
    brings the call, and the LLM may say the new fact refines it."""
    new = "Sarah Chen works at Google since May"
    assert 0.5 <= cosine("Sarah Chen works at Google", new) < 0.9
    old_id = start_at_google(memory, fake_openai_server)["id"]
    verdict = {"facts": [{"fact": "f1", "event": "UPDATE", "memory": "m1"}]}
    result = add(memory, fake_openai_server, extraction(new, "works at", "Google"), verdict)
    assert [(row["id"], row["event"]) for row in result["results"]] == [(old_id, "UPDATE")]


@pytest.mark.parametrize("worded", ["stored", "new"])
def test_a_close_memory_sharing_an_entity_only_in_words_is_reconciled(
    memory: Memory, fake_openai_server: FakeOpenAIServer, worded: str
) -> None:
    """A fact that names Sarah Chen but states no relation of her, stored or new: only the
    LLM can tell what it says about her."""
    words = {
        "facts": ["Sarah Chen loves hiking near Google"],
        "entities": [{"name": "Sarah Chen", "type": "person"}],
        "relations": [],
    }
    assert 0.5 <= cosine(words["facts"][0], GOOGLE["facts"][0]) < 0.9
    first, second = (words, GOOGLE) if worded == "stored" else (GOOGLE, words)
    add(memory, fake_openai_server, first)
    add(memory, fake_openai_server, second, {"facts": [{"fact": "f1", "event": "ADD"}]})
    prompt = json.dumps(fake_openai_server.chat_requests[1].body["messages"])
    assert first["facts"][0] in prompt


def test_a_near_duplicate_stating_another_relation_is_reconciled(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    stored, new = "Sarah Chen works at Google in Zurich", "Sarah Chen works at Google in Zurich now"
    assert cosine(stored, new) >= 0.9
    add(memory, fake_openai_server, extraction(stored, "works at", "Google"))
    verdict = {"facts": [{"fact": "f1", "event": "ADD"}]}
    add(memory, fake_openai_server, extraction(new, "lives near", "Zurich"), verdict)
    assert stored in json.dumps(fake_openai_server.chat_requests[1].body["messages"])


def test_a_near_duplicate_without_entities_is_put_to_the_reconcile_call(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    stored, new = (
        "Prefers window seats on long flights",
        "Prefers window seats on long-haul flights",
    )
    assert cosine(stored, new) >= 0.9
    no_entities = {"entities": [], "relations": []}
    first = add(memory, fake_openai_server, {"facts": [stored], **no_entities})["results"][0]
    verdict = {"facts": [{"fact": "f1", "event": "UPDATE", "memory": "m1"}]}
    result = add(memory, fake_openai_server, {"facts": [new], **no_entities}, verdict)
    assert result["results"] == [
        {"id": first["id"], "memory": new, "event": "UPDATE", "previous_memory": stored}
    ]


def test_a_memory_sharing_only_an_object_makes_no_reconcile_call(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    stored, new = "Sarah Chen works at Google in Zurich", "Bob Stone works at Google in Zurich"
    assert 0.5 <= cosine(stored, new) < 0.9
    add(memory, fake_openai_server, extraction(stored, "works at", "Google"))
    result = add(  # one call: both only end at Google; neither can change the other
        memory, fake_openai_server, extraction(new, "works at", "Google", source="Bob Stone")
    )
    assert [row["event"] for row in result["results"]] == ["ADD"]


def test_an_object_of_one_that_is_the_subject_of_the_other_is_still_reconciled(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    """Bob owning Google may contradict "Google is owned by Sarah Chen": Google is what the
    stored fact is about, though only the object of the new one."""
    stored, new = "Google is owned by Sarah Chen", "Google is owned by Bob Stone now"
    assert cosine(stored, new) >= 0.5
    add(memory, fake_openai_server, extraction(stored, "owned by", "Sarah Chen", source="Google"))
    verdict = {"facts": [{"fact": "f1", "event": "ADD"}]}
    add(memory, fake_openai_server, extraction(new, "owns", "Google", source="Bob Stone"), verdict)
    assert stored in json.dumps(fake_openai_server.chat_requests[1].body["messages"])


def test_a_source_holding_several_values_of_a_type_takes_one_more_without_a_call(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    """Two current languages at once make the type a set for Sarah: a third adds. (The
    facts are worded apart, so only the relations can bring a second call.)"""
    facts = ["Sarah Chen speaks French", "Thai she picked up in Bangkok", "Hindi comes naturally"]
    assert max(cosine(a, b) for a in facts for b in facts if a != b) < 0.5
    keep = {"facts": [{"fact": "f1", "event": "ADD"}], "relations": []}
    add(memory, fake_openai_server, extraction(facts[0], "speaks", "French"))
    add(  # one stored value: the new one may replace it, so the LLM is asked
        memory, fake_openai_server, extraction(facts[1], "speaks", "Thai"), keep
    )
    add(memory, fake_openai_server, extraction(facts[2], "speaks", "Hindi"))
    languages = memory.search("Sarah Chen speaks", user_id="alice")["relations"]
    assert {r["target"] for r in languages if r["relationship"] == "SPEAKS"} == {
        "French",
        "Thai",
        "Hindi",
    }


LANGUAGES = ["Sarah Chen speaks French fluently", "Sarah Chen speaks Thai fluently"]


def speak_two_languages(memory: Memory, server: FakeOpenAIServer) -> None:
    """Sarah Chen speaks French, then Thai (which may replace French, so it is judged)."""
    add(memory, server, extraction(LANGUAGES[0], "speaks", "French"))
    keep = {"facts": [{"fact": "f1", "event": "ADD"}], "relations": []}
    add(memory, server, extraction(LANGUAGES[1], "speaks", "Thai"), keep)


def test_a_close_memory_stating_one_value_of_a_set_makes_no_reconcile_call(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    """Two languages at once make SPEAKS a set for Sarah Chen: a third neither repeats nor
    replaces either, however alike the sentences."""
    new = "Sarah Chen speaks Hindi fluently"
    assert min(cosine(stored, new) for stored in LANGUAGES) >= 0.5
    speak_two_languages(memory, fake_openai_server)
    result = add(memory, fake_openai_server, extraction(new, "speaks", "Hindi"))
    assert [row["event"] for row in result["results"]] == ["ADD"]


def test_a_close_memory_stating_the_same_value_of_a_set_is_reconciled(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    new = "Sarah Chen speaks French very fluently"
    assert 0.5 <= cosine(LANGUAGES[0], new) < 0.9
    speak_two_languages(memory, fake_openai_server)
    verdict = {"facts": [{"fact": "f1", "event": "ADD"}]}
    add(memory, fake_openai_server, extraction(new, "speaks", "French"), verdict)
    assert LANGUAGES[0] in json.dumps(fake_openai_server.chat_requests[1].body["messages"])
