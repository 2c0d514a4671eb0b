"""Plan relations: each triple of an add becomes a stored relation found again, a new one,
or the ending of one.

A relation with the same source, type and target gains provenance (the memory stating
it) instead of a twin; one imported as already ended is found by a stable id. Single-valued
types end their old values ("out": the source's other homes; "in": the target's other
CEOs), a stated ending ("X left Y") ends its relation, and the reconcile step's conflicts
end the stored relation they name: invalidated, never deleted. `AddPlanner` hands each
triple over with the memory it came from and its resolved ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from graphmem.memory.write.entity_planner import EntityPlanner
from graphmem.memory.write.plan import WritePlan
from graphmem.models.cardinality import End, SingleValued
from graphmem.models.extraction import Extraction, RelationDraft
from graphmem.models.reconcile import Conflict
from graphmem.models.records import Entity, MemoryRecord, Relation, ended_relation_id
from graphmem.models.scope import Partition, Scope
from graphmem.stores.graph.base import GraphStore

RelationKey = tuple[Partition, str, str, str]


@dataclass(frozen=True)
class Statement:
    """One triple as one memory states it, its ends resolved to entities."""

    draft: RelationDraft
    memory: MemoryRecord
    source: Entity
    target: Entity
    scope: Scope

    @property
    def key(self) -> RelationKey:
        """Where the current relation it states is found: its partition, ends and type."""
        return (self.scope.partition(), self.source.id, self.draft.relationship, self.target.id)


class RelationPlanner:
    """Plans relations into `plan`; reads the graph, writes nothing.

    Example:
        >>> # relations = RelationPlanner(plan, graph, now, single_valued)
        >>> # relations.prefetch(batch, entities)
        >>> # relations.add(Statement(draft, memory, source, target, scope))
    """

    def __init__(
        self, plan: WritePlan, graph: GraphStore, now: datetime, single_valued: SingleValued
    ) -> None:
        self._plan = plan
        self._graph = graph
        self._now = now
        self._single_valued = single_valued
        self._relations: dict[RelationKey, Relation] = {}
        self._looked_up: set[RelationKey] = set()

    def prefetch(self, batch: Sequence[tuple[Extraction, Scope]], entities: EntityPlanner) -> None:
        """Look up at once the stored relations the batch's triples may repeat (their ends
        as `entities` knows them)."""
        triples: dict[Partition, set[tuple[str, str, str]]] = {}
        for extraction, scope in batch:
            partition = scope.partition()
            for draft in extraction.relations:
                sources = entities.named(partition, draft.source)
                targets = entities.named(partition, draft.target)
                triples.setdefault(partition, set()).update(
                    (s, draft.relationship, t) for s in sources for t in targets
                )
        for partition, wanted in triples.items():
            self._looked_up.update((partition, *triple) for triple in wanted)
            for relation in self._graph.find_relations(partition, sorted(wanted)):
                self._relations.setdefault(_key_of(relation), relation)

    def add(self, stated: Statement) -> None:
        """Plan one triple as its memory states it, and link the memory to it."""
        ends = [stated.source.id, stated.target.id]
        if stated.draft.ends:
            ended = self._end_relation(stated)
            self._plan.link(stated.memory, ends, ended.id if ended else None, self._now)
            return
        relation = self._plan_relation(stated)
        self._plan.link(stated.memory, ends, relation.id, self._now)
        if stated.draft.invalidated_at is not None:
            return  # imported as already ended: it ends nothing else
        for end in self._single_valued.ends(stated.draft):
            self._end_other_values(relation, end, stated.memory, stated.scope)

    def _known(self, stated: Statement) -> Relation | None:
        """The planned or stored relation `stated` names that graphmem has not invalidated."""
        key = stated.key
        existing = self._relations.get(key)
        if (
            existing is None
            and key not in self._looked_up
            and not self._is_new(stated.source.id, stated.target.id)
        ):
            stored = self._graph.find_relation(*key)
            existing = self._plan.graph.relation(stored) if stored else None
        return existing if existing is not None and existing.invalidated_at is None else None

    def invalidate(self, relation: Relation, memory: MemoryRecord, ends_on: date) -> None:
        """End `relation` because of `memory`, which joins its provenance and so lists it:
        deleting that memory later takes it out of the relation's provenance again."""
        before = self._plan.graph.relations_before.get(relation.id, relation)
        ended = _ended(relation, memory, self._now, ends_on)
        self._plan.graph.put_relation(ended, before)
        self._plan.link(memory, [], relation.id, self._now)
        self._relations[_key_of(ended)] = ended
        self._plan.invalidated.append(ended)
        self._plan.log(
            relation.id,
            "INVALIDATE",
            self._now,
            old_memory=relation.fact,
            new_memory=memory.memory,
            target="relation",
        )

    def _end_relation(self, stated: Statement) -> Relation | None:
        """ "X left Y": end the relation X -type-> Y if it holds (never delete it)."""
        known = self._known(stated)
        if known is None or not known.current:
            return None
        self.invalidate(known, stated.memory, stated.draft.valid_to or self._now.date())
        return known

    def _end_other_values(
        self, relation: Relation, end: End, memory: MemoryRecord, scope: Scope
    ) -> None:
        """A single-valued type: the new relation ends the others at its `end` ("out": the
        source's other homes or spouses; "in": the target's other CEOs)."""
        anchor, value = (
            (relation.source_id, relation.target_id)
            if end == "out"
            else (relation.target_id, relation.source_id)
        )
        stored = []
        if not self._is_new(anchor):
            stored = self._graph.relations_of(
                scope.without_run(), [anchor], direction=end, relation_types=[relation.type]
            )
        at = 1 if end == "out" else 3  # where the anchor sits in a RelationKey
        planned = [
            r for k, r in self._relations.items() if k[2] == relation.type and k[at] == anchor
        ]
        ends_on = relation.valid_from or self._now.date()
        for other in {r.id: self._plan.graph.relation(r) for r in [*stored, *planned]}.values():
            other_value = other.target_id if end == "out" else other.source_id
            if other_value != value and other.current:
                self.invalidate(other, memory, ends_on)

    def end_conflict(self, conflict: Conflict, memory: MemoryRecord) -> None:
        """INVALIDATE from the reconcile step: the new relation (stated by `memory`) ends
        the stored one."""
        relation = self._plan.graph.relation(conflict.relation)
        if relation.current:
            self.invalidate(relation, memory, conflict.draft.valid_from or self._now.date())

    def _is_new(self, *entity_ids: str) -> bool:
        """Whether any of the entities is created by this plan (so has no stored relations)."""
        before = self._plan.graph.entities_before
        return any(entity_id in before and before[entity_id] is None for entity_id in entity_ids)

    def _plan_relation(self, stated: Statement) -> Relation:
        """The relation stated, found again or new, with its memory among its sources.

        A current relation is found by its ends and type. One given as already ended (an
        exported one, imported again) is found by a stable id, so importing it twice
        stores it once; it is never cached under its key, which names the current one.
        """
        draft, memory, source, target = stated.draft, stated.memory, stated.source, stated.target
        ended_id = (
            ended_relation_id(source.id, draft.relationship, target.id, draft.invalidated_at)
            if draft.invalidated_at is not None
            else None
        )
        existing = self._known(stated) if ended_id is None else self._by_id(ended_id)
        if existing is None:
            existing = Relation(
                **({"id": ended_id} if ended_id else {}),
                source_id=source.id,
                target_id=target.id,
                type=draft.relationship,
                fact=draft.fact or memory.memory,
                memory_ids=[memory.id],
                valid_from=draft.valid_from,
                valid_to=draft.valid_to,
                created_at=self._now,
                invalidated_at=draft.invalidated_at,
                **stated.scope.ids(),
            )
            self._plan.graph.put_relation(existing, None)
            self._plan.log(
                existing.id,
                "ADD",
                self._now,
                new_memory=f"{draft.source} {existing.type} {draft.target}: {existing.fact}",
                target="relation",
            )
        elif memory.id not in existing.memory_ids:
            stored_version = self._plan.graph.relations_before.get(existing.id, existing)
            existing = existing.model_copy(update={"memory_ids": [*existing.memory_ids, memory.id]})
            self._plan.graph.put_relation(existing, stored_version)
        if ended_id is None:
            self._relations[stated.key] = existing
        return existing

    def _by_id(self, relation_id: str) -> Relation | None:
        """The planned or stored relation with this id."""
        planned = self._plan.graph.relations_after.get(relation_id)
        return planned or next(iter(self._graph.get_relations([relation_id])), None)


def _key_of(relation: Relation) -> RelationKey:
    return (relation.partition(), relation.source_id, relation.type, relation.target_id)


def _ended(relation: Relation, memory: MemoryRecord, now: datetime, ends_on: date) -> Relation:
    """`relation` marked as no longer holding: valid until `ends_on`, invalidated `now`."""
    return relation.model_copy(
        update={
            "valid_to": relation.valid_to or ends_on,
            "invalidated_at": now,
            "memory_ids": list(dict.fromkeys([*relation.memory_ids, memory.id])),
        }
    )
