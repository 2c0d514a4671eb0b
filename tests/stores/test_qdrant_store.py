"""Qdrant local mode: nearest neighbours in a scope are exact, however the scopes mix.

Local mode ranks an over-fetched unfiltered neighbourhood and keeps the scope's points,
falling back to Qdrant's filter when too few are in scope; both paths must give exactly
the brute-force answer, and never a point of another scope.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from qdrant_client import QdrantClient
from qdrant_client import models as qm

from graphmem.models.records import Entity, MemoryRecord
from graphmem.models.scope import Scope
from graphmem.stores.vector.qdrant_store import QdrantVectorStore

DIMS = 16
QUERY = np.eye(DIMS)[0]


@pytest.fixture
def store() -> Iterator[QdrantVectorStore]:
    client = QdrantClient(":memory:")
    yield QdrantVectorStore(client, dims=DIMS)
    client.close()


def vectors_near_query(count: int, closeness: float, seed: int) -> list[list[float]]:
    """Unit vectors whose cosine to QUERY is about `closeness`, all different."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(count, DIMS))
    noise[:, 0] = 0.0
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    mixed = closeness * QUERY + np.sqrt(1 - closeness**2) * noise
    mixed[:, 0] += rng.uniform(0, 0.01, size=count)  # no ties
    return (mixed / np.linalg.norm(mixed, axis=1, keepdims=True)).tolist()


def put(store: QdrantVectorStore, scope: Scope, vectors: list[list[float]]) -> dict[str, float]:
    """Store one memory per vector; returns cosine to QUERY by memory id."""
    records = [
        MemoryRecord.create(f"fact {i} of {scope.ids()}", scope, {}) for i in range(len(vectors))
    ]
    store.upsert_memories(records, vectors)
    return {r.id: float(np.dot(v, QUERY)) for r, v in zip(records, vectors, strict=True)}


def brute_force(cosines: dict[str, float], limit: int) -> list[str]:
    return sorted(cosines, key=cosines.__getitem__, reverse=True)[:limit]


def test_one_scope_gets_its_exact_nearest(store: QdrantVectorStore) -> None:
    alice = put(store, Scope.of(user_id="alice"), vectors_near_query(500, 0.5, seed=1))
    hits = store.search_memories(QUERY.tolist(), Scope.of(user_id="alice"), limit=10)
    assert [hit.id for hit in hits] == brute_force(alice, 10)


def test_a_small_scope_among_closer_strangers_still_gets_its_exact_nearest(
    store: QdrantVectorStore,
) -> None:
    put(store, Scope.of(user_id="bob"), vectors_near_query(400, 0.9, seed=2))
    alice = put(store, Scope.of(user_id="alice"), vectors_near_query(30, 0.3, seed=3))
    hits = store.search_memories(QUERY.tolist(), Scope.of(user_id="alice"), limit=10)
    assert [hit.id for hit in hits] == brute_force(alice, 10)


def test_a_scope_with_fewer_points_than_asked_gets_all_of_them(store: QdrantVectorStore) -> None:
    put(store, Scope.of(user_id="bob"), vectors_near_query(40, 0.9, seed=4))
    alice = put(store, Scope.of(user_id="alice", run_id="r1"), vectors_near_query(3, 0.2, seed=5))
    hits = store.search_memories(QUERY.tolist(), Scope.of(user_id="alice", run_id="r1"), limit=10)
    assert [hit.id for hit in hits] == brute_force(alice, 10)
    assert store.search_memories(QUERY.tolist(), Scope.of(user_id="carol"), limit=10) == []


def test_entity_search_keeps_to_the_partition(store: QdrantVectorStore) -> None:
    def entity(name: str, user: str) -> Entity:
        return Entity(name=name, key=name.lower(), type="Person", user_id=user)

    theirs = [entity(f"Bob {i}", "bob") for i in range(100)]
    mine = [entity(f"Ann {i}", "alice") for i in range(5)]
    store.upsert_entities(theirs, vectors_near_query(100, 0.9, seed=6))
    store.upsert_entities(mine, vectors_near_query(5, 0.1, seed=7))
    hits = store.search_entities(QUERY.tolist(), Scope.of(user_id="alice", run_id="r9"), limit=3)
    assert len(hits) == 3
    assert {hit.id for hit in hits} <= {e.id for e in mine}


def test_a_search_among_given_ids_is_exact_on_both_paths(store: QdrantVectorStore) -> None:
    alice = put(store, Scope.of(user_id="alice"), vectors_near_query(300, 0.5, seed=8))
    ranked = brute_force(alice, len(alice))
    for allowed in (ranked[:40], ranked[-12:]):  # near ones: no fallback; far ones: fallback
        hits = store.search_memories(
            QUERY.tolist(), Scope.of(user_id="alice"), limit=10, memory_ids=allowed
        )
        assert [hit.id for hit in hits] == [i for i in ranked if i in set(allowed)][:10]
    assert (
        store.search_memories(QUERY.tolist(), Scope.of(user_id="alice"), limit=5, memory_ids=[])
        == []
    )


def test_scores_are_cosines_whatever_the_vector_lengths(store: QdrantVectorStore) -> None:
    vectors = vectors_near_query(20, 0.6, seed=9)
    alice = put(store, Scope.of(user_id="alice"), [[7.0 * x for x in v] for v in vectors])
    hits = store.search_memories([3.0 * x for x in QUERY], Scope.of(user_id="alice"), limit=5)
    assert [hit.id for hit in hits] == brute_force(alice, 5)
    cosines = {memory_id: dot / 7.0 for memory_id, dot in alice.items()}  # `put` took the dot
    assert [round(hit.score, 6) for hit in hits] == [round(cosines[hit.id], 6) for hit in hits]


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
