"""graphmem's typed errors as MCP results, mapped here once.

A tool that fails returns a result with `isError: true` whose text names the error type,
its message and the culprit field, so the calling model can correct itself; a resource
read that fails is a JSON-RPC error (`-32602` for an unknown entity).
"""

from __future__ import annotations

from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError

from graphmem.errors import GraphMemError, NotFound


def describe_error(exc: GraphMemError) -> str:
    """`"InvalidInput: text must not be empty (field: text)"`."""
    field = f" (field: {exc.field})" if exc.field else ""
    return f"{type(exc).__name__}: {exc.message}{field}"


def tool_error(exc: GraphMemError) -> ToolError:
    """The error a tool raises for `exc`: the SDK turns it into an `isError` result."""
    return ToolError(describe_error(exc))


def resource_error(exc: GraphMemError) -> ResourceError:
    """The error a resource read raises for `exc`: not found, or failed."""
    if isinstance(exc, NotFound):
        return ResourceNotFoundError(describe_error(exc))
    return ResourceError(describe_error(exc))
