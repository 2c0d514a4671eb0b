"""graphmem as an MCP server (Model Context Protocol, official `mcp` SDK).

`build_mcp_server` makes the server (tools in `tools`, entity resources in `resources`);
`serve_stdio` runs it for desktop and coding agents (`graphmem mcp --user-id ...`); the REST
service mounts it under `/mcp` (`api/mcp.py`). The scope of every call is bound by the
server (`binding`), never taken from a tool argument.

Named `mcp_server`, not `mcp`, so it never shadows the SDK.
"""

from graphmem.mcp_server.binding import FixedScope, RequestScope, bind_request_scope
from graphmem.mcp_server.server import build_mcp_server
from graphmem.mcp_server.source import LazyMemory, MemorySource
from graphmem.mcp_server.stdio import serve_stdio

__all__ = [
    "FixedScope",
    "LazyMemory",
    "MemorySource",
    "RequestScope",
    "bind_request_scope",
    "build_mcp_server",
    "serve_stdio",
]
