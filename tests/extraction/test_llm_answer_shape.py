"""What an LLM answer must carry, and what every request carries (issue 15), on the fake server.

An off-schema JSON object is no empty success: it is re-asked, then fails. An empty answer
must say so. Every request carries `max_tokens`; `json_schema` requests carry the schema.
An answer cut off at `max_tokens` is asked for once more, naming the cut, then fails.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphmem.config import GraphMemConfig
from graphmem.errors import ExtractionFailed
from graphmem.extraction.llm import ExtractedMemory, LLMExtractor
from graphmem.extraction.llm.reconcile import ReconcileAnswer
from graphmem.models.messages import Message
from graphmem.models.reconcile import Neighbours
from graphmem.models.records import MemoryRecord
from graphmem.models.scope import Scope
from tests.fakes import fixtures
from tests.fakes.fixtures import make_llm_config
from tests.fakes.openai_server import (
    EMPTY_EXTRACTION,
    FakeOpenAIServer,
    RecordedRequest,
    reply_cut,
    reply_json,
)

fake_openai_server_session = fixtures.fake_openai_server_session
fake_openai_server = fixtures.fake_openai_server

SARAH = [Message(content="I work at Google.")]
GOOGLE = {
    "facts": ["Sarah works at Google"],
    "entities": [{"name": "Sarah", "type": "Person"}, {"name": "Google", "type": "Organization"}],
    "relations": [{"source": "Sarah", "relationship": "WORKS_AT", "target": "Google"}],
    "nothing_to_remember": False,
}
ADD_F1 = {"facts": [{"fact": "f1", "event": "ADD"}], "relations": []}
OFF_SCHEMA = {"people": [{"name": "Sarah", "employer": "Google"}]}
MODES = ("tools", "json_schema", "json")


def extractor(server: FakeOpenAIServer, tmp_path: Path, **overrides: Any) -> LLMExtractor:
    return LLMExtractor(make_llm_config(server, tmp_path, **overrides))


def last_user_message(request: RecordedRequest) -> str:
    messages = request.body["messages"]
    return json.dumps([m for m in messages if m["role"] in ("user", "tool")][-1])


@pytest.mark.parametrize("mode", MODES)
def test_an_off_schema_object_is_reasked_then_fails(
    fake_openai_server: FakeOpenAIServer, tmp_path: Path, mode: str
) -> None:
    fake_openai_server.script_json(OFF_SCHEMA, OFF_SCHEMA, OFF_SCHEMA)

    with pytest.raises(ExtractionFailed) as failure:
        extractor(fake_openai_server, tmp_path, llm_mode=mode).extract(SARAH)

    assert len(fake_openai_server.chat_requests) == 3
    assert "nothing_to_remember" in last_user_message(fake_openai_server.chat_requests[1])
    assert "no facts, entities or relations" in failure.value.message


def test_an_off_schema_object_then_a_valid_one_succeeds(
    fake_openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    fake_openai_server.script_json(OFF_SCHEMA, GOOGLE)

    extraction = extractor(fake_openai_server, tmp_path, llm_mode="json").extract(SARAH)

    assert extraction.facts == ["Sarah works at Google"]
    assert len(fake_openai_server.chat_requests) == 2


def test_an_explicitly_empty_answer_is_an_empty_extraction(
    fake_openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    fake_openai_server.script_json(EMPTY_EXTRACTION)

    extraction = extractor(fake_openai_server, tmp_path).extract(SARAH)

    assert (extraction.facts, extraction.entities, extraction.relations) == ([], [], [])
    assert len(fake_openai_server.chat_requests) == 1


def test_a_flagged_empty_answer_that_lists_facts_is_reasked(
    fake_openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    fake_openai_server.script_json(GOOGLE | {"nothing_to_remember": True}, GOOGLE)

    extraction = extractor(fake_openai_server, tmp_path).extract(SARAH)

    assert extraction.facts == ["Sarah works at Google"]
    assert "set it to false" in last_user_message(fake_openai_server.chat_requests[1])


def test_a_name_over_the_length_limit_is_reasked(
    fake_openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    long_name = {**GOOGLE, "entities": [*GOOGLE["entities"], {"name": "x" * 201}]}
    fake_openai_server.script_json(long_name, GOOGLE)

    extractor(fake_openai_server, tmp_path).extract(SARAH)

    assert "at most 200 are allowed" in last_user_message(fake_openai_server.chat_requests[1])


@pytest.mark.parametrize("mode", MODES)
def test_every_request_carries_max_tokens(
    fake_openai_server: FakeOpenAIServer, tmp_path: Path, mode: str
) -> None:
    fake_openai_server.script(reply_json(OFF_SCHEMA), reply_cut('{"facts": ['))
    fake_openai_server.script_json(GOOGLE, ADD_F1)
    llm = extractor(fake_openai_server, tmp_path, llm_mode=mode, llm_max_tokens=321)
    llm.extract(SARAH)
    llm.reconcile(["Sarah works at Google"], Neighbours(memories=[], conflicts=[]))

    limits = [request.body.get("max_tokens") for request in fake_openai_server.chat_requests]
    assert limits == [321, 321, 321, 321]


def test_json_schema_requests_carry_the_schema(
    fake_openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    fake_openai_server.script_json(GOOGLE)
    llm = extractor(fake_openai_server, tmp_path, llm_mode="json_schema")
    llm.extract(SARAH)
    stored = MemoryRecord.create("Sarah works at Meta", Scope.of(user_id="alice"), {})
    fake_openai_server.script_json(ADD_F1)
    llm.reconcile(["Sarah works at Google"], Neighbours(memories=[stored], conflicts=[]))

    extraction, reconcile = (r.body for r in fake_openai_server.chat_requests)
    assert "tools" not in extraction
    assert extraction["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "ExtractedMemory", "schema": ExtractedMemory.model_json_schema()},
    }
    assert reconcile["response_format"]["json_schema"]["schema"] == (
        ReconcileAnswer.model_json_schema()
    )


@pytest.mark.parametrize("mode", MODES)
def test_a_cut_off_answer_is_asked_for_again_naming_the_cut(
    fake_openai_server: FakeOpenAIServer, tmp_path: Path, mode: str
) -> None:
    fake_openai_server.script(reply_cut('{"facts": ["Sarah works at Google", "Sarah wo'))
    fake_openai_server.script_json(GOOGLE)

    llm = extractor(fake_openai_server, tmp_path, llm_mode=mode, llm_max_tokens=100)
    extraction = llm.extract(SARAH)

    assert extraction.facts == ["Sarah works at Google"]
    again = last_user_message(fake_openai_server.chat_requests[1])
    assert "cut off" in again
    assert "100 tokens" in again
    assert llm.usage.calls == 2


def test_an_answer_cut_off_twice_fails(
    fake_openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    fake_openai_server.script(reply_cut('{"facts": ["a'), reply_cut('{"facts": ["b'))

    with pytest.raises(ExtractionFailed) as failure:
        extractor(fake_openai_server, tmp_path, llm_max_tokens=100).extract(SARAH)

    assert len(fake_openai_server.chat_requests) == 2
    assert "cut off at llm_max_tokens=100" in failure.value.message
    assert "NOT stored" in failure.value.message


def test_a_reconcile_answer_without_verdicts_is_reasked_then_fails(
    fake_openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    stored = MemoryRecord.create("Sarah works at Meta", Scope.of(user_id="alice"), {})
    fake_openai_server.script_json({}, {"decisions": "all fine"}, {"facts": []})

    with pytest.raises(ExtractionFailed) as failure:
        extractor(fake_openai_server, tmp_path).reconcile(
            ["Sarah works at Google"], Neighbours(memories=[stored], conflicts=[])
        )

    assert len(fake_openai_server.chat_requests) == 3
    assert "no verdict for new facts ['f1']" in failure.value.message


@pytest.mark.parametrize(
    ("base_url", "mode"),
    [
        (None, "tools"),
        ("https://api.openai.com/v1", "tools"),
        ("https://graphmem.openai.azure.com/openai/deployments/gpt-4o-mini", "tools"),
        ("http://127.0.0.1:11434/v1", "json_schema"),
        ("http://vllm.internal:8000/v1", "json_schema"),
    ],
)
def test_auto_mode_picks_tools_for_openai_and_azure_and_json_schema_otherwise(
    tmp_path: Path, base_url: str | None, mode: str
) -> None:
    config = GraphMemConfig(data_dir=tmp_path, llm_base_url=base_url, llm_api_key="key")

    assert config.llm_mode == "auto"
    assert LLMExtractor(config).mode == mode
