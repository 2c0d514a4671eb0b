"""The `Memory` facade called with `Scope` objects: the few calls the LangGraph store makes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from typing import Any

from graphmem.errors import NotFound
from graphmem.memory.arguments import MAX_LIMIT
from graphmem.memory.facade import Memory
from graphmem.models.scope import Scope


def with_run(scope: Scope, run: str) -> Scope:
    """`scope` narrowed to one run."""
    return Scope.of(**scope.partition().as_dict(), run_id=run)


class ScopedMemory:
    """Adds, updates, scans, searches and deletes through a `Memory`, one scope at a time."""

    def __init__(self, memory: Memory) -> None:
        self.memory = memory

    def add(
        self, text: str, scope: Scope, *, metadata: dict[str, Any], infer: bool
    ) -> list[dict[str, Any]]:
        """`Memory.add` of `text` in `scope`; its `results` rows."""
        added = self.memory.add(
            text,
            user_id=scope.user_id,
            agent_id=scope.agent_id,
            run_id=scope.run_id,
            app_id=scope.app_id,
            metadata=metadata,
            infer=infer,
        )
        rows: list[dict[str, Any]] = added["results"]
        return rows

    def update(
        self, memory_id: str, *, text: str | None = None, metadata: dict[str, Any] | None = None
    ) -> None:
        self.memory.update(memory_id, text=text, metadata=metadata)

    def scan(self, scope: Scope, filters: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
        """Every memory of `scope` that `filters` keep, a page at a time."""
        cursor: str | None = None
        while True:
            page = self.memory.get_all(
                user_id=scope.user_id,
                agent_id=scope.agent_id,
                run_id=scope.run_id,
                app_id=scope.app_id,
                filters=filters,
                limit=MAX_LIMIT,
                cursor=cursor,
            )
            yield from page["results"]
            cursor = page["next_cursor"]
            if cursor is None:
                return

    def search(
        self, query: str, scope: Scope, *, filters: dict[str, Any] | None, limit: int
    ) -> list[dict[str, Any]]:
        """`Memory.search` hits in `scope`, best first (graph, vector and BM25 fused)."""
        found = self.memory.search(
            query,
            user_id=scope.user_id,
            agent_id=scope.agent_id,
            run_id=scope.run_id,
            app_id=scope.app_id,
            filters=filters,
            limit=min(max(limit, 1), MAX_LIMIT),
        )
        hits: list[dict[str, Any]] = found["results"]
        return hits

    def delete(self, memory_id: str) -> None:
        """Delete one memory; one already gone is not an error."""
        with suppress(NotFound):
            self.memory.delete(memory_id)

    def delete_all(self, scope: Scope) -> None:
        self.memory.delete_all(
            user_id=scope.user_id, agent_id=scope.agent_id, run_id=scope.run_id, app_id=scope.app_id
        )
