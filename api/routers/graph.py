"""`/v1/graph`: subgraphs for drawing, saved queries by name, and admin Cypher (Neo4j mode).

Free Cypher reads every tenant's graph and nothing can confine it to one scope, so only
admin keys run it; a scoped key reads its scope through the saved queries, whose scope ids
are the ones its request names and its key allows.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from api.auth import CurrentGrant, Grant
from api.dependencies import MemoryDep, PartitionQuery
from api.errors import NotSupported, problem_responses
from api.responses import CypherRows, SavedQueries, Subgraph
from api.schemas import CypherRequest, SavedQueryRequest
from graphmem.errors import ScopeViolation
from graphmem.memory.async_facade import AsyncMemory

router = APIRouter(prefix="/v1/graph", tags=["graph"])

SCOPED_KEY_REFUSED = (
    "free Cypher reads every tenant's graph and cannot be confined to a scope, so only "
    "admin keys may run it; with a scoped key run a saved query, "
    "POST /v1/graph/queries/{name} (listed by GET /v1/graph/queries), "
    "or read GET /v1/entities and GET /v1/graph/subgraph"
)
CYPHER_DESCRIPTION = """Read-only Cypher over the **whole graph, every tenant's**, for
**admin keys only** (`"*"` in `GRAPHMEM_API_KEYS`, or the keyless loopback service).

A scoped key gets **403** (`field: "X-API-Key"`) whatever the query: free Cypher cannot be
confined to a scope (a scalar, a count, a list or a map it returns carries another
tenant's data as well as a node does, and Neo4j Community has no row-level security), so
graphmem does not try. A scoped key reads its own scope with a saved query instead,
`POST /v1/graph/queries/{name}` (listed by `GET /v1/graph/queries`), or with
`GET /v1/entities` and `GET /v1/graph/subgraph`.

The query must be read-only by Neo4j's own `EXPLAIN` (else 422), runs in a read
transaction with a 10 s timeout, returns at most 1,000 rows, and takes its values as
`$parameters` from `params` (nothing is filled in: pass `user_id` there to use `$user_id`).
400 in networkx (memory) mode."""
SAVED_QUERY_DESCRIPTION = """Rows of a saved query (`cypher/browser/<name>.cypher`, the
queries of Neo4j Browser) in the scope the request names, which the key must allow (403
otherwise). Every node a saved query reads is bound to that scope's partition; its
`$user_id`, `$agent_id` and `$app_id` come from the request's scope ids, never from
`params` (422), and `params` holds only the query's own parameters, as scalars. 404 for
an unknown name; 400 in networkx (memory) mode."""


CYPHER_RESPONSES = problem_responses(400, 401, 403, 413, 422, 503)
CYPHER_RESPONSES[403]["description"] = "A scoped key: " + SCOPED_KEY_REFUSED + "."


def admin_grant(grant: CurrentGrant) -> Grant:
    """FastAPI dependency: the caller's grant if it is an admin key, else 403."""
    if not grant.is_admin:
        raise ScopeViolation(SCOPED_KEY_REFUSED, field="X-API-Key")
    return grant


AdminGrant = Annotated[Grant, Depends(admin_grant)]


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


@router.get(
    "/queries",
    summary="The saved queries a scoped key may run",
    responses=problem_responses(401),
)
async def saved_queries(grant: CurrentGrant, memory: MemoryDep) -> SavedQueries:
    """`{"queries": [{"name", "description", "params"}]}`."""
    return SavedQueries.model_validate({"queries": await memory.graph.saved_queries()})


@router.post(
    "/queries/{name}",
    summary="Run a saved query in the caller's scope (Neo4j mode)",
    description=SAVED_QUERY_DESCRIPTION,
    responses=problem_responses(400, 401, 403, 404, 413, 422, 503),
)
async def saved_query(
    name: Annotated[str, Path(max_length=64)],
    body: SavedQueryRequest,
    grant: CurrentGrant,
    memory: MemoryDep,
) -> CypherRows:
    grant.authorize(body.ids())
    _require_neo4j(memory, "name")
    return CypherRows(rows=await memory.graph.saved_query(name, body.params, **body.ids()))


@router.post(
    "/cypher",
    summary="Run read-only Cypher over the whole graph (admin keys, Neo4j mode)",
    description=CYPHER_DESCRIPTION,
    responses=CYPHER_RESPONSES,
)
async def cypher(body: CypherRequest, grant: AdminGrant, memory: MemoryDep) -> CypherRows:
    _require_neo4j(memory, "query")
    return CypherRows(rows=await memory.graph.cypher(body.query, body.params))


def _require_neo4j(memory: AsyncMemory, field: str) -> None:
    if memory.config.graph_store != "neo4j":
        raise NotSupported(
            "Cypher needs the Neo4j graph store (graph_store='neo4j'); in memory mode read "
            "GET /v1/entities and GET /v1/graph/subgraph",
            field=field,
        )
