"""`GraphMemStore`: LangGraph's `BaseStore` on graphmem, so agents keep long-term memory there.

Writes (put, delete) go through the `Memory` facade and are serialised by one lock per
store; reads (get, search, list_namespaces) see one scope each, exactly (see `layout.py`).
The mapping of items to memories is in `items.py`; search and listing are in `reads.py`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import anyio.to_thread
from langgraph.store.base import (
    BaseStore,
    GetOp,
    Item,
    ListNamespacesOp,
    Op,
    PutOp,
    Result,
    SearchOp,
)

from graphmem.errors import InvalidInput
from graphmem.integrations.langgraph_store.items import (
    ItemRef,
    check_value,
    item_metadata,
)
from graphmem.integrations.langgraph_store.layout import (
    NamespaceLayout,
    check_labels,
    item_runs,
)
from graphmem.integrations.langgraph_store.reads import (
    item_records,
    list_namespaces,
    load_item,
    search_items,
)
from graphmem.integrations.langgraph_store.scoped_memory import ScopedMemory, with_run
from graphmem.integrations.langgraph_store.text import search_text
from graphmem.memory.async_facade import AsyncMemory
from graphmem.memory.facade import Memory
from graphmem.models.scope import Scope


class GraphMemStore(BaseStore):
    """LangGraph long-term memory in graphmem: items are memories, searched by hybrid search.

    Each item is one graphmem memory whose text is the value's indexed fields and whose
    metadata holds the namespace, the key and the value. `search(..., query=...)` ranks by
    graphmem's fused graph + vector + BM25 score with no LLM call; `filter` matches value
    fields. Namespaces map to scopes by `scope` (fixed ids) and `namespace_scope` (which
    namespace labels are scope ids); a read never reaches another scope.

    Args:
        memory: The graphmem `Memory` (or `AsyncMemory`) to keep items in; the caller
            opens and closes it.
        scope: Scope ids every item is filed under, e.g. `{"app_id": "travel-agent"}`.
        namespace_scope: Namespace positions that carry scope ids, e.g. `{"user_id": 0}`
            files `("alice", "memories")` under user "alice". At least one of the two.
        index_fields: LangGraph paths of the value that make its searchable text
            (`["text"]`, `["profile.bio", "notes[*]"]`); None reads the whole value.
            A put's own `index=[...]` overrides them; `index=False` keeps the item out of
            query ranking (it is still found by get and filter-only search).
        infer: Also extract facts, entities and relations from each put's text (the
            configured LLM or offline extractor), so the graph channel and `Memory.query`
            see them. Off by default: puts are structured values, stored as given.

    Raises:
        ConfigError: the scope settings are inconsistent (see `NamespaceLayout.of`).

    Example:
        >>> # memory = Memory(GraphMemConfig(data_dir="/tmp/gm"))
        >>> # store = GraphMemStore(memory, namespace_scope={"user_id": 0}, index_fields=["text"])
        >>> # store.put(("alice", "memories"), "seat", {"text": "Alice prefers window seats"})
        >>> # store.search(("alice", "memories"), query="where does Alice sit?")[0].key
        >>> # 'seat'
    """

    def __init__(
        self,
        memory: Memory | AsyncMemory,
        *,
        scope: Mapping[str, str] | None = None,
        namespace_scope: Mapping[str, int] | None = None,
        index_fields: Sequence[str] | None = None,
        infer: bool = False,
    ) -> None:
        self.layout = NamespaceLayout.of(scope, namespace_scope)
        self.index_fields = _check_fields(index_fields)
        if not isinstance(infer, bool):
            raise InvalidInput("infer must be true or false", field="infer")
        self.infer = infer
        self._memories = ScopedMemory(memory.sync if isinstance(memory, AsyncMemory) else memory)
        self._write_lock = threading.RLock()

    @property
    def memory(self) -> Memory:
        """The graphmem `Memory` the items live in."""
        return self._memories.memory

    def batch(self, ops: Iterable[Op]) -> list[Result]:
        """Run `ops` in order, each seeing the ones before it; one result per op."""
        return [self._run(op) for op in ops]

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        """`batch` in a worker thread, so the event loop keeps serving meanwhile."""
        listed = list(ops)
        return await anyio.to_thread.run_sync(self.batch, listed)

    # -- operations ---------------------------------------------------------------------

    def _run(self, op: Op) -> Result:
        if isinstance(op, GetOp):
            return self._get(check_labels(op.namespace), op.key)
        if isinstance(op, PutOp):
            self._put(op)
            return None
        if isinstance(op, SearchOp):
            prefix = check_labels(op.namespace_prefix)
            scope = self.layout.prefix_scope(prefix)
            return search_items(self._memories, scope, prefix, op)
        if isinstance(op, ListNamespacesOp):
            return list_namespaces(self._memories, self.layout, op)
        raise InvalidInput(f"unknown store operation {type(op).__name__}", field="op")

    def _get(self, namespace: tuple[str, ...], key: str) -> Item | None:
        ref = ItemRef(namespace, _check_key(key))
        scope = self.layout.item_scope(namespace)
        return load_item(self._memories, scope, ref)

    def _put(self, op: PutOp) -> None:
        namespace = check_labels(op.namespace)
        ref = ItemRef(namespace, _check_key(op.key))
        scope = self.layout.item_scope(namespace)
        runs = item_runs(scope, namespace, ref.key)
        if op.value is None:
            with self._write_lock:
                self._memories.delete_all(with_run(scope, runs.facts))
                self._memories.delete_all(with_run(scope, runs.item))
            return
        value = check_value(op.value)
        text = "" if op.index is False else search_text(value, self._fields(op.index))
        indexed = bool(text)
        metadata = item_metadata(ref, value, role="item", indexed=indexed)
        fact_metadata = item_metadata(ref, value, role="fact", indexed=True)
        with self._write_lock:
            stored = item_records(self._memories, scope, ref)
            old_facts = list(self._memories.scan(with_run(scope, runs.facts), None))
            kept: set[str] = set()
            if self.infer and indexed:
                # Facts first: an extraction that fails leaves the old value and facts whole.
                kept = self._extract_facts(text, with_run(scope, runs.facts), fact_metadata)
            placeholder = ref.key.strip()[:200] or "(no text)"  # never ranked: `indexed` is false
            self._write_value(stored, text or placeholder, metadata, with_run(scope, runs.item))
            for fact in old_facts:
                if fact["id"] not in kept:
                    self._memories.delete(fact["id"])
                elif fact["metadata"] != fact_metadata:
                    self._memories.update(fact["id"], metadata=fact_metadata)

    # -- internals ----------------------------------------------------------------------

    def _extract_facts(self, text: str, scope: Scope, metadata: dict[str, Any]) -> set[str]:
        """Add `text` with extraction in the item's facts run; the ids of the facts it holds."""
        rows = self._memories.add(text, scope, metadata=metadata, infer=True)
        return {row["id"] for row in rows if row["event"] != "DELETE"}

    def _write_value(
        self,
        stored: list[dict[str, Any]],
        text: str,
        metadata: dict[str, Any],
        scope: Scope,
    ) -> None:
        """The item's value memory takes `text` and `metadata`: updated in place (its id and
        created_at kept), or added; copies left by a race between processes are removed."""
        if stored:
            newest = stored[0]
            changed = text if newest["memory"] != text.strip() else None
            self._memories.update(newest["id"], text=changed, metadata=metadata)
            for extra in stored[1:]:
                self._memories.delete(extra["id"])
            return
        row = self._memories.add(text, scope, metadata=metadata, infer=False)[0]
        if row["event"] == "NONE":  # a memory with this text was left in the run: adopt it
            self._memories.update(row["id"], metadata=metadata)

    def _fields(self, index: list[str] | None) -> list[str] | None:
        return self.index_fields if index is None else _check_fields(index)


def _check_key(key: object) -> str:
    if not isinstance(key, str) or not key:
        raise InvalidInput("an item key must be a non-empty string", field="key")
    return key


def _check_fields(fields: Sequence[str] | None) -> list[str] | None:
    if fields is None:
        return None
    if isinstance(fields, str) or not all(isinstance(f, str) and f for f in fields):
        raise InvalidInput("index fields must be a list of field paths", field="index")
    return list(fields)
