"""Free Cypher from people and tools, on the Neo4j store: read-only and bounded (SPEC §7).

Free Cypher reads the whole graph, every tenant's partition: nothing in query text or in
the rows it returns can confine it to one scope (a scalar, a count, a list or a map carries
another tenant's data as well as a node does, and proving a query touches only one scope's
nodes would need a full Cypher analysis; Neo4j Community has no row-level security). So
graphmem runs it for unscoped callers only (the library without a scope, admin API keys);
scoped callers run the saved queries of `saved_queries`.

The query must be read-only by Neo4j's own plan (`EXPLAIN` gives query type "r"), runs in
a read transaction with a timeout, and at most `MAX_ROWS` rows come back as plain
JSON-ready data.
"""

from __future__ import annotations

from typing import Any

import neo4j

from graphmem.stores.graph.neo4j_store import Neo4jGraphStore

MAX_ROWS = 1000
TIMEOUT_SECONDS = 10.0


def read_only_cypher(
    store: Neo4jGraphStore, query: str, parameters: dict[str, Any]
) -> list[dict[str, Any]]:
    """Rows of a read-only Cypher query over the whole graph.

    Raises:
        InvalidInput: the query writes or does not compile.
    """
    store.check_read_only(query, parameters)
    return read_rows(store, query, parameters)


def read_rows(
    store: Neo4jGraphStore, query: str, parameters: dict[str, Any]
) -> list[dict[str, Any]]:
    """At most `MAX_ROWS` rows of `query`, run in a read transaction with a timeout."""
    rows = store.run_read(query, parameters, MAX_ROWS, TIMEOUT_SECONDS)
    return [_plain(row) for row in rows]


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
