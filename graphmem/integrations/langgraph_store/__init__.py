"""LangGraph long-term memory backed by graphmem: `GraphMemStore`, a LangGraph `BaseStore`.

Compile a graph with `store=GraphMemStore(memory, ...)` and its nodes' `runtime.store`
puts, gets, searches and deletes items in graphmem (`pip install 'graphmem[langgraph]'`).

How LangGraph's model maps onto graphmem's:

- **Namespace -> scope.** `scope={"app_id": "bot"}` files every item under fixed ids;
  `namespace_scope={"user_id": 0}` says namespace label 0 is the user id, so
  `("alice", "memories")` is user "alice". A scope is the fixed ids plus the named labels
  (user_id / agent_id / app_id; at least one of the two settings). The whole namespace
  and the key are kept in the memory's metadata (`metadata["langgraph"]`), so items come
  back with the namespace they were put under.
- **Tenancy is exact.** A memory is an item of a scope only when its user / agent / app
  ids equal that scope's (a graphmem reading scope alone would also match memories with
  more ids) and it sits in the run its namespace and key imply. A search or listing whose
  prefix does not name every scope label (too short, or `*` on one) would read several
  scopes: it raises `ScopeViolation` instead of being widened. A get / put / delete whose
  namespace is too short raises `InvalidInput`.
- **put -> a memory.** `put(ns, key, value)` stores one memory (`infer=False`: as given,
  no LLM) whose text is the value's indexed fields (`index_fields`, LangGraph paths; the
  whole value as `field: value` lines by default) and whose metadata holds the value.
  `run_id` is the store's: each item is a run of its own (`langgraph:<uuid>`, stable in
  scope, namespace and key), so an item is found by one scoped lookup and two items with
  the same text stay two memories. A put on an existing key updates that memory in place
  (same id, `created_at` kept, `updated_at` now, an UPDATE in graphmem's history); a put
  of `None` (and `delete`) removes it. `index=False` keeps an item out of query ranking.
- **infer.** With `infer=True` each put also runs graphmem's extraction on the text (the
  configured LLM, or the offline extractor) in a second run of the item
  (`langgraph:<uuid>:facts`): its facts are memories of role `fact`, its entities and
  relations join the scope's graph, so the graph channel and `Memory.query` see them.
  Facts are replaced on the next put of the key (identical ones kept) and removed with it;
  an extraction that fails raises `ExtractionFailed` and leaves the old item whole.
- **search.** `search(prefix, query=..., filter=..., limit, offset)`: the filter matches
  value fields (`{"color": "red"}`, `{"score": {"$gte": 4}}`, nested objects, `$eq $ne
  $gt $gte $lt $lte`), evaluated by graphmem's filter code; with a query, graphmem's
  hybrid search ranks the matching items (an item scores as its best memory: its value
  or one of its facts; `SearchItem.score` is the fused score in [0, 1]), unranked matches
  follow with score None; without a query, items come most recently updated first.
- **list_namespaces(prefix, suffix, max_depth, limit, offset)** lists one scope's
  namespaces with LangGraph's prefix / suffix / `*` rules, sorted.
- **batch / abatch.** Ops run in order, each seeing the ones before; `abatch` runs the
  batch in a worker thread (the `Memory` calls block). An `AsyncMemory` may be given: the
  store uses the `Memory` it wraps. Writes are serialised per store; two processes
  writing the same key at once may leave two copies, which the next put of it removes.
- **Limits.** A value is a JSON object of at most 64 KiB with its namespace and key (it is
  memory metadata); no TTL (`supports_ttl` is False); a search or listing reads the
  scope's items (one filtered scan, as graphmem's `get_all` does), a get reads one run.

Example:
    >>> # from graphmem import Memory
    >>> # from graphmem.integrations.langgraph_store import GraphMemStore
    >>> # store = GraphMemStore(Memory(), namespace_scope={"user_id": 0}, index_fields=["text"])
    >>> # graph = builder.compile(store=store)
"""

try:
    import langgraph.store.base  # noqa: F401  (the extra this adapter needs)
except ImportError as missing:  # pragma: no cover
    raise ImportError(
        "graphmem's LangGraph store needs LangGraph: pip install 'graphmem[langgraph]'"
    ) from missing

from graphmem.integrations.langgraph_store.store import GraphMemStore

__all__ = ["GraphMemStore"]
