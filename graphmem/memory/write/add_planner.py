"""Plan adds: facts become memories, drafts become entities and relations of the graph.

Entities are resolved by `EntityPlanner` (keys, aliases, look-alikes), relations found
again, added or ended by `RelationPlanner`; this plans the memories: a fact already stored
in the same scope is `NONE`, not a second memory. The reconcile step's decisions, when
there are any, say which facts UPDATE, DELETE or repeat (NONE) a stored memory and which
conflicting relations end. One `AddPlanner` can plan many records into one `WritePlan`
(bulk import): it indexes what it has planned so far, so two records naming "Google" in
one batch still make one node.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from graphmem.memory.write.entity_planner import EntityPlanner
from graphmem.memory.write.plan import WritePlan
from graphmem.memory.write.relation_planner import RelationPlanner, Statement
from graphmem.memory.write.similar_entities import SimilarEntityFinder
from graphmem.models.cardinality import NO_SINGLE_VALUED, SingleValued
from graphmem.models.extraction import Extraction, RelationDraft
from graphmem.models.naming import has_phrase
from graphmem.models.reconcile import FactEvent, Reconciliation
from graphmem.models.records import Entity, MemoryRecord, new_id, text_hash
from graphmem.models.scope import Scope
from graphmem.stores.graph.base import GraphStore
from graphmem.stores.vector.base import VectorStore


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
        self._graph = graph
        self._now = now
        self._stored: dict[str, MemoryRecord] = {}
        self._entities = EntityPlanner(self.plan.graph, graph, now)
        self._relations = RelationPlanner(self.plan, graph, now, single_valued)
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
        self._relations.prefetch(batch, self._entities)

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
            source, target = (entities[end] for end in extraction.end_indexes(draft))
            memory = _memory_for(draft, memories)
            self._relations.add(Statement(draft, memory, source, target, scope))
        for conflict in decisions.invalidate:
            self._relations.end_conflict(conflict, _memory_for(conflict.draft, memories))
        for memory in memories.values():
            mentioned = list(dict.fromkeys(e.id for e in entities if _mentions(memory.memory, e)))
            self.plan.link(memory, mentioned, None, self._now)
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
            self.plan.log(record.id, "ADD", self._now, new_memory=fact)
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
        self.plan.log(stored.id, "UPDATE", self._now, old_memory=current.memory, new_memory=fact)
        self.plan.results.append(
            {"id": stored.id, "memory": fact, "event": "UPDATE", "previous_memory": current.memory}
        )
        return updated

    def _delete_contradicted(self, stored: MemoryRecord, because: MemoryRecord) -> None:
        """DELETE: a contradicted memory goes; relations only it supported are invalidated
        (by `because`), never deleted, so they stay readable with `include_history`."""
        self.plan.delete_memory(stored)
        self.plan.log(
            stored.id, "DELETE", self._now, old_memory=stored.memory, new_memory=because.memory
        )
        self.plan.results.append({"id": stored.id, "memory": stored.memory, "event": "DELETE"})
        for relation in self._graph.get_relations(stored.relation_ids):
            planned = self.plan.graph.relation(relation)
            if planned.current and set(planned.memory_ids) <= {stored.id}:
                self._relations.invalidate(planned, because, self._now.date())

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
