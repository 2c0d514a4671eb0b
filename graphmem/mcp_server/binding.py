"""Which scope an MCP request works in: fixed by the command line, or bound to the request.

No tool takes a scope id as an argument, so one tenant can never name another's scope:
over stdio the scope is the one `graphmem mcp --user-id ...` was started with; over HTTP
the service authenticates each request and binds its scope into the request
(`bind_request_scope`) before the MCP session manager sees it.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, Protocol, TypedDict

from mcp.server.mcpserver import Context

from graphmem.errors import ScopeViolation
from graphmem.models.scope import Scope

REQUEST_SCOPE_KEY = "graphmem.scope"
"""The ASGI scope key under which the HTTP service binds a request's graphmem Scope."""


class ScopeArgs(TypedDict):
    """The four scope ids, as keyword arguments of the facade's scoped calls."""

    user_id: str | None
    agent_id: str | None
    run_id: str | None
    app_id: str | None


class PartitionArgs(TypedDict):
    """The graph partition's ids, as keyword arguments of `AsyncMemory.graph` calls."""

    user_id: str | None
    agent_id: str | None
    app_id: str | None


def scope_args(scope: Scope) -> ScopeArgs:
    return {
        "user_id": scope.user_id,
        "agent_id": scope.agent_id,
        "run_id": scope.run_id,
        "app_id": scope.app_id,
    }


def partition_args(scope: Scope) -> PartitionArgs:
    return {"user_id": scope.user_id, "agent_id": scope.agent_id, "app_id": scope.app_id}


class ScopeBinding(Protocol):
    """Gives the scope a tool call or resource read works in."""

    def scope(self, context: Context) -> Scope:
        """The scope of the request `context` belongs to.

        Raises:
            ScopeViolation: the request carries no scope.
        """
        ...


class FixedScope:
    """One scope for every request: the stdio server's, from its command line.

    Example:
        >>> FixedScope(Scope.of(user_id="alice")).fixed.user_id
        'alice'
    """

    def __init__(self, scope: Scope) -> None:
        self.fixed = scope

    def scope(self, context: Context) -> Scope:
        return self.fixed


class RequestScope:
    """The scope the HTTP service bound into the request (`bind_request_scope`)."""

    def scope(self, context: Context) -> Scope:
        request = context.request_context.request
        asgi_scope = getattr(request, "scope", None)
        bound = asgi_scope.get(REQUEST_SCOPE_KEY) if isinstance(asgi_scope, dict) else None
        if not isinstance(bound, Scope):
            raise ScopeViolation("this MCP request is not bound to a scope", field="scope")
        return bound


def bind_request_scope(asgi_scope: MutableMapping[str, Any], scope: Scope) -> None:
    """Bind `scope` to an HTTP request, for `RequestScope` to find in its tool calls."""
    asgi_scope[REQUEST_SCOPE_KEY] = scope
