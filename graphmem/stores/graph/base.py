"""The GraphStore contract: what the networkx and Neo4j stores both do, tested by one suite.

Writes are whole-record upserts and deletes bundled in a `GraphWrite` applied atomically,
so the write path plans every change first and can undo it with the inverse write.
Reads always take a `Scope` and return only what that scope may see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

from graphmem.models.records import Entity, Relation
from graphmem.models.scope import Partition, Scope

Direction = Literal["out", "in", "both"]


@dataclass
class GraphWrite:
    """Changes applied together: upserts replace whole records, deletes remove by id.

    Deleting an entity also deletes the relations that touch it.
    """

    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    delete_entity_ids: list[str] = field(default_factory=list)
    delete_relations: list[Relation] = field(default_factory=list)
    """Relations to delete, as last stored (their ends locate them without a scan)."""

    def is_empty(self) -> bool:
        return not (
            self.entities or self.relations or self.delete_entity_ids or self.delete_relations
        )


@dataclass(frozen=True)
class TimeView:
    """Which relations a read sees: current ones (default), those that held on `as_of`, or
    every one, ended ones included, with `include_history`."""

    as_of: date | None = None
    include_history: bool = False


CURRENT = TimeView()
"""The default view: relations that hold now."""


def visible(relation: Relation, as_of: date | None, include_history: bool) -> bool:
    """Whether a read shows `relation`: current ones by default, those that held on `as_of`,
    or every one with `include_history`."""
    if include_history:
        return True
    if as_of is not None:
        return relation.holds_on(as_of)
    return relation.current


@dataclass(frozen=True)
class GraphCounts:
    entities: int
    relations: int


@dataclass(frozen=True)
class GraphSchema:
    """Which entity and relation types a scope's graph uses, and how often."""

    entity_types: dict[str, int]
    relation_types: dict[str, int]


class GraphStore(Protocol):
    """A typed property graph partitioned by scope (user, agent, app)."""

    def apply(self, write: GraphWrite) -> None:
        """Apply every change of `write` or none of them; raises StoreUnavailable on failure."""
        ...

    def get_entities(self, entity_ids: Sequence[str]) -> list[Entity]:
        """Entities by id, in no particular order; unknown ids are skipped."""
        ...

    def find_entities(self, partition: Partition, keys: Iterable[str]) -> list[Entity]:
        """Entities of exactly `partition` whose key or an alias key is in `keys`."""
        ...

    def match_entities(self, scope: Scope, keys: Iterable[str]) -> list[Entity]:
        """Entities visible to `scope` whose key or an alias key is in `keys` (for linking)."""
        ...

    def list_entities(
        self, scope: Scope, *, entity_type: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[Entity]:
        """Entities visible to `scope`, ordered by name, then id."""
        ...

    def get_relations(self, relation_ids: Sequence[str]) -> list[Relation]:
        """Relations by id (current or not); unknown ids are skipped."""
        ...

    def find_relation(
        self, partition: Partition, source_id: str, relation_type: str, target_id: str
    ) -> Relation | None:
        """The relation with this source, type and target in `partition` that graphmem has
        not invalidated (it may have ended in the world: `valid_to` in the past), if any."""
        ...

    def find_relations(
        self, partition: Partition, triples: Sequence[tuple[str, str, str]]
    ) -> list[Relation]:
        """`find_relation` for many (source id, type, target id) at once (bulk planning)."""
        ...

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
        """Relations touching `entity_ids`, visible to `scope`.

        Current relations only, unless `as_of` (those that held on that day) or
        `include_history` (all) say otherwise.
        """
        ...

    def sample_relations(self, scope: Scope, per_type: int) -> dict[str, list[Relation]]:
        """Up to `per_type` current relations of each type `scope` sees (to learn what
        each type's facts say)."""
        ...

    def degrees(self, entity_ids: Sequence[str]) -> dict[str, int]:
        """How many relations (current or not) touch each entity; unknown ids are left out."""
        ...

    def schema(self, scope: Scope) -> GraphSchema:
        """Entity and relation types visible to `scope` with their counts (for retrieval)."""
        ...

    def counts(self, scope: Scope | None = None) -> GraphCounts:
        """How many entities and relations `scope` sees (all when None)."""
        ...

    def reset(self) -> None:
        """Delete everything."""
        ...

    def close(self) -> None: ...
