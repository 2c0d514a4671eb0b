"""The stores one Memory works with, opened together from one config and closed together."""

from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass

from graphmem.config import GraphMemConfig
from graphmem.extraction.base import Extractor, Reconciler
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.embedders.factory import build_embedder
from graphmem.stores.graph.base import GraphStore
from graphmem.stores.graph.networkx_store import NetworkxGraphStore
from graphmem.stores.heap import release_long_lived
from graphmem.stores.history import HistoryLog
from graphmem.stores.text.bm25 import BM25Index
from graphmem.stores.vector.base import VectorStore
from graphmem.stores.vector.factory import open_vector_store

logger = logging.getLogger(__name__)


@dataclass
class Backends:
    """Graph, vectors, BM25, history, embedder and extractor of one Memory; the
    reconciler judges new facts against their neighbours when an LLM is configured."""

    graph: GraphStore
    vectors: VectorStore
    bm25: BM25Index
    history: HistoryLog
    embedder: Embedder
    extractor: Extractor
    reconciler: Reconciler | None = None

    def close(self) -> None:
        """Close every store; what the graph and BM25 froze at load goes back to the
        collector (`release_long_lived`), even if a store fails to close."""
        try:
            for store in (self.graph, self.vectors, self.history):
                store.close()
        finally:
            release_long_lived()


def open_backends(
    config: GraphMemConfig, *, embedder: Embedder | None = None, verify_model: bool = True
) -> Backends:
    """Open every store the config names; on failure close what was already open.

    Args:
        config: The one configuration object.
        embedder: Use this embedder instead of the one `config` names (tools and tests).
        verify_model: False skips the check that the data dir's vectors were made by this
            embedder; only `reembed`, which rebuilds them, opens a data dir so.

    Raises:
        ConfigError: The data dir's vectors were made by another embedding model.
        StoreUnavailable: A store is down, or the data dir is locked by another process.
    """
    with ExitStack() as close_on_failure:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        embedder = embedder or build_embedder(config)
        vectors = open_vector_store(config, embedder, verify_model=verify_model)
        close_on_failure.callback(vectors.close)
        history = HistoryLog(config.data_dir / "history.sqlite")
        close_on_failure.callback(history.close)
        graph = _open_graph(config)
        extractor, reconciler = _build_extractor(config)
        logger.info(
            "graphmem opened %s: graph=%s, embedder=%s, extractor=%s",
            config.data_dir,
            config.graph_store,
            embedder.name,
            extractor.name,
        )
        close_on_failure.pop_all()
    return Backends(graph, vectors, BM25Index(), history, embedder, extractor, reconciler)


def _open_graph(config: GraphMemConfig) -> GraphStore:
    if config.graph_store == "networkx":
        return NetworkxGraphStore(config.data_dir / "graph")
    from graphmem.stores.graph.neo4j_store import Neo4jGraphStore  # the optional `neo4j` extra

    password = config.neo4j_password.get_secret_value()
    return Neo4jGraphStore(
        config.neo4j_uri, (config.neo4j_user, password), database=config.neo4j_database
    )


def _build_extractor(config: GraphMemConfig) -> tuple[Extractor, Reconciler | None]:
    """The extractor, and the reconciler when an LLM is configured (the offline extractor
    needs none: its rules end relations and a repeated fact is NONE by id)."""
    if config.uses_llm():
        from graphmem.extraction.llm.extractor import LLMExtractor

        llm = LLMExtractor(config)
        return llm, llm
    from graphmem.extraction.offline.extractor import OfflineExtractor

    return OfflineExtractor(), None
