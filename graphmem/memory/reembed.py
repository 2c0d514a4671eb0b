"""Re-embed a data dir with the configured embedder: what `graphmem reembed` runs.

A data dir records the embedding model that made its vectors and refuses to open with
another (SPEC §5). After changing the embedder, this rebuilds every memory vector and
entity-name vector, in every scope, with the new one, and records it. Memory payloads
(text, scope, metadata, timestamps: everything) are carried over exactly; how a crash
midway is survived is in `stores/vector/qdrant_reembed.py`. The graph, BM25 and history
hold no vectors and are left as they are.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from graphmem.config import GraphMemConfig
from graphmem.errors import InvalidInput
from graphmem.memory.backends import open_backends
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.vector.base import StepProgress

DEFAULT_BATCH_SIZE = 256
MAX_BATCH_SIZE = 10_000


@dataclass(frozen=True)
class ReembedSummary:
    """What a re-embedding rebuilt, with which model, and which one it replaced (None
    when the data dir recorded none)."""

    memories: int
    entities: int
    embedder: str
    embedding_dims: int
    previous_embedder: str | None
    previous_embedding_dims: int | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def reembed_data_dir(
    config: GraphMemConfig,
    *,
    embedder: Embedder | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: StepProgress | None = None,
) -> ReembedSummary:
    """Rebuild every vector of `config`'s data dir with its embedder (or `embedder`).

    Args:
        config: The data dir and the embedder to move to.
        embedder: Use this embedder instead of the one `config` names (tools and tests).
        batch_size: Texts per embedding call (and points per Qdrant write).
        progress: Told `(step, done, total)` as the work goes.

    Returns:
        The counts re-embedded and the models before and after.

    Raises:
        InvalidInput: `batch_size` is not an integer from 1 to MAX_BATCH_SIZE.
        ConfigError: The configured embedder cannot be built.
        StoreUnavailable: A store is down or locked; what was done so far is kept in a
            state the next run finishes or starts over from (never a mix of models).

    Example:
        >>> # reembed_data_dir(GraphMemConfig(embedder="local", embedding_dims=384)).memories
    """
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, int)
        or not 1 <= batch_size <= MAX_BATCH_SIZE
    ):
        raise InvalidInput(
            f"batch_size must be an integer from 1 to {MAX_BATCH_SIZE}", field="batch_size"
        )
    backends = open_backends(config, embedder=embedder, verify_model=False)
    try:
        previous = backends.vectors.recorded_model()
        counts = backends.vectors.reembed(
            backends.embedder, batch_size=batch_size, progress=progress
        )
    finally:
        backends.close()
    return ReembedSummary(
        memories=counts.memories,
        entities=counts.entities,
        embedder=backends.embedder.name,
        embedding_dims=backends.embedder.dims,
        previous_embedder=previous.name if previous else None,
        previous_embedding_dims=previous.dims if previous else None,
    )
