"""The reconcile step's data: what the stores found near an add, and what was decided.

After extraction, the stores look for existing memories close to each new fact and for
current relations a new relation may contradict (same source and type, another target).
Only when there are any does the LLM judge them (SPEC §4): each new fact is ADD (a new
memory), UPDATE (it refines memory m, which takes its text), DELETE (it contradicts memory
m, which is deleted; the fact is added) or NONE (memory m already says it); each
conflicting relation is kept or invalidated, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from graphmem.models.extraction import RelationDraft
from graphmem.models.records import MemoryRecord, Relation


class FactEvent(StrEnum):
    """What becomes of one new fact."""

    ADD = "ADD"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    NONE = "NONE"


@dataclass(frozen=True)
class Conflict:
    """A stored current relation that the new `draft` may contradict; `target_name` is
    the display name of its target."""

    relation: Relation
    draft: RelationDraft
    target_name: str


@dataclass(frozen=True)
class Neighbours:
    """Existing memories close to the new facts, and relations the new ones may end."""

    memories: list[MemoryRecord] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.memories and not self.conflicts


@dataclass(frozen=True)
class FactDecision:
    """The event for one new fact; `memory` is the existing memory it updates, deletes or
    repeats (None for ADD)."""

    event: FactEvent
    memory: MemoryRecord | None = None


@dataclass(frozen=True)
class Reconciliation:
    """Decisions by new fact text (facts not listed are ADD) and the conflicts to end."""

    facts: dict[str, FactDecision] = field(default_factory=dict)
    invalidate: list[Conflict] = field(default_factory=list)

    def for_fact(self, fact: str) -> FactDecision:
        return self.facts.get(fact, FactDecision(FactEvent.ADD))
