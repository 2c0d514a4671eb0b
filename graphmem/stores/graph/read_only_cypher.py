"""Cypher from people and tools, on the Neo4j store: read-only, scoped, bounded (SPEC §7).

The query must be read-only by Neo4j's own plan (`EXPLAIN` gives query type "r") and must
use the parameters of the ids its scope sets (`$user_id`, `$agent_id`, `$app_id`), which
graphmem fills in and a caller cannot override. It runs in a read transaction with a
timeout; a row that returns a node or relationship of another scope is dropped; at most
`MAX_ROWS` rows come back, as plain JSON-ready data.
"""

from __future__ import annotations

from typing import Any

import neo4j

from graphmem.errors import InvalidInput
from graphmem.models.scope import Scope
from graphmem.stores.graph.neo4j_store import Neo4jGraphStore, partition_params

MAX_ROWS = 1000
TIMEOUT_SECONDS = 10.0


def read_only_cypher(
    store: Neo4jGraphStore, query: str, parameters: dict[str, Any], scope: Scope
) -> list[dict[str, Any]]:
    """Rows of a read-only, scoped Cypher query.

    Raises:
        InvalidInput: the query writes, ignores its scope, or does not compile.
    """
    scope_params = partition_params(scope)
    missing = [
        f"${name}" for name, value in scope_params.items() if value and f"${name}" not in query
    ]
    if missing:
        raise InvalidInput(
            f"scope the query with {', '.join(missing)}, "
            "e.g. MATCH (e:Entity {user_id: $user_id})",
            field="query",
        )
    params = {**parameters, **scope_params}
    store.check_read_only(query, params)
    rows = store.run_read(query, params, MAX_ROWS + 1, TIMEOUT_SECONDS)
    return [_plain(row) for row in rows if _in_scope(row, scope_params)][:MAX_ROWS]


def _in_scope(value: Any, scope_params: dict[str, str | None]) -> bool:
    if isinstance(value, neo4j.graph.Node | neo4j.graph.Relationship):
        properties = dict(value)
        return all(properties.get(name) == want for name, want in scope_params.items() if want)
    if isinstance(value, neo4j.graph.Path):
        parts = (*value.nodes, *value.relationships)
        return all(_in_scope(part, scope_params) for part in parts)
    if isinstance(value, dict):
        return all(_in_scope(item, scope_params) for item in value.values())
    if isinstance(value, list | tuple):
        return all(_in_scope(item, scope_params) for item in value)
    return True


def _plain(value: Any) -> Any:
    """Graph values as JSON-ready data, in graphmem's relation vocabulary."""
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **_plain(dict(value))}
    if isinstance(value, neo4j.graph.Relationship):
        source = dict(value.start_node or {}).get("id")
        target = dict(value.end_node or {}).get("id")
        return {
            "relationship": value.type,
            "source": source,
            "target": target,
            **_plain(dict(value)),
        }
    if isinstance(value, neo4j.graph.Path):
        return [_plain(relationship) for relationship in value.relationships]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
