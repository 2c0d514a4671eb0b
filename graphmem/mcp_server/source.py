"""Where the MCP server gets its `AsyncMemory`: opened by the service, or on first need.

The REST service opens its memory in its lifespan and hands it over. The stdio server
opens its own with `LazyMemory`, which retries after a failed open: a data dir locked by
another graphmem process makes each tool call report `StoreUnavailable` (naming the
lock) until the other process lets go, instead of the server dying at start-up, which
agents show only as "server disconnected".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio

from graphmem.config import GraphMemConfig
from graphmem.memory.async_facade import AsyncMemory

MemorySource = Callable[[], Awaitable[AsyncMemory]]
"""Gives the memory a tool works on; raises a GraphMemError when it cannot be opened."""


class LazyMemory:
    """An `AsyncMemory` opened on first need, once; a failed open is tried again next time.

    Example:
        >>> source = LazyMemory(GraphMemConfig(data_dir="/tmp/gm"))
        >>> # memory = await source.get(); ...; await source.close()
    """

    def __init__(self, config: GraphMemConfig) -> None:
        self._config = config
        self._memory: AsyncMemory | None = None
        self._lock = anyio.Lock()

    async def get(self) -> AsyncMemory:
        """The opened memory.

        Raises:
            StoreUnavailable: a store is down, or another process holds the data dir.
            ConfigError: the data dir's vectors were made by another embedding model.
        """
        async with self._lock:
            if self._memory is None:
                self._memory = await AsyncMemory.open(self._config)
            return self._memory

    async def close(self) -> None:
        """Close the memory if it was opened (releasing the data dir's lock)."""
        async with self._lock:
            if self._memory is not None:
                await self._memory.close()
                self._memory = None
