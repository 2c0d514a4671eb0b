"""`Memory`: the one object applications use (SPEC §3).

It validates input, asks the extractor for facts, entities and relations, plans the write,
and applies it across graph, vectors, BM25 and history as one unit. Reads go through the
hybrid retriever and never call an LLM.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from graphmem.config import GraphMemConfig
from graphmem.errors import InvalidInput, NotFound
from graphmem.memory.arguments import (
    check_bool,
    check_channels,
    check_limit,
    check_metadata,
    check_text,
    check_threshold,
    check_timestamp,
    time_view,
)
from graphmem.memory.backends import Backends, open_backends
from graphmem.memory.bm25_checkpoint import BM25Checkpoint
from graphmem.memory.export import export_records
from graphmem.memory.graph_view import GraphView
from graphmem.memory.listing import list_memories
from graphmem.memory.write.pipeline import MemoryWriter
from graphmem.memory.write.writer import undo_pending_writes
from graphmem.models.filters import all_of, compile_filters, said_by
from graphmem.models.records import Relation
from graphmem.models.scope import Scope
from graphmem.models.usage import LLMUsage
from graphmem.retrieval.graph_channel import describe_relations
from graphmem.retrieval.retriever import CHANNELS, HybridRetriever, SearchRequest

logger = logging.getLogger(__name__)


class Memory:
    """Long-term memory for agents: a knowledge graph, vectors and BM25 behind one API.

    Args:
        config: Settings; by default read from `GRAPHMEM_*` env vars and defaults
            (embedded networkx graph, Qdrant local mode, data under `~/.graphmem`).

    Raises:
        StoreUnavailable: a store is down, or the data dir is locked by another process.
        ConfigError: the data dir's vectors were made by another embedding model (name or
            dims); `graphmem reembed` moves them to the configured one.

    Example:
        >>> with Memory(GraphMemConfig(data_dir="/tmp/gm-doc")) as m:
        ...     added = m.add("Sarah Chen works at Google.", user_id="alice")
        ...     m.query("who works at Google?", user_id="alice")["answers"][0]["entity"]
        'Sarah Chen'
    """

    def __init__(self, config: GraphMemConfig | None = None) -> None:
        self.config = config or GraphMemConfig()
        self._backends: Backends = open_backends(self.config)
        try:
            undo_pending_writes(self._backends)  # writes a crash cut short
        except BaseException:
            self._backends.close()
            raise
        self._lock = threading.RLock()
        self._bm25_loaded = False
        self._bm25_checkpoint = BM25Checkpoint.for_config(self.config)
        self._closed = False
        self._writer = MemoryWriter(
            self.config, self._backends, self._lock, prepare=self._load_bm25
        )
        self.graph = GraphView(self._backends.graph)
        self._retriever = HybridRetriever(
            graph=self._backends.graph,
            vectors=self._backends.vectors,
            bm25=self._backends.bm25,
            embedder=self._backends.embedder,
            config=self.config.retrieval,
        )

    @classmethod
    def from_config(cls, values: dict[str, Any]) -> Memory:
        """A Memory from a plain dict of `GraphMemConfig` fields."""
        return cls(GraphMemConfig.from_mapping(values))

    @property
    def read_embedding_calls(self) -> int:
        """Embedding calls `search` and `query` have made so far (texts seen before cost none)."""
        return self._retriever.embedding_calls

    @property
    def llm_usage(self) -> LLMUsage:
        """LLM calls and tokens of every add since this Memory was opened (stored or
        failed); `stats()["llm_usage"]` has the data dir's total, kept across opens."""
        return self._writer.usage_since_open

    @property
    def backends(self) -> Backends:
        """The opened stores, for tools and tests that need to look underneath."""
        return self._backends

    # -- writes -------------------------------------------------------------------------

    def add(
        self,
        messages: str | Sequence[dict[str, Any]] | None = None,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        run_id: str | None = None,
        app_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        infer: bool = True,
        prompt: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        relations: list[dict[str, Any]] | None = None,
        timestamp: str | float | datetime | None = None,
    ) -> dict[str, Any]:
        """Remember what `messages` say, in the graph, the vectors and BM25.

        With an LLM: one extraction call, and a second (reconcile) call only when the
        stores find something its answer could change: stored memories close to a new
        fact that mention one of its entities (or near-duplicates of it), or relations the
        new ones may end.

        Args:
            messages: A string or a list of `{role, content[, name]}` turns. Optional when
                pre-extracted `relations` are given (a fact is then made from each triple).
            user_id / agent_id / run_id / app_id: The scope; at least one is required.
            metadata: A JSON object stored with each memory (filterable).
            infer: False stores the text as given, with no extraction and no LLM call.
            prompt: Extra extraction instructions for this call.
            entities / relations: Pre-extracted graph items; no LLM call is made.
            timestamp: When this was said or holds: ISO 8601 text (a date or a date-time,
                naive is UTC), epoch seconds, or a `datetime`. Stored on each new memory
                (returned as ISO 8601 UTC, filterable, and `search(as_of=...)` leaves out
                memories said after its day); relations of this add that state no
                `valid_from` hold from its day (endings without `valid_to` end on it).
                None (the default) stores no timestamp; `created_at` is always when
                graphmem stored the memory.

        Returns:
            `{"results": [{"id", "memory", "event", "previous_memory"?}], "relations":
            {"added", "invalidated"}, "usage": {"llm_calls", "prompt_tokens",
            "completion_tokens", "total_tokens"}}`; `event` is ADD, UPDATE, DELETE or
            NONE. `usage` counts every LLM completion of this add, extraction and
            reconcile, re-asks included; all zeros when no LLM was called (offline
            extractor, `infer=False`, pre-extracted input).

        Raises:
            InvalidInput: empty text, no scope, wrong types; nothing was written.
            ExtractionFailed: the LLM failed; nothing was written.

        Example:
            >>> # m.add("I moved to Paris.", user_id="alice", timestamp="2023-05-08T13:56:00")
        """
        scope = Scope.of(user_id=user_id, agent_id=agent_id, run_id=run_id, app_id=app_id)
        added = self._writer.add(
            messages,
            scope,
            metadata=check_metadata(metadata),
            infer=check_bool(infer, "infer"),
            prompt=prompt,
            entities=entities,
            relations=relations,
            said_at=check_timestamp(timestamp),
        )
        return {
            "results": added.plan.results,
            "relations": {
                "added": self._describe(added.plan.graph.added_relations()),
                "invalidated": self._describe(added.plan.invalidated),
            },
            "usage": added.usage.to_dict(),
        }

    def update(
        self, memory_id: str, text: str | None = None, metadata: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Replace a memory's text and/or metadata; history records an UPDATE."""
        if text is None and metadata is None:
            raise InvalidInput("give text or metadata to update", field="text")
        new_text = check_text(text, "text", max_chars=100_000) if text is not None else None
        new_metadata = check_metadata(metadata) if metadata is not None else None
        return self._writer.update(memory_id, new_text, new_metadata).results[0]

    def delete(self, memory_id: str) -> dict[str, Any]:
        """Delete one memory, and graph items that only it supported."""
        return self._writer.delete(memory_id).results[0]

    def delete_all(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        run_id: str | None = None,
        app_id: str | None = None,
    ) -> dict[str, Any]:
        """Delete every memory of one scope (and graph items only they supported)."""
        scope = Scope.of(user_id=user_id, agent_id=agent_id, run_id=run_id, app_id=app_id)
        return {"deleted": self._writer.delete_all(scope), **scope.ids()}

    def import_records(
        self,
        records_or_path: str | Path | Iterable[dict[str, Any]],
        *,
        progress: bool = True,
        batch_size: int = 1000,
    ) -> dict[str, Any]:
        """Bulk-add pre-extracted records (a `.jsonl` path or dicts), with no LLM call.

        Each record is `{"text"?, scope ids, "metadata"?, "entities"?, "relations"?}` as in
        SPEC §3. Records are planned and written in batches; a bad record is reported by
        line number and nothing of it is written, the rest goes on.

        Returns:
            `{"records", "memories", "entities", "relations", "seconds", "errors": [...]}`.
        """
        return self._writer.import_records(
            records_or_path,
            progress=progress,
            batch_size=batch_size,
            after=lambda: self._bm25_checkpoint.save(self._backends),
        )

    def export(self, path: str | Path) -> dict[str, Any]:
        """Write every memory, with its entities and relations, as JSONL `import_records` reads."""
        with self._lock:
            return export_records(self._backends, Path(path))

    def reset(self) -> None:
        """Delete everything in every scope (graph, vectors, BM25, history, and the LLM
        usage `stats` sums; `llm_usage` since open is a process counter and stays)."""
        with self._lock:
            self._backends.graph.reset()
            self._backends.vectors.reset()
            self._backends.history.reset()
            self._backends.bm25.clear()

    # -- reads --------------------------------------------------------------------------

    def get(self, memory_id: str) -> dict[str, Any]:
        """One memory by id; raises NotFound for an unknown id."""
        return self._writer.record(memory_id).to_dict()

    def get_all(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        run_id: str | None = None,
        app_id: str | None = None,
        filters: dict[str, Any] | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> dict[str, Any]:
        """A page of a scope's memories: `{"results": [...], "next_cursor": str | None}`."""
        scope = Scope.of(user_id=user_id, agent_id=agent_id, run_id=run_id, app_id=app_id)
        predicate = compile_filters(filters)
        size = check_limit(limit)
        if cursor is not None and not isinstance(cursor, str):
            raise InvalidInput("cursor must be a string from a previous page", field="cursor")
        return list_memories(self._backends.vectors, scope, predicate, size, cursor)

    def search(
        self,
        query: str,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        run_id: str | None = None,
        app_id: str | None = None,
        filters: dict[str, Any] | None = None,
        limit: int = 10,
        threshold: float | None = None,
        as_of: str | None = None,
        include_history: bool = False,
        channels: Sequence[str] = CHANNELS,
        explain: bool = False,
    ) -> dict[str, Any]:
        """Memories and relations relevant to `query`, fused from graph, vector and BM25.

        `score` is the fused score in [0, 1] (1.0: first in every channel); `threshold`
        drops hits below it. The graph reads current relations, or those that held on
        `as_of` ("YYYY-MM-DD"), or all with `include_history` (ended ones have
        `"current": false`); with `as_of` (and without `include_history`) no memory said
        after that day is returned: by its `timestamp`, or, untimed, by its `created_at`.
        No LLM call is made.
        """
        time = time_view(as_of, include_history)
        said_then = said_by(time.as_of) if time.as_of and not time.include_history else None
        request = SearchRequest(
            query=check_text(query, "query"),
            scope=Scope.of(user_id=user_id, agent_id=agent_id, run_id=run_id, app_id=app_id),
            limit=check_limit(limit),
            predicate=all_of(compile_filters(filters) if filters is not None else None, said_then),
            threshold=check_threshold(threshold),
            time=time,
            channels=check_channels(channels),
            explain=check_bool(explain, "explain"),
        )
        with self._lock:
            self._load_bm25()
        return self._retriever.search(request)

    def query(
        self,
        question: str,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        run_id: str | None = None,
        app_id: str | None = None,
        limit: int = 10,
        as_of: str | None = None,
        include_history: bool = False,
    ) -> dict[str, Any]:
        """Answer a relationship question with entities: `{"answers", "relations", "memories"}`.

        Links the entities the question names, reads which relation types it asks about
        (from the graph's own types), walks up to `retrieval.max_hops` hops, and ranks the
        ends of the best paths; current relations, or as of a date, or all with
        `include_history`. No LLM call is made.
        """
        return self._retriever.query(
            check_text(question, "question"),
            Scope.of(user_id=user_id, agent_id=agent_id, run_id=run_id, app_id=app_id),
            limit=check_limit(limit),
            time=time_view(as_of, include_history),
        )

    def history(self, memory_id: str) -> list[dict[str, Any]]:
        """Every ADD / UPDATE / DELETE / INVALIDATE of a memory or relation, oldest first."""
        if not isinstance(memory_id, str) or not memory_id:
            raise InvalidInput("memory_id must be a non-empty string", field="memory_id")
        events = self._backends.history.for_memory(memory_id)
        if not events:
            raise NotFound(f"no history for {memory_id!r}", field="memory_id")
        return [event.to_dict() for event in events]

    def stats(self, **scope_ids: str | None) -> dict[str, Any]:
        """Counts of memories, entities and relations (in a scope, or all); the embedder
        in use and the one the data dir recorded (None on a Qdrant server that keeps no
        collection metadata); the graph and vector stores; and `llm_usage`, the LLM calls
        and tokens of every add in that scope (or all), stored or failed, since the data
        dir was made or last `reset` (kept in its history log, so across opens and
        processes; `llm_usage` the property counts since this open only)."""
        scope = Scope.of(**scope_ids) if any(scope_ids.values()) else None
        counts = self._backends.graph.counts(scope)
        recorded = self._backends.vectors.recorded_model()
        return {
            "memories": self._backends.vectors.count_memories(scope),
            "entities": counts.entities,
            "relations": counts.relations,
            "embedder": self._backends.embedder.name,
            "embedding_dims": self._backends.embedder.dims,
            "recorded_embedder": recorded.name if recorded else None,
            "recorded_embedding_dims": recorded.dims if recorded else None,
            "extractor": self._backends.extractor.name,
            "graph_store": self.config.graph_store,
            "vector_store": self._backends.vectors.engine,
            "llm_usage": self._backends.history.usage(scope).to_dict(),
        }

    # -- lifecycle ----------------------------------------------------------------------

    def close(self) -> None:
        """Save the BM25 snapshot, release the stores (and the data dir's lock); safe to
        call twice."""
        with self._lock:
            if not self._closed:
                self._closed = True
                try:
                    if self._bm25_loaded:
                        self._bm25_checkpoint.save(self._backends)
                finally:
                    self._backends.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------

    def _load_bm25(self) -> None:
        """Load the BM25 index once, on first need: its snapshot caught up, or rebuilt."""
        if self._bm25_loaded:
            return
        self._bm25_checkpoint.load(self._backends)
        self._bm25_loaded = True

    def _describe(self, relations: Sequence[Relation]) -> list[dict[str, Any]]:
        return describe_relations(relations, self._backends.graph)
