"""FastAPI dependencies shared by the routers: the memory, and scope ids from the query."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request

from graphmem.errors import InvalidInput
from graphmem.memory.arguments import parse_json
from graphmem.memory.async_facade import AsyncMemory

ScopeParam = Annotated[str | None, Query(max_length=256)]


def current_memory(request: Request) -> AsyncMemory:
    """The AsyncMemory the app opened in its lifespan."""
    memory: AsyncMemory = request.app.state.memory
    return memory


def partition_query(
    user_id: ScopeParam = None, agent_id: ScopeParam = None, app_id: ScopeParam = None
) -> dict[str, str | None]:
    """`user_id`, `agent_id`, `app_id` query parameters."""
    return {"user_id": user_id, "agent_id": agent_id, "app_id": app_id}


def scope_query(
    partition: Annotated[dict[str, str | None], Depends(partition_query)],
    run_id: ScopeParam = None,
) -> dict[str, str | None]:
    """The four scope ids as query parameters."""
    return {**partition, "run_id": run_id}


MemoryDep = Annotated[AsyncMemory, Depends(current_memory)]
ScopeQuery = Annotated[dict[str, str | None], Depends(scope_query)]
PartitionQuery = Annotated[dict[str, str | None], Depends(partition_query)]


def filters_query(
    filters: Annotated[
        str | None, Query(description='A JSON object, e.g. {"topic": {"eq": "work"}}.')
    ] = None,
) -> dict[str, Any] | None:
    """The `filters` query parameter, parsed from JSON.

    Raises:
        InvalidInput: not JSON, or not a JSON object (`field="filters"`).
    """
    if filters is None:
        return None
    parsed = parse_json(filters, "filters")
    if not isinstance(parsed, dict):
        raise InvalidInput("filters must be a JSON object", field="filters")
    return parsed


FiltersQuery = Annotated[dict[str, Any] | None, Depends(filters_query)]
