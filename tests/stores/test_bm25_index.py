"""BM25Index: scoped keyword search kept in step with adds, updates and deletes."""

from __future__ import annotations

import threading

import pytest

from graphmem.models.scope import Scope
from graphmem.stores.text.bm25 import BM25Document, BM25Index

ALICE = {"user_id": "alice"}
BOB = {"user_id": "bob"}


def _ids(hits: list[tuple[str, float]]) -> list[str]:
    return [doc_id for doc_id, _ in hits]


def _corpus(n: int) -> list[BM25Document]:
    topics = ["google", "paris", "chess", "coffee", "python"]
    return [
        (f"m{i}", f"fact {i} about {topics[i % 5]} and {topics[(i * 3) % 5]}", ALICE)
        for i in range(n)
    ]


@pytest.fixture
def index() -> BM25Index:
    return BM25Index()


def test_added_document_is_found_by_a_stemmed_query(index: BM25Index) -> None:
    index.add([("m1", "Sarah works at Google", ALICE)])

    assert _ids(index.search("working google", Scope(user_id="alice"), limit=5)) == ["m1"]


def test_stopword_only_query_finds_nothing(index: BM25Index) -> None:
    index.add([("m1", "Sarah works at Google", ALICE)])

    assert index.search("the and of", Scope(user_id="alice"), limit=5) == []


def test_other_scopes_documents_are_never_returned(index: BM25Index) -> None:
    index.bulk_load([("a1", "Sarah likes tea", ALICE)])
    index.add([("b1", "Bob likes tea", BOB)])

    assert _ids(index.search("tea", Scope(user_id="alice"), limit=10)) == ["a1"]
    assert _ids(index.search("tea", Scope(user_id="bob"), limit=10)) == ["b1"]


def test_scope_hits_survive_when_many_other_scope_docs_rank_higher(index: BM25Index) -> None:
    crowd = [(f"b{i}", "google google google", BOB) for i in range(300)]
    index.bulk_load([*crowd, ("a1", "Sarah once visited a google office in Paris", ALICE)])

    hits = index.search("google", Scope(user_id="alice"), limit=1)

    assert _ids(hits) == ["a1"]


def test_scope_matching_uses_every_id_the_scope_sets(index: BM25Index) -> None:
    index.bulk_load(
        [
            ("r1", "met Sarah", {"user_id": "alice", "run_id": "r1"}),
            ("r2", "met Sarah", {"user_id": "alice", "run_id": "r2"}),
        ]
    )
    index.add([("r3", "met Sarah", {"user_id": "alice", "run_id": "r1"})])

    hits = index.search("sarah", Scope(user_id="alice", run_id="r1"), limit=10)

    assert sorted(_ids(hits)) == ["r1", "r3"]


def test_doc_ids_restricts_results_to_the_allow_list(index: BM25Index) -> None:
    index.bulk_load([("m1", "tea", ALICE), ("m2", "tea", ALICE)])
    index.add([("m3", "tea", ALICE)])

    hits = index.search("tea", Scope(user_id="alice"), limit=10, doc_ids={"m2", "m3"})

    assert sorted(_ids(hits)) == ["m2", "m3"]


def test_update_replaces_the_old_text(index: BM25Index) -> None:
    index.bulk_load([("m1", "Sarah works at Google", ALICE)])

    index.remove(["m1"])
    index.add([("m1", "Sarah works at Microsoft", ALICE)])

    alice = Scope(user_id="alice")
    assert index.search("google", alice, limit=5) == []
    assert _ids(index.search("microsoft", alice, limit=5)) == ["m1"]
    assert len(index) == 1


def test_adding_an_existing_id_replaces_its_text(index: BM25Index) -> None:
    index.add([("m1", "Sarah works at Google", ALICE)])
    index.add([("m1", "Sarah works at Microsoft", ALICE)])

    assert index.search("google", Scope(user_id="alice"), limit=5) == []
    assert len(index) == 1


def test_deleted_documents_disappear(index: BM25Index) -> None:
    index.bulk_load([("m1", "tea", ALICE)])
    index.add([("m2", "tea", ALICE)])

    index.remove(["m1", "m2", "unknown"])

    assert index.search("tea", Scope(user_id="alice"), limit=5) == []
    assert len(index) == 0


def test_results_are_best_first_with_positive_scores(index: BM25Index) -> None:
    index.bulk_load(
        [("m1", "chess chess chess club", ALICE), ("m2", "chess", ALICE), ("m3", "tea", ALICE)]
    )

    hits = index.search("chess club", Scope(user_id="alice"), limit=10)

    assert _ids(hits) == ["m1", "m2"]
    assert hits[0][1] > hits[1][1] > 0


def test_limit_caps_the_number_of_hits(index: BM25Index) -> None:
    index.bulk_load(_corpus(50))

    assert len(index.search("google", Scope(user_id="alice"), limit=3)) == 3


def test_adds_below_the_threshold_do_not_rebuild_the_index() -> None:
    index = BM25Index(min_merge_size=512)
    index.bulk_load(_corpus(100))
    builds = index.rebuild_count

    for i in range(200):
        index.add([(f"n{i}", f"new fact {i} about google", ALICE)])
    index.search("google", Scope(user_id="alice"), limit=5)

    assert index.rebuild_count == builds
    assert index.pending_changes == 200


def test_delta_is_merged_lazily_at_the_next_search() -> None:
    index = BM25Index(min_merge_size=10, merge_fraction=0.0)
    index.add(_corpus(11))
    assert index.rebuild_count == 0

    index.search("google", Scope(user_id="alice"), limit=5)

    assert index.rebuild_count == 1
    assert index.pending_changes == 0


def test_merged_index_gives_the_same_results_as_a_full_rebuild() -> None:
    incremental = BM25Index(min_merge_size=8, merge_fraction=0.0)
    docs = _corpus(60)
    for start in range(0, 60, 5):
        incremental.add(docs[start : start + 5])
        incremental.search("paris", Scope(user_id="alice"), limit=1)
    incremental.remove(["m3", "m17"])
    incremental.add([("m5", "fact 5 now about chess only", ALICE)])
    incremental.add([(f"x{i}", "filler about tea", ALICE) for i in range(9)])
    alice = Scope(user_id="alice")
    incremental.search("tea", alice, limit=1)  # triggers the final merge
    assert incremental.pending_changes == 0

    live = [d for d in docs if d[0] not in {"m3", "m17", "m5"}]
    fillers = [(f"x{i}", "filler about tea", ALICE) for i in range(9)]
    rebuilt = BM25Index()
    rebuilt.bulk_load([*live, ("m5", "fact 5 now about chess only", ALICE), *fillers])

    for query in ("google", "chess paris", "tea", "coffee python fact"):
        got = incremental.search(query, alice, limit=20)
        want = rebuilt.search(query, alice, limit=20)
        assert _ids(got) == _ids(want)
        assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-5)


def test_unmerged_delta_ranks_close_to_a_full_rebuild() -> None:
    docs = _corpus(40)
    incremental = BM25Index()
    incremental.bulk_load(docs[:30])
    incremental.add(docs[30:])
    rebuilt = BM25Index()
    rebuilt.bulk_load(docs)

    alice = Scope(user_id="alice")
    got = incremental.search("chess", alice, limit=40)
    want = rebuilt.search("chess", alice, limit=40)

    assert sorted(_ids(got)) == sorted(_ids(want))
    assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=0.2)


def test_bulk_load_replaces_previous_content(index: BM25Index) -> None:
    index.add([("old", "tea", ALICE)])

    index.bulk_load([("new", "tea", ALICE)])

    assert _ids(index.search("tea", Scope(user_id="alice"), limit=5)) == ["new"]
    assert len(index) == 1


def test_clear_forgets_every_document(index: BM25Index) -> None:
    index.bulk_load(_corpus(10))
    index.add([("n1", "tea", ALICE)])

    index.clear()

    assert len(index) == 0
    assert index.search("tea", Scope(user_id="alice"), limit=5) == []


def test_documents_without_words_are_counted_but_never_match(index: BM25Index) -> None:
    index.bulk_load([("e1", "", ALICE), ("e2", "the of", ALICE)])
    index.add([("e3", "...", ALICE)])

    assert len(index) == 3
    assert index.search("anything", Scope(user_id="alice"), limit=5) == []


def test_concurrent_adds_and_searches_lose_no_document() -> None:
    index = BM25Index(min_merge_size=16, merge_fraction=0.0)

    def write(worker: int) -> None:
        for i in range(100):
            index.add([(f"w{worker}-{i}", f"note {i} about coffee", ALICE)])
            index.search("coffee", Scope(user_id="alice"), limit=3)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(index) == 400
    assert len(index.search("coffee", Scope(user_id="alice"), limit=1000)) == 400
