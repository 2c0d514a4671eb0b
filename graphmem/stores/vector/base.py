"""The VectorStore contract: memory records with their vectors, and entity-name vectors.

Memory records live in the vector store's payload (as in Mem0), so one store answers
`get`, `get_all` and vector search, with the scope always part of the filter. The store
records which embedding model made its vectors, so vectors of two models never mix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from graphmem.models.records import Entity, MemoryRecord
from graphmem.models.scope import Scope
from graphmem.stores.embedders.base import Embedder

Vector = Sequence[float]

REEMBED_REMEDY = (
    "run `graphmem reembed` to re-embed every memory and entity name with the configured "
    "embedder, or configure the embedder the data dir was made with"
)
"""What a refusal to mix two models tells the user to do."""

StepProgress = Callable[[str, int, int], None]
"""Told `(step, done, total)` as a long job goes: `("re-embedding memories", 256, 900)`."""


def ignore_progress(step: str, done: int, total: int) -> None:
    """A StepProgress that shows nothing."""
    del step, done, total


@dataclass(frozen=True)
class ScoredId:
    id: str
    score: float


@dataclass(frozen=True)
class MemoryPage:
    records: list[MemoryRecord]
    next_cursor: str | None


@dataclass(frozen=True)
class EmbeddingModel:
    """Which model made a store's vectors: the embedder's `name` and its vector size.

    Example:
        >>> str(EmbeddingModel("hash-64", 64))
        'hash-64 (64 dims)'
    """

    name: str
    dims: int

    @classmethod
    def of(cls, embedder: Embedder) -> EmbeddingModel:
        return cls(embedder.name, embedder.dims)

    def __str__(self) -> str:
        return f"{self.name} ({self.dims} dims)"


@dataclass(frozen=True)
class ReembedCounts:
    """How many memory vectors and entity-name vectors a re-embedding rebuilt."""

    memories: int
    entities: int


class VectorStore(Protocol):
    """Qdrant (Edge, local mode or a server) behind a small interface."""

    @property
    def engine(self) -> str:
        """Which Qdrant holds the vectors: "qdrant-edge", "qdrant-local" or "qdrant-server"."""
        ...

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

    def recorded_model(self) -> EmbeddingModel | None:
        """The model the stored vectors were made by, as recorded with them (None: none is)."""
        ...

    def reembed(
        self,
        embedder: Embedder,
        *,
        batch_size: int = 256,
        progress: StepProgress | None = None,
    ) -> ReembedCounts:
        """Rebuild every memory and entity-name vector with `embedder` and record it as the
        store's model; payloads are carried over exactly, and an interruption leaves the
        old vectors or a copy the next call finishes."""
        ...

    def reset(self) -> None: ...

    def close(self) -> None: ...


def memory_pages(
    vectors: VectorStore, scope: Scope | None, *, page_size: int = 1024
) -> Iterator[list[MemoryRecord]]:
    """Every memory `scope` sees (all when None), a page at a time, in the store's order."""
    cursor: str | None = None
    while True:
        page = vectors.scroll_memories(scope, cursor=cursor, limit=page_size)
        if page.records:
            yield page.records
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
