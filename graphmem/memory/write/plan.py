"""A planned write: every record to put or remove in every store, and its history lines.

Planning only reads the stores; `apply_plan` (in `writer.py`) performs it as one
unit of work. Keeping the two apart lets a failed step undo exactly what was planned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphmem.memory.write.changes import GraphChanges
from graphmem.models.records import HistoryEvent, MemoryRecord, Relation


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

    def is_empty(self) -> bool:
        return not self.memories_after and self.graph.forward().is_empty()
