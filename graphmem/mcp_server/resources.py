"""The scope's entities as MCP resources (JSON), for clients that attach context by URI.

- `graphmem://entities` (optionally `?type=Person&limit=50`): the scope's entities by name;
- `graphmem://entities/{entity}` (a name, alias or id, percent-encoded): one entity with
  its current relations and neighbours.

They are resource templates, not fixed resources, because what they hold depends on the
request's scope (the SDK gives only templates the request context).
"""

from __future__ import annotations

import json
from typing import Any

from mcp.server.mcpserver import Context, MCPServer

from graphmem.errors import GraphMemError, InvalidInput
from graphmem.mcp_server.binding import ScopeBinding, partition_args
from graphmem.mcp_server.errors import resource_error
from graphmem.mcp_server.source import MemorySource

ENTITIES_URI = "graphmem://entities{?type,limit}"
ENTITY_URI = "graphmem://entities/{entity}"
_JSON = "application/json"


class EntityResources:
    """The entity resources, bound to a memory source and a scope binding."""

    def __init__(self, memory: MemorySource, binding: ScopeBinding) -> None:
        self._memory = memory
        self._binding = binding

    def register(self, server: MCPServer) -> None:
        """Add both resource templates to `server`."""
        server.resource(
            ENTITIES_URI,
            name="entities",
            title="Entities",
            description="The entities of this memory's knowledge graph (people, places, "
            "organizations, ...), by name; ?type=Person keeps one type.",
            mime_type=_JSON,
        )(self.entities)
        server.resource(
            ENTITY_URI,
            name="entity",
            title="An entity and its neighbours",
            description="One entity (by name, alias or id) with its current relations and "
            "the entities they link it to.",
            mime_type=_JSON,
        )(self.entity)

    async def entities(self, ctx: Context, type: str | None = None, limit: str = "100") -> str:
        """The scope's entities, as a JSON list (`limit` is text: it comes from the URI)."""
        try:
            memory = await self._memory()
            scope = self._binding.scope(ctx)
            found = await memory.graph.entities(
                **partition_args(scope), entity_type=type, limit=_count(limit, "limit")
            )
        except GraphMemError as exc:
            raise resource_error(exc) from exc
        return _json(found)

    async def entity(self, ctx: Context, entity: str) -> str:
        """One entity with its neighbours, as JSON `{"entity", "nodes", "edges"}`."""
        try:
            memory = await self._memory()
            scope = self._binding.scope(ctx)
            found = await memory.graph.entity(entity, scope)
            around = await memory.graph.neighbors(found.id, **partition_args(scope))
        except GraphMemError as exc:
            raise resource_error(exc) from exc
        return _json({"entity": found.to_dict(), **around})


def _count(text: str, field: str) -> int:
    if not text.isdigit():
        raise InvalidInput(f"{field} must be a positive integer", field=field)
    return int(text)


def _json(value: Any) -> str:
    return json.dumps(value, default=str)
