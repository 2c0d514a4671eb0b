"""The VectorStore contract: memory records with their vectors, and entity-name vectors.

Memory records live in the vector store's payload (as in Mem0), so one store answers
`get`, `get_all` and vector search, with the scope always part of the filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from graphmem.models.records import Entity, MemoryRecord
from graphmem.models.scope import Scope

Vector = Sequence[float]


@dataclass(frozen=True)
class ScoredId:
    id: str
    score: float


@dataclass(frozen=True)
class MemoryPage:
    records: list[MemoryRecord]
    next_cursor: str | None


class VectorStore(Protocol):
    """Qdrant (local mode or server) behind a small interface."""

    def upsert_memories(
        self, records: Sequence[MemoryRecord], vectors: Sequence[Vector]
    ) -> None: ...

    def get_memories(self, memory_ids: Sequence[str]) -> list[MemoryRecord]:
        """Records by id, in the order asked; unknown ids are skipped."""
        ...

    def scroll_memories(
        self, scope: Scope | None, *, cursor: str | None = None, limit: int = 256
    ) -> MemoryPage:
        """A page of the memories `scope` sees (all when None), in a stable order."""
        ...

    def search_memories(
        self,
        vector: Vector,
        scope: Scope,
        *,
        limit: int,
        memory_ids: Sequence[str] | None = None,
    ) -> list[ScoredId]:
        """Nearest memories in `scope` (cosine), optionally only among `memory_ids`."""
        ...

    def delete_memories(self, memory_ids: Sequence[str]) -> None: ...

    def upsert_entities(self, entities: Sequence[Entity], vectors: Sequence[Vector]) -> None: ...

    def search_entities(self, vector: Vector, scope: Scope, *, limit: int) -> list[ScoredId]: ...

    def delete_entities(self, entity_ids: Sequence[str]) -> None: ...

    def count_memories(self, scope: Scope | None = None) -> int: ...

    def reset(self) -> None: ...

    def close(self) -> None: ...
