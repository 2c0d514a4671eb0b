"""The store's reads over many items: `search` (by query and filter) and `list_namespaces`.

`search` without a query lists the matching items, most recently updated first. With a
query, graphmem's hybrid search (graph paths, vectors, BM25; no LLM) ranks the matching
items' memories; an item scores as its best memory (its value, or a fact extracted from
it), and matching items no channel ranked (not indexed, or beyond the ranked window)
follow with score None, most recent first, as LangGraph's own stores fill a page with
unembedded items. `offset` and `limit` page through that one order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langgraph.store.base import Item, ListNamespacesOp, MatchCondition, SearchItem, SearchOp

from graphmem.errors import InvalidInput, ScopeViolation
from graphmem.integrations.langgraph_store.filters import (
    Condition,
    all_of,
    indexed_condition,
    prefix_conditions,
    role_condition,
    scope_conditions,
    value_conditions,
)
from graphmem.integrations.langgraph_store.items import (
    ItemRef,
    owned_ref,
    to_item,
    to_search_item,
)
from graphmem.integrations.langgraph_store.layout import (
    WILDCARD,
    NamespaceLayout,
    check_labels,
    item_runs,
)
from graphmem.integrations.langgraph_store.scoped_memory import ScopedMemory, with_run
from graphmem.memory.arguments import MAX_LIMIT
from graphmem.models.scope import Scope

RANK_WINDOW = 100
"""How many memories a query asks graphmem to rank, at least: the same for every page
within it (so pages of one query agree), wider for pages beyond."""

RANKED_MEMORIES_PER_ITEM = 3
"""Memories ranked per wanted item beyond the window (an item's value and its facts
compete for the same places)."""


def search_items(
    memories: ScopedMemory, scope: Scope, prefix: tuple[str, ...], op: SearchOp
) -> list[SearchItem]:
    """The page `op` asks for, of the items of `scope` under `prefix` (see the module)."""
    limit, offset = check_window(op.limit, op.offset)
    conditions = [*scope_conditions(scope), *prefix_conditions(prefix)]
    conditions += value_conditions(op.filter)
    query = op.query.strip() if isinstance(op.query, str) else ""
    if limit == 0:
        return []
    ranked: dict[ItemRef, tuple[float, Item | None]] = {}
    if query:
        wanted = min(MAX_LIMIT, max(RANK_WINDOW, (offset + limit) * RANKED_MEMORIES_PER_ITEM))
        ranked = _rank(memories, query, scope, [*conditions, indexed_condition()], wanted)
    if len(ranked) >= offset + limit:  # the ranking fills the page: no scan of the scope
        page = list(ranked.items())[offset : offset + limit]
        found = [(item or load_item(memories, scope, ref), score) for ref, (score, item) in page]
        return [to_search_item(item, score) for item, score in found if item is not None]
    items = dict(stored_items(memories, scope, conditions))
    newest = sorted(items, key=lambda ref: (ref.namespace, ref.key))
    newest.sort(key=lambda ref: items[ref].updated_at, reverse=True)
    order: list[tuple[ItemRef, float | None]] = [
        (ref, score) for ref, (score, _) in ranked.items() if ref in items
    ]
    order += [(ref, None) for ref in newest if ref not in ranked]
    return [to_search_item(items[ref], score) for ref, score in order[offset : offset + limit]]


def item_records(memories: ScopedMemory, scope: Scope, ref: ItemRef) -> list[dict[str, Any]]:
    """The value memories of the item at `ref` in `scope`, newest first (one, unless two
    processes raced on its first put); one run is read, not the scope."""
    runs = item_runs(scope, ref.namespace, ref.key)
    conditions = [*scope_conditions(scope), role_condition("item")]
    found = [
        record
        for record in memories.scan(with_run(scope, runs.item), all_of(conditions))
        if owned_ref(record, scope) == (ref, "item")
    ]
    return sorted(found, key=lambda record: str(record["updated_at"]), reverse=True)


def load_item(memories: ScopedMemory, scope: Scope, ref: ItemRef) -> Item | None:
    """The item at `ref` in `scope`, or None."""
    records = item_records(memories, scope, ref)
    return to_item(records[0], ref) if records else None


def stored_items(
    memories: ScopedMemory, scope: Scope, conditions: list[Condition]
) -> Iterator[tuple[ItemRef, Item]]:
    """The items of exactly `scope` whose value memories meet `conditions`."""
    filters = all_of([*conditions, role_condition("item")])
    for record in memories.scan(scope, filters):
        owned = owned_ref(record, scope)
        if owned is not None and owned[1] == "item":
            yield owned[0], to_item(record, owned[0])


def list_namespaces(
    memories: ScopedMemory, layout: NamespaceLayout, op: ListNamespacesOp
) -> list[tuple[str, ...]]:
    """The distinct namespaces of one scope's items that meet every condition, cut to
    `max_depth`, sorted, and paged by `offset` / `limit`."""
    limit, offset = check_window(op.limit, op.offset)
    if op.max_depth is not None and (
        isinstance(op.max_depth, bool) or not isinstance(op.max_depth, int) or op.max_depth < 1
    ):
        raise InvalidInput("max_depth must be a positive integer", field="max_depth")
    matches = tuple(op.match_conditions or ())
    for condition in matches:
        check_labels(condition.path)
    scope, leading = _listing_scope(layout, matches)
    conditions = [*scope_conditions(scope), *prefix_conditions(leading)]
    namespaces = {
        ref.namespace[: op.max_depth] if op.max_depth is not None else ref.namespace
        for ref, _item in stored_items(memories, scope, conditions)
        if all(namespace_matches(condition, ref.namespace) for condition in matches)
    }
    return sorted(namespaces)[offset : offset + limit]


def namespace_matches(condition: MatchCondition, namespace: tuple[str, ...]) -> bool:
    """Whether `namespace` starts (prefix) or ends (suffix) with the condition's path,
    `*` matching any one label."""
    path = tuple(condition.path)
    if len(namespace) < len(path):
        return False
    if condition.match_type == "prefix":
        labels = namespace[: len(path)]
    elif condition.match_type == "suffix":
        labels = namespace[len(namespace) - len(path) :]
    else:
        raise InvalidInput(f"unknown match type {condition.match_type!r}", field="match_type")
    return all(want in (WILDCARD, have) for want, have in zip(path, labels, strict=True))


def check_window(limit: object, offset: object) -> tuple[int, int]:
    """`limit` and `offset` as non-negative integers."""
    return _count(limit, "limit"), _count(offset, "offset")


def _rank(
    memories: ScopedMemory, query: str, scope: Scope, conditions: list[Condition], wanted: int
) -> dict[ItemRef, tuple[float, Item | None]]:
    """Items by their best fused score among the memories graphmem ranks for `query`, best
    first, each with its item when its value memory was among them."""
    best: dict[ItemRef, tuple[float, Item | None]] = {}
    for hit in memories.search(query, scope, filters=all_of(conditions), limit=wanted):
        owned = owned_ref(hit, scope)
        if owned is None:
            continue
        ref, role = owned
        score, item = best.get(ref, (float(hit["score"]), None))
        best[ref] = (max(score, float(hit["score"])), item or _item_of(hit, ref, role))
    return dict(sorted(best.items(), key=lambda pair: pair[1][0], reverse=True))


def _item_of(hit: dict[str, Any], ref: ItemRef, role: str) -> Item | None:
    return to_item(hit, ref) if role == "item" else None


def _listing_scope(
    layout: NamespaceLayout, matches: tuple[MatchCondition, ...]
) -> tuple[Scope, tuple[str, ...]]:
    """The scope a listing reads, named by one of its prefix conditions, and the leading
    labels of that prefix before any wildcard.

    Raises:
        ScopeViolation: no prefix condition names every scope label.
    """
    prefixes = [tuple(c.path) for c in matches if c.match_type == "prefix"]
    for path in prefixes:
        try:
            scope = layout.prefix_scope(path)
        except ScopeViolation:
            continue
        return scope, path[: path.index(WILDCARD)] if WILDCARD in path else path
    # Raises, naming the first prefix, unless no namespace label names a scope.
    return layout.prefix_scope(prefixes[0] if prefixes else ()), ()


def _count(number: object, name: str) -> int:
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise InvalidInput(f"{name} must be an integer >= 0", field=name)
    return number
