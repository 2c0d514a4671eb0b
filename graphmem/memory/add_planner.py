"""Plan an `add`: facts become memories, drafts become entities and relations of the graph.

Within the scope's partition an entity is found again by its normalised key or an alias;
a relation with the same source, type and target gains provenance instead of a twin; a
fact already stored in the same scope (same text hash) is `NONE`, not a second memory.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from graphmem.memory.plan import WritePlan
from graphmem.models.extraction import EntityDraft, Extraction, RelationDraft
from graphmem.models.naming import entity_key
from graphmem.models.records import Entity, HistoryEvent, MemoryRecord, Relation
from graphmem.models.scope import Scope
from graphmem.stores.graph.base import GraphStore
from graphmem.stores.vector.base import VectorStore


def plan_add(
    extraction: Extraction,
    scope: Scope,
    metadata: dict[str, Any],
    *,
    graph: GraphStore,
    vectors: VectorStore,
    now: datetime,
) -> WritePlan:
    """Plan the records an `add` writes; reads the stores, writes nothing."""
    plan = WritePlan()
    memories = _plan_memories(plan, extraction.facts, scope, metadata, vectors, now)
    entities = _resolve_entities(plan, extraction.entities, scope, graph, now)
    for draft in extraction.relations:
        memory = _memory_for(draft, memories)
        source, target = entities[entity_key(draft.source)], entities[entity_key(draft.target)]
        relation = _plan_relation(plan, draft, memory, source, target, scope, graph, now)
        _link(plan, memory, entity_ids=[source.id, target.id], relation_id=relation.id, now=now)
    for memory in memories.values():
        mentioned = [e.id for e in entities.values() if _mentions(memory.memory, e)]
        _link(plan, memory, entity_ids=mentioned, relation_id=None, now=now)
    _count_mentions(plan, now)
    _drop_unmentioned_new_entities(plan)
    return plan


def _plan_memories(
    plan: WritePlan,
    facts: list[str],
    scope: Scope,
    metadata: dict[str, Any],
    vectors: VectorStore,
    now: datetime,
) -> dict[str, MemoryRecord]:
    memories: dict[str, MemoryRecord] = {}
    for fact in facts:
        record = MemoryRecord.create(fact, scope, metadata)
        record.created_at = record.updated_at = now
        same = [
            stored
            for stored in vectors.find_by_hash(scope, record.hash)
            if stored.scope_ids() == record.scope_ids()
        ]
        if same:
            memories[fact.casefold()] = same[0]
            plan.results.append({"id": same[0].id, "memory": same[0].memory, "event": "NONE"})
            continue
        memories[fact.casefold()] = record
        plan.put_memory(record, None)
        plan.results.append({"id": record.id, "memory": record.memory, "event": "ADD"})
        plan.history.append(
            HistoryEvent(memory_id=record.id, event="ADD", new_memory=fact, created_at=now)
        )
    return memories


def _resolve_entities(
    plan: WritePlan, drafts: list[EntityDraft], scope: Scope, graph: GraphStore, now: datetime
) -> dict[str, Entity]:
    partition = scope.partition()
    keys = {key for draft in drafts for key in (draft.key, *map(entity_key, draft.aliases))}
    known: dict[str, Entity] = {}
    for entity in graph.find_entities(partition, keys):
        for key in (entity.key, *map(entity_key, entity.aliases)):
            known.setdefault(key, entity)
    resolved: dict[str, Entity] = {}
    for draft in drafts:
        match = next(
            (known[k] for k in (draft.key, *map(entity_key, draft.aliases)) if k in known), None
        )
        if match is None:
            entity = Entity(
                name=draft.name,
                key=draft.key,
                type=draft.type,
                aliases=draft.aliases,
                created_at=now,
                updated_at=now,
                **partition.as_dict(),
            )
            plan.graph.put_entity(entity, None)
        else:
            entity = _merge_draft(plan.graph.entity(match), draft, now)
            plan.graph.put_entity(entity, match)
        known[draft.key] = entity
        resolved[draft.key] = entity
    return resolved


def _merge_draft(entity: Entity, draft: EntityDraft, now: datetime) -> Entity:
    aliases = list(entity.aliases)
    known_keys = {entity.key, *map(entity_key, aliases)}
    for alias in (draft.name, *draft.aliases):
        if entity_key(alias) not in known_keys:
            aliases.append(alias)
            known_keys.add(entity_key(alias))
    entity_type = draft.type if entity.type == "Entity" else entity.type
    return entity.model_copy(update={"aliases": aliases, "type": entity_type, "updated_at": now})


def _memory_for(draft: RelationDraft, memories: dict[str, MemoryRecord]) -> MemoryRecord:
    """The memory a relation came from: its stated fact, else the first naming both ends."""
    if draft.fact and draft.fact.casefold() in memories:
        return memories[draft.fact.casefold()]
    for memory in memories.values():
        text = memory.memory.casefold()
        if draft.source.casefold() in text and draft.target.casefold() in text:
            return memory
    return next(iter(memories.values()))


def _plan_relation(
    plan: WritePlan,
    draft: RelationDraft,
    memory: MemoryRecord,
    source: Entity,
    target: Entity,
    scope: Scope,
    graph: GraphStore,
    now: datetime,
) -> Relation:
    stored = graph.find_relation(scope.partition(), source.id, draft.relationship, target.id)
    planned = next(
        (
            r
            for r in plan.graph.added_relations()
            if (r.source_id, r.type, r.target_id) == (source.id, draft.relationship, target.id)
        ),
        None,
    )
    existing = planned or (plan.graph.relation(stored) if stored else None)
    if existing is not None:
        if memory.id not in existing.memory_ids:
            grown = existing.model_copy(update={"memory_ids": [*existing.memory_ids, memory.id]})
            plan.graph.put_relation(grown, stored)
            return grown
        return existing
    relation = Relation(
        source_id=source.id,
        target_id=target.id,
        type=draft.relationship,
        fact=draft.fact or memory.memory,
        memory_ids=[memory.id],
        valid_from=draft.valid_from,
        valid_to=draft.valid_to,
        created_at=now,
        **scope.ids(),
    )
    plan.graph.put_relation(relation, None)
    plan.history.append(
        HistoryEvent(
            memory_id=relation.id,
            event="ADD",
            new_memory=f"{draft.source} {relation.type} {draft.target}: {relation.fact}",
            target="relation",
            created_at=now,
        )
    )
    return relation


def _link(
    plan: WritePlan,
    memory: MemoryRecord,
    *,
    entity_ids: list[str],
    relation_id: str | None,
    now: datetime,
) -> None:
    """Record on the memory which entities and relation it mentions."""
    current = plan.memory(memory.id) or memory
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
    if plan.memories_before.get(memory.id) is None and memory.id not in plan.memories_after:
        linked.updated_at = now
        plan.put_memory(linked, memory)
    else:
        plan.memories_after[memory.id] = linked


def _count_mentions(plan: WritePlan, now: datetime) -> None:
    """Each memory that newly mentions an entity adds one to its mention count."""
    counts: dict[str, int] = {}
    for memory_id, after in plan.memories_after.items():
        if after is None:
            continue
        before = plan.memories_before.get(memory_id)
        for entity_id in set(after.entity_ids) - set(before.entity_ids if before else []):
            counts[entity_id] = counts.get(entity_id, 0) + 1
    for entity_id, count in counts.items():
        entity = plan.graph.entities_after.get(entity_id)
        if entity is not None:
            bumped = entity.model_copy(
                update={"mentions": entity.mentions + count, "updated_at": now}
            )
            plan.graph.entities_after[entity_id] = bumped


def _drop_unmentioned_new_entities(plan: WritePlan) -> None:
    """A new entity no stored memory mentions would be an orphan: do not create it."""
    for entity in plan.graph.new_entities():
        if entity.mentions == 0:
            del plan.graph.entities_after[entity.id]
            del plan.graph.entities_before[entity.id]


def _mentions(text: str, entity: Entity) -> bool:
    names = (entity.name, *entity.aliases)
    return any(
        re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE) for name in names
    )
