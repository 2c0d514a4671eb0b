"""BM25 across reopens: the index resumes from its snapshot and the history since, or is
rebuilt from the vector store when the snapshot cannot be trusted."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from graphmem import GraphMemConfig, Memory
from graphmem.memory.bm25_checkpoint import BM25Checkpoint
from graphmem.models.records import HistoryEvent
from graphmem.models.scope import Scope
from graphmem.stores.history import HistoryLog
from graphmem.stores.text.bm25_snapshot import SNAPSHOT_FILE, read_snapshot

FACTS = [
    "Sarah drinks green tea every morning",
    "Tom plays chess in the park",
    "Sarah visited Paris in spring",
    "Tom brews coffee with a French press",
    "Sarah reads Python books about chess",
]
FILLER = [f"note {i} about the weather" for i in range(15)]
"""Enough memories that changing three of them is a replay, not a rebuild."""
LOGGER = "graphmem.memory.bm25_checkpoint"


@pytest.fixture(params=["edge", "local"])
def embedded(request: pytest.FixtureRequest, data_dir: Path) -> GraphMemConfig:
    """A data dir on each embedded vector engine."""
    return GraphMemConfig(
        data_dir=data_dir, embedder="hash", extractor="offline", vector_store=request.param
    )


@pytest.fixture
def settings(data_dir: Path) -> GraphMemConfig:
    return GraphMemConfig(data_dir=data_dir, embedder="hash", extractor="offline")


@pytest.fixture
def without_saving(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sessions end without saving the snapshot, as after a crash."""
    monkeypatch.setattr(BM25Checkpoint, "save", lambda self, backends: None)


def _remember(config: GraphMemConfig, facts: list[str] = FACTS) -> list[str]:
    """Add `facts` as alice's memories in one session that closes cleanly; their ids."""
    with Memory(config) as memory:
        return [_add(memory, fact) for fact in facts]


def _add(memory: Memory, fact: str) -> str:
    memory_id: str = memory.add(fact, user_id="alice", infer=False)["results"][0]["id"]
    return memory_id


def _hits(memory: Memory, query: str) -> list[tuple[str, float]]:
    """The BM25 channel's hits and raw scores for alice (loading the index if needed)."""
    memory.search(query, user_id="alice", channels=["bm25"])
    return memory.backends.bm25.search(query, Scope(user_id="alice"), limit=50)


def _ids(hits: list[tuple[str, float]]) -> list[str]:
    return [doc_id for doc_id, _ in hits]


def test_a_reopened_memory_resumes_the_snapshot_without_indexing(
    embedded: GraphMemConfig,
) -> None:
    with Memory(embedded) as memory:
        for fact in FACTS:
            _add(memory, fact)
        before = [_hits(memory, query) for query in ("sarah chess", "tea", "coffee paris")]

    with Memory(embedded) as reopened:
        after = [_hits(reopened, query) for query in ("sarah chess", "tea", "coffee paris")]

        assert reopened.backends.bm25.rebuild_count == 0
    assert after == before
    assert all(after)


def test_writes_after_the_snapshot_are_replayed_from_history(
    embedded: GraphMemConfig, request: pytest.FixtureRequest
) -> None:
    tea, chess, *_ = _remember(embedded, FACTS + FILLER)
    request.getfixturevalue("without_saving")
    with Memory(embedded) as memory:
        zebra = _add(memory, "Tom saw a zebra at the zoo")
        memory.update(tea, "Sarah drinks rooibos every morning")
        memory.delete(chess)

    with Memory(embedded) as reopened:
        assert _ids(_hits(reopened, "zebra")) == [zebra]
        assert _ids(_hits(reopened, "rooibos")) == [tea]
        assert tea not in _ids(_hits(reopened, "green tea"))
        assert chess not in _ids(_hits(reopened, "park"))
        assert reopened.backends.bm25.rebuild_count == 0


CRASH = """
    import os
    from graphmem import GraphMemConfig, Memory
    memory = Memory(GraphMemConfig(data_dir=DATA_DIR, embedder="hash", extractor="offline"))
    memory.add("Tom saw a zebra at the zoo", user_id="alice", infer=False)
    memory.update(TEA, "Sarah drinks rooibos every morning")
    memory.delete(CHESS)
    os._exit(0)  # no close: no snapshot, no flush
"""


def test_writes_of_a_process_that_crashed_are_found_after_reopen(
    settings: GraphMemConfig, data_dir: Path
) -> None:
    tea, chess, *_ = _remember(settings, FACTS + FILLER)
    script = textwrap.dedent(CRASH).replace("DATA_DIR", repr(str(data_dir)))
    script = script.replace("TEA", repr(tea)).replace("CHESS", repr(chess))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr

    with Memory(settings) as reopened:
        assert len(_hits(reopened, "zebra")) == 1
        assert _ids(_hits(reopened, "rooibos")) == [tea]
        assert chess not in _ids(_hits(reopened, "park"))
        assert reopened.backends.bm25.rebuild_count == 0


def test_a_corrupt_snapshot_is_rebuilt_from_the_vectors(
    settings: GraphMemConfig, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tea, *_ = _remember(settings)
    (data_dir / "bm25" / SNAPSHOT_FILE).write_bytes(b"not a snapshot")

    with caplog.at_level(logging.WARNING, logger=LOGGER), Memory(settings) as reopened:
        assert _ids(_hits(reopened, "tea")) == [tea]
        assert reopened.backends.bm25.rebuild_count == 1
    assert "cannot be read" in caplog.text


def test_a_reset_history_is_rebuilt_from_the_vectors(
    settings: GraphMemConfig, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tea, *_ = _remember(settings)
    history = HistoryLog(data_dir / "history.sqlite")
    history.reset()
    history.append([HistoryEvent(memory_id=f"x{i}", event="ADD") for i in range(20)])
    history.close()

    with caplog.at_level(logging.INFO, logger=LOGGER), Memory(settings) as reopened:
        assert _ids(_hits(reopened, "tea")) == [tea]
        assert reopened.backends.bm25.rebuild_count == 1
    assert "no longer holds the snapshot's watermark" in caplog.text


def test_writes_after_a_memory_reset_are_rebuilt(
    settings: GraphMemConfig, request: pytest.FixtureRequest
) -> None:
    tea, *_ = _remember(settings)
    request.getfixturevalue("without_saving")
    with Memory(settings) as memory:
        memory.reset()
        zebra = _add(memory, "Tom saw a zebra at the zoo")

    with Memory(settings) as reopened:
        assert _ids(_hits(reopened, "zebra")) == [zebra]
        assert tea not in _ids(_hits(reopened, "tea"))
        assert reopened.backends.bm25.rebuild_count == 1


def test_more_changes_than_the_replay_fraction_are_rebuilt(
    settings: GraphMemConfig, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    _remember(settings, FACTS[:2])
    request.getfixturevalue("without_saving")
    _remember(settings, FACTS[2:])

    with caplog.at_level(logging.INFO, logger=LOGGER), Memory(settings) as reopened:
        assert len(_hits(reopened, "sarah")) == 3
        assert reopened.backends.bm25.rebuild_count == 1
    assert "3 memories changed since the snapshot of 2" in caplog.text


def test_a_write_the_history_never_saw_is_rebuilt(
    settings: GraphMemConfig, caplog: pytest.LogCaptureFixture
) -> None:
    tea, *_ = _remember(settings)
    with Memory(settings) as memory:
        memory.backends.vectors.delete_memories([tea])

    with caplog.at_level(logging.WARNING, logger=LOGGER), Memory(settings) as reopened:
        assert _hits(reopened, "tea") == []
        assert reopened.backends.bm25.rebuild_count == 1
    assert "holds 5 documents for 4 memories" in caplog.text


def test_adds_do_not_save_a_snapshot(settings: GraphMemConfig, data_dir: Path) -> None:
    with Memory(settings) as memory:
        _add(memory, FACTS[0])
        _add(memory, FACTS[1])

        assert not (data_dir / "bm25" / SNAPSHOT_FILE).exists()


def test_a_reopen_without_changes_keeps_the_snapshot_file(
    settings: GraphMemConfig, data_dir: Path
) -> None:
    _remember(settings)
    path = data_dir / "bm25" / SNAPSHOT_FILE
    before = path.stat()

    with Memory(settings) as reopened:
        _hits(reopened, "tea")

    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_import_records_saves_a_snapshot_at_its_history_watermark(
    settings: GraphMemConfig, data_dir: Path
) -> None:
    records = [{"text": fact, "user_id": "alice"} for fact in FACTS]
    with Memory(settings) as memory:
        memory.import_records(records, progress=False)

        snapshot = read_snapshot(data_dir / "bm25")
        assert snapshot is not None
        assert snapshot.history_mark == memory.backends.history.watermark()
        assert snapshot.state.documents == len(FACTS)


def test_vectors_on_a_server_are_never_snapshotted(
    settings: GraphMemConfig, tmp_path: Path
) -> None:
    server = GraphMemConfig(data_dir=tmp_path / "server", qdrant_url="http://127.0.0.1:9")
    with Memory(settings) as memory:
        _add(memory, FACTS[0])

        BM25Checkpoint.for_config(server).save(memory.backends)

    assert not (tmp_path / "server").exists()
