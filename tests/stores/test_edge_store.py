"""Qdrant Edge as graphmem runs it: one process per folder, indexed scope fields, and
every acknowledged write kept through a kill -9.

The contract every vector store keeps is in test_vector_contract.py.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graphmem.errors import StoreUnavailable
from graphmem.models.records import MemoryRecord
from graphmem.models.scope import PARTITION_FIELDS, SCOPE_FIELDS, Scope
from graphmem.stores.vector.base import EmbeddingModel
from graphmem.stores.vector.edge_shards import load_shard
from graphmem.stores.vector.edge_store import MIN_FLUSH, EdgeVectorStore

MODEL = EmbeddingModel("test", 4)
ALICE = Scope.of(user_id="alice")
REPO = Path(__file__).resolve().parents[2]


def remember(store: EdgeVectorStore, text: str) -> MemoryRecord:
    record = MemoryRecord.create(text, ALICE, {})
    store.upsert_memories([record], [[1.0, 0.5, 0.25, float(len(text))]])
    return record


def test_a_second_open_of_the_folder_is_refused_naming_the_lock(tmp_path: Path) -> None:
    first = EdgeVectorStore(tmp_path, MODEL)
    with pytest.raises(
        StoreUnavailable, match=r"locked by another graphmem process.*graphmem\.lock"
    ):
        EdgeVectorStore(tmp_path, MODEL)
    kept = remember(first, "Alice lives in Paris.")
    assert first.get_memories([kept.id]) == [kept]
    first.close()
    EdgeVectorStore(tmp_path, MODEL).close()  # released on close


def test_another_process_is_refused_and_the_first_keeps_flushing(tmp_path: Path) -> None:
    first = EdgeVectorStore(tmp_path, MODEL)
    probe = textwrap.dedent(
        f"""
        from pathlib import Path
        from graphmem.errors import StoreUnavailable
        from graphmem.stores.vector.base import EmbeddingModel
        from graphmem.stores.vector.edge_store import EdgeVectorStore
        try:
            EdgeVectorStore(Path({str(tmp_path)!r}), EmbeddingModel("test", 4))
        except StoreUnavailable as exc:
            print("refused:", exc)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert "refused:" in result.stdout and "graphmem.lock" in result.stdout
    records = [remember(first, f"fact number {i}") for i in range(MIN_FLUSH + 10)]
    assert first.count_memories(ALICE) == len(records)  # flushed on the way, still writing
    first.close()
    reopened = EdgeVectorStore(tmp_path, MODEL)
    assert reopened.count_memories(ALICE) == len(records)
    reopened.close()


def test_every_scope_field_is_keyword_indexed(tmp_path: Path) -> None:
    EdgeVectorStore(tmp_path, MODEL).close()
    for shard_name, fields in (
        ("graphmem_memories", SCOPE_FIELDS),
        ("graphmem_entities", PARTITION_FIELDS),
    ):
        shard = load_shard(tmp_path / shard_name)
        assert set(shard.info().payload_schema) == set(fields)
        shard.close()


WRITER = """
import sys
from pathlib import Path
from graphmem.models.records import MemoryRecord
from graphmem.models.scope import Scope
from graphmem.stores.vector.base import EmbeddingModel
from graphmem.stores.vector.edge_store import EdgeVectorStore

store = EdgeVectorStore(Path(sys.argv[1]), EmbeddingModel("test", 4))
print("open", flush=True)
for i in range(1_000_000):
    record = MemoryRecord.create(f"fact {sys.argv[2]}-{i}", Scope.of(user_id="alice"), {})
    store.upsert_memories([record], [[1.0, 0.0, float(i % 7), 1.0]])
    print(record.id, flush=True)
"""


def test_every_acknowledged_write_survives_kill_9(tmp_path: Path) -> None:
    rng = random.Random(7)
    acknowledged: list[str] = []
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for run in range(5):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), str(run)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "open"
        time.sleep(rng.uniform(0.05, 0.6))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        acknowledged += [line.strip() for line in writer.stdout if len(line.strip()) == 36]
    store = EdgeVectorStore(tmp_path, MODEL)
    found = {record.id for record in store.get_memories(acknowledged)}
    store.close()
    assert len(acknowledged) > 20
    assert found == set(acknowledged)
