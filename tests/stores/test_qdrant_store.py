"""Qdrant local mode only: collections of older graphmem versions keep ranking by cosine,
and reads in other threads during writes (local mode has no locking of its own) succeed.

The contract every vector store keeps is in test_vector_contract.py.
"""

from __future__ import annotations

import threading
from pathlib import Path

from qdrant_client import QdrantClient
from qdrant_client import models as qm

from graphmem.models.records import MemoryRecord
from graphmem.models.scope import Scope
from graphmem.stores.embedders.hash import HashEmbedder
from graphmem.stores.vector.qdrant_store import QdrantVectorStore
from tests.stores.test_vector_contract import DIMS, QUERY, brute_force, put, vectors_near_query


def test_a_cosine_collection_of_an_older_version_still_ranks_by_cosine() -> None:
    client = QdrantClient(":memory:")
    for name in ("graphmem_memories", "graphmem_entities"):
        params = qm.VectorParams(size=DIMS, distance=qm.Distance.COSINE)
        client.create_collection(name, vectors_config=params)
    store = QdrantVectorStore(client, dims=DIMS)
    alice = put(store, Scope.of(user_id="alice"), vectors_near_query(50, 0.5, seed=10))
    hits = store.search_memories(QUERY.tolist(), Scope.of(user_id="alice"), limit=5)
    assert [hit.id for hit in hits] == brute_force(alice, 5)
    client.close()


def test_local_mode_reads_during_writes_in_other_threads_succeed(tmp_path: Path) -> None:
    embedder, scope = HashEmbedder(), Scope.of(user_id="alice")
    store = QdrantVectorStore(QdrantClient(path=str(tmp_path)), dims=embedder.dims)
    query = embedder.embed(["fact 1"])[0]
    errors: list[Exception] = []
    written = threading.Event()

    def write() -> None:
        for round_ in range(150):
            records = [MemoryRecord.create(f"fact {round_} {n}", scope, {}) for n in range(4)]
            store.upsert_memories(records, embedder.embed([r.memory for r in records]))
            store.delete_memories([records[0].id])
        written.set()

    def read() -> None:
        while not written.is_set():
            try:
                store.search_memories(query, scope, limit=5)
                store.count_memories(scope)
            except Exception as exc:  # every failure, whatever local mode raises
                errors.append(exc)

    threads = [threading.Thread(target=write), *(threading.Thread(target=read) for _ in range(2))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    store.close()
    assert errors == []
