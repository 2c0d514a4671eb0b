"""MCP over streamable HTTP at `/mcp` of a real uvicorn server, behind the REST API's keys,
driven by the `mcp` SDK's own client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import ClientSession

from api.app import create_app
from graphmem.memory.async_facade import AsyncMemory
from tests.api.conftest import (
    ADMIN_KEY,
    ALICE_KEY,
    API_KEYS,
    BOB_KEY,
    add_memory,
    assert_problem,
    offline_config,
)
from tests.api.live_server import serve
from tests.mcp_server.clients import TOOLS, error_text, http_session, payload

pytestmark = pytest.mark.anyio

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
MCP_HEADERS = {"accept": "application/json, text/event-stream"}
ALICE_FACT = "Nina Park works at Initech."


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def mcp_url(base_url: str) -> str:
    return f"{base_url}/mcp"


@pytest.fixture(scope="module")
def alice_memory_id(base_url: str) -> str:
    """One memory of alice's, added through REST with her key."""
    with httpx.Client(base_url=base_url, headers={"X-API-Key": ALICE_KEY}, timeout=30) as http:
        return add_memory(http, ALICE_FACT, "alice")


async def test_tools_are_listed_with_typed_input_schemas(mcp_url: str) -> None:
    async with http_session(mcp_url, ALICE_KEY) as session:
        tools = (await session.list_tools()).tools
    assert {tool.name for tool in tools} == TOOLS
    for tool in tools:
        assert tool.description and tool.input_schema["type"] == "object"
        assert "user_id" not in tool.input_schema.get("properties", {})


async def test_add_then_search_then_ask_graph(mcp_url: str) -> None:
    async with http_session(mcp_url, ALICE_KEY) as session:
        added = payload(await session.call_tool("add_memory", {"text": "Omar Diaz lives in Lima."}))
        found = payload(await session.call_tool("search_memories", {"query": "Omar Diaz Lima"}))
        answer = payload(await session.call_tool("ask_graph", {"question": "Who lives in Lima?"}))
    memory_id = added["results"][0]["id"]
    assert found["results"][0]["id"] == memory_id
    assert found["results"][0]["user_id"] == "alice"
    assert answer["answers"][0]["entity"] == "Omar Diaz"


async def test_bad_arguments_are_tool_errors(mcp_url: str) -> None:
    async with http_session(mcp_url, ALICE_KEY) as session:
        wrong_type = error_text(await session.call_tool("search_memories", {"query": ["x"]}))
        empty = error_text(await session.call_tool("ask_graph", {"question": ""}))
        scoped = error_text(
            await session.call_tool("list_memories", {"user_id": "bob", "limit": 5})
        )
        fine = payload(await session.call_tool("list_memories", {"limit": 5}))
    assert "valid string" in wrong_type
    assert "InvalidInput" in empty and "question" in empty
    assert "unknown argument 'user_id'" in scoped
    assert all(m["user_id"] == "alice" for m in fine["results"])


async def test_another_tenants_key_never_sees_their_memories(
    mcp_url: str, alice_memory_id: str
) -> None:
    memory = {"memory_id": alice_memory_id}
    async with http_session(mcp_url, BOB_KEY) as bob:
        found = payload(await bob.call_tool("search_memories", {"query": "Nina Park Initech"}))
        answer = payload(await bob.call_tool("ask_graph", {"question": "Who works at Initech?"}))
        listed = payload(await bob.call_tool("list_memories", {"limit": 100}))
        refused = [
            error_text(await bob.call_tool(name, args))
            for name, args in [
                ("get_memory", memory),
                ("memory_history", memory),
                ("update_memory", {**memory, "text": "hijacked"}),
                ("delete_memory", memory),
                ("entity_neighbors", {"entity": "Nina Park"}),
            ]
        ]
        entities = await _entities(bob)
    seen = json.dumps([found, answer, listed, entities])
    assert "Nina Park" not in seen and "Initech" not in seen
    assert all("NotFound" in text and "Initech" not in text for text in refused)
    async with http_session(mcp_url, ALICE_KEY) as alice:
        kept = payload(await alice.call_tool("get_memory", memory))
        events = payload(await alice.call_tool("memory_history", memory))
    assert kept["memory"] == ALICE_FACT
    assert [event["event"] for event in events["events"]] == ["ADD"]


async def test_a_key_may_not_name_another_tenants_scope_in_the_url(mcp_url: str) -> None:
    async with httpx.AsyncClient(headers={"X-API-Key": BOB_KEY, **MCP_HEADERS}) as http:
        response = await http.post(f"{mcp_url}?user_id=alice", json=INITIALIZE)
    assert_problem(response, 403, "user_id")


async def test_mcp_without_a_known_key_is_unauthorized(mcp_url: str) -> None:
    async with httpx.AsyncClient(headers=MCP_HEADERS) as http:
        missing = await http.post(mcp_url, json=INITIALIZE)
        unknown = await http.post(mcp_url, json=INITIALIZE, headers={"X-API-Key": "nope"})
    assert_problem(missing, 401, "X-API-Key")
    assert missing.headers["www-authenticate"] == "Bearer"
    assert_problem(unknown, 401, "X-API-Key")


async def test_a_bearer_key_works_as_in_rest(mcp_url: str, alice_memory_id: str) -> None:
    async with httpx.AsyncClient(
        headers={"Authorization": f"Bearer {ALICE_KEY}", **MCP_HEADERS}
    ) as http:
        response = await http.post(mcp_url, json=INITIALIZE)
    assert response.status_code == 200, response.text
    assert response.json()["result"]["serverInfo"]["name"] == "graphmem"


async def test_an_admin_key_names_its_scope_in_the_url(mcp_url: str, alice_memory_id: str) -> None:
    async with httpx.AsyncClient(headers={"X-API-Key": ADMIN_KEY, **MCP_HEADERS}) as http:
        unscoped = await http.post(mcp_url, json=INITIALIZE)
    assert_problem(unscoped, 422, "scope")
    async with http_session(f"{mcp_url}?user_id=alice", ADMIN_KEY) as admin:
        got = payload(await admin.call_tool("get_memory", {"memory_id": alice_memory_id}))
    assert got["memory"] == ALICE_FACT


async def test_a_failing_store_gives_is_error_and_writes_nothing(tmp_path: Path) -> None:
    """The vector store closed under a running server (as a crashed Qdrant would be): the
    add says StoreUnavailable (`isError`), and graph, BM25 and history are unchanged."""
    app = create_app(offline_config(tmp_path / "graphmem"), api_keys=API_KEYS)
    with serve(app) as url:
        async with http_session(f"{url}/mcp", ALICE_KEY) as session:
            payload(await session.call_tool("add_memory", {"text": "Tom Lee works at Google."}))
            memory: AsyncMemory = app.state.memory
            before = _written(memory)
            memory.sync.backends.vectors.close()
            failed = await session.call_tool("add_memory", {"text": "Sarah Chen works at Acme."})
            after = _written(memory)
        ready = httpx.get(f"{url}/ready")
    assert "StoreUnavailable" in error_text(failed)
    assert after == before
    assert ready.status_code == 503 and ready.json()["stores"]["vectors"]["status"] == "down"


async def test_an_open_server_serves_loopback_clients_and_refuses_foreign_hosts(
    tmp_path: Path,
) -> None:
    app = create_app(offline_config(tmp_path / "graphmem"), api_keys={})
    with serve(app) as url:
        async with http_session(f"{url}/mcp?user_id=u", None) as session:
            added = payload(await session.call_tool("add_memory", {"text": "Ann likes tea."}))
        async with httpx.AsyncClient(headers=MCP_HEADERS) as http:
            rebound = await http.post(
                f"{url}/mcp?user_id=u", json=INITIALIZE, headers={"host": "evil.example"}
            )
            unscoped = await http.post(f"{url}/mcp", json=INITIALIZE)
    assert added["results"][0]["event"] == "ADD"
    assert rebound.status_code == 421
    assert_problem(unscoped, 422, "scope")


def _written(memory: AsyncMemory) -> tuple[Any, ...]:
    """What the graph, BM25 and the history log hold (readable with the vectors closed)."""
    backends = memory.sync.backends
    return (backends.graph.counts(None), len(backends.bm25), backends.history.watermark())


async def _entities(session: ClientSession) -> Any:
    read = await session.read_resource("graphmem://entities")
    return json.loads(getattr(read.contents[0], "text", ""))
