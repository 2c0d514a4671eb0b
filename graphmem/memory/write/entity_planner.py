"""Plan entities: each draft of an add becomes a stored entity found again, or a new one.

Within a partition a draft is found again by its normalised key or an alias, with a
compatible type and a casing its type allows (`models.identity`: the untyped "thief" is
not "Thief"); otherwise, when a `SimilarEntityFinder` is given, among the stored
look-alikes it fetched and the entities this plan created, by
`graphmem.resolution.match_entity` (legal suffixes, initialisms, person names, fuzzy and
vector evidence, with its guards against false merges). A found entity gains the draft's
other names as aliases.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from graphmem.memory.write.changes import GraphChanges
from graphmem.memory.write.similar_entities import SimilarEntities, SimilarEntityFinder
from graphmem.models.extraction import EntityDraft
from graphmem.models.identity import may_be_one_thing
from graphmem.models.naming import DEFAULT_ENTITY_TYPE, entity_key
from graphmem.models.records import Entity
from graphmem.models.scope import Partition, Scope
from graphmem.resolution import match_entity
from graphmem.stores.graph.base import GraphStore


class EntityPlanner:
    """Resolves entity drafts into `changes`; reads the graph, writes nothing.

    Example:
        >>> # entities = EntityPlanner(plan.graph, graph, now)
        >>> # entities.prefetch([(draft, scope)], similar=None)
        >>> # entity = entities.resolve(draft, scope.partition())
    """

    def __init__(self, changes: GraphChanges, graph: GraphStore, now: datetime) -> None:
        self._changes = changes
        self._graph = graph
        self._now = now
        self._by_key: dict[tuple[Partition, str], dict[str, Entity]] = {}
        self._similar = SimilarEntities()
        self._created: dict[Partition, list[Entity]] = {}

    def prefetch(
        self, drafts: Sequence[tuple[EntityDraft, Scope]], similar: SimilarEntityFinder | None
    ) -> None:
        """Look up at once, per partition, the entities the drafts' keys and aliases name,
        and (with `similar`) the look-alikes of drafts no key names."""
        keys: dict[Partition, set[str]] = {}
        for draft, scope in drafts:
            keys.setdefault(scope.partition(), set()).update(draft.all_keys())
        for partition, wanted in keys.items():
            for entity in self._graph.find_entities(partition, wanted):
                self._remember(entity)
        if similar is not None:
            unnamed = [(d, s) for d, s in drafts if not self._named(d, s.partition())]
            self._similar = similar.find(unnamed)

    def named(self, partition: Partition, name: str) -> dict[str, Entity]:
        """Known entities whose key or alias is `name`'s key, by id."""
        return self._by_key.get((partition, entity_key(name)), {})

    def resolve(self, draft: EntityDraft, partition: Partition) -> Entity:
        """The entity the draft names, updated with its names and type, or a new one."""
        match = self._find(draft, partition)
        if match is None:
            entity = Entity(
                name=draft.name,
                key=draft.key,
                type=draft.type,
                aliases=draft.aliases,
                created_at=self._now,
                updated_at=self._now,
                **partition.as_dict(),
            )
            self._changes.put_entity(entity, None)
            self._created.setdefault(partition, []).append(entity)
        else:
            stored = self._changes.entities_before.get(match.id, match)
            entity = _merge_draft(match, draft, self._now)
            self._changes.put_entity(entity, stored)
        self._remember(entity)
        return entity

    def _remember(self, entity: Entity) -> None:
        for key in entity.all_keys():
            self._by_key.setdefault((entity.partition(), key), {})[entity.id] = entity

    def _named(self, draft: EntityDraft, partition: Partition) -> list[Entity]:
        """Known entities (as planned so far) that share a name with the draft: a key of
        its name or aliases, written so that `identity.may_be_one_thing` allows it."""
        named: dict[str, Entity] = {}
        for key in draft.all_keys():
            named.update(self._by_key.get((partition, key), {}))
        current = (self._changes.entity(entity) for entity in named.values())
        return [entity for entity in current if _shares_a_name(draft, entity)]

    def _find(self, draft: EntityDraft, partition: Partition) -> Entity | None:
        """The entity a draft names: one that shares a name with it (same type first, then
        one written exactly as the draft, then the rest), else the look-alike
        `resolution.match_entity` accepts (stored, or new in this plan).

        Types are compatible when equal or when either is the generic `Entity`; a movie
        called "Romance" and the genre "Romance" stay two nodes, and so do the untyped
        film "Thief" and tag "thief" (see `models.identity`).
        """
        named = self._named(draft, partition)
        if named:
            return min(
                named,
                key=lambda e: (e.type != draft.type, draft.name not in (e.name, *e.aliases)),
            )
        if not self._similar.name_vectors:
            return None
        look_alikes = {
            e.id: self._changes.entity(e)
            for e in (*self._similar.for_draft(partition, draft), *self._created.get(partition, []))
        }
        match = match_entity(
            draft, list(look_alikes.values()), name_vectors=self._similar.name_vectors
        )
        return match.entity if match else None


def _shares_a_name(draft: EntityDraft, entity: Entity) -> bool:
    """Whether one of the draft's names and one of the entity's share a key and may be
    one thing, given the two types."""
    return any(
        entity_key(mine) == entity_key(theirs)
        and may_be_one_thing(mine, draft.type, theirs, entity.type)
        for mine in (draft.name, *draft.aliases)
        for theirs in (entity.name, *entity.aliases)
    )


def _merge_draft(entity: Entity, draft: EntityDraft, now: datetime) -> Entity:
    aliases = list(entity.aliases)
    known_keys = set(entity.all_keys())
    for alias in (draft.name, *draft.aliases):
        if entity_key(alias) not in known_keys:
            aliases.append(alias)
            known_keys.add(entity_key(alias))
    entity_type = draft.type if entity.type == DEFAULT_ENTITY_TYPE else entity.type
    return entity.model_copy(update={"aliases": aliases, "type": entity_type, "updated_at": now})
