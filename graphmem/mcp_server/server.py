"""`build_mcp_server`: the graphmem MCP server (official `mcp` SDK), on any transport.

The same server runs over stdio (`graphmem mcp`, scope from the command line) and over
streamable HTTP (`graphmem serve`, under `/mcp`, scope from the API key); only the memory
source and the scope binding differ.
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer

from graphmem import __version__
from graphmem.mcp_server.binding import ScopeBinding
from graphmem.mcp_server.resources import EntityResources
from graphmem.mcp_server.source import MemorySource
from graphmem.mcp_server.tools import MemoryTools

INSTRUCTIONS = """\
graphmem is your long-term memory of this user (a knowledge graph of facts, entities and
relations). Before answering anything that may depend on earlier conversations, call
search_memories; for questions about how people, places and things relate ("who works at
...?"), call ask_graph. When you learn a durable fact, call add_memory. Every call works in
the scope this server was started with or your API key grants: you never pass a user id."""


def build_mcp_server(memory: MemorySource, binding: ScopeBinding) -> MCPServer[Any]:
    """The MCP server: graphmem's tools and entity resources.

    Args:
        memory: Gives the memory each call works on (opened on first need over stdio,
            the service's own over HTTP).
        binding: Gives each request's scope (`FixedScope` over stdio, `RequestScope`
            over HTTP).

    Returns:
        An `MCPServer`; run it with `run_stdio_async()`, or mount its streamable HTTP
        session manager (see `api/mcp.py`).

    Example:
        >>> # source = LazyMemory(GraphMemConfig(data_dir="/tmp/gm"))
        >>> # server = build_mcp_server(source.get, FixedScope(Scope.of(user_id="alice")))
        >>> # await server.run_stdio_async()
    """
    server: MCPServer[Any] = MCPServer(
        "graphmem",
        title="graphmem memory",
        instructions=INSTRUCTIONS,
        version=__version__,
        log_level="WARNING",
    )
    MemoryTools(memory, binding).register(server)
    EntityResources(memory, binding).register(server)
    return server
