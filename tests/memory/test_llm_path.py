"""The LLM write path through the real openai + instructor client and a fake server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graphmem import ExtractionFailed, GraphMemConfig, Memory
from tests.fakes.openai_server import FakeOpenAIServer, reply_text

EXTRACTED = {
    "facts": ["Sarah Chen works at Google", "Sarah Chen lives in Zurich"],
    "entities": [
        {"name": "Sarah Chen", "type": "person"},
        {"name": "Google", "type": "organization"},
        {"name": "Zurich", "type": "city"},
    ],
    "relations": [
        {"source": "Sarah Chen", "relationship": "works at", "target": "Google"},
        {"source": "Sarah Chen", "relationship": "lives in", "target": "Zurich"},
    ],
}
TEXT = "Sarah Chen works at Google and lives in Zurich."


@pytest.fixture
def llm_memory(fake_llm_config: GraphMemConfig) -> Iterator[Memory]:
    with Memory(fake_llm_config) as memory:
        yield memory


def counts(memory: Memory) -> tuple[int, int, int]:
    stats = memory.stats()
    return stats["memories"], stats["entities"], stats["relations"]


def test_an_add_makes_exactly_one_chat_call(
    llm_memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    fake_openai_server.script_json(EXTRACTED)
    result = llm_memory.add(TEXT, user_id="alice")
    assert len(fake_openai_server.chat_requests) == 1
    assert [r["event"] for r in result["results"]] == ["ADD", "ADD"]
    assert {(r["relationship"], r["target"]) for r in result["relations"]["added"]} == {
        ("WORKS_AT", "Google"),
        ("LIVES_IN", "Zurich"),
    }
    types = {e["name"]: e["type"] for e in llm_memory.graph.entities(user_id="alice")}
    assert types == {"Sarah Chen": "Person", "Google": "Organization", "Zurich": "City"}


def test_invalid_json_is_reasked_once_then_stored(
    llm_memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    fake_openai_server.script(reply_text("{not json"))
    fake_openai_server.script_json(EXTRACTED)
    llm_memory.add(TEXT, user_id="alice")
    assert len(fake_openai_server.chat_requests) == 2
    assert counts(llm_memory) == (2, 3, 2)


def test_persistent_garbage_raises_extraction_failed_and_writes_nothing(
    llm_memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    fake_openai_server.script_text("garbage", "more garbage", "still garbage")
    with pytest.raises(ExtractionFailed, match="NOT stored"):
        llm_memory.add(TEXT, user_id="alice")
    assert len(fake_openai_server.chat_requests) == 3
    assert counts(llm_memory) == (0, 0, 0)
    assert llm_memory.search("Zurich", user_id="alice")["results"] == []


def test_a_timeout_raises_extraction_failed_and_writes_nothing(
    fake_openai_server: FakeOpenAIServer, fake_llm_config: GraphMemConfig
) -> None:
    config = fake_llm_config.model_copy(update={"llm_timeout": 0.3, "llm_max_retries": 0})
    fake_openai_server.script_delay(2.0)
    with Memory(config) as memory:
        with pytest.raises(ExtractionFailed, match=r"timed out|timeout"):
            memory.add(TEXT, user_id="alice")
        assert counts(memory) == (0, 0, 0)


def test_pre_extracted_input_and_infer_false_make_no_chat_call(
    llm_memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    llm_memory.add(TEXT, user_id="alice", infer=False)
    llm_memory.add(
        None,
        user_id="alice",
        relations=[{"source": "Sarah Chen", "relationship": "works at", "target": "Google"}],
    )
    assert fake_openai_server.chat_requests == []


def test_reads_make_no_chat_call(llm_memory: Memory, fake_openai_server: FakeOpenAIServer) -> None:
    fake_openai_server.script_json(EXTRACTED)
    llm_memory.add(TEXT, user_id="alice")
    fake_openai_server.reset()
    llm_memory.search("Who works at Google?", user_id="alice")
    llm_memory.query("Who works at Google?", user_id="alice")
    llm_memory.get_all(user_id="alice")
    assert fake_openai_server.chat_requests == []


def test_the_prompt_argument_reaches_the_llm_as_data(
    llm_memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    fake_openai_server.script_json(EXTRACTED)
    llm_memory.add(TEXT, user_id="alice", prompt="Only extract employment.")
    sent = str(fake_openai_server.chat_requests[0].body["messages"])
    assert "Only extract employment." in sent


def test_configured_custom_instructions_reach_the_llm_once(
    fake_llm_config: GraphMemConfig, fake_openai_server: FakeOpenAIServer
) -> None:
    config = fake_llm_config.model_copy(update={"custom_instructions": "Note every pet."})
    with Memory(config) as memory:
        fake_openai_server.script_json(EXTRACTED)
        memory.add(TEXT, user_id="alice")
        fake_openai_server.script_json(EXTRACTED)
        memory.add(TEXT, user_id="alice", prompt="Only extract employment.")
    first, second = (str(r.body["messages"]) for r in fake_openai_server.chat_requests[:2])
    assert first.count("Note every pet.") == 1
    assert second.count("Note every pet.") == 1 and "Only extract employment." in second


def test_an_add_embeds_each_text_once(
    llm_memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    """Neighbours, look-alikes and the write share one embedding per text."""
    for _ in range(2):  # the second add has neighbours to look for
        fake_openai_server.reset()
        fake_openai_server.script_json(EXTRACTED)
        llm_memory.add(TEXT, user_id="alice")
        embedded = [
            text
            for request in fake_openai_server.requests
            if request.path.endswith("/embeddings")
            for text in request.body["input"]
        ]
        assert "Sarah Chen works at Google" in embedded
        assert len(embedded) == len(set(embedded))
