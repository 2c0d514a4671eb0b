"""The `mcp` SDK's own clients, as the tests drive graphmem's MCP server with them.

`stdio_session` starts `graphmem mcp` as a subprocess (the offline embedded default:
hash embedder, offline extractor, no API key); `http_session` connects to `/mcp` of a live
uvicorn server with an API key. Both yield an initialized `ClientSession`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx2
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult

REPO_ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60.0
TOOLS = {
    "add_memory",
    "search_memories",
    "ask_graph",
    "list_memories",
    "get_memory",
    "update_memory",
    "delete_memory",
    "memory_history",
    "entity_neighbors",
}


def offline_environment() -> dict[str, str]:
    """The server's environment: the offline embedded default, this checkout's graphmem."""
    return {
        "PYTHONPATH": str(REPO_ROOT),
        "GRAPHMEM_EMBEDDER": "hash",
        "GRAPHMEM_EXTRACTOR": "offline",
    }


@asynccontextmanager
async def stdio_session(data_dir: Path, *scope: str, log: Path) -> AsyncIterator[ClientSession]:
    """`graphmem mcp --data-dir DATA_DIR *scope` as a subprocess; its stderr goes to `log`."""
    server = StdioServerParameters(
        command=sys.executable,
        args=["-m", "graphmem.cli", "mcp", "--data-dir", str(data_dir), *scope],
        env=offline_environment(),
        cwd=REPO_ROOT,
    )
    with log.open("a") as errlog:
        async with (
            stdio_client(server, errlog=errlog) as (read, write),
            ClientSession(read, write, read_timeout_seconds=TIMEOUT) as session,
        ):
            await session.initialize()
            yield session


@asynccontextmanager
async def http_session(url: str, key: str | None) -> AsyncIterator[ClientSession]:
    """A streamable HTTP session with `url` (e.g. `http://127.0.0.1:PORT/mcp`), sending `key`."""
    headers = {"X-API-Key": key} if key else {}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=TIMEOUT) as http,
        streamable_http_client(url, http_client=http) as (read, write),
        ClientSession(read, write, read_timeout_seconds=TIMEOUT) as session,
    ):
        await session.initialize()
        yield session


def payload(result: CallToolResult) -> Any:
    """A successful tool result's JSON (its structured content, which the text repeats)."""
    assert not result.is_error, error_text(result)
    assert result.structured_content is not None
    assert json.loads(_text(result)) == result.structured_content
    return result.structured_content


def error_text(result: CallToolResult) -> str:
    """The text of a result that must be an error (`isError`)."""
    assert result.is_error, _text(result)
    return _text(result)


def _text(result: CallToolResult) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)
