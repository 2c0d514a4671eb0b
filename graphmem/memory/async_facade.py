"""`AsyncMemory`: the `Memory` API as coroutines, for asyncio servers and agents (SPEC §3).

Every call runs the blocking `Memory` method in a worker thread (`anyio.to_thread`), so the
event loop keeps serving while graph, vector and BM25 work happens. The wrapped `Memory`
already serialises its writes; a capacity limiter bounds how many calls run at once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter

from graphmem.config import GraphMemConfig
from graphmem.memory.facade import Memory
from graphmem.memory.graph_view import GraphView
from graphmem.models.records import Entity
from graphmem.models.scope import Scope
from graphmem.models.usage import LLMUsage
from graphmem.retrieval.retriever import CHANNELS

P = ParamSpec("P")
T = TypeVar("T")

_PING_ID = "__graphmem_ping__"


class _Offloader:
    """Runs blocking callables in worker threads, at most `limit` at a time."""

    def __init__(self, limit: int) -> None:
        self._limiter = CapacityLimiter(limit)

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        call = functools.partial(function, *args, **kwargs)
        return await anyio.to_thread.run_sync(call, limiter=self._limiter)


class AsyncGraphView:
    """`Memory.graph` as coroutines: entities, neighbours, subgraphs, saved queries, Cypher."""

    def __init__(self, view: GraphView, offloader: _Offloader) -> None:
        self._view = view
        self._run = offloader.run

    async def entities(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        app_id: str | None = None,
        entity_type: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Entities the scope sees, by name (see `GraphView.entities`)."""
        return await self._run(
            self._view.entities,
            user_id=user_id,
            agent_id=agent_id,
            app_id=app_id,
            entity_type=entity_type,
            limit=limit,
            offset=offset,
        )

    async def entity(self, entity: str, scope: Scope) -> Entity:
        """An entity of `scope` by id, name or alias; raises NotFound otherwise."""
        return await self._run(self._view.entity, entity, scope)

    async def neighbors(
        self,
        entity: str,
        relationship: str | None = None,
        direction: str = "both",
        depth: int = 1,
        as_of: str | date | None = None,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        app_id: str | None = None,
    ) -> dict[str, Any]:
        """Nodes and edges within `depth` hops of an entity (see `GraphView.neighbors`)."""
        return await self._run(
            self._view.neighbors,
            entity,
            relationship,
            direction,
            depth,
            as_of,
            user_id=user_id,
            agent_id=agent_id,
            app_id=app_id,
        )

    async def subgraph(
        self,
        entity: str | None = None,
        *,
        depth: int = 1,
        limit: int = 200,
        user_id: str | None = None,
        agent_id: str | None = None,
        app_id: str | None = None,
    ) -> dict[str, Any]:
        """Around one entity, or the scope's first `limit` entities (see `GraphView.subgraph`)."""
        return await self._run(
            self._view.subgraph,
            entity,
            depth=depth,
            limit=limit,
            user_id=user_id,
            agent_id=agent_id,
            app_id=app_id,
        )

    async def cypher(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        app_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Read-only Cypher over the whole graph, unscoped only (see `GraphView.cypher`)."""
        return await self._run(
            self._view.cypher, query, params, user_id=user_id, agent_id=agent_id, app_id=app_id
        )

    async def saved_queries(self) -> list[dict[str, Any]]:
        """The saved queries a scoped caller may run (see `GraphView.saved_queries`)."""
        return self._view.saved_queries()

    async def saved_query(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        app_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Rows of a saved query in one scope (see `GraphView.saved_query`)."""
        return await self._run(
            self._view.saved_query, name, params, user_id=user_id, agent_id=agent_id, app_id=app_id
        )


class AsyncMemory:
    """`Memory` with every method a coroutine; the blocking work runs in worker threads.

    Args:
        config: Settings, as for `Memory`. Ignored when `memory` is given.
        memory: An already opened `Memory` to wrap (closed by `close`).
        max_threads: How many calls may run in worker threads at once.

    Raises:
        StoreUnavailable: a store is down, or the data dir is locked by another process.

    Example:
        >>> async def remember() -> str:
        ...     async with await AsyncMemory.open(GraphMemConfig(data_dir="/tmp/gm")) as m:
        ...         await m.add("Sarah Chen works at Google.", user_id="alice")
        ...         found = await m.query("who works at Google?", user_id="alice")
        ...         return found["answers"][0]["entity"]
    """

    def __init__(
        self,
        config: GraphMemConfig | None = None,
        *,
        memory: Memory | None = None,
        max_threads: int = 16,
    ) -> None:
        self._memory = memory if memory is not None else Memory(config)
        self._offloader = _Offloader(max_threads)
        self._run = self._offloader.run
        self.graph = AsyncGraphView(self._memory.graph, self._offloader)

    @classmethod
    async def open(cls, config: GraphMemConfig | None = None, **options: Any) -> AsyncMemory:
        """Open the stores in a worker thread (opening blocks) and wrap them."""
        memory = await anyio.to_thread.run_sync(Memory, config)
        return cls(memory=memory, **options)

    @property
    def config(self) -> GraphMemConfig:
        """The settings of the wrapped Memory."""
        return self._memory.config

    @property
    def sync(self) -> Memory:
        """The wrapped blocking `Memory`."""
        return self._memory

    @property
    def llm_usage(self) -> LLMUsage:
        """LLM calls and tokens of every add since open (see `Memory.llm_usage`); reading
        it never blocks."""
        return self._memory.llm_usage

    # -- writes -------------------------------------------------------------------------

    async def add(
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
        """Remember what `messages` say, said at `timestamp` if given; the result's `usage`
        is the LLM calls and tokens this add spent (see `Memory.add`)."""
        return await self._run(
            self._memory.add,
            messages,
            user_id=user_id,
            agent_id=agent_id,
            run_id=run_id,
            app_id=app_id,
            metadata=metadata,
            infer=infer,
            prompt=prompt,
            entities=entities,
            relations=relations,
            timestamp=timestamp,
        )

    async def update(
        self, memory_id: str, text: str | None = None, metadata: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Replace a memory's text and/or metadata (see `Memory.update`)."""
        return await self._run(self._memory.update, memory_id, text, metadata)

    async def delete(self, memory_id: str) -> dict[str, Any]:
        """Delete one memory (see `Memory.delete`)."""
        return await self._run(self._memory.delete, memory_id)

    async def delete_all(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        run_id: str | None = None,
        app_id: str | None = None,
    ) -> dict[str, Any]:
        """Delete every memory of one scope (see `Memory.delete_all`)."""
        return await self._run(
            self._memory.delete_all,
            user_id=user_id,
            agent_id=agent_id,
            run_id=run_id,
            app_id=app_id,
        )

    async def import_records(
        self,
        records_or_path: str | Path | Iterable[dict[str, Any]],
        *,
        progress: bool = False,
        batch_size: int = 1000,
    ) -> dict[str, Any]:
        """Bulk-add pre-extracted records (see `Memory.import_records`); no progress bar."""
        return await self._run(
            self._memory.import_records,
            records_or_path,
            progress=progress,
            batch_size=batch_size,
        )

    async def export(self, path: str | Path) -> dict[str, Any]:
        """Write every memory as JSONL (see `Memory.export`)."""
        return await self._run(self._memory.export, path)

    async def reset(self) -> None:
        """Delete everything in every scope."""
        await self._run(self._memory.reset)

    # -- reads --------------------------------------------------------------------------

    async def get(self, memory_id: str) -> dict[str, Any]:
        """One memory by id; raises NotFound for an unknown id."""
        return await self._run(self._memory.get, memory_id)

    async def get_all(
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
        """A page of a scope's memories (see `Memory.get_all`)."""
        return await self._run(
            self._memory.get_all,
            user_id=user_id,
            agent_id=agent_id,
            run_id=run_id,
            app_id=app_id,
            filters=filters,
            limit=limit,
            cursor=cursor,
        )

    async def search(
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
        """Memories and relations relevant to `query` (see `Memory.search`)."""
        return await self._run(
            self._memory.search,
            query,
            user_id=user_id,
            agent_id=agent_id,
            run_id=run_id,
            app_id=app_id,
            filters=filters,
            limit=limit,
            threshold=threshold,
            as_of=as_of,
            include_history=include_history,
            channels=channels,
            explain=explain,
        )

    async def query(
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
        """Answer a relationship question with entities (see `Memory.query`)."""
        return await self._run(
            self._memory.query,
            question,
            user_id=user_id,
            agent_id=agent_id,
            run_id=run_id,
            app_id=app_id,
            limit=limit,
            as_of=as_of,
            include_history=include_history,
        )

    async def history(self, memory_id: str) -> list[dict[str, Any]]:
        """Every change of a memory, oldest first (see `Memory.history`)."""
        return await self._run(self._memory.history, memory_id)

    async def stats(self, **scope_ids: str | None) -> dict[str, Any]:
        """Counts of memories, entities and relations, and the LLM usage of adds (in a
        scope, or all; see `Memory.stats`)."""
        return await self._run(self._memory.stats, **scope_ids)

    async def ping(self) -> dict[str, str | None]:
        """Ask each store (graph, vectors, history) a trivial question.

        Returns:
            `{"graph": None | error, "vectors": None | error, "history": None | error}`:
            None where the store answered, else the error's type and message.
        """
        return await self._run(_ping_stores, self._memory)

    # -- lifecycle ----------------------------------------------------------------------

    async def close(self) -> None:
        """Release the stores; safe to call twice."""
        await self._run(self._memory.close)

    async def __aenter__(self) -> AsyncMemory:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


def _ping_stores(memory: Memory) -> dict[str, str | None]:
    """One cheap read per store; a failure is reported, not raised."""
    backends = memory.backends
    probes: dict[str, Callable[[], object]] = {
        "graph": lambda: backends.graph.get_entities([_PING_ID]),
        "vectors": lambda: backends.vectors.count_memories(None),
        "history": lambda: backends.history.for_memory(_PING_ID),
    }
    results: dict[str, str | None] = {}
    for name, probe in probes.items():
        try:
            probe()
        except Exception as exc:  # a readiness probe reports every failure, whatever its kind
            results[name] = f"{type(exc).__name__}: {exc}"
        else:
            results[name] = None
    return results
