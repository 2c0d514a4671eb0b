"""Plan adds: facts become memories, drafts become entities and relations of the graph.

Entities are resolved by `EntityPlanner` (keys, aliases, look-alikes). A relation with the
same source, type and target gains provenance instead of a twin; a fact already stored in
the same scope is `NONE`, not a second memory. Single-valued types end their old values
and stated endings end their relation: invalidated, never deleted. The reconcile step's
decisions, when there are any, say which facts UPDATE, DELETE or repeat (NONE) a stored
memory and which conflicting relations end. One `AddPlanner` can plan many records into
one `WritePlan` (bulk import): it indexes what it has planned so far, so two records
naming "Google" in one batch still make one node.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

from graphmem.memory.write.entity_planner import EntityPlanner
from graphmem.memory.write.plan import WritePlan
from graphmem.memory.write.similar_entities import SimilarEntityFinder
from graphmem.models.cardinality import NO_SINGLE_VALUED, End, SingleValued
from graphmem.models.extraction import Extraction, RelationDraft
from graphmem.models.naming import has_phrase
from graphmem.models.reconcile import Conflict, FactEvent, Reconciliation
from graphmem.models.records import (
    Entity,
    HistoryEvent,
    HistoryEventType,
    MemoryRecord,
    Relation,
    ended_relation_id,
    new_id,
    text_hash,
)
from graphmem.models.scope import Partition, Scope
from graphmem.stores.graph.base import GraphStore
from graphmem.stores.vector.base import VectorStore

RelationKey = tuple[Partition, str, str, str]


class AddPlanner:
    """Plans one or many adds into a single WritePlan; reads the stores, writes nothing.

    Args:
        batch: Every (extraction, scope) that will be planned: what they may repeat is
            looked up once, in one call per store and partition.
        similar: Finds stored look-alikes of entities no key or alias names, for
            `resolution.match_entity` to judge; None resolves by key and alias only (bulk
            import, whose records name their entities canonically).

    Example:
        >>> # planner = AddPlanner([(extraction, scope)], graph=g, vectors=v, now=utc_now())
        >>> # planner.add(extraction, scope, {}); apply_plan(planner.finish(), backends)
    """

    def __init__(
        self,
        batch: Sequence[tuple[Extraction, Scope]],
        *,
        graph: GraphStore,
        vectors: VectorStore,
        now: datetime,
        single_valued: SingleValued = NO_SINGLE_VALUED,
        similar: SimilarEntityFinder | None = None,
    ) -> None:
        self.plan = WritePlan()
        self._single_valued = single_valued
        self._graph = graph
        self._now = now
        self._stored: dict[str, MemoryRecord] = {}
        self._entities = EntityPlanner(self.plan.graph, graph, now)
        self._relations: dict[RelationKey, Relation] = {}
        self._looked_up: set[RelationKey] = set()
        self._prefetch(batch, vectors, similar)

    def _prefetch(
        self,
        batch: Sequence[tuple[Extraction, Scope]],
        vectors: VectorStore,
        similar: SimilarEntityFinder | None,
    ) -> None:
        ids = [
            MemoryRecord.id_of(fact, scope)
            for extraction, scope in batch
            for fact in extraction.facts
        ]
        self._stored.update({record.id: record for record in vectors.get_memories(ids)})
        self._entities.prefetch(
            [(draft, scope) for extraction, scope in batch for draft in extraction.entities],
            similar,
        )
        self._prefetch_relations(batch)

    def _prefetch_relations(self, batch: Sequence[tuple[Extraction, Scope]]) -> None:
        """Look up at once the stored relations the batch's triples may repeat."""
        triples: dict[Partition, set[tuple[str, str, str]]] = {}
        for extraction, scope in batch:
            partition = scope.partition()
            for draft in extraction.relations:
                sources = self._entities.named(partition, draft.source)
                targets = self._entities.named(partition, draft.target)
                triples.setdefault(partition, set()).update(
                    (s, draft.relationship, t) for s in sources for t in targets
                )
        for partition, wanted in triples.items():
            self._looked_up.update((partition, *triple) for triple in wanted)
            for relation in self._graph.find_relations(partition, sorted(wanted)):
                key = (partition, relation.source_id, relation.type, relation.target_id)
                self._relations.setdefault(key, relation)

    def add(
        self,
        extraction: Extraction,
        scope: Scope,
        metadata: dict[str, Any],
        decisions: Reconciliation | None = None,
        *,
        timestamp: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """Plan one record; returns its `results` rows (ADD / UPDATE / DELETE / NONE).

        `decisions` are the reconcile step's verdicts; without them every new fact is ADD
        (or NONE when already stored) and no conflict is ended but by rule. `timestamp`
        (when the record was said) goes on the memories it adds or updates; a repeated
        fact (NONE) keeps the one it has.
        """
        first_result = len(self.plan.results)
        decisions = decisions or Reconciliation()
        memories = self._plan_memories(extraction.facts, scope, metadata, decisions, timestamp)
        entities = [
            self._entities.resolve(draft, scope.partition()) for draft in extraction.entities
        ]
        for draft in extraction.relations:
            memory = _memory_for(draft, memories)
            source, target = (entities[end] for end in extraction.end_indexes(draft))
            if draft.ends:
                ended = self._end_relation(draft, memory, source, target, scope)
                self._link(memory, [source.id, target.id], ended.id if ended else None)
                continue
            relation = self._plan_relation(draft, memory, source, target, scope)
            self._link(memory, [source.id, target.id], relation.id)
            if draft.invalidated_at is not None:
                continue  # imported as already ended: it ends nothing else
            for end in self._single_valued.ends(draft):
                self._end_other_values(relation, end, memory, scope)
        for conflict in decisions.invalidate:
            self._end_conflict(conflict, memories)
        for memory in memories.values():
            mentioned = list(dict.fromkeys(e.id for e in entities if _mentions(memory.memory, e)))
            self._link(memory, mentioned, None)
        return self.plan.results[first_result:]

    def finish(self) -> WritePlan:
        """The plan with mention counts settled, and without new entities nothing mentions."""
        self._count_mentions()
        for entity in self.plan.graph.new_entities():
            if entity.mentions == 0:
                del self.plan.graph.entities_after[entity.id]
                del self.plan.graph.entities_before[entity.id]
        return self.plan

    # -- memories -----------------------------------------------------------------------

    def _plan_memories(
        self,
        facts: list[str],
        scope: Scope,
        metadata: dict[str, Any],
        decisions: Reconciliation,
        timestamp: datetime | None,
    ) -> dict[str, MemoryRecord]:
        memories: dict[str, MemoryRecord] = {}
        for fact in facts:
            decision = decisions.for_fact(fact)
            if decision.memory is not None and decision.event is FactEvent.UPDATE:
                memories[fact.casefold()] = self._update_memory(decision.memory, fact, timestamp)
                continue
            record = MemoryRecord.create(fact, scope, metadata, timestamp, now=self._now)
            same = self.plan.memory(record.id) or self._stored.get(record.id)
            if decision.memory is not None and decision.event is FactEvent.NONE:
                same = self.plan.memory(decision.memory.id) or decision.memory
            elif same is not None and same.hash != record.hash:
                record.id, same = new_id(), None  # that id now holds an updated text
            if same is not None:
                memories[fact.casefold()] = same
                self.plan.results.append({"id": same.id, "memory": same.memory, "event": "NONE"})
                continue
            memories[fact.casefold()] = record
            self.plan.put_memory(record, None)
            self.plan.results.append({"id": record.id, "memory": record.memory, "event": "ADD"})
            self._log(memory_id=record.id, event="ADD", new_memory=fact)
            if decision.memory is not None and decision.event is FactEvent.DELETE:
                self._delete_contradicted(decision.memory, record)
        return memories

    def _update_memory(
        self, stored: MemoryRecord, fact: str, timestamp: datetime | None
    ) -> MemoryRecord:
        """UPDATE: the stored memory takes the new fact's text (and keeps its id), and the
        time it was said, when given (else it keeps its own)."""
        current = self.plan.memory(stored.id) or stored
        changes: dict[str, Any] = {"memory": fact, "hash": text_hash(fact), "updated_at": self._now}
        if timestamp is not None:
            changes["timestamp"] = timestamp
        updated = current.model_copy(update=changes)
        self.plan.put_memory(updated, stored)
        self._log(memory_id=stored.id, event="UPDATE", old_memory=current.memory, new_memory=fact)
        self.plan.results.append(
            {"id": stored.id, "memory": fact, "event": "UPDATE", "previous_memory": current.memory}
        )
        return updated

    def _delete_contradicted(self, stored: MemoryRecord, because: MemoryRecord) -> None:
        """DELETE: a contradicted memory goes; relations only it supported are invalidated
        (by `because`), never deleted, so they stay readable with `include_history`."""
        self.plan.delete_memory(stored)
        self._log(
            memory_id=stored.id, event="DELETE", old_memory=stored.memory, new_memory=because.memory
        )
        self.plan.results.append({"id": stored.id, "memory": stored.memory, "event": "DELETE"})
        for relation in self._graph.get_relations(stored.relation_ids):
            planned = self.plan.graph.relation(relation)
            if planned.current and set(planned.memory_ids) <= {stored.id}:
                self._invalidate(planned, because, self._now.date())

    def _log(
        self,
        *,
        memory_id: str,
        event: HistoryEventType,
        old_memory: str | None = None,
        new_memory: str | None = None,
        target: Literal["memory", "relation"] = "memory",
    ) -> None:
        """One history line of this plan, stamped with its time."""
        self.plan.history.append(
            HistoryEvent(
                memory_id=memory_id,
                event=event,
                old_memory=old_memory,
                new_memory=new_memory,
                target=target,
                created_at=self._now,
            )
        )

    def _link(self, memory: MemoryRecord, entity_ids: list[str], relation_id: str | None) -> None:
        """Record on the memory which entities and relation it mentions."""
        current = self.plan.memory(memory.id) or memory
        new_entities = [i for i in entity_ids if i not in current.entity_ids]
        new_relation = relation_id is not None and relation_id not in current.relation_ids
        if not new_entities and not new_relation:
            return
        linked = current.model_copy(
            update={
                "entity_ids": [*current.entity_ids, *new_entities],
                "relation_ids": [*current.relation_ids, *([relation_id] if new_relation else [])],
            }
        )
        if memory.id in self.plan.memories_after:
            self.plan.memories_after[memory.id] = linked
        else:
            linked.updated_at = self._now
            self.plan.put_memory(linked, memory)

    def _count_mentions(self) -> None:
        """Each memory that newly mentions an entity adds one to its mention count; a
        memory deleted as contradicted takes its mentions away (its entities stay)."""
        delta: dict[str, int] = {}
        for memory_id, after in self.plan.memories_after.items():
            before = self.plan.memories_before.get(memory_id)
            old = set(before.entity_ids) if before else set()
            gained = set(after.entity_ids) - old if after else set()
            lost = old if after is None else set()
            for entity_id in gained | lost:
                delta[entity_id] = delta.get(entity_id, 0) + (1 if entity_id in gained else -1)
        unplanned = [i for i in delta if i not in self.plan.graph.entities_after]
        for stored in self._graph.get_entities(unplanned):
            self.plan.graph.put_entity(stored, stored)
        for entity_id, count in delta.items():
            planned = self.plan.graph.entities_after.get(entity_id)
            if planned is not None:
                mentions = max(planned.mentions + count, 0)
                self.plan.graph.entities_after[entity_id] = planned.model_copy(
                    update={"mentions": mentions}
                )

    # -- relations ----------------------------------------------------------------------

    def _known(self, key: RelationKey, source: Entity, target: Entity) -> Relation | None:
        """The planned or stored relation under `key` that graphmem has not invalidated."""
        existing = self._relations.get(key)
        if (
            existing is None
            and key not in self._looked_up
            and not self._is_new(source.id, target.id)
        ):
            stored = self._graph.find_relation(*key)
            existing = self.plan.graph.relation(stored) if stored else None
        return existing if existing is not None and existing.invalidated_at is None else None

    def _invalidate(self, relation: Relation, memory: MemoryRecord, ends_on: date) -> None:
        """End `relation` because of `memory`, which joins its provenance and so lists it:
        deleting that memory later takes it out of the relation's provenance again."""
        before = self.plan.graph.relations_before.get(relation.id, relation)
        ended = _ended(relation, memory, self._now, ends_on)
        self.plan.graph.put_relation(ended, before)
        self._link(memory, [], relation.id)
        self._relations[(ended.partition(), ended.source_id, ended.type, ended.target_id)] = ended
        self.plan.invalidated.append(ended)
        self._log(
            memory_id=relation.id,
            event="INVALIDATE",
            old_memory=relation.fact,
            new_memory=memory.memory,
            target="relation",
        )

    def _end_relation(
        self,
        draft: RelationDraft,
        memory: MemoryRecord,
        source: Entity,
        target: Entity,
        scope: Scope,
    ) -> Relation | None:
        """ "X left Y": end the relation X -type-> Y if it holds (never delete it)."""
        key = (scope.partition(), source.id, draft.relationship, target.id)
        known = self._known(key, source, target)
        if known is None or not known.current:
            return None
        self._invalidate(known, memory, draft.valid_to or self._now.date())
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
        for other in {r.id: self.plan.graph.relation(r) for r in [*stored, *planned]}.values():
            other_value = other.target_id if end == "out" else other.source_id
            if other_value != value and other.current:
                self._invalidate(other, memory, ends_on)

    def _end_conflict(self, conflict: Conflict, memories: dict[str, MemoryRecord]) -> None:
        """INVALIDATE from the reconcile step: the new relation ends the stored one."""
        relation = self.plan.graph.relation(conflict.relation)
        if relation.current:
            memory = _memory_for(conflict.draft, memories)
            self._invalidate(relation, memory, conflict.draft.valid_from or self._now.date())

    def _is_new(self, *entity_ids: str) -> bool:
        """Whether any of the entities is created by this plan (so has no stored relations)."""
        before = self.plan.graph.entities_before
        return any(entity_id in before and before[entity_id] is None for entity_id in entity_ids)

    def _plan_relation(
        self,
        draft: RelationDraft,
        memory: MemoryRecord,
        source: Entity,
        target: Entity,
        scope: Scope,
    ) -> Relation:
        """The relation `draft` states, found again or new, with `memory` among its sources.

        A current relation is found by its ends and type. One given as already ended (an
        exported one, imported again) is found by a stable id, so importing it twice
        stores it once; it is never cached under its key, which names the current one.
        """
        key = (scope.partition(), source.id, draft.relationship, target.id)
        ended_id = (
            ended_relation_id(source.id, draft.relationship, target.id, draft.invalidated_at)
            if draft.invalidated_at is not None
            else None
        )
        existing = self._known(key, source, target) if ended_id is None else self._by_id(ended_id)
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
                **scope.ids(),
            )
            self.plan.graph.put_relation(existing, None)
            self._log(
                memory_id=existing.id,
                event="ADD",
                new_memory=f"{draft.source} {existing.type} {draft.target}: {existing.fact}",
                target="relation",
            )
        elif memory.id not in existing.memory_ids:
            stored_version = self.plan.graph.relations_before.get(existing.id, existing)
            existing = existing.model_copy(update={"memory_ids": [*existing.memory_ids, memory.id]})
            self.plan.graph.put_relation(existing, stored_version)
        if ended_id is None:
            self._relations[key] = existing
        return existing

    def _by_id(self, relation_id: str) -> Relation | None:
        """The planned or stored relation with this id."""
        planned = self.plan.graph.relations_after.get(relation_id)
        return planned or next(iter(self._graph.get_relations([relation_id])), None)


def _ended(relation: Relation, memory: MemoryRecord, now: datetime, ends_on: date) -> Relation:
    """`relation` marked as no longer holding: valid until `ends_on`, invalidated `now`."""
    return relation.model_copy(
        update={
            "valid_to": relation.valid_to or ends_on,
            "invalidated_at": now,
            "memory_ids": list(dict.fromkeys([*relation.memory_ids, memory.id])),
        }
    )


def _memory_for(draft: RelationDraft, memories: dict[str, MemoryRecord]) -> MemoryRecord:
    """The memory a relation came from: its stated fact, the fact made from it, else the
    first fact naming both ends."""
    for fact in (draft.fact, draft.phrase()):
        if fact and fact.casefold() in memories:
            return memories[fact.casefold()]
    for memory in memories.values():
        text = memory.memory.casefold()
        if draft.source.casefold() in text and draft.target.casefold() in text:
            return memory
    return next(iter(memories.values()))


def _mentions(text: str, entity: Entity) -> bool:
    folded = text.casefold()
    return any(has_phrase(folded, name.casefold()) for name in (entity.name, *entity.aliases))
