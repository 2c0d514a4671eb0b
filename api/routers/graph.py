"""`/v1/graph`: subgraphs for drawing, and read-only Cypher in Neo4j mode."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.auth import CurrentGrant
from api.dependencies import MemoryDep, PartitionQuery
from api.errors import NotSupported
from api.schemas import CypherRequest

router = APIRouter(prefix="/v1/graph", tags=["graph"])


@router.get("/subgraph", summary="Nodes and edges around an entity")
async def subgraph(
    grant: CurrentGrant,
    memory: MemoryDep,
    scope: PartitionQuery,
    entity: Annotated[str | None, Query(max_length=1024)] = None,
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """`{"nodes", "edges"}` within `depth` hops of `entity`, or the scope's first entities."""
    grant.authorize(scope)
    return await memory.graph.subgraph(entity, depth=depth, limit=limit, **scope)


@router.post("/cypher", summary="Run read-only Cypher (Neo4j mode)")
async def cypher(body: CypherRequest, grant: CurrentGrant, memory: MemoryDep) -> dict[str, Any]:
    """Rows of a read-only, scoped query; 400 in networkx mode, 422 for a writing query."""
    grant.authorize(body.ids())
    if memory.config.graph_store != "neo4j":
        raise NotSupported(
            "Cypher needs the Neo4j graph store (graph_store='neo4j')", field="query"
        )
    return {"rows": await memory.graph.cypher(body.query, body.params, **body.ids())}
