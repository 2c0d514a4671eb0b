"""MemoryWriter: every write of one Memory, built once with its stores.

`add` is the path the package docstring traces: extract (outside the write lock: it may
call the LLM), then under the lock reconcile, plan and apply. `update`, `delete`,
`delete_all` and `import_records` plan with their own planners and apply the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from graphmem.config import GraphMemConfig
from graphmem.errors import InvalidInput, NotFound
from graphmem.memory.backends import Backends
from graphmem.memory.write.add_planner import AddPlanner
from graphmem.memory.write.bulk_import import import_records
from graphmem.memory.write.change_planners import plan_delete, plan_update
from graphmem.memory.write.plan import WritePlan
from graphmem.memory.write.similar_entities import SimilarEntityFinder
from graphmem.memory.write.steps import extract_for_add, reconcile_add
from graphmem.memory.write.writer import apply_plan
from graphmem.models.records import MemoryRecord, utc_now
from graphmem.models.scope import Scope
from graphmem.stores.embedders.memo import MemoEmbedder

DELETE_BATCH = 256


class MemoryWriter:
    """Writes for one Memory: its config, stores, write lock, and what to do before a
    write (`prepare`: load BM25, which writes keep in step).

    Example:
        >>> # writer = MemoryWriter(config, backends, threading.RLock(), prepare=lambda: None)
    """

    def __init__(
        self,
        config: GraphMemConfig,
        backends: Backends,
        lock: threading.RLock,
        *,
        prepare: Callable[[], None],
    ) -> None:
        self._config = config
        self._backends = backends
        self._lock = lock
        self._prepare = prepare

    def add(
        self,
        messages: object,
        scope: Scope,
        *,
        metadata: dict[str, Any],
        infer: bool,
        prompt: str | None,
        entities: object,
        relations: object,
        said_at: datetime | None,
    ) -> WritePlan:
        """Extract, reconcile, plan and apply one add; the applied plan."""
        extraction = extract_for_add(
            self._config,
            self._backends,
            messages,
            scope,
            infer=infer,
            prompt=prompt,
            entities=entities,
            relations=relations,
        )
        if said_at is not None:
            extraction = extraction.said_on(said_at.date())
        inferred = infer and entities is None and relations is None
        # One add embeds a text once, though neighbours, look-alikes and the write need it.
        backends = replace(self._backends, embedder=MemoEmbedder(self._backends.embedder))
        with self._lock:
            self._prepare()
            decisions = (
                reconcile_add(self._config, backends, extraction, scope) if inferred else None
            )
            planner = AddPlanner(
                [(extraction, scope)],
                graph=backends.graph,
                vectors=backends.vectors,
                now=utc_now(),
                single_valued=self._config.single_valued(),
                similar=SimilarEntityFinder(backends.graph, backends.vectors, backends.embedder),
            )
            planner.add(extraction, scope, metadata, decisions, timestamp=said_at)
            plan = planner.finish()
            apply_plan(plan, backends)
        return plan

    def update(
        self, memory_id: object, text: str | None, metadata: dict[str, Any] | None
    ) -> WritePlan:
        with self._lock:
            self._prepare()
            plan = plan_update(self.record(memory_id), text, metadata, utc_now())
            apply_plan(plan, self._backends)
        return plan

    def delete(self, memory_id: object) -> WritePlan:
        with self._lock:
            self._prepare()
            plan = plan_delete([self.record(memory_id)], self._backends.graph, utc_now())
            apply_plan(plan, self._backends)
        return plan

    def delete_all(self, scope: Scope) -> int:
        """Delete every memory of `scope`, a page at a time; how many there were."""
        deleted = 0
        with self._lock:
            self._prepare()
            while True:
                page = self._backends.vectors.scroll_memories(scope, limit=DELETE_BATCH)
                if not page.records:
                    return deleted
                apply_plan(
                    plan_delete(page.records, self._backends.graph, utc_now()), self._backends
                )
                deleted += len(page.records)

    def import_records(
        self,
        source: str | Path | Iterable[dict[str, Any]],
        *,
        progress: bool,
        batch_size: int,
        after: Callable[[], None],
    ) -> dict[str, Any]:
        """Bulk-add pre-extracted records; `after` runs under the lock once they are in."""
        with self._lock:
            self._prepare()
            summary = import_records(
                self._backends,
                source,
                progress=progress,
                batch_size=batch_size,
                single_valued=self._config.single_valued(),
            )
            after()
            return summary

    def record(self, memory_id: object) -> MemoryRecord:
        """The stored memory `memory_id` names.

        Raises:
            InvalidInput: It is not a non-empty string.
            NotFound: No memory has it.
        """
        if not isinstance(memory_id, str) or not memory_id:
            raise InvalidInput("memory_id must be a non-empty string", field="memory_id")
        records = self._backends.vectors.get_memories([memory_id])  # unknown ids: none
        if not records:
            raise NotFound(f"no memory with id {memory_id!r}", field="memory_id")
        return records[0]
