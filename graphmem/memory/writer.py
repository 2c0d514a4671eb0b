"""Carry out a WritePlan across graph, vectors, BM25 and history as one unit of work.

Vectors are computed first (a failing embedder writes nothing); then each store is
written with its compensating undo, so a failure anywhere leaves every store as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphmem.memory.backends import Backends
from graphmem.memory.plan import WritePlan
from graphmem.memory.unit_of_work import UnitOfWork
from graphmem.models.records import Entity, MemoryRecord


def apply_plan(plan: WritePlan, backends: Backends) -> None:
    """Write everything `plan` holds, or nothing."""
    graph, history = backends.graph, backends.history
    puts = [record for record in plan.memories_after.values() if record is not None]
    restores = [record for record in plan.memories_before.values() if record is not None]
    new_ids = [key for key, before in plan.memories_before.items() if before is None]
    deleted_ids = [key for key, after in plan.memories_after.items() if after is None]
    new_entities = plan.graph.new_entities()
    gone_entities = [
        before
        for key in plan.graph.deleted_entity_ids()
        if (before := plan.graph.entities_before[key]) is not None
    ]
    put_vectors = _embed_memories(backends, puts)
    restore_vectors = _embed_memories(backends, restores)
    entity_vectors = _embed_entities(backends, new_entities)
    gone_vectors = _embed_entities(backends, gone_entities)

    with UnitOfWork() as work:
        work.run(
            lambda: graph.apply(plan.graph.forward()),
            undo=lambda: graph.apply(plan.graph.backward()),
        )
        work.run(
            lambda: _swap_entity_vectors(backends, new_entities, entity_vectors, gone_entities),
            undo=lambda: _swap_entity_vectors(backends, gone_entities, gone_vectors, new_entities),
        )
        work.run(
            lambda: _swap_memories(backends, puts, put_vectors, deleted_ids),
            undo=lambda: _swap_memories(backends, restores, restore_vectors, new_ids),
        )
        work.run(
            lambda: _swap_documents(backends, puts, [*deleted_ids, *new_ids]),
            undo=lambda: _swap_documents(backends, restores, [*new_ids, *deleted_ids]),
        )
        work.run(
            lambda: history.append(plan.history),
            undo=lambda: history.remove([event.id for event in plan.history]),
        )


def _embed_memories(backends: Backends, records: Sequence[MemoryRecord]) -> list[list[float]]:
    return backends.embedder.embed([record.memory for record in records]) if records else []


def _embed_entities(backends: Backends, entities: Sequence[Entity]) -> list[list[float]]:
    return backends.embedder.embed([entity.name for entity in entities]) if entities else []


def _swap_entity_vectors(
    backends: Backends,
    put: Sequence[Entity],
    put_vectors: Sequence[Sequence[float]],
    remove: Sequence[Entity],
) -> None:
    backends.vectors.delete_entities([entity.id for entity in remove])
    backends.vectors.upsert_entities(put, put_vectors)


def _swap_memories(
    backends: Backends,
    put: Sequence[MemoryRecord],
    put_vectors: Sequence[Sequence[float]],
    remove: Sequence[str],
) -> None:
    backends.vectors.delete_memories(remove)
    backends.vectors.upsert_memories(put, put_vectors)


def _swap_documents(backends: Backends, put: Sequence[MemoryRecord], remove: Sequence[str]) -> None:
    backends.bm25.remove([*remove, *(record.id for record in put)])
    backends.bm25.add([(record.id, record.memory, record.scope_ids()) for record in put])
