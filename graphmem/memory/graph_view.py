"""`Memory.graph`: read the knowledge graph directly (entities, neighbours, subgraphs, Cypher)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from graphmem.errors import InvalidInput, NotFound, ScopeViolation
from graphmem.memory.arguments import check_as_of, check_limit
from graphmem.models.naming import normalize_relation_type
from graphmem.models.records import Entity, Relation
from graphmem.models.scope import Scope
from graphmem.stores.graph.base import Direction, GraphStore
from graphmem.stores.graph.saved_queries import saved_queries, saved_query

if TYPE_CHECKING:
    from graphmem.stores.graph.neo4j_store import Neo4jGraphStore

_DIRECTIONS = ("out", "in", "both")


class GraphView:
    """Entity-centric reads of one Memory's graph; all scoped but `cypher` (the whole graph).

    Example:
        >>> # m.graph.neighbors("Sarah Chen", user_id="alice")["edges"][0]["relationship"]
        >>> # 'WORKS_AT'
    """

    def __init__(self, graph: GraphStore) -> None:
        self._graph = graph

    def entities(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        app_id: str | None = None,
        entity_type: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Entities the scope sees, by name."""
        scope = Scope.of(user_id=user_id, agent_id=agent_id, app_id=app_id)
        if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
            raise InvalidInput("offset must be a non-negative integer", field="offset")
        entities = self._graph.list_entities(
            scope, entity_type=entity_type, limit=check_limit(limit), offset=offset
        )
        return [entity.to_dict() for entity in entities]

    def entity(self, entity: str, scope: Scope) -> Entity:
        """An entity of `scope` by id, name or alias; NotFound otherwise."""
        for found in self._graph.get_entities([entity]):
            if scope.matches_partition(found.partition()):
                return found
        matches = self._graph.match_entities(scope, [entity])
        if not matches:
            raise NotFound(f"no entity {entity!r} in this scope", field="entity")
        return matches[0]

    def neighbors(
        self,
        entity: str,
        relationship: str | None = None,
        direction: str = "both",
        depth: int = 1,
        as_of: str | date | None = None,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        app_id: str | None = None,
    ) -> dict[str, Any]:
        """Nodes and edges within `depth` hops (1-3) of an entity, optionally one type only."""
        scope = Scope.of(user_id=user_id, agent_id=agent_id, app_id=app_id)
        if direction not in _DIRECTIONS:
            raise InvalidInput(f"direction must be one of {_DIRECTIONS}", field="direction")
        if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= 3:
            raise InvalidInput("depth must be 1, 2 or 3", field="depth")
        types = [_relation_type(relationship)] if relationship else None
        start = self.entity(entity, scope)
        return self._expand(scope, [start], depth, direction, types, check_as_of(as_of))

    def subgraph(
        self,
        entity: str | None = None,
        *,
        depth: int = 1,
        limit: int = 200,
        user_id: str | None = None,
        agent_id: str | None = None,
        app_id: str | None = None,
    ) -> dict[str, Any]:
        """Around one entity (`depth` hops), or the scope's first `limit` entities."""
        scope = Scope.of(user_id=user_id, agent_id=agent_id, app_id=app_id)
        if entity is not None:
            return self.neighbors(
                entity, depth=depth, user_id=user_id, agent_id=agent_id, app_id=app_id
            )
        starts = self._graph.list_entities(scope, limit=check_limit(limit))
        return self._expand(scope, starts, 1, "both", None, None, limit=check_limit(limit))

    def cypher(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        app_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Run read-only Cypher over the whole graph, every scope's (Neo4j mode).

        Free Cypher cannot be confined to a scope (a scalar, a count or a list it returns
        carries another scope's data as well as a node does), so this is the unscoped,
        administrator's call: a call that names a scope is refused. Read one scope with
        `saved_query` (or `entities`, `neighbors`, `subgraph`). `$user_id` and the like are
        only what `params` says.

        Example:
            >>> # m.graph.cypher("MATCH (p:Person {user_id: $user_id})-[:WORKS_AT]->(o) "
            >>> #                "RETURN p.name AS person, o.name AS employer",
            >>> #                {"user_id": "alice"})

        Raises:
            ScopeViolation: a scope id was given (use `saved_query`).
            InvalidInput: not in Neo4j mode, or the query writes or does not compile.
        """
        named = [
            field
            for field, value in (("user_id", user_id), ("agent_id", agent_id), ("app_id", app_id))
            if value is not None
        ]
        if named:
            raise ScopeViolation(
                "free Cypher reads every scope and cannot be confined to one, so a scoped "
                "call may not run it: read one scope with graph.saved_query(name, params, "
                f"{named[0]}=...) (saved queries: {', '.join(sorted(saved_queries()))}) or "
                "graph.entities / neighbors / subgraph; call graph.cypher without a scope "
                "(values such as $user_id in params) to query the whole graph",
                field=named[0],
            )
        if not isinstance(query, str) or not query.strip():
            raise InvalidInput("query must be a non-empty Cypher string", field="query")
        if params is not None and not isinstance(params, dict):
            raise InvalidInput("params must be an object", field="params")
        store = self._neo4j("query")
        from graphmem.stores.graph.read_only_cypher import read_only_cypher  # the neo4j extra

        return read_only_cypher(store, query, dict(params or {}))

    def saved_queries(self) -> list[dict[str, Any]]:
        """The saved queries a scoped caller may run: `{"name", "description", "params"}`."""
        return [query.to_dict() for query in saved_queries().values()]

    def saved_query(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        app_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Rows of a saved query (`cypher/browser/<name>.cypher`) in one scope (Neo4j mode).

        Every node the query reads is in the scope's partition; graphmem sets `$user_id`,
        `$agent_id` and `$app_id` from the scope, and `params` gives only the query's own
        parameters (see `saved_queries`), as scalar values.

        Example:
            >>> # m.graph.saved_query("entity_history", {"name": "Sarah Chen"}, user_id="alice")

        Raises:
            NotFound: no saved query has that name.
            InvalidInput: no scope, not in Neo4j mode, or a parameter that is not the
                query's own or not a scalar.
        """
        scope = Scope.of(user_id=user_id, agent_id=agent_id, app_id=app_id)
        if params is not None and not isinstance(params, dict):
            raise InvalidInput("params must be an object", field="params")
        query = saved_query(name)
        parameters = query.bind(dict(params or {}), scope)
        store = self._neo4j("name")
        from graphmem.stores.graph.read_only_cypher import read_rows  # the neo4j extra

        return read_rows(store, query.statement, parameters)

    def _neo4j(self, field: str) -> Neo4jGraphStore:
        """The Neo4j store, or InvalidInput naming `field` in memory mode."""
        store: Neo4jGraphStore | None = None
        try:
            from graphmem.stores.graph.neo4j_store import Neo4jGraphStore  # the neo4j extra
        except ImportError:  # without the extra installed no store is a Neo4j one
            pass
        else:
            store = self._graph if isinstance(self._graph, Neo4jGraphStore) else None
        if store is None:
            raise InvalidInput(
                "Cypher needs the Neo4j graph store (graph_store='neo4j'); in memory mode "
                "read the graph with entities, neighbors and subgraph",
                field=field,
            )
        return store

    def _expand(
        self,
        scope: Scope,
        starts: list[Entity],
        depth: int,
        direction: str,
        types: list[str] | None,
        as_of: date | None,
        *,
        limit: int | None = None,
    ) -> dict[str, Any]:
        nodes = {entity.id: entity for entity in starts}
        edges: dict[str, Relation] = {}
        frontier = list(nodes)
        for _ in range(depth):
            relations = self._graph.relations_of(
                scope, frontier, direction=_direction(direction), relation_types=types, as_of=as_of
            )
            new_ids = []
            for relation in relations:
                edges[relation.id] = relation
                for end in (relation.source_id, relation.target_id):
                    if end not in nodes and (limit is None or len(nodes) < limit):
                        new_ids.append(end)
            for found in self._graph.get_entities(sorted(set(new_ids))):
                nodes[found.id] = found
            frontier = [i for i in dict.fromkeys(new_ids) if i in nodes]
            if not frontier:
                break
        names = {entity_id: entity.name for entity_id, entity in nodes.items()}
        kept = [r for r in edges.values() if r.source_id in nodes and r.target_id in nodes]
        return {
            "nodes": [entity.to_dict() for entity in nodes.values()],
            "edges": [relation.to_dict(names) for relation in kept],
        }


def _relation_type(relationship: str) -> str:
    try:
        return normalize_relation_type(relationship)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="relationship") from exc


def _direction(direction: str) -> Direction:
    return "out" if direction == "out" else "in" if direction == "in" else "both"
