"""The VectorStore contract, on every embedded engine: Qdrant Edge and local mode.

Nearest neighbours in a scope are the brute-force answer however the scopes mix (local
mode ranks an over-fetched unfiltered neighbourhood and falls back to Qdrant's filter when
too few are in scope: both paths must give it), up to the engine's precision (Edge scores
8-bit codes: within SCORE_TOLERANCE of the cosine), never a point of another scope;
records come back exactly as stored; pages, counts, deletes and resets agree.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from qdrant_client import QdrantClient

from graphmem.errors import InvalidInput, StoreUnavailable
from graphmem.models.records import Entity, MemoryRecord
from graphmem.models.scope import Scope
from graphmem.stores.vector.base import EmbeddingModel, ScoredId, VectorStore
from graphmem.stores.vector.edge_store import EdgeVectorStore
from graphmem.stores.vector.qdrant_store import QdrantVectorStore

DIMS = 16
QUERY = np.eye(DIMS)[0]
SCORE_TOLERANCE = 0.003


@pytest.fixture(params=["edge", "local"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorStore]:
    opened: VectorStore
    if request.param == "edge":
        opened = EdgeVectorStore(tmp_path / "edge", EmbeddingModel("test", DIMS))
    else:
        opened = QdrantVectorStore(QdrantClient(":memory:"), dims=DIMS, model="test")
    yield opened
    opened.close()


def vectors_near_query(count: int, closeness: float, seed: int) -> list[list[float]]:
    """Unit vectors whose cosine to QUERY is about `closeness`, all different."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(count, DIMS))
    noise[:, 0] = 0.0
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    mixed = closeness * QUERY + np.sqrt(1 - closeness**2) * noise
    mixed[:, 0] += rng.uniform(0, 0.2, size=count)  # spread well beyond SCORE_TOLERANCE
    return (mixed / np.linalg.norm(mixed, axis=1, keepdims=True)).tolist()


def put(store: VectorStore, scope: Scope, vectors: list[list[float]]) -> dict[str, float]:
    """Store one memory per vector; returns cosine to QUERY by memory id."""
    records = [
        MemoryRecord.create(f"fact {i} of {scope.ids()}", scope, {}) for i in range(len(vectors))
    ]
    store.upsert_memories(records, vectors)
    return {r.id: float(np.dot(v, QUERY)) for r, v in zip(records, vectors, strict=True)}


def brute_force(cosines: dict[str, float], limit: int) -> list[str]:
    return sorted(cosines, key=cosines.__getitem__, reverse=True)[:limit]


def assert_nearest(hits: list[ScoredId], cosines: dict[str, float], limit: int) -> None:
    """`hits` are the `limit` nearest of `cosines` (memory id -> cosine to QUERY): as many,
    none from elsewhere, none twice, the i-th as close as the i-th best up to the engine's
    precision, and scored with its cosine."""
    best = [cosines[memory_id] for memory_id in brute_force(cosines, limit)]
    assert all(hit.id in cosines for hit in hits)
    assert len({hit.id for hit in hits}) == len(hits) == len(best)
    assert [cosines[hit.id] for hit in hits] == pytest.approx(best, abs=SCORE_TOLERANCE)
    assert [hit.score for hit in hits] == pytest.approx(
        [cosines[hit.id] for hit in hits], abs=SCORE_TOLERANCE
    )


def test_one_scope_gets_its_exact_nearest(store: VectorStore) -> None:
    alice = put(store, Scope.of(user_id="alice"), vectors_near_query(500, 0.5, seed=1))
    hits = store.search_memories(QUERY.tolist(), Scope.of(user_id="alice"), limit=10)
    assert_nearest(hits, alice, 10)


def test_a_small_scope_among_closer_strangers_still_gets_its_exact_nearest(
    store: VectorStore,
) -> None:
    put(store, Scope.of(user_id="bob"), vectors_near_query(400, 0.9, seed=2))
    alice = put(store, Scope.of(user_id="alice"), vectors_near_query(30, 0.3, seed=3))
    hits = store.search_memories(QUERY.tolist(), Scope.of(user_id="alice"), limit=10)
    assert_nearest(hits, alice, 10)


def test_a_scope_with_fewer_points_than_asked_gets_all_of_them(store: VectorStore) -> None:
    put(store, Scope.of(user_id="bob"), vectors_near_query(40, 0.9, seed=4))
    alice = put(store, Scope.of(user_id="alice", run_id="r1"), vectors_near_query(3, 0.2, seed=5))
    hits = store.search_memories(QUERY.tolist(), Scope.of(user_id="alice", run_id="r1"), limit=10)
    assert_nearest(hits, alice, 10)
    assert store.search_memories(QUERY.tolist(), Scope.of(user_id="carol"), limit=10) == []


def test_entity_search_keeps_to_the_partition(store: VectorStore) -> None:
    def entity(name: str, user: str) -> Entity:
        return Entity(name=name, key=name.lower(), type="Person", user_id=user)

    theirs = [entity(f"Bob {i}", "bob") for i in range(100)]
    mine = [entity(f"Ann {i}", "alice") for i in range(5)]
    store.upsert_entities(theirs, vectors_near_query(100, 0.9, seed=6))
    store.upsert_entities(mine, vectors_near_query(5, 0.1, seed=7))
    hits = store.search_entities(QUERY.tolist(), Scope.of(user_id="alice", run_id="r9"), limit=3)
    assert len(hits) == 3
    assert {hit.id for hit in hits} <= {e.id for e in mine}


def test_a_search_among_given_ids_is_exact_on_both_paths(store: VectorStore) -> None:
    alice = put(store, Scope.of(user_id="alice"), vectors_near_query(300, 0.5, seed=8))
    ranked = brute_force(alice, len(alice))
    for allowed in (ranked[:40], ranked[-12:]):  # near ones: no fallback; far ones: fallback
        hits = store.search_memories(
            QUERY.tolist(), Scope.of(user_id="alice"), limit=10, memory_ids=allowed
        )
        assert_nearest(hits, {memory_id: alice[memory_id] for memory_id in allowed}, 10)
    assert (
        store.search_memories(QUERY.tolist(), Scope.of(user_id="alice"), limit=5, memory_ids=[])
        == []
    )


def test_scores_are_cosines_whatever_the_vector_lengths(store: VectorStore) -> None:
    vectors = vectors_near_query(20, 0.6, seed=9)
    alice = put(store, Scope.of(user_id="alice"), [[7.0 * x for x in v] for v in vectors])
    hits = store.search_memories([3.0 * x for x in QUERY], Scope.of(user_id="alice"), limit=5)
    cosines = {memory_id: dot / 7.0 for memory_id, dot in alice.items()}  # `put` took the dot
    assert_nearest(hits, cosines, 5)


def test_records_come_back_exactly_in_the_order_asked(store: VectorStore) -> None:
    scope = Scope.of(user_id="alice", agent_id="helper")
    records = [
        MemoryRecord.create(f"fact {i}", scope, {"topic": "work", "n": i, "tags": ["a", None]})
        for i in range(3)
    ]
    store.upsert_memories(records, vectors_near_query(3, 0.5, seed=11))
    wanted = [records[2].id, "not-a-uuid", records[0].id, str(uuid.uuid4())]
    assert store.get_memories(wanted) == [records[2], records[0]]


def test_pages_cover_a_scope_once_in_a_stable_order(store: VectorStore) -> None:
    alice = put(store, Scope.of(user_id="alice"), vectors_near_query(25, 0.5, seed=12))
    put(store, Scope.of(user_id="bob"), vectors_near_query(10, 0.5, seed=13))
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = store.scroll_memories(Scope.of(user_id="alice"), cursor=cursor, limit=7)
        seen += [record.id for record in page.records]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(alice) and len(seen) == len(alice)
    first = store.scroll_memories(Scope.of(user_id="alice"), limit=7).records
    assert [r.id for r in first] == seen[:7]


def test_counts_follow_scopes_and_deletes(store: VectorStore) -> None:
    alice = put(store, Scope.of(user_id="alice"), vectors_near_query(6, 0.5, seed=14))
    put(store, Scope.of(user_id="bob", run_id="r1"), vectors_near_query(4, 0.5, seed=15))
    assert store.count_memories() == 10
    assert store.count_memories(Scope.of(user_id="bob", run_id="r1")) == 4
    store.delete_memories([*list(alice)[:2], "not-a-uuid"])
    assert store.count_memories(Scope.of(user_id="alice")) == 4
    hits = store.search_memories(QUERY.tolist(), Scope.of(user_id="alice"), limit=10)
    assert {hit.id for hit in hits} == set(list(alice)[2:])


def test_an_upsert_replaces_the_record_and_its_vector(store: VectorStore) -> None:
    scope = Scope.of(user_id="alice")
    record = MemoryRecord.create("Alice lives in Paris.", scope, {})
    far, near = vectors_near_query(1, 0.1, seed=16)[0], vectors_near_query(1, 0.95, seed=17)[0]
    store.upsert_memories([record], [far])
    moved = record.model_copy(update={"memory": "Alice lives in Rome."})
    store.upsert_memories([moved], [near])
    assert store.get_memories([record.id]) == [moved]
    [hit] = store.search_memories(QUERY.tolist(), scope, limit=1)
    assert hit.score == pytest.approx(float(np.dot(near, QUERY)), abs=SCORE_TOLERANCE)


def test_reset_forgets_everything_and_keeps_working(store: VectorStore) -> None:
    put(store, Scope.of(user_id="alice"), vectors_near_query(5, 0.5, seed=18))
    store.reset()
    assert store.count_memories() == 0
    alice = put(store, Scope.of(user_id="alice"), vectors_near_query(2, 0.5, seed=19))
    assert store.count_memories() == len(alice) == 2


def test_a_closed_store_is_unavailable_not_empty(store: VectorStore) -> None:
    store.close()
    with pytest.raises(StoreUnavailable, match="closed"):
        store.count_memories()


def test_a_cursor_the_store_never_gave_is_invalid_input(store: VectorStore) -> None:
    for cursor in ("abc", "12"):
        with pytest.raises(InvalidInput) as raised:
            store.scroll_memories(None, cursor=cursor)
        assert raised.value.field == "cursor"
