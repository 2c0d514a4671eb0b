"""The memory-mode GraphStore: one networkx MultiDiGraph per partition, kept in a GraphFile.

Nodes carry an `Entity`, edges (keyed by relation id) a `Relation`. An in-memory index maps
ids to partitions and name/alias keys to entities. `apply` mutates memory, writes the rows
of the records it touched in one SQLite transaction, and restores the previous state in
memory if that write fails, so memory and disk move together.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import networkx as nx

from graphmem.errors import InvalidInput, StoreUnavailable
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
from graphmem.stores.graph.persistence import GraphChange, GraphFile
from graphmem.stores.heap import loading_long_lived, share_fields_set

logger = logging.getLogger(__name__)

GRAPH_FILE = "graph.sqlite"


@dataclass
class _Touched:
    """Ids of records whose rows may differ from memory, to write from memory's state.

    Ordered dicts, not sets: rows are written, and so reloaded, in the order records came.
    """

    entity_ids: dict[str, None] = field(default_factory=dict)
    relation_ids: dict[str, None] = field(default_factory=dict)

    def add(self, other: _Touched) -> None:
        self.entity_ids.update(other.entity_ids)
        self.relation_ids.update(other.relation_ids)

    def __len__(self) -> int:
        return len(self.entity_ids) + len(self.relation_ids)


_Before = tuple[list[Entity], list[Relation], list[str], list[str]]


class NetworkxGraphStore:
    """GraphStore in process memory, each write's rows kept in `folder/graph.sqlite`.

    Opening reads the file once (older `partition-*.json` snapshots are migrated first).

    Example:
        >>> store = NetworkxGraphStore(Path("/tmp/graphmem-doc/graph"))
        >>> store.counts().entities >= 0
        True
    """

    def __init__(self, folder: Path) -> None:
        self._lock = threading.RLock()
        self._graphs: dict[Partition, nx.MultiDiGraph] = {}
        self._entity_partition: dict[str, Partition] = {}
        self._relation_ends: dict[str, tuple[Partition, str, str]] = {}
        self._keys: dict[Partition, dict[str, set[str]]] = {}
        self._entity_types: dict[Partition, Counter[str]] = {}
        self._relation_types: dict[Partition, Counter[str]] = {}
        self._unsaved = _Touched()
        self._file = GraphFile(folder / GRAPH_FILE)
        try:
            with loading_long_lived():
                self._load()
        except BaseException:
            self._file.close()
            raise

    # -- writes -------------------------------------------------------------------------

    def apply(self, write: GraphWrite) -> None:
        """Apply `write` in memory and on disk (one transaction), all or nothing."""
        if write.is_empty():
            return
        with self._lock:
            self._check(write)
            touched = self._touched(write)
            before = self._capture(touched)
            try:
                self._mutate(write)
                self._persist(touched)
            except Exception as exc:
                self._restore(before)
                raise StoreUnavailable(f"graph write failed and was undone: {exc}") from exc

    def _check(self, write: GraphWrite) -> None:
        incoming = {entity.id: entity.partition() for entity in write.entities}
        for entity in write.entities:
            known = self._entity_partition.get(entity.id)
            if known is not None and known != entity.partition():
                raise InvalidInput(f"entity {entity.id} cannot move between scopes")
        deleted = set(write.delete_entity_ids)
        for relation in write.relations:
            for end in (relation.source_id, relation.target_id):
                partition = incoming.get(end) or self._entity_partition.get(end)
                if partition is None or end in deleted:
                    raise InvalidInput(f"relation {relation.id} points to unknown entity {end}")
                if partition != relation.partition():
                    raise InvalidInput(f"relation {relation.id} crosses scopes")

    def _touched(self, write: GraphWrite) -> _Touched:
        """Every record `write` may change, the relations of deleted entities included."""
        entity_ids = dict.fromkeys([e.id for e in write.entities] + write.delete_entity_ids)
        relation_ids = dict.fromkeys(
            [r.id for r in write.relations] + [r.id for r in write.delete_relations]
        )
        for entity_id in write.delete_entity_ids:
            relation_ids.update(dict.fromkeys(r.id for r in self._edges_of(entity_id)))
        return _Touched(entity_ids, relation_ids)

    def _capture(self, touched: _Touched) -> _Before:
        old_entities = self.get_entities(sorted(touched.entity_ids))
        old_relations = self.get_relations(sorted(touched.relation_ids))
        new_entities = sorted(touched.entity_ids.keys() - {e.id for e in old_entities})
        new_relations = sorted(touched.relation_ids.keys() - {r.id for r in old_relations})
        return old_entities, old_relations, new_entities, new_relations

    def _restore(self, before: _Before) -> None:
        old_entities, old_relations, new_entities, new_relations = before
        for relation_id in new_relations:
            self._drop_relation(relation_id)
        for entity_id in new_entities:
            self._drop_entity(entity_id)
        for entity in old_entities:
            self._put_entity(entity)
        for relation in old_relations:
            self._put_relation(relation)

    def _mutate(self, write: GraphWrite) -> None:
        for relation in write.delete_relations:
            self._drop_relation(relation.id)
        for entity_id in write.delete_entity_ids:
            self._drop_entity(entity_id)
        for entity in write.entities:
            self._put_entity(entity)
        for relation in write.relations:
            self._put_relation(relation)

    def _persist(self, touched: _Touched) -> None:
        self._unsaved.add(touched)
        self._flush()

    def _flush(self) -> None:
        """Write every unsaved record's current state in one transaction (gone: deleted).

        On failure the ids stay unsaved, so the next flush writes them again.
        """
        if not self._unsaved:
            return
        unsaved = self._unsaved
        entities = self.get_entities(list(unsaved.entity_ids))
        relations = self.get_relations(list(unsaved.relation_ids))
        self._file.write(
            GraphChange(
                entities=entities,
                relations=relations,
                deleted_entity_ids=sorted(unsaved.entity_ids.keys() - {e.id for e in entities}),
                deleted_relation_ids=sorted(
                    unsaved.relation_ids.keys() - {r.id for r in relations}
                ),
            )
        )
        self._unsaved = _Touched()

    def _graph(self, partition: Partition) -> nx.MultiDiGraph:
        graph = self._graphs.get(partition)
        if graph is None:
            graph = self._graphs[partition] = nx.MultiDiGraph()
            self._keys[partition] = {}
            self._entity_types[partition] = Counter()
            self._relation_types[partition] = Counter()
        return graph

    def _load(self) -> None:
        """Fill the empty store from the file. Every record is new and its ends are
        loaded before it, so it goes straight in: no old copy to replace."""
        for entity in self._file.entities():
            self._index_entity(entity, entity.partition())
        for relation in self._file.relations():
            self._index_relation(relation, relation.partition())

    def _put_entity(self, entity: Entity) -> None:
        partition = entity.partition()
        graph = self._graph(partition)
        if entity.id in graph:
            self._unindex_entity(partition, graph.nodes[entity.id]["entity"])
        self._index_entity(entity, partition)

    def _index_entity(self, entity: Entity, partition: Partition) -> None:
        share_fields_set(entity)
        self._graph(partition).add_node(entity.id, entity=entity)
        self._entity_partition[entity.id] = partition
        keys = self._keys[partition]
        for key in entity.all_keys():
            keys.setdefault(key, set()).add(entity.id)
        self._entity_types[partition][entity.type] += 1

    def _unindex_entity(self, partition: Partition, entity: Entity) -> None:
        self._entity_types[partition][entity.type] -= 1
        keys = self._keys[partition]
        for key in entity.all_keys():
            ids = keys.get(key)
            if ids is not None:
                ids.discard(entity.id)
                if not ids:
                    del keys[key]

    def _drop_entity(self, entity_id: str) -> None:
        for relation in self._edges_of(entity_id):
            self._drop_relation(relation.id)
        partition = self._entity_partition.pop(entity_id, None)
        if partition is None:
            return
        graph = self._graphs[partition]
        self._unindex_entity(partition, graph.nodes[entity_id]["entity"])
        graph.remove_node(entity_id)

    def _put_relation(self, relation: Relation) -> None:
        self._drop_relation(relation.id)
        self._index_relation(relation, relation.partition())

    def _index_relation(self, relation: Relation, partition: Partition) -> None:
        share_fields_set(relation)
        graph = self._graph(partition)
        graph.add_edge(relation.source_id, relation.target_id, key=relation.id, relation=relation)
        self._relation_ends[relation.id] = (partition, relation.source_id, relation.target_id)
        self._relation_types[partition][relation.type] += 1

    def _drop_relation(self, relation_id: str) -> None:
        ends = self._relation_ends.pop(relation_id, None)
        if ends is not None:
            partition, source, target = ends
            graph = self._graphs[partition]
            self._relation_types[partition][
                graph.edges[source, target, relation_id]["relation"].type
            ] -= 1
            graph.remove_edge(source, target, key=relation_id)

    # -- reads --------------------------------------------------------------------------

    def get_entities(self, entity_ids: Sequence[str]) -> list[Entity]:
        with self._lock:
            found = []
            for entity_id in entity_ids:
                partition = self._entity_partition.get(entity_id)
                if partition is not None:
                    found.append(self._graphs[partition].nodes[entity_id]["entity"])
            return found

    def find_entities(self, partition: Partition, keys: Iterable[str]) -> list[Entity]:
        with self._lock:
            return self._entities_with_keys([partition], keys)

    def match_entities(self, scope: Scope, keys: Iterable[str]) -> list[Entity]:
        with self._lock:
            partitions = [p for p in self._graphs if scope.matches_partition(p)]
            return self._entities_with_keys(partitions, keys)

    def _entities_with_keys(self, partitions: list[Partition], keys: Iterable[str]) -> list[Entity]:
        wanted = {entity_key(key) for key in keys}
        ids: set[str] = set()
        for partition in partitions:
            index = self._keys.get(partition, {})
            for key in wanted:
                ids |= index.get(key, set())
        return self.get_entities(sorted(ids))

    def list_entities(
        self, scope: Scope, *, entity_type: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[Entity]:
        with self._lock:
            entities = [
                data["entity"]
                for partition, graph in self._graphs.items()
                if scope.matches_partition(partition)
                for _, data in graph.nodes(data=True)
                if entity_type is None or data["entity"].type == entity_type
            ]
        entities.sort(key=lambda entity: (entity.name.casefold(), entity.id))
        return entities[offset : offset + limit]

    def get_relations(self, relation_ids: Sequence[str]) -> list[Relation]:
        with self._lock:
            found = []
            for relation_id in relation_ids:
                ends = self._relation_ends.get(relation_id)
                if ends is not None:
                    partition, source, target = ends
                    edge = self._graphs[partition].edges[source, target, relation_id]
                    found.append(edge["relation"])
            return found

    def find_relation(
        self, partition: Partition, source_id: str, relation_type: str, target_id: str
    ) -> Relation | None:
        with self._lock:
            graph = self._graphs.get(partition)
            if graph is None or not graph.has_edge(source_id, target_id):
                return None
            for data in graph.get_edge_data(source_id, target_id).values():
                relation: Relation = data["relation"]
                if relation.type == relation_type and relation.invalidated_at is None:
                    return relation
            return None

    def find_relations(
        self, partition: Partition, triples: Sequence[tuple[str, str, str]]
    ) -> list[Relation]:
        found = (self.find_relation(partition, s, t, o) for s, t, o in triples)
        return [relation for relation in found if relation is not None]

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
        wanted_types = set(relation_types) if relation_types else None
        with self._lock:
            found: dict[str, Relation] = {}
            for entity_id in entity_ids:
                partition = self._entity_partition.get(entity_id)
                if partition is None or not scope.matches_partition(partition):
                    continue
                for relation in self._edges_of(entity_id, direction):
                    if wanted_types is not None and relation.type not in wanted_types:
                        continue
                    if scope.run_id and relation.run_id != scope.run_id:
                        continue
                    if visible(relation, as_of, include_history):
                        found[relation.id] = relation
            return list(found.values())

    def _edges_of(self, entity_id: str, direction: Direction = "both") -> list[Relation]:
        partition = self._entity_partition.get(entity_id)
        if partition is None:
            return []
        graph = self._graphs[partition]
        # The adjacency dicts themselves: networkx's edge views cost ~5x more per edge,
        # and traversal reads millions of edges.
        sides = []
        if direction in ("out", "both"):
            sides.append(graph._succ[entity_id])
        if direction in ("in", "both"):
            sides.append(graph._pred[entity_id])
        return [
            data["relation"] for side in sides for keyed in side.values() for data in keyed.values()
        ]

    def sample_relations(self, scope: Scope, per_type: int) -> dict[str, list[Relation]]:
        with self._lock:
            wanted = {
                relation_type
                for partition in self._graphs
                if scope.matches_partition(partition)
                for relation_type, count in self._relation_types[partition].items()
                if count > 0
            }
            samples: dict[str, list[Relation]] = {t: [] for t in wanted}
            for partition, graph in self._graphs.items():
                if not scope.matches_partition(partition):
                    continue
                for *_, data in graph.edges(keys=True, data=True):
                    relation: Relation = data["relation"]
                    found = samples[relation.type]
                    if len(found) < per_type and relation.current:
                        found.append(relation)
                        if all(len(s) >= per_type for s in samples.values()):
                            return samples
            return samples

    def degrees(self, entity_ids: Sequence[str]) -> dict[str, int]:
        with self._lock:
            return {
                entity_id: int(self._graphs[partition].degree(entity_id))
                for entity_id in entity_ids
                if (partition := self._entity_partition.get(entity_id)) is not None
            }

    def schema(self, scope: Scope) -> GraphSchema:
        with self._lock:
            entity_types: Counter[str] = Counter()
            relation_types: Counter[str] = Counter()
            for partition in self._graphs:
                if scope.matches_partition(partition):
                    entity_types.update(self._entity_types[partition])
                    relation_types.update(self._relation_types[partition])
            return GraphSchema(
                entity_types={name: n for name, n in entity_types.items() if n > 0},
                relation_types={name: n for name, n in relation_types.items() if n > 0},
            )

    def counts(self, scope: Scope | None = None) -> GraphCounts:
        with self._lock:
            graphs = [
                graph
                for partition, graph in self._graphs.items()
                if scope is None or scope.matches_partition(partition)
            ]
            return GraphCounts(
                entities=sum(graph.number_of_nodes() for graph in graphs),
                relations=sum(graph.number_of_edges() for graph in graphs),
            )

    def reset(self) -> None:
        """Delete everything: on disk first, so a failure leaves both as they were."""
        with self._lock:
            self._file.clear()
            self._graphs.clear()
            self._entity_partition.clear()
            self._relation_ends.clear()
            self._keys.clear()
            self._entity_types.clear()
            self._relation_types.clear()
            self._unsaved = _Touched()

    def close(self) -> None:
        """Write what a failed commit left unsaved, then close the file."""
        with self._lock:
            try:
                self._flush()
            finally:
                self._file.close()
