"""LLM token usage over HTTP: in each add's response body (REST and the MCP tool), and
summed in `/metrics`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from tests.api.conftest import add_memory, store_settings
from tests.api.live_server import serve
from tests.fakes.fixtures import make_llm_config
from tests.fakes.openai_server import FakeOpenAIServer
from tests.mcp_server.clients import http_session, payload

EXTRACTED = {
    "facts": ["Sarah Chen works at Google"],
    "entities": [
        {"name": "Sarah Chen", "type": "person"},
        {"name": "Google", "type": "organization"},
    ],
    "relations": [{"source": "Sarah Chen", "relationship": "works at", "target": "Google"}],
}
NO_USAGE = {"llm_calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def llm_url(
    request: pytest.FixtureRequest,
    fake_openai_server: FakeOpenAIServer,
    tmp_path: Path,
    graph_store: str,
) -> Iterator[str]:
    """A live open server (loopback, no keys) on `graph_store` whose adds call the fake LLM."""
    graph = store_settings(request, graph_store)
    config = make_llm_config(fake_openai_server, tmp_path / "graphmem", embedder="hash", **graph)
    with serve(create_app(config, api_keys={})) as url:
        yield url


@pytest.fixture
def llm_api(llm_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=llm_url, timeout=30.0) as http:
        yield http


def billed(server: FakeOpenAIServer) -> dict[str, int]:
    """What the fake server's completions so far said they cost, summed."""
    sent = server.completion_usages
    prompt = sum(usage["prompt_tokens"] for usage in sent)
    completion = sum(usage["completion_tokens"] for usage in sent)
    return {
        "llm_calls": len(sent),
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def samples(text: str) -> dict[str, float]:
    """`name{labels}` -> value of every sample in a Prometheus text exposition."""
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}"] = sample.value
    return found


def test_an_add_response_carries_the_llm_usage_of_that_add(
    llm_api: httpx.Client, fake_openai_server: FakeOpenAIServer
) -> None:
    fake_openai_server.script_text("not json")
    fake_openai_server.script_json(EXTRACTED)
    response = llm_api.post("/v1/memories", json={"messages": "(talk)", "user_id": "alice"})
    assert response.status_code == 201, response.text
    assert len(fake_openai_server.completion_usages) == 2
    assert response.json()["usage"] == billed(fake_openai_server)


@pytest.mark.anyio
async def test_the_mcp_add_memory_tool_carries_the_llm_usage_of_that_add(
    llm_url: str, fake_openai_server: FakeOpenAIServer
) -> None:
    fake_openai_server.script_json(EXTRACTED)
    async with http_session(f"{llm_url}/mcp?user_id=alice", None) as session:
        added = payload(await session.call_tool("add_memory", {"text": "(talk)"}))
    assert added["usage"] == billed(fake_openai_server)
    assert added["usage"]["llm_calls"] == 1


def test_metrics_count_llm_calls_and_tokens_by_kind(
    llm_api: httpx.Client, fake_openai_server: FakeOpenAIServer
) -> None:
    before = samples(llm_api.get("/metrics").text)
    assert before["graphmem_llm_calls_total{}"] == 0
    fake_openai_server.script_json(EXTRACTED)
    llm_api.post("/v1/memories", json={"messages": "(talk)", "user_id": "alice"})
    fake_openai_server.script_text("garbage", "garbage", "garbage")  # a failed add spends too
    failed = llm_api.post("/v1/memories", json={"messages": "(more)", "user_id": "alice"})
    assert failed.status_code >= 400

    after = samples(llm_api.get("/metrics").text)
    sent = fake_openai_server.completion_usages
    assert after["graphmem_llm_calls_total{}"] == len(sent) == 4
    assert after['graphmem_llm_tokens_total{kind="prompt"}'] == sum(
        u["prompt_tokens"] for u in sent
    )
    assert after['graphmem_llm_tokens_total{kind="completion"}'] == sum(
        u["completion_tokens"] for u in sent
    )


def test_an_offline_add_response_reports_zero_usage(admin: httpx.Client) -> None:
    response = admin.post(
        "/v1/memories", json={"messages": "Ann Lee lives in Oslo.", "user_id": "u-usage"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["usage"] == NO_USAGE
    add_memory(admin, "Ann Lee works at Acme.", "u-usage")
