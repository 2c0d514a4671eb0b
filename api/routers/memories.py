"""`/v1/memories`: add, list, search, get, update, delete, history, delete all in a scope."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.auth import CurrentGrant, Grant
from api.dependencies import FiltersQuery, MemoryDep, ScopeQuery
from api.errors import problem_responses
from api.responses import (
    AddResults,
    HistoryEntry,
    MemoryEvent,
    MemoryPage,
    ScopeDeletion,
    SearchResults,
    StoredMemory,
)
from api.schemas import AddRequest, SearchRequest, UpdateRequest
from graphmem.memory.async_facade import AsyncMemory

router = APIRouter(prefix="/v1/memories", tags=["memories"])


@router.post(
    "",
    status_code=201,
    summary="Remember messages (add)",
    responses=problem_responses(400, 401, 403, 413, 422, 502, 503),
)
async def add_memories(body: AddRequest, grant: CurrentGrant, memory: MemoryDep) -> AddResults:
    """Extract facts, entities and relations from `messages` and store them in the scope;
    `usage` says how many LLM calls and tokens this add spent."""
    grant.authorize(body.ids())
    added = await memory.add(
        body.messages_argument(),
        **body.ids(),
        metadata=body.metadata,
        infer=body.infer,
        prompt=body.prompt,
        entities=body.entities,
        relations=body.relations,
        timestamp=body.timestamp,
    )
    return AddResults.model_validate(added)


@router.get(
    "",
    summary="List a scope's memories",
    responses=problem_responses(401, 403, 422, 503),
)
async def list_memories(
    grant: CurrentGrant,
    memory: MemoryDep,
    scope: ScopeQuery,
    filters: FiltersQuery,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Annotated[str | None, Query(max_length=256)] = None,
) -> MemoryPage:
    """A page of memories; pass `next_cursor` back as `cursor` for the next page."""
    grant.authorize(scope)
    page = await memory.get_all(**scope, filters=filters, limit=limit, cursor=cursor)
    return MemoryPage.model_validate(page)


@router.delete(
    "",
    summary="Delete every memory of a scope",
    responses=problem_responses(401, 403, 422, 503),
)
async def delete_all_memories(
    grant: CurrentGrant, memory: MemoryDep, scope: ScopeQuery
) -> ScopeDeletion:
    """Delete all memories of the scope named by the query (at least one id)."""
    grant.authorize(scope)
    return ScopeDeletion.model_validate(await memory.delete_all(**scope))


@router.post(
    "/search",
    summary="Search memories (graph + vectors + BM25)",
    responses=problem_responses(400, 401, 403, 413, 422, 503),
)
async def search_memories(
    body: SearchRequest, grant: CurrentGrant, memory: MemoryDep
) -> SearchResults:
    """Memories and relations relevant to `query`, fused from the three channels."""
    grant.authorize(body.ids())
    channels = tuple(body.channels) if body.channels is not None else ("graph", "vector", "bm25")
    found = await memory.search(
        body.query,
        **body.ids(),
        filters=body.filters,
        limit=body.limit,
        threshold=body.threshold,
        as_of=body.as_of,
        include_history=body.include_history,
        channels=channels,
        explain=body.explain,
    )
    return SearchResults.model_validate(found)


@router.get(
    "/{memory_id}",
    summary="Get one memory",
    responses=problem_responses(401, 404, 422, 503),
)
async def get_memory(memory_id: str, grant: CurrentGrant, memory: MemoryDep) -> StoredMemory:
    """One memory; 404 when unknown or outside the key's scopes."""
    return StoredMemory.model_validate(await _visible_memory(memory, grant, memory_id))


@router.put(
    "/{memory_id}",
    summary="Update a memory's text and/or metadata",
    responses=problem_responses(400, 401, 404, 413, 422, 503),
)
async def update_memory(
    memory_id: str, body: UpdateRequest, grant: CurrentGrant, memory: MemoryDep
) -> MemoryEvent:
    """Replace the text and/or metadata; history records an UPDATE."""
    await _visible_memory(memory, grant, memory_id)
    updated = await memory.update(memory_id, text=body.text, metadata=body.metadata)
    return MemoryEvent.model_validate(updated)


@router.delete(
    "/{memory_id}",
    summary="Delete a memory",
    responses=problem_responses(401, 404, 422, 503),
)
async def delete_memory(memory_id: str, grant: CurrentGrant, memory: MemoryDep) -> MemoryEvent:
    """Delete the memory and the graph items only it supported."""
    await _visible_memory(memory, grant, memory_id)
    return MemoryEvent.model_validate(await memory.delete(memory_id))


@router.get(
    "/{memory_id}/history",
    summary="A memory's change history",
    responses=problem_responses(401, 404, 422, 503),
)
async def memory_history(
    memory_id: str, grant: CurrentGrant, memory: MemoryDep
) -> list[HistoryEntry]:
    """ADD / UPDATE / DELETE / INVALIDATE events, oldest first.

    A restricted key sees the history of memories that exist in its scopes only.
    """
    if grant.scopes is not None:
        await _visible_memory(memory, grant, memory_id)
    return [HistoryEntry.model_validate(event) for event in await memory.history(memory_id)]


async def _visible_memory(memory: AsyncMemory, grant: Grant, memory_id: str) -> dict[str, Any]:
    found = await memory.get(memory_id)
    grant.ensure_visible(found, "memory")
    return found
