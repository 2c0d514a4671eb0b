"""The graphmem MCP tools: the Memory facade's calls, in the scope the server binds.

Each tool's docstring is its description for the calling model; its parameters (typed in
`schemas`) are its input schema. No tool takes a scope id: the scope comes from the
`ScopeBinding` (command line or API key), and a memory id of another scope is answered
as an unknown id. Errors come back as `isError` results (`errors.tool_error`), and so
does an add that stored nothing.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations

from graphmem.errors import GraphMemError, InvalidInput, NotFound
from graphmem.mcp_server.binding import ScopeBinding, partition_args, scope_args
from graphmem.mcp_server.errors import tool_error
from graphmem.mcp_server.schemas import (
    AsOf,
    Cursor,
    Depth,
    Direction,
    Entities,
    EntityName,
    Filters,
    IncludeHistory,
    Infer,
    Limit,
    MemoryId,
    Messages,
    Metadata,
    NewMetadata,
    NewText,
    Query,
    Question,
    Relations,
    Relationship,
    Text,
    Timestamp,
)
from graphmem.mcp_server.source import MemorySource
from graphmem.memory.async_facade import AsyncMemory
from graphmem.models.scope import Scope

NOTHING_STORED = (
    "nothing was stored: no fact was found in the text. State it as a fact "
    "('Alice prefers window seats'), pass relations, or set infer to false to store the "
    "text as given."
)

_READ = ToolAnnotations(read_only_hint=True, open_world_hint=False)
_WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
_CHANGE = ToolAnnotations(read_only_hint=False, destructive_hint=True, open_world_hint=False)


@dataclass(frozen=True)
class Call:
    """What one tool call works with: the memory and the bound scope."""

    memory: AsyncMemory
    scope: Scope

    async def visible_memory(self, memory_id: str) -> dict[str, Any]:
        """The memory `memory_id`, if it is in this call's scope; else NotFound, exactly as
        for an unknown id, so nothing about another scope's memory leaks."""
        found = await self.memory.get(memory_id)
        if not self.scope.matches(found):
            raise NotFound(f"no memory with id {memory_id!r}", field="memory_id")
        return found


class MemoryTools:
    """The tools, bound to a memory source and a scope binding; `register` adds them.

    Example:
        >>> # MemoryTools(LazyMemory(config), FixedScope(scope)).register(server)
    """

    def __init__(self, memory: MemorySource, binding: ScopeBinding) -> None:
        self._memory = memory
        self._binding = binding
        self._arguments: dict[str, frozenset[str]] = {}

    def register(self, server: MCPServer) -> None:
        """Add every tool to `server`, each with its description and annotations."""
        tools: list[tuple[Callable[..., Any], str, ToolAnnotations]] = [
            (self.add_memory, "Add memory", _WRITE),
            (self.search_memories, "Search memories", _READ),
            (self.ask_graph, "Ask the knowledge graph", _READ),
            (self.list_memories, "List memories", _READ),
            (self.get_memory, "Get a memory", _READ),
            (self.update_memory, "Update a memory", _CHANGE),
            (self.delete_memory, "Delete a memory", _CHANGE),
            (self.memory_history, "A memory's history", _READ),
            (self.entity_neighbors, "An entity's neighbours", _READ),
        ]
        for function, title, hints in tools:
            parameters = inspect.signature(function).parameters
            self._arguments[function.__name__] = frozenset(parameters) - {"ctx"}
            server.add_tool(
                function,
                title=title,
                description=inspect.cleandoc(function.__doc__ or ""),
                annotations=hints,
            )

    @asynccontextmanager
    async def _call(self, ctx: Context) -> AsyncIterator[Call]:
        """The memory and scope of one call; graphmem errors become tool errors."""
        try:
            self._refuse_unknown_arguments(ctx)
            yield Call(await self._memory(), self._binding.scope(ctx))
        except GraphMemError as exc:
            raise tool_error(exc) from exc

    def _refuse_unknown_arguments(self, ctx: Context) -> None:
        """Unknown arguments are errors, not silently ignored: a `user_id` argument in
        particular must not look as if it chose a scope."""
        params: Mapping[str, Any] = ctx.request_context.params or {}
        arguments = params.get("arguments") or {}
        known = self._arguments.get(str(params.get("name")), frozenset())
        unknown = sorted(set(arguments) - known) if isinstance(arguments, Mapping) else []
        if unknown:
            raise InvalidInput(
                f"unknown argument {unknown[0]!r}; the scope comes from the server "
                "(its command line or API key), never from arguments",
                field=unknown[0],
            )

    # -- writes -------------------------------------------------------------------------

    async def add_memory(
        self,
        ctx: Context,
        text: Text = None,
        messages: Messages = None,
        metadata: Metadata = None,
        timestamp: Timestamp = None,
        infer: Infer = True,
        entities: Entities = None,
        relations: Relations = None,
    ) -> dict[str, Any]:
        """Remember facts about the user or the world (people, places, preferences,
        plans), from text or conversation turns. graphmem extracts the facts and the
        entities and relations between them into a knowledge graph; the same fact twice
        is stored once (event NONE). Returns the stored memories, the relations added, and
        `usage`: the LLM calls and tokens the add spent."""
        async with self._call(ctx) as call:
            if text is not None and messages is not None:
                raise InvalidInput("give text or messages, not both", field="text")
            turns = [turn.model_dump(exclude_none=True) for turn in messages or []]
            added = await call.memory.add(
                turns if messages is not None else text,
                **scope_args(call.scope),
                metadata=metadata,
                infer=infer,
                entities=_dumped(entities),
                relations=_dumped(relations),
                timestamp=timestamp,
            )
        if not added["results"]:
            raise ToolError(NOTHING_STORED)
        return added

    async def update_memory(
        self, ctx: Context, memory_id: MemoryId, text: NewText = None, metadata: NewMetadata = None
    ) -> dict[str, Any]:
        """Correct a stored memory's text and/or replace its metadata; its history keeps
        the old text."""
        async with self._call(ctx) as call:
            await call.visible_memory(memory_id)
            return await call.memory.update(memory_id, text=text, metadata=metadata)

    async def delete_memory(self, ctx: Context, memory_id: MemoryId) -> dict[str, Any]:
        """Forget one memory (and graph relations only it supported)."""
        async with self._call(ctx) as call:
            await call.visible_memory(memory_id)
            return await call.memory.delete(memory_id)

    # -- reads --------------------------------------------------------------------------

    async def search_memories(
        self,
        ctx: Context,
        query: Query,
        limit: Limit = 10,
        filters: Filters = None,
        as_of: AsOf = None,
        include_history: IncludeHistory = False,
    ) -> dict[str, Any]:
        """Find stored memories relevant to a query (knowledge graph + vectors + keywords).
        Call it before answering anything that may depend on what you were told before.
        Returns memories with scores, and the graph relations that matched."""
        async with self._call(ctx) as call:
            return await call.memory.search(
                query,
                **scope_args(call.scope),
                filters=filters,
                limit=limit,
                as_of=as_of,
                include_history=include_history,
            )

    async def ask_graph(
        self,
        ctx: Context,
        question: Question,
        limit: Limit = 10,
        as_of: AsOf = None,
        include_history: IncludeHistory = False,
    ) -> dict[str, Any]:
        """Answer a relationship question from the knowledge graph ('Who works at Google?',
        'Where does Sarah's manager live?'). Returns ranked answer entities, the relation
        paths that prove each one, and the memories they came from."""
        async with self._call(ctx) as call:
            return await call.memory.query(
                question,
                **scope_args(call.scope),
                limit=limit,
                as_of=as_of,
                include_history=include_history,
            )

    async def list_memories(
        self, ctx: Context, limit: Limit = 50, cursor: Cursor = None, filters: Filters = None
    ) -> dict[str, Any]:
        """List stored memories, a page at a time (pass next_cursor back as cursor)."""
        async with self._call(ctx) as call:
            return await call.memory.get_all(
                **scope_args(call.scope), filters=filters, limit=limit, cursor=cursor
            )

    async def get_memory(self, ctx: Context, memory_id: MemoryId) -> dict[str, Any]:
        """Get one stored memory by id."""
        async with self._call(ctx) as call:
            return await call.visible_memory(memory_id)

    async def memory_history(self, ctx: Context, memory_id: MemoryId) -> dict[str, Any]:
        """Every change to a memory (ADD, UPDATE, DELETE, INVALIDATE), oldest first."""
        async with self._call(ctx) as call:
            await call.visible_memory(memory_id)
            return {"memory_id": memory_id, "events": await call.memory.history(memory_id)}

    async def entity_neighbors(
        self,
        ctx: Context,
        entity: EntityName,
        relationship: Relationship = None,
        direction: Direction = "both",
        depth: Depth = 1,
        as_of: AsOf = None,
    ) -> dict[str, Any]:
        """What the knowledge graph links to an entity: its nodes and relations within
        depth hops, current ones (or as of a date). Returns the entity, nodes and edges
        (source, relationship, target, fact, valid_from, valid_to)."""
        async with self._call(ctx) as call:
            found = await call.memory.graph.entity(entity, call.scope)
            around = await call.memory.graph.neighbors(
                found.id, relationship, direction, depth, as_of, **partition_args(call.scope)
            )
            return {"entity": found.to_dict(), **around}


def _dumped(items: list[Any] | None) -> list[dict[str, Any]] | None:
    return None if items is None else [item.model_dump(exclude_none=True) for item in items]
