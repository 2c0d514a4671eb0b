"""BM25 snapshots: a saved index resumes with the same answers, without indexing again."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from graphmem.models.scope import Scope
from graphmem.stores.history import HistoryMark
from graphmem.stores.text.bm25 import BM25Document, BM25Index
from graphmem.stores.text.bm25_snapshot import (
    SNAPSHOT_FILE,
    BM25Snapshot,
    SnapshotUnusable,
    read_snapshot,
    write_snapshot,
)

ALICE = {"user_id": "alice"}
BOB = {"user_id": "bob", "run_id": "r1"}
MARK = HistoryMark(7, "event-7")
QUERIES = [
    ("google chess", Scope(user_id="alice")),
    ("paris coffee fact", Scope(user_id="alice")),
    ("zebra", Scope(user_id="bob", run_id="r1")),
    ("python", Scope(user_id="bob")),
    ("fact 12", Scope(run_id="r1")),
]


def _corpus(n: int) -> list[BM25Document]:
    topics = ["google", "paris", "chess", "coffee", "python"]
    return [
        (
            f"m{i}",
            f"fact {i} about {topics[i % 5]} and {topics[(i * 3) % 5]}",
            BOB if i % 4 else ALICE,
        )
        for i in range(n)
    ]


def _round_trip(index: BM25Index, folder: Path, **settings: int) -> BM25Index:
    write_snapshot(folder, BM25Snapshot(index.export_state(), MARK, "vectors"))
    snapshot = read_snapshot(folder)
    assert snapshot is not None
    restored = BM25Index(**settings)
    restored.restore_state(snapshot.state)
    return restored


def _answers(index: BM25Index) -> list[list[tuple[str, float]]]:
    return [index.search(query, scope, limit=50) for query, scope in QUERIES]


def test_a_restored_snapshot_scores_exactly_as_a_fresh_bulk_load(tmp_path: Path) -> None:
    saved = BM25Index()
    saved.bulk_load(_corpus(300))
    fresh = BM25Index()
    fresh.bulk_load(_corpus(300))

    restored = _round_trip(saved, tmp_path)

    assert _answers(restored) == _answers(fresh)
    assert len(restored) == 300


def test_restoring_indexes_nothing(tmp_path: Path) -> None:
    saved = BM25Index()
    saved.bulk_load(_corpus(50))

    restored = _round_trip(saved, tmp_path)

    assert restored.rebuild_count == 0
    assert restored.pending_changes == 0


def test_pending_adds_and_removes_survive_unmerged(tmp_path: Path) -> None:
    saved = BM25Index()
    saved.bulk_load(_corpus(200))
    saved.add([("m5", "now about a zebra", BOB), ("n1", "zebra and google", BOB)])
    saved.remove(["m7", "m8", "unknown"])

    restored = _round_trip(saved, tmp_path)

    assert restored.pending_changes == saved.pending_changes == 5
    assert _answers(restored) == _answers(saved)
    assert len(restored) == len(saved) == 199


def test_a_restored_index_takes_changes_and_merges_like_the_original(tmp_path: Path) -> None:
    saved = BM25Index(min_merge_size=4, merge_fraction=0.0)
    saved.bulk_load(_corpus(60))
    saved.add([("n1", "zebra", BOB)])
    restored = _round_trip(saved, tmp_path, min_merge_size=4, merge_fraction=0)

    for index in (saved, restored):
        index.remove(["m1", "m2"])
        index.add([(f"x{i}", "zebra tea", BOB) for i in range(5)])

    assert _answers(restored) == _answers(saved)
    assert restored.rebuild_count == 1  # the merge at the first search


def test_an_empty_index_round_trips(tmp_path: Path) -> None:
    restored = _round_trip(BM25Index(), tmp_path)

    assert len(restored) == 0
    assert restored.search("anything", Scope(user_id="alice"), limit=5) == []


def test_documents_without_words_round_trip(tmp_path: Path) -> None:
    saved = BM25Index()
    saved.bulk_load([("e1", "the of", ALICE), ("m1", "tea", ALICE)])
    saved.add([("e2", "...", ALICE)])

    restored = _round_trip(saved, tmp_path)

    assert len(restored) == 3
    assert _answers(restored) == _answers(saved)


def test_the_snapshot_keeps_its_watermark_and_source(tmp_path: Path) -> None:
    write_snapshot(tmp_path, BM25Snapshot(BM25Index().export_state(), MARK, "vectors"))

    snapshot = read_snapshot(tmp_path)

    assert snapshot is not None
    assert (snapshot.history_mark, snapshot.source) == (MARK, "vectors")


def test_a_folder_without_a_snapshot_reads_as_none(tmp_path: Path) -> None:
    assert read_snapshot(tmp_path / "missing") is None


def test_a_snapshot_holds_no_pickled_objects(tmp_path: Path) -> None:
    index = BM25Index()
    index.bulk_load(_corpus(20))
    write_snapshot(tmp_path, BM25Snapshot(index.export_state(), MARK, "vectors"))

    with np.load(tmp_path / SNAPSHOT_FILE, allow_pickle=False) as npz:
        assert all(npz[name].dtype != object for name in npz.files)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip_a_byte"])
def test_a_damaged_file_is_unusable(tmp_path: Path, damage: str) -> None:
    index = BM25Index()
    index.bulk_load(_corpus(100))
    write_snapshot(tmp_path, BM25Snapshot(index.export_state(), MARK, "vectors"))
    path = tmp_path / SNAPSHOT_FILE
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "garbage":
        data = bytearray(b"not a snapshot at all")
    else:
        data[len(data) // 3] ^= 0xFF
    path.write_bytes(bytes(data))

    with pytest.raises(SnapshotUnusable):
        read_snapshot(tmp_path)


def _rewrite_meta(path: Path, **changes: object) -> None:
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    meta = json.loads(arrays["meta"].tobytes()) | changes
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(path, **arrays)


@pytest.mark.parametrize(
    "changes",
    [{"format": 999}, {"fingerprint": "bm25s 0.0.1"}, {"terms": 5}, {"vocab_size": 10_000}],
)
def test_another_format_scoring_or_a_bad_meta_is_unusable(
    tmp_path: Path, changes: dict[str, object]
) -> None:
    index = BM25Index()
    index.bulk_load(_corpus(10))
    write_snapshot(tmp_path, BM25Snapshot(index.export_state(), MARK, "vectors"))

    _rewrite_meta(tmp_path / SNAPSHOT_FILE, **changes)

    with pytest.raises(SnapshotUnusable):
        read_snapshot(tmp_path)


@pytest.mark.parametrize(
    ("array", "value"),
    [("token_ids", 10_000), ("doc_positions", 10_000), ("score_indices", -1), ("main_codes", 9)],
)
def test_arrays_that_do_not_fit_together_are_unusable(
    tmp_path: Path, array: str, value: int
) -> None:
    index = BM25Index()
    index.bulk_load(_corpus(10))
    write_snapshot(tmp_path, BM25Snapshot(index.export_state(), MARK, "vectors"))
    path = tmp_path / SNAPSHOT_FILE
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name].copy() for name in npz.files}
    arrays[array].flat[0] = value
    np.savez(path, **arrays)

    with pytest.raises(SnapshotUnusable, match="does not fit together"):
        read_snapshot(tmp_path)


def test_a_failed_write_leaves_the_previous_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_snapshot(tmp_path, BM25Snapshot(BM25Index().export_state(), MARK, "first"))

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", fail)
    with pytest.raises(OSError, match="disk full"):
        write_snapshot(tmp_path, BM25Snapshot(BM25Index().export_state(), MARK, "second"))

    snapshot = read_snapshot(tmp_path)
    assert snapshot is not None and snapshot.source == "first"
    assert [p.name for p in tmp_path.iterdir()] == [SNAPSHOT_FILE]
    assert zipfile.is_zipfile(tmp_path / SNAPSHOT_FILE)
