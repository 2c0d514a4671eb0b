"""`graphmem mcp`: the MCP server over stdio, in one scope given on the command line."""

from __future__ import annotations

import logging

import anyio

from graphmem.config import GraphMemConfig
from graphmem.errors import GraphMemError
from graphmem.mcp_server.binding import FixedScope
from graphmem.mcp_server.server import build_mcp_server
from graphmem.mcp_server.source import LazyMemory
from graphmem.models.scope import Scope

logger = logging.getLogger(__name__)


async def serve_stdio(config: GraphMemConfig, scope: Scope) -> None:
    """Serve MCP on stdin/stdout until the client closes them; every call works in `scope`.

    The memory is opened before serving; when that fails (another process holds the data
    dir, a store is down), the server still starts, and each call reports the error and
    tries to open again. The memory is closed (its lock released) when serving ends.
    """
    source = LazyMemory(config)
    try:
        await source.get()
    except GraphMemError as exc:
        logger.warning("graphmem mcp: %s; each tool call will report it and retry", exc.message)
    server = build_mcp_server(source.get, FixedScope(scope))
    try:
        await server.run_stdio_async()
    finally:
        with anyio.CancelScope(shield=True):  # Ctrl-C cancels serving, not the close
            await source.close()
