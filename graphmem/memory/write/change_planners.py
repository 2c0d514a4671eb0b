"""Plan `update` and `delete` of memories, and what their graph provenance loses.

Deleting a memory removes it from the provenance of its relations; a relation left with
no provenance is removed with it (the user withdrew the only source), and an entity no
memory mentions any more and no relation touches is removed too. Contradictions never
take this path: they invalidate (SPEC §2).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from graphmem.memory.write.plan import WritePlan
from graphmem.models.records import MemoryRecord, text_hash
from graphmem.stores.graph.base import GraphStore


def plan_update(
    record: MemoryRecord, text: str | None, metadata: dict[str, Any] | None, now: datetime
) -> WritePlan:
    """Plan new text and/or metadata for one memory, with an UPDATE history line."""
    plan = WritePlan()
    changes: dict[str, Any] = {"updated_at": now}
    if text is not None:
        changes |= {"memory": text, "hash": text_hash(text)}
    if metadata is not None:
        changes["metadata"] = metadata
    updated = record.model_copy(update=changes)
    plan.put_memory(updated, record)
    plan.log(record.id, "UPDATE", now, old_memory=record.memory, new_memory=updated.memory)
    plan.results.append(
        {
            "id": record.id,
            "memory": updated.memory,
            "event": "UPDATE",
            "previous_memory": record.memory,
        }
    )
    return plan


def plan_delete(records: Sequence[MemoryRecord], graph: GraphStore, now: datetime) -> WritePlan:
    """Plan the removal of `records` and of the graph items only they supported."""
    plan = WritePlan()
    deleted = {record.id for record in records}
    for record in records:
        plan.delete_memory(record)
        plan.log(record.id, "DELETE", now, old_memory=record.memory)
        plan.results.append({"id": record.id, "memory": record.memory, "event": "DELETE"})
    relation_ids = sorted({rid for record in records for rid in record.relation_ids})
    lost_edges: dict[str, int] = {}
    for relation in graph.get_relations(relation_ids):
        remaining = [m for m in relation.memory_ids if m not in deleted]
        if remaining:
            plan.graph.put_relation(relation.model_copy(update={"memory_ids": remaining}), relation)
            continue
        plan.graph.delete_relation(relation)
        plan.log(relation.id, "DELETE", now, old_memory=relation.fact, target="relation")
        for end in {relation.source_id, relation.target_id}:
            lost_edges[end] = lost_edges.get(end, 0) + 1
    _release_entities(plan, records, lost_edges, graph, now)
    return plan


def _release_entities(
    plan: WritePlan,
    records: Sequence[MemoryRecord],
    lost_edges: dict[str, int],
    graph: GraphStore,
    now: datetime,
) -> None:
    lost_mentions: dict[str, int] = {}
    for record in records:
        for entity_id in set(record.entity_ids):
            lost_mentions[entity_id] = lost_mentions.get(entity_id, 0) + 1
    entity_ids = sorted(lost_mentions)
    degrees = graph.degrees(entity_ids)
    for entity in graph.get_entities(entity_ids):
        mentions = max(entity.mentions - lost_mentions[entity.id], 0)
        edges_left = degrees.get(entity.id, 0) - lost_edges.get(entity.id, 0)
        if mentions == 0 and edges_left <= 0:
            plan.graph.delete_entity(entity)
        else:
            released = entity.model_copy(update={"mentions": mentions, "updated_at": now})
            plan.graph.put_entity(released, entity)
