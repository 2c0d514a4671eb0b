"""Track graph changes with their previous state, to apply them and to undo them."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphmem.models.records import Entity, Relation
from graphmem.stores.graph.base import GraphWrite


@dataclass
class GraphChanges:
    """Entity and relation versions before and after a write (None = absent).

    Example:
        >>> changes = GraphChanges()
        >>> changes.forward().is_empty()
        True
    """

    entities_after: dict[str, Entity | None] = field(default_factory=dict)
    entities_before: dict[str, Entity | None] = field(default_factory=dict)
    relations_after: dict[str, Relation | None] = field(default_factory=dict)
    relations_before: dict[str, Relation | None] = field(default_factory=dict)

    def entity(self, entity: Entity) -> Entity:
        """The latest planned version of `entity` (itself if untouched)."""
        planned = self.entities_after.get(entity.id)
        return planned if planned is not None else entity

    def relation(self, relation: Relation) -> Relation:
        planned = self.relations_after.get(relation.id)
        return planned if planned is not None else relation

    def put_entity(self, entity: Entity, before: Entity | None) -> None:
        self.entities_before.setdefault(entity.id, before)
        self.entities_after[entity.id] = entity

    def delete_entity(self, before: Entity) -> None:
        self.entities_before.setdefault(before.id, before)
        self.entities_after[before.id] = None

    def put_relation(self, relation: Relation, before: Relation | None) -> None:
        self.relations_before.setdefault(relation.id, before)
        self.relations_after[relation.id] = relation

    def delete_relation(self, before: Relation) -> None:
        self.relations_before.setdefault(before.id, before)
        self.relations_after[before.id] = None

    def new_entities(self) -> list[Entity]:
        return [
            entity
            for entity_id, entity in self.entities_after.items()
            if entity is not None and self.entities_before.get(entity_id) is None
        ]

    def added_relations(self) -> list[Relation]:
        return [
            relation
            for relation_id, relation in self.relations_after.items()
            if relation is not None and self.relations_before.get(relation_id) is None
        ]

    def deleted_entity_ids(self) -> list[str]:
        return [
            entity_id
            for entity_id, entity in self.entities_after.items()
            if entity is None and self.entities_before.get(entity_id) is not None
        ]

    def forward(self) -> GraphWrite:
        return _write(self.entities_after, self.relations_after, self.relations_before)

    def backward(self) -> GraphWrite:
        return _write(self.entities_before, self.relations_before, self.relations_after)


def _write(
    entities: dict[str, Entity | None],
    relations: dict[str, Relation | None],
    relations_otherwise: dict[str, Relation | None],
) -> GraphWrite:
    """The write that makes the store hold `entities` and `relations` (None: absent);
    `relations_otherwise` is the other side's state, which locates relations to delete."""
    return GraphWrite(
        entities=[entity for entity in entities.values() if entity is not None],
        relations=[relation for relation in relations.values() if relation is not None],
        delete_entity_ids=[key for key, entity in entities.items() if entity is None],
        delete_relations=[
            gone
            for key, relation in relations.items()
            if relation is None and (gone := relations_otherwise[key]) is not None
        ],
    )
