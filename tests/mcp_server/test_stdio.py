"""`graphmem mcp` over stdio, started as a subprocess and driven by the `mcp` SDK's client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphmem import Memory
from graphmem.cli.app import app
from tests.api.conftest import offline_config
from tests.mcp_server.clients import TOOLS, error_text, payload, stdio_session

pytestmark = pytest.mark.anyio

ALICE = ("--user-id", "alice")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """The servers' stderr."""
    return tmp_path / "server.log"


async def test_tools_are_listed_with_descriptions_and_typed_input_schemas(
    data_dir: Path, log: Path
) -> None:
    async with stdio_session(data_dir, *ALICE, log=log) as session:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.description, tool.name
        assert tool.input_schema["type"] == "object"
        assert not {"user_id", "agent_id", "run_id", "app_id"} & set(
            tool.input_schema.get("properties", {})
        ), tool.name
    add = tools["add_memory"].input_schema
    assert {"text", "messages", "metadata", "timestamp"} <= set(add["properties"])
    assert tools["search_memories"].input_schema["required"] == ["query"]
    assert tools["ask_graph"].input_schema["properties"]["question"]["type"] == "string"
    assert tools["entity_neighbors"].input_schema["properties"]["direction"]["enum"] == [
        "out",
        "in",
        "both",
    ]
    assert tools["search_memories"].annotations is not None
    assert tools["search_memories"].annotations.read_only_hint is True
    assert tools["delete_memory"].annotations is not None
    assert tools["delete_memory"].annotations.destructive_hint is True


async def test_add_then_search_then_ask_graph(data_dir: Path, log: Path) -> None:
    async with stdio_session(data_dir, *ALICE, log=log) as session:
        added = payload(
            await session.call_tool(
                "add_memory", {"text": "Sarah Chen works at Google.", "metadata": {"topic": "work"}}
            )
        )
        memory_id = added["results"][0]["id"]
        assert added["results"][0]["event"] == "ADD"
        assert added["relations"]["added"][0]["relationship"] == "WORKS_AT"
        found = payload(await session.call_tool("search_memories", {"query": "Where is Sarah?"}))
        answer = payload(await session.call_tool("ask_graph", {"question": "Who works at Google?"}))
    assert found["results"][0]["id"] == memory_id
    assert found["results"][0]["user_id"] == "alice"
    assert found["results"][0]["metadata"] == {"topic": "work"}
    assert answer["answers"][0]["entity"] == "Sarah Chen"
    assert answer["answers"][0]["paths"][0][0]["target"] == "Google"


async def test_messages_list_get_update_history_neighbors_and_delete(
    data_dir: Path, log: Path
) -> None:
    turns = [{"role": "user", "name": "Alice", "content": "I live in Zurich."}]
    async with stdio_session(data_dir, *ALICE, log=log) as session:
        added = payload(
            await session.call_tool(
                "add_memory", {"messages": turns, "timestamp": "2023-05-08T13:56:00"}
            )
        )
        memory_id = added["results"][0]["id"]
        listed = payload(await session.call_tool("list_memories", {}))
        got = payload(await session.call_tool("get_memory", {"memory_id": memory_id}))
        around = payload(await session.call_tool("entity_neighbors", {"entity": "Alice"}))
        payload(
            await session.call_tool(
                "update_memory", {"memory_id": memory_id, "text": "Alice lives in Bern."}
            )
        )
        events = payload(await session.call_tool("memory_history", {"memory_id": memory_id}))
        payload(await session.call_tool("delete_memory", {"memory_id": memory_id}))
        gone = error_text(await session.call_tool("get_memory", {"memory_id": memory_id}))
    assert [m["id"] for m in listed["results"]] == [memory_id]
    assert got["memory"] == "Alice lives in Zurich."
    assert got["timestamp"].startswith("2023-05-08T13:56:00")
    assert [(e["source"], e["relationship"], e["target"]) for e in around["edges"]] == [
        ("Alice", "LIVES_IN", "Zurich")
    ]
    assert [e["event"] for e in events["events"]] == ["ADD", "UPDATE"]
    assert events["events"][1]["new_memory"] == "Alice lives in Bern."
    assert "NotFound" in gone


async def test_bad_arguments_are_tool_errors_and_the_server_keeps_serving(
    data_dir: Path, log: Path
) -> None:
    bad_calls = [
        ("add_memory", {"text": 42}),  # wrong type (input schema)
        ("add_memory", {"text": "   "}),  # empty text (facade)
        ("add_memory", {"text": "a", "messages": [{"content": "b"}]}),  # both
        ("search_memories", {}),  # missing required argument
        ("search_memories", {"query": "x", "limit": 0}),  # out of range
        ("search_memories", {"query": "x", "filters": {"topic": {"near": 1}}}),  # bad filter
        ("ask_graph", {"question": "x", "as_of": "yesterday"}),  # bad date
        ("entity_neighbors", {"entity": "Nobody"}),  # unknown entity
        ("get_memory", {"memory_id": "no-such-id"}),  # unknown id
        ("search_memories", {"query": "x", "user_id": "bob"}),  # a scope is no argument
    ]
    async with stdio_session(data_dir, *ALICE, log=log) as session:
        errors = [error_text(await session.call_tool(name, args)) for name, args in bad_calls]
        still = payload(await session.call_tool("add_memory", {"text": "Tom Lee lives in Oslo."}))
    assert "valid string" in errors[0]
    assert "InvalidInput" in errors[1] and "(field: " in errors[1]
    assert "not both" in errors[2]
    assert "query" in errors[3] and "required" in errors[3].lower()
    assert "limit" in errors[4]
    assert "InvalidInput" in errors[5]
    assert "InvalidInput" in errors[6] and "as_of" in errors[6]
    assert "NotFound" in errors[7] and "NotFound" in errors[8]
    assert "unknown argument 'user_id'" in errors[9]
    assert still["results"][0]["event"] == "ADD"


async def test_an_add_that_stores_nothing_is_an_error(data_dir: Path, log: Path) -> None:
    async with stdio_session(data_dir, *ALICE, log=log) as session:
        nothing = error_text(await session.call_tool("add_memory", {"text": "ok, thanks!"}))
        as_is = payload(
            await session.call_tool("add_memory", {"text": "ok, thanks!", "infer": False})
        )
    assert "nothing was stored" in nothing
    assert as_is["results"][0]["memory"] == "ok, thanks!"


async def test_each_server_works_in_the_scope_of_its_command_line(
    data_dir: Path, log: Path
) -> None:
    async with stdio_session(data_dir, *ALICE, log=log) as alice:
        added = payload(
            await alice.call_tool("add_memory", {"text": "Sarah Chen works at Google."})
        )
    memory_id = added["results"][0]["id"]
    async with stdio_session(data_dir, "--user-id", "bob", log=log) as bob:
        found = payload(await bob.call_tool("search_memories", {"query": "Sarah Chen Google"}))
        answer = payload(await bob.call_tool("ask_graph", {"question": "Who works at Google?"}))
        hidden = error_text(await bob.call_tool("get_memory", {"memory_id": memory_id}))
        kept = error_text(await bob.call_tool("delete_memory", {"memory_id": memory_id}))
    assert found["results"] == [] and answer["answers"] == []
    assert f"no memory with id {memory_id!r}" in hidden and "NotFound" in kept
    async with stdio_session(data_dir, *ALICE, log=log) as alice:
        assert payload(await alice.call_tool("get_memory", {"memory_id": memory_id}))


async def test_entities_are_resources_of_the_scope(data_dir: Path, log: Path) -> None:
    async with stdio_session(data_dir, *ALICE, log=log) as session:
        payload(await session.call_tool("add_memory", {"text": "Sarah Chen works at Google."}))
        templates = (await session.list_resource_templates()).resource_templates
        listed = await session.read_resource("graphmem://entities?type=Person")
        one = await session.read_resource("graphmem://entities/Sarah%20Chen")
    assert {t.uri_template for t in templates} == {
        "graphmem://entities{?type,limit}",
        "graphmem://entities/{entity}",
    }
    people = json.loads(getattr(listed.contents[0], "text", ""))
    assert [(e["name"], e["user_id"]) for e in people] == [("Sarah Chen", "alice")]
    entity = json.loads(getattr(one.contents[0], "text", ""))
    assert entity["entity"]["name"] == "Sarah Chen"
    assert entity["edges"][0]["target"] == "Google"


async def test_a_data_dir_held_by_another_process_fails_the_add_and_writes_nothing(
    data_dir: Path, log: Path
) -> None:
    """A real store failure: another graphmem holds the data dir's lock. Each call says
    so (`isError`, StoreUnavailable naming the lock) and stores nothing; once the other
    process lets go, the next call opens the data dir and works."""
    holder = Memory(offline_config(data_dir))
    try:
        async with stdio_session(data_dir, *ALICE, log=log) as session:
            refused = error_text(
                await session.call_tool("add_memory", {"text": "Sarah Chen works at Google."})
            )
            stats = holder.stats()
            assert (stats["memories"], stats["entities"], stats["relations"]) == (0, 0, 0)
            holder.close()
            added = payload(
                await session.call_tool("add_memory", {"text": "Sarah Chen works at Google."})
            )
    finally:
        holder.close()
    assert "StoreUnavailable" in refused and "lock" in refused
    assert added["results"][0]["event"] == "ADD"
    assert "each tool call will report it and retry" in log.read_text()


def test_mcp_needs_a_scope_on_the_command_line(data_dir: Path) -> None:
    result = CliRunner().invoke(app, ["mcp", "--data-dir", str(data_dir)])
    assert result.exit_code == 2
    assert "needs a scope" in result.output


def test_graphmem_help_lists_mcp() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "mcp" in result.output and "Serve the memory to agents over MCP" in result.output
