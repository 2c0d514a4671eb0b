"""`/v1/entities`: the entities a scope sees, and one entity with its neighbours."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.auth import CurrentGrant
from api.dependencies import MemoryDep, PartitionQuery
from api.errors import problem_responses
from api.responses import EntityNeighbourhood, EntityNode
from graphmem.models.scope import Scope

router = APIRouter(prefix="/v1/entities", tags=["graph"])


@router.get("", summary="List entities", responses=problem_responses(401, 403, 422, 503))
async def list_entities(
    grant: CurrentGrant,
    memory: MemoryDep,
    scope: PartitionQuery,
    entity_type: Annotated[str | None, Query(alias="type", max_length=128)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[EntityNode]:
    """Entities of the scope's partition, by name; `type` keeps one entity type."""
    grant.authorize(scope)
    entities = await memory.graph.entities(
        **scope, entity_type=entity_type, limit=limit, offset=offset
    )
    return [EntityNode.model_validate(entity) for entity in entities]


@router.get(
    "/{entity_id}",
    summary="One entity with its neighbours",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def get_entity(
    entity_id: str,
    grant: CurrentGrant,
    memory: MemoryDep,
    scope: PartitionQuery,
    relationship: Annotated[str | None, Query(max_length=128)] = None,
    direction: Literal["out", "in", "both"] = "both",
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    as_of: Annotated[str | None, Query(max_length=64)] = None,
) -> EntityNeighbourhood:
    """`{"entity", "nodes", "edges"}`: the entity (by id, name or alias) and its surroundings."""
    grant.authorize(scope)
    entity = await memory.graph.entity(entity_id, Scope.of(**scope))
    around = await memory.graph.neighbors(entity.id, relationship, direction, depth, as_of, **scope)
    return EntityNeighbourhood.model_validate({"entity": entity.to_dict(), **around})
