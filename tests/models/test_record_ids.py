"""Record ids: new ones are time-ordered UUIDs, a fact's is the same UUID in every process."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from graphmem.models.records import MemoryRecord, ended_relation_id, fact_id, new_id, text_hash
from graphmem.models.scope import Scope

# The namespace fact ids have always been made in: changing it would orphan stored facts.
FACT_NAMESPACE = uuid.UUID("6f1d3b8e-3c2a-4f57-9a41-2b7f0c9e5d10")


def test_a_new_id_is_a_version_7_uuid_of_the_current_millisecond() -> None:
    before = time.time_ns() // 1_000_000
    made = uuid.UUID(new_id())
    after = time.time_ns() // 1_000_000
    assert made.version == 7
    assert made.variant == uuid.RFC_4122
    assert before <= made.int >> 80 <= after


def test_ids_made_later_sort_later_and_never_repeat() -> None:
    earlier = [new_id() for _ in range(1000)]
    time.sleep(0.002)
    later = new_id()
    assert later > max(earlier)
    assert len(set(earlier)) == len(earlier)


def test_ids_made_within_one_millisecond_sort_in_the_order_they_were_made() -> None:
    made = [new_id() for _ in range(10_000)]  # many share a millisecond
    assert len({uuid.UUID(i).int >> 80 for i in made}) < len(made)
    assert made == sorted(made)
    assert all(uuid.UUID(i).version == 7 and uuid.UUID(i).variant == uuid.RFC_4122 for i in made)


def test_ids_made_by_threads_at_once_never_repeat() -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        batches = list(pool.map(lambda _: [new_id() for _ in range(5_000)], range(4)))
    every = [i for batch in batches for i in batch]
    assert len(set(every)) == len(every)
    assert all(batch == sorted(batch) for batch in batches)


def test_a_fact_id_is_the_uuid5_it_always_was() -> None:
    scope = Scope.of(user_id="alice", app_id="notes")
    digest = text_hash("Sarah works at Google")
    expected = uuid.uuid5(FACT_NAMESPACE, "\x1f".join(["alice", "", "", "notes", digest]))
    assert fact_id(scope.ids(), digest) == str(expected)
    assert MemoryRecord.id_of("Sarah works at Google", scope) == str(expected)
    assert MemoryRecord.create("Sarah works at Google", scope, {}).id == str(expected)


def test_an_ended_relation_id_is_the_uuid5_of_its_ends_type_and_end_time() -> None:
    ended = MemoryRecord.create("x", Scope.of(user_id="u"), {}).created_at
    parts = ["s-id", "WORKS_AT", "t-id", ended.isoformat()]
    expected = uuid.uuid5(FACT_NAMESPACE, "\x1f".join(parts))
    assert ended_relation_id("s-id", "WORKS_AT", "t-id", ended) == str(expected)
    assert uuid.UUID(ended_relation_id("s-id", "WORKS_AT", "t-id", ended)).version == 5
