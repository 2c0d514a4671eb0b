"""The Neo4j GraphStore: a plain typed property graph, `(:Entity:Person)-[:WORKS_AT]->(...)`.

Every statement comes from `cypher/*.cypher` by name, values are always parameters, and
labels and relationship types are Cypher 5.26 dynamic labels checked against strict
patterns first. Writes run in one write transaction per `apply` (batched with UNWIND);
reads run in read transactions.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from graphmem.errors import GraphMemError, InvalidInput, StoreUnavailable
from graphmem.models.naming import entity_key
from graphmem.models.records import Entity, Relation
from graphmem.models.scope import Partition, Scope
from graphmem.stores.graph.base import (
    Direction,
    GraphCounts,
    GraphSchema,
    GraphWrite,
    visible,
)
from graphmem.stores.graph.cypher_files import cypher, cypher_statements
from graphmem.stores.graph.neo4j_records import (
    entity_from,
    entity_row,
    partition_key,
    relation_from,
    relation_row,
)

logger = logging.getLogger(__name__)

Result = TypeVar("Result")
SCHEMA_TTL_SECONDS = 300.0


class Neo4jGraphStore:
    """GraphStore on a Neo4j 5.26 server through the official driver.

    Example:
        >>> # store = Neo4jGraphStore("bolt://127.0.0.1:7687", ("neo4j", "graphmem"))
        >>> # store.counts().entities
    """

    def __init__(self, uri: str, auth: tuple[str, str], *, database: str = "neo4j") -> None:
        self._database = database
        self._schemas: dict[tuple[str | None, ...], tuple[float, GraphSchema]] = {}
        self._schema_lock = threading.Lock()
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                # Unset properties are not stored, so "property key does not exist" (for
                # `invalidated_at` before any relation ends) is expected, not a warning.
                notifications_disabled_classifications=[
                    neo4j.NotificationDisabledClassification.UNRECOGNIZED
                ],
            )
            self._driver.verify_connectivity()
            for statement in cypher_statements("schema"):
                self._driver.execute_query(statement, database_=database)
        except (Neo4jError, ServiceUnavailable, OSError, ValueError) as exc:
            raise StoreUnavailable(f"cannot use Neo4j at {uri}: {exc}") from exc

    # -- plumbing -----------------------------------------------------------------------

    def _read(self, work: Callable[[neo4j.ManagedTransaction], Result]) -> Result:
        return self._run(lambda session: session.execute_read(work))

    def _write(self, work: Callable[[neo4j.ManagedTransaction], Result]) -> Result:
        return self._run(lambda session: session.execute_write(work))

    def _run(self, action: Callable[[neo4j.Session], Result]) -> Result:
        try:
            with self._driver.session(database=self._database) as session:
                return action(session)
        except GraphMemError:
            raise
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            raise StoreUnavailable(f"Neo4j call failed: {exc}") from exc

    def _records(self, name: str, **parameters: Any) -> list[neo4j.Record]:
        return self._read(lambda tx: list(tx.run(cypher(name), parameters)))

    # -- writes -------------------------------------------------------------------------

    def apply(self, write: GraphWrite) -> None:
        """Apply `write` in one transaction: all of it or none of it."""
        if write.is_empty():
            return
        entities = [entity_row(entity) for entity in write.entities]
        relations = [relation_row(relation) for relation in write.relations]
        deleted = [relation_row(relation) for relation in write.delete_relations]

        def work(tx: neo4j.ManagedTransaction) -> None:
            if deleted:
                tx.run(cypher("relations_delete"), relations=deleted).consume()
            if write.delete_entity_ids:
                tx.run(cypher("entities_delete"), ids=write.delete_entity_ids).consume()
            if entities:
                tx.run(cypher("entities_upsert"), entities=entities).consume()
            if relations:
                _check_ends(tx, relations)
                tx.run(cypher("relations_upsert"), relations=relations).consume()

        self._write(work)
        self._forget_schemas()

    # -- reads --------------------------------------------------------------------------

    def get_entities(self, entity_ids: Sequence[str]) -> list[Entity]:
        if not entity_ids:
            return []
        return [entity_from(r["e"]) for r in self._records("entities_by_id", ids=list(entity_ids))]

    def find_entities(self, partition: Partition, keys: Iterable[str]) -> list[Entity]:
        wanted = sorted({entity_key(key) for key in keys})
        if not wanted:
            return []
        rows = self._records("entities_by_key", partition_key=partition_key(partition), keys=wanted)
        return _unique(entity_from(r["e"]) for r in rows)

    def match_entities(self, scope: Scope, keys: Iterable[str]) -> list[Entity]:
        wanted = sorted({entity_key(key) for key in keys})
        if not wanted:
            return []
        rows = self._records("entities_matching", keys=wanted, **partition_params(scope))
        return _unique(entity_from(r["e"]) for r in rows)

    def list_entities(
        self, scope: Scope, *, entity_type: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[Entity]:
        rows = self._records(
            "entities_list",
            type=entity_type,
            limit=limit,
            offset=offset,
            **partition_params(scope),
        )
        return [entity_from(r["e"]) for r in rows]

    def get_relations(self, relation_ids: Sequence[str]) -> list[Relation]:
        if not relation_ids:
            return []
        return [relation_from(r) for r in self._records("relations_by_id", ids=list(relation_ids))]

    def find_relation(
        self, partition: Partition, source_id: str, relation_type: str, target_id: str
    ) -> Relation | None:
        rows = self._records(
            "relation_find",
            source_id=source_id,
            target_id=target_id,
            type=relation_type,
            partition_key=partition_key(partition),
        )
        return relation_from(rows[0]) if rows else None

    def find_relations(
        self, partition: Partition, triples: Sequence[tuple[str, str, str]]
    ) -> list[Relation]:
        if not triples:
            return []
        rows = self._records(
            "relations_find_many",
            triples=[{"source_id": s, "type": t, "target_id": o} for s, t, o in triples],
            partition_key=partition_key(partition),
        )
        return [relation_from(row) for row in rows]

    def relations_of(
        self,
        scope: Scope,
        entity_ids: Sequence[str],
        *,
        direction: Direction = "both",
        relation_types: Sequence[str] | None = None,
        as_of: date | None = None,
        include_history: bool = False,
    ) -> list[Relation]:
        if not entity_ids:
            return []
        rows = self._records(
            "relations_of",
            ids=list(entity_ids),
            outgoing=direction in ("out", "both"),
            incoming=direction in ("in", "both"),
            types=list(relation_types) if relation_types else None,
            **partition_params(scope),
        )
        found = {relation.id: relation for relation in map(relation_from, rows)}
        return [
            relation
            for relation in found.values()
            if (not scope.run_id or relation.run_id == scope.run_id)
            and visible(relation, as_of, include_history)
        ]

    def sample_relations(self, scope: Scope, per_type: int) -> dict[str, list[Relation]]:
        samples: dict[str, list[Relation]] = {}
        for row in self._records("relations_sample", per_type=per_type, **partition_params(scope)):
            samples.setdefault(row["type"], []).append(relation_from(row))
        return samples

    def degrees(self, entity_ids: Sequence[str]) -> dict[str, int]:
        if not entity_ids:
            return {}
        rows = self._records("degrees", ids=list(entity_ids))
        return {row["id"]: int(row["degree"]) for row in rows}

    def schema(self, scope: Scope) -> GraphSchema:
        """Types in use, cached for `SCHEMA_TTL_SECONDS` (and dropped on this store's writes)."""
        key = tuple(partition_params(scope).values())
        with self._schema_lock:
            cached = self._schemas.get(key)
            if cached is not None and time.monotonic() - cached[0] < SCHEMA_TTL_SECONDS:
                return cached[1]
        params = partition_params(scope)
        schema = GraphSchema(
            entity_types={
                row["type"]: row["count"] for row in self._records("schema_entity_types", **params)
            },
            relation_types={
                row["type"]: row["count"]
                for row in self._records("schema_relation_types", **params)
            },
        )
        with self._schema_lock:
            self._schemas[key] = (time.monotonic(), schema)
        return schema

    def counts(self, scope: Scope | None = None) -> GraphCounts:
        params = (
            partition_params(scope)
            if scope
            else {"user_id": None, "agent_id": None, "app_id": None}
        )
        row = self._records("counts", **params)[0]
        return GraphCounts(entities=int(row["entities"]), relations=int(row["relations"] or 0))

    def reset(self) -> None:
        self._run(lambda session: session.run(cypher("reset")).consume())
        self._forget_schemas()

    def close(self) -> None:
        self._driver.close()

    def check_read_only(self, query: str, parameters: dict[str, Any]) -> None:
        """Raise InvalidInput unless Neo4j plans `query` as read-only."""
        explain = f"EXPLAIN {query}"
        try:
            summary = self._run(lambda session: session.run(explain, parameters).consume())
        except StoreUnavailable as exc:
            raise InvalidInput(f"the Cypher query does not compile: {exc}", field="query") from exc
        if summary.query_type != "r":
            raise InvalidInput(
                f"only read-only Cypher may run here (this one is {summary.query_type!r})",
                field="query",
            )

    def run_read(
        self, query: str, parameters: dict[str, Any], limit: int, timeout: float
    ) -> list[dict[str, Any]]:
        """Rows of `query` (at most `limit`) in a read transaction with a timeout."""

        @neo4j.unit_of_work(timeout=timeout)
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            result = tx.run(query, parameters)
            return [dict(record) for record in itertools.islice(result, limit)]

        return self._read(work)

    def _forget_schemas(self) -> None:
        with self._schema_lock:
            self._schemas.clear()


def partition_params(scope: Scope) -> dict[str, str | None]:
    return {"user_id": scope.user_id, "agent_id": scope.agent_id, "app_id": scope.app_id}


def _check_ends(tx: neo4j.ManagedTransaction, relations: list[dict[str, Any]]) -> None:
    """Fail the transaction if a relation points to a missing entity or crosses scopes."""
    ids = sorted({r[end] for r in relations for end in ("source_id", "target_id")})
    found = {
        row["e"]["id"]: row["e"]["partition_key"]
        for row in tx.run(cypher("entities_by_id"), ids=ids)
    }
    for relation in relations:
        ends = [found.get(relation["source_id"]), found.get(relation["target_id"])]
        if None in ends:
            raise InvalidInput(f"relation {relation['id']} points to an unknown entity")
        if ends[0] != ends[1] or ends[0] != _relation_partition_key(relation):
            raise InvalidInput(f"relation {relation['id']} crosses scopes")


def _relation_partition_key(relation: dict[str, Any]) -> str:
    properties = relation["properties"]
    return partition_key(
        Partition(properties["user_id"], properties["agent_id"], properties["app_id"])
    )


def _unique(entities: Iterable[Entity]) -> list[Entity]:
    return list({entity.id: entity for entity in entities}.values())
