"""Qdrant local mode only: collections of older graphmem versions keep ranking by cosine.

The contract every vector store keeps is in test_vector_contract.py.
"""

from __future__ import annotations

from qdrant_client import QdrantClient
from qdrant_client import models as qm

from graphmem.models.scope import Scope
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
