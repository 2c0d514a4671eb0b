"""MemoryWriter: every write of one Memory, built once with its stores.

`add` is the path the package docstring traces: extract and reconcile (the two LLM calls)
outside the write lock, then plan and apply under it. `update`, `delete`, `delete_all` and
`import_records` plan with their own planners and apply the same way.

Concurrent writers therefore wait for the network side by side, not one behind another.
The price is that a reconcile decision may be stale by the time its writer holds the lock:
another writer may have updated or deleted a memory it decided about, or stored one it
should have seen. So under the lock the writer looks up the neighbours again (stores only,
no LLM; the add's embeddings are memoised) and applies the decisions only if they equal
those the call was given, record for record. Otherwise it lets the lock go and reconciles
again; after `UNLOCKED_RECONCILES` stale rounds it reconciles under the lock, as before,
so a writer on a busy scope still finishes. A redone call is counted in the add's usage.

Each add meters its own LLM calls (so concurrent adds never mix their tokens); the meter
is added to the writer's total since open and to the history log's usage ledger whether
the add is stored or fails, since the tokens were spent either way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from graphmem.config import GraphMemConfig
from graphmem.errors import InvalidInput, NotFound, StoreUnavailable
from graphmem.memory.backends import Backends
from graphmem.memory.write.add_planner import AddPlanner
from graphmem.memory.write.bulk_import import import_records
from graphmem.memory.write.change_planners import plan_delete, plan_update
from graphmem.memory.write.plan import WritePlan
from graphmem.memory.write.similar_entities import SimilarEntityFinder
from graphmem.memory.write.steps import (
    extract_for_add,
    find_neighbours,
    reconcile_add,
)
from graphmem.memory.write.writer import apply_plan
from graphmem.models.extraction import Extraction
from graphmem.models.reconcile import Reconciliation
from graphmem.models.records import MemoryRecord, utc_now
from graphmem.models.scope import Scope
from graphmem.models.usage import LLMUsage
from graphmem.stores.embedders.memo import MemoEmbedder

logger = logging.getLogger(__name__)

DELETE_BATCH = 256
UNLOCKED_RECONCILES = 2
"""Reconcile calls an add makes outside the write lock before it makes one under it."""
STORED_NAME_VECTORS = 2_048
"""Vectors of stored entities' names the writer remembers (look-alikes recur add after add)."""


@dataclass(frozen=True)
class AddOutcome:
    """An applied add: its plan, and the LLM calls and tokens it spent."""

    plan: WritePlan
    usage: LLMUsage


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
        self._usage_lock = threading.Lock()
        self._usage_since_open = LLMUsage()
        self._stored_names = MemoEmbedder(backends.embedder, max_texts=STORED_NAME_VECTORS)

    @property
    def usage_since_open(self) -> LLMUsage:
        """Every LLM call of this writer's adds (stored or failed), summed: a copy."""
        with self._usage_lock:
            return self._usage_since_open.copy()

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
    ) -> AddOutcome:
        """Extract, reconcile, plan and apply one add; the applied plan and its LLM usage."""
        usage = LLMUsage()
        try:
            plan = self._add(
                messages,
                scope,
                metadata=metadata,
                infer=infer,
                prompt=prompt,
                entities=entities,
                relations=relations,
                said_at=said_at,
                usage=usage,
            )
        finally:
            self._count_usage(scope, usage)
        return AddOutcome(plan, usage)

    def _add(
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
        usage: LLMUsage,
    ) -> WritePlan:
        """The add itself; its LLM calls are counted into `usage` as they happen."""
        extraction = extract_for_add(
            self._config,
            self._backends,
            messages,
            scope,
            infer=infer,
            prompt=prompt,
            entities=entities,
            relations=relations,
            usage=usage,
            said_at=said_at,
        )
        if said_at is not None:
            extraction = extraction.said_on(said_at.date())
        reconciles = infer and entities is None and relations is None
        reconciles = reconciles and self._backends.reconciler is not None
        # One add embeds a text once, though neighbours, look-alikes and the write need it.
        backends = replace(self._backends, embedder=MemoEmbedder(self._backends.embedder))
        if not reconciles:
            with self._lock:
                self._prepare()
                return self._plan_and_apply(backends, extraction, scope, metadata, None, said_at)
        return self._reconcile_and_apply(backends, extraction, scope, metadata, said_at, usage)

    def _reconcile_and_apply(
        self,
        backends: Backends,
        extraction: Extraction,
        scope: Scope,
        metadata: dict[str, Any],
        said_at: datetime | None,
        usage: LLMUsage,
    ) -> WritePlan:
        """Reconcile outside the lock; apply under it if the neighbours are unchanged, else
        ask again, and after `UNLOCKED_RECONCILES` stale answers ask under the lock."""
        for _ in range(UNLOCKED_RECONCILES):
            reconciled = reconcile_add(self._config, backends, extraction, scope, usage)
            with self._lock:
                now = find_neighbours(self._config, backends, extraction, scope)
                if now == reconciled.neighbours:
                    self._prepare()
                    return self._plan_and_apply(
                        backends, extraction, scope, metadata, reconciled.decisions, said_at
                    )
            logger.info("an add's neighbours changed during its reconcile call: asking again")
        with self._lock:
            self._prepare()
            reconciled = reconcile_add(self._config, backends, extraction, scope, usage)
            return self._plan_and_apply(
                backends, extraction, scope, metadata, reconciled.decisions, said_at
            )

    def _plan_and_apply(
        self,
        backends: Backends,
        extraction: Extraction,
        scope: Scope,
        metadata: dict[str, Any],
        decisions: Reconciliation | None,
        said_at: datetime | None,
    ) -> WritePlan:
        """Plan one add against the stores as they are now and apply it; under the lock."""
        planner = AddPlanner(
            [(extraction, scope)],
            graph=backends.graph,
            vectors=backends.vectors,
            now=utc_now(),
            single_valued=self._config.single_valued(),
            similar=SimilarEntityFinder(
                backends.graph,
                backends.vectors,
                backends.embedder,
                stored_names=self._stored_names,
            ),
        )
        planner.add(extraction, scope, metadata, decisions, timestamp=said_at)
        plan = planner.finish()
        apply_plan(plan, backends)
        return plan

    def _count_usage(self, scope: Scope, usage: LLMUsage) -> None:
        """Add one add's LLM usage to the total since open and to the usage ledger.

        A ledger that cannot be written is logged, not raised: the add itself is stored
        (or failed for its own reason), and failing it now would invite a costly retry.
        """
        if usage.calls == 0:
            return
        with self._usage_lock:
            self._usage_since_open.add(usage)
        try:
            self._backends.history.record_usage(scope, usage)
        except StoreUnavailable as exc:
            logger.warning("the LLM usage of an add was not recorded: %s", exc)

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
