"""`/v1/graph`: subgraphs for drawing, and read-only Cypher in Neo4j mode."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import CurrentGrant
from api.dependencies import MemoryDep, PartitionQuery
from api.errors import NotSupported, problem_responses
from api.responses import CypherRows, Subgraph
from api.schemas import CypherRequest

router = APIRouter(prefix="/v1/graph", tags=["graph"])


@router.get(
    "/subgraph",
    summary="Nodes and edges around an entity",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def subgraph(
    grant: CurrentGrant,
    memory: MemoryDep,
    scope: PartitionQuery,
    entity: Annotated[str | None, Query(max_length=1024)] = None,
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> Subgraph:
    """`{"nodes", "edges"}` within `depth` hops of `entity`, or the scope's first entities."""
    grant.authorize(scope)
    found = await memory.graph.subgraph(entity, depth=depth, limit=limit, **scope)
    return Subgraph.model_validate(found)


@router.post(
    "/cypher",
    summary="Run read-only Cypher (Neo4j mode)",
    responses=problem_responses(400, 401, 403, 413, 422, 503),
)
async def cypher(body: CypherRequest, grant: CurrentGrant, memory: MemoryDep) -> CypherRows:
    """Rows of a read-only, scoped query; 400 in networkx mode, 422 for a writing query."""
    grant.authorize(body.ids())
    if memory.config.graph_store != "neo4j":
        raise NotSupported(
            "Cypher needs the Neo4j graph store (graph_store='neo4j')", field="query"
        )
    return CypherRows(rows=await memory.graph.cypher(body.query, body.params, **body.ids()))
