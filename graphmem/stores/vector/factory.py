"""Open the VectorStore a config names: a Qdrant server, Qdrant Edge, or local mode.

With `qdrant_url` the vectors live on that server. Otherwise they are embedded in
`config.qdrant_location()`, on the engine `embedded_engine` picks: a folder qdrant-client's
local mode made stays on local mode (until `graphmem migrate` moves it), every other
folder is Qdrant Edge's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from qdrant_client import QdrantClient

from graphmem.config import GraphMemConfig
from graphmem.errors import ConfigError
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.vector.base import EmbeddingModel, VectorStore
from graphmem.stores.vector.edge_shards import is_edge_folder
from graphmem.stores.vector.edge_store import EdgeVectorStore
from graphmem.stores.vector.qdrant_store import QdrantVectorStore, open_qdrant

Engine = Literal["edge", "local"]

MIGRATION_SUFFIX = ".edge-migrating"
MIGRATION_COMPLETE = "migrated.json"


def open_vector_store(
    config: GraphMemConfig, embedder: Embedder, *, verify_model: bool = True
) -> VectorStore:
    """The configured vector store, checked against `embedder`'s model (see each store).

    Raises:
        ConfigError: The folder belongs to the other engine than the one configured, an
            interrupted `graphmem migrate` has not finished, or another model made it.
        StoreUnavailable: The store is down, or another process holds the folder.
    """
    if config.qdrant_url:
        key = config.qdrant_api_key.get_secret_value() if config.qdrant_api_key else None
        return _qdrant(config, embedder, open_qdrant(None, config.qdrant_url, key), verify_model)
    folder = config.qdrant_location()
    if embedded_engine(config) == "local":
        return _qdrant(config, embedder, open_qdrant(folder, None, None), verify_model)
    return EdgeVectorStore(
        folder,
        EmbeddingModel.of(embedder),
        prefix=config.collection_prefix,
        verify_model=verify_model,
    )


def embedded_engine(config: GraphMemConfig) -> Engine:
    """Which embedded engine holds (or will hold) `config`'s vector folder."""
    folder = config.qdrant_location()
    if migration_pending(folder):
        raise ConfigError(
            f"an interrupted `graphmem migrate` left a complete Edge copy at "
            f"{migration_folder(folder)} that is not yet in place; run `graphmem migrate` "
            "again to finish (nothing is lost)",
            field="vector_store",
        )
    found: Engine | None = (
        "local" if holds_local_mode(folder) else "edge" if is_edge_folder(folder) else None
    )
    wanted = config.vector_store
    if wanted == "auto":
        return found or "edge"
    if found is not None and found != wanted:
        remedy = "run `graphmem migrate` to move it to Edge" if found == "local" else ""
        raise ConfigError(
            f"the vector folder {folder} was made by "
            f"{'Qdrant local mode' if found == 'local' else 'Qdrant Edge'}, but "
            f"vector_store is {wanted!r}: set vector_store to 'auto' or {found!r}"
            + (f", or {remedy}" if remedy else ""),
            field="vector_store",
        )
    return wanted


def holds_local_mode(folder: Path) -> bool:
    """Whether `folder` holds qdrant-client local mode's files (its `meta.json`)."""
    return (folder / "meta.json").exists()


def migration_folder(folder: Path) -> Path:
    """Where `graphmem migrate` builds the Edge copy of local-mode `folder`."""
    return folder.with_name(f"{folder.name}{MIGRATION_SUFFIX}")


def migration_pending(folder: Path) -> bool:
    """Whether a complete Edge copy of `folder` waits to be put in place (a partial one,
    from a migrate cut short while copying, does not count: the old folder is whole)."""
    return (migration_folder(folder) / MIGRATION_COMPLETE).exists()


def _qdrant(
    config: GraphMemConfig, embedder: Embedder, client: QdrantClient, verify_model: bool
) -> QdrantVectorStore:
    try:
        return QdrantVectorStore(
            client,
            dims=embedder.dims,
            prefix=config.collection_prefix,
            model=embedder.name,
            verify_model=verify_model,
        )
    except BaseException:
        client.close()
        raise
