"""A planned write: every record to put or remove in every store, and its history lines.

Planning only reads the stores; `apply_plan` (in `writer.py`) performs it as one
unit of work. Keeping the two apart lets a failed step undo exactly what was planned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from graphmem.memory.write.changes import GraphChanges
from graphmem.models.records import HistoryEvent, HistoryEventType, MemoryRecord, Relation


@dataclass
class WritePlan:
    """What one `add` / `update` / `delete` will change."""

    memories_before: dict[str, MemoryRecord | None] = field(default_factory=dict)
    memories_after: dict[str, MemoryRecord | None] = field(default_factory=dict)
    graph: GraphChanges = field(default_factory=GraphChanges)
    history: list[HistoryEvent] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    invalidated: list[Relation] = field(default_factory=list)

    def put_memory(self, record: MemoryRecord, before: MemoryRecord | None) -> None:
        self.memories_before.setdefault(record.id, before)
        self.memories_after[record.id] = record

    def delete_memory(self, before: MemoryRecord) -> None:
        self.memories_before.setdefault(before.id, before)
        self.memories_after[before.id] = None

    def memory(self, memory_id: str) -> MemoryRecord | None:
        """The planned version of a memory this plan touches."""
        return self.memories_after.get(memory_id)

    def link(
        self, memory: MemoryRecord, entity_ids: list[str], relation_id: str | None, now: datetime
    ) -> None:
        """Record on the memory's planned version which entities and relation it mentions."""
        current = self.memory(memory.id) or memory
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
        if memory.id in self.memories_after:
            self.memories_after[memory.id] = linked
        else:
            linked.updated_at = now
            self.put_memory(linked, memory)

    def log(
        self,
        memory_id: str,
        event: HistoryEventType,
        now: datetime,
        *,
        old_memory: str | None = None,
        new_memory: str | None = None,
        target: Literal["memory", "relation"] = "memory",
    ) -> None:
        """One history line of this plan, stamped `now`."""
        self.history.append(
            HistoryEvent(
                memory_id=memory_id,
                event=event,
                old_memory=old_memory,
                new_memory=new_memory,
                target=target,
                created_at=now,
            )
        )

    def is_empty(self) -> bool:
        return not self.memories_after and self.graph.forward().is_empty()
