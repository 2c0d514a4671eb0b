"""Pages of a scope's memories for `get_all`: filtered, in storage order, with a cursor."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphmem.models.scope import Scope
from graphmem.stores.vector.base import VectorStore


def list_memories(
    vectors: VectorStore,
    scope: Scope,
    predicate: Callable[[Mapping[str, Any]], bool],
    size: int,
    cursor: str | None,
) -> dict[str, Any]:
    """Up to `size` memories of `scope` that `predicate` keeps, from `cursor` on:
    `{"results": [...], "next_cursor": str | None}` (the id the next page starts at)."""
    results: list[dict[str, Any]] = []
    while True:
        page = vectors.scroll_memories(scope, cursor=cursor, limit=size + 1)
        for record in page.records:
            data = record.to_dict()
            if not predicate(data):
                continue
            if len(results) == size:
                return {"results": results, "next_cursor": record.id}
            results.append(data)
        if page.next_cursor is None:
            return {"results": results, "next_cursor": None}
        cursor = page.next_cursor
