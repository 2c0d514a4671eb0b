"""Carry out a WritePlan across graph, vectors, BM25 and history, all or nothing, even
through a crash.

1. Vectors are computed first: a failing embedder writes nothing.
2. How to undo the write (`WriteUndo`: the graph's backward write, the memories and entity
   names to put back, the ids to remove) is recorded in the history log's journal.
3. Graph, entity vectors, memory vectors and BM25 are written.
4. The history events are appended in the transaction that settles the journal entry: the
   write is committed exactly when its history is.

A failure in step 3 or 4 undoes the write at once; a crash leaves the journal entry, and
the next open undoes it (`undo_pending_writes`). Every undo step puts a store in its
before-state whether or not the forward step ran, so undoing is safe after any prefix of
the write, and again after an undo that was itself cut short.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from graphmem.errors import GraphMemError, StoreUnavailable
from graphmem.memory.backends import Backends
from graphmem.memory.write.plan import WritePlan
from graphmem.models.records import Entity, MemoryRecord, Relation
from graphmem.stores.graph.base import GraphWrite

logger = logging.getLogger(__name__)


class WriteUndo(BaseModel):
    """What puts every store back as it was before one write (JSON in the journal)."""

    model_config = ConfigDict(extra="forbid")

    graph_entities: list[Entity] = Field(default_factory=list)
    graph_relations: list[Relation] = Field(default_factory=list)
    graph_delete_entity_ids: list[str] = Field(default_factory=list)
    graph_delete_relations: list[Relation] = Field(default_factory=list)
    restore_memories: list[MemoryRecord] = Field(default_factory=list)
    drop_memory_ids: list[str] = Field(default_factory=list)
    restore_entities: list[Entity] = Field(default_factory=list)
    drop_entity_ids: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, plan: WritePlan) -> WriteUndo:
        backward = plan.graph.backward()
        return cls(
            graph_entities=backward.entities,
            graph_relations=backward.relations,
            graph_delete_entity_ids=backward.delete_entity_ids,
            graph_delete_relations=backward.delete_relations,
            restore_memories=[r for r in plan.memories_before.values() if r is not None],
            drop_memory_ids=[key for key, r in plan.memories_before.items() if r is None],
            restore_entities=_gone_entities(plan),
            drop_entity_ids=[entity.id for entity in plan.graph.new_entities()],
        )

    def graph_write(self) -> GraphWrite:
        return GraphWrite(
            entities=self.graph_entities,
            relations=self.graph_relations,
            delete_entity_ids=self.graph_delete_entity_ids,
            delete_relations=self.graph_delete_relations,
        )


def apply_plan(plan: WritePlan, backends: Backends) -> None:
    """Write everything `plan` holds, or nothing.

    Raises:
        StoreUnavailable: A store failed; the write was undone (or, if the undo failed
            too, is undone at the next open).
    """
    puts = [record for record in plan.memories_after.values() if record is not None]
    deleted_ids = [key for key, after in plan.memories_after.items() if after is None]
    new_entities = plan.graph.new_entities()
    gone_ids = [entity.id for entity in _gone_entities(plan)]
    put_vectors = _embed_memories(backends, puts)
    entity_vectors = _embed_entities(backends, new_entities)
    undo = WriteUndo.of(plan)
    write_id = str(uuid.uuid4())
    backends.history.begin_write(write_id, undo.model_dump_json())
    try:
        backends.graph.apply(plan.graph.forward())
        backends.vectors.delete_entities(gone_ids)
        backends.vectors.upsert_entities(new_entities, entity_vectors)
        backends.vectors.delete_memories(deleted_ids)
        backends.vectors.upsert_memories(puts, put_vectors)
        _swap_documents(backends, puts, deleted_ids)
        backends.history.append(plan.history, settles=write_id)
    except BaseException as exc:
        _undo_or_leave_pending(write_id, undo, backends)
        if isinstance(exc, Exception) and not isinstance(exc, GraphMemError):
            raise StoreUnavailable(f"write failed and was rolled back: {exc}") from exc
        raise


def undo_pending_writes(backends: Backends) -> int:
    """Undo the writes a crash cut short (run when a data dir opens); how many there were.

    Raises:
        StoreUnavailable: A store failed while undoing; the writes stay pending.
    """
    pending = backends.history.pending_writes()
    for write_id, undo in pending:
        logger.warning("undoing write %s, cut short by a crash", write_id)
        undo_write(WriteUndo.model_validate_json(undo), backends)
        backends.history.settle(write_id)
    return len(pending)


def undo_write(undo: WriteUndo, backends: Backends) -> None:
    """Put every store back as `undo` describes (safe to repeat)."""
    backends.graph.apply(undo.graph_write())
    backends.vectors.delete_entities(undo.drop_entity_ids)
    backends.vectors.upsert_entities(
        undo.restore_entities, _embed_entities(backends, undo.restore_entities)
    )
    backends.vectors.delete_memories(undo.drop_memory_ids)
    backends.vectors.upsert_memories(
        undo.restore_memories, _embed_memories(backends, undo.restore_memories)
    )
    _swap_documents(backends, undo.restore_memories, undo.drop_memory_ids)


def _undo_or_leave_pending(write_id: str, undo: WriteUndo, backends: Backends) -> None:
    try:
        undo_write(undo, backends)
        backends.history.settle(write_id)
    except Exception as undo_error:  # the original error wins; the next open undoes it
        logger.error("undoing a failed write failed (left for the next open): %s", undo_error)


def _gone_entities(plan: WritePlan) -> list[Entity]:
    return [
        before
        for key in plan.graph.deleted_entity_ids()
        if (before := plan.graph.entities_before[key]) is not None
    ]


def _embed_memories(backends: Backends, records: Sequence[MemoryRecord]) -> list[list[float]]:
    return backends.embedder.embed([record.memory for record in records]) if records else []


def _embed_entities(backends: Backends, entities: Sequence[Entity]) -> list[list[float]]:
    return backends.embedder.embed([entity.name for entity in entities]) if entities else []


def _swap_documents(backends: Backends, put: Sequence[MemoryRecord], remove: Sequence[str]) -> None:
    backends.bm25.remove([*remove, *(record.id for record in put)])
    backends.bm25.add([(record.id, record.memory, record.scope_ids()) for record in put])
