"""`/mcp`: graphmem's MCP server over streamable HTTP, behind the REST API's keys.

Every request is authenticated as a REST request is (`current_grant`: `X-API-Key` or
`Authorization: Bearer`; a server without keys serves loopback clients only), and its
scope is bound before the MCP session manager sees it (`granted_scope`):
- the ids the URL's query names (`/mcp?user_id=alice`), checked by the key's grant exactly
  as a REST request's ids are;
- else, for each field the key restricts to one id, that id: a key for alice alone works
  at plain `/mcp`, while an admin key, or one for several users, names the scope in the URL.

Failures before MCP are problem+json, as in REST: 401 without a known key, 403 for a scope
outside the key, 422 for no scope at all. The MCP tools then take no scope argument.
The transport is stateless (each POST is a whole exchange, answered with JSON), so no
session outlives the request whose key authorized it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from api.auth import Grant, current_grant
from graphmem.mcp_server import MemorySource, RequestScope, bind_request_scope, build_mcp_server
from graphmem.models.scope import SCOPE_FIELDS
from graphmem.models.scope import Scope as MemoryScope

MCP_PATH = "/mcp"
_LOOPBACK_HOSTS = ["127.0.0.1:*", "localhost:*", "[::1]:*"]
_LOOPBACK_ORIGINS = ["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"]


def granted_scope(grant: Grant, query: Mapping[str, str]) -> MemoryScope:
    """The scope one MCP request works in: the ids its URL names, else its key's only ids.

    Raises:
        ScopeViolation: an id the key does not allow, or a restricted field left open.
        InvalidInput: no scope id at all (e.g. an admin key with no `?user_id=`).
    """
    ids: dict[str, str | None] = {field: query.get(field) for field in SCOPE_FIELDS}
    for field, allowed in (grant.scopes or {}).items():
        if ids[field] is None and len(allowed) == 1:
            ids[field] = next(iter(allowed))
    grant.authorize(ids)
    return MemoryScope.of(**ids)


class McpEndpoint:
    """The ASGI app at `/mcp`: authenticate, bind the scope, hand over to MCP."""

    def __init__(self, server: MCPServer[Any]) -> None:
        self._server = server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        grant = current_grant(request)
        bind_request_scope(scope, granted_scope(grant, request.query_params))
        await self._server.session_manager.handle_request(scope, receive, send)


class McpService:
    """The MCP server of one app: its route, and its session manager for the app's lifespan.

    Args:
        memory: The app's memory, as the tools get it.
        loopback_only: The app has no API keys: also check `Host` and `Origin` against
            loopback names (the SDK's DNS-rebinding protection), as keys are not there to.
        max_body_bytes: Larger MCP request bodies are refused.
    """

    def __init__(self, memory: MemorySource, *, loopback_only: bool, max_body_bytes: int) -> None:
        self._server = build_mcp_server(memory, RequestScope())
        self._security = TransportSecuritySettings(
            enable_dns_rebinding_protection=loopback_only,
            allowed_hosts=_LOOPBACK_HOSTS,
            allowed_origins=_LOOPBACK_ORIGINS,
        )
        self._max_body_bytes = max_body_bytes
        self.route = Route(MCP_PATH, endpoint=McpEndpoint(self._server), name="mcp")

    @asynccontextmanager
    async def run(self) -> AsyncIterator[None]:
        """Serve MCP requests while the block runs (a session manager runs only once, so
        each lifespan makes its own)."""
        self._server.streamable_http_app(
            streamable_http_path=MCP_PATH,
            stateless_http=True,
            json_response=True,
            transport_security=self._security,
            max_request_body_size=self._max_body_bytes,
        )
        async with self._server.session_manager.run():
            yield
