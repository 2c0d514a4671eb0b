"""graphmem: graph-centric long-term memory for AI agents.

Example:
    >>> from graphmem import Memory
    >>> # with Memory() as m: m.add("Sarah works at Google.", user_id="alice")
"""

from graphmem.config import GraphMemConfig, RetrievalConfig
from graphmem.errors import (
    ConfigError,
    ExtractionFailed,
    GraphMemError,
    InvalidInput,
    NotFound,
    ScopeViolation,
    StoreUnavailable,
)
from graphmem.memory.async_facade import AsyncMemory
from graphmem.memory.facade import Memory

__all__ = [
    "AsyncMemory",
    "ConfigError",
    "ExtractionFailed",
    "GraphMemConfig",
    "GraphMemError",
    "InvalidInput",
    "Memory",
    "NotFound",
    "RetrievalConfig",
    "ScopeViolation",
    "StoreUnavailable",
]
__version__ = "0.1.0"
