"""Kill -9 during a stream of adds: the data dir opens, every add that returned is there,
and graph, vectors, BM25 and history agree (bench/kill_soak.py runs the same 20 times)."""

from __future__ import annotations

from pathlib import Path

from bench.kill_soak import run_soak


def test_adds_survive_kill_9_and_nothing_is_half_written(tmp_path: Path) -> None:
    results = run_soak(tmp_path, kills=3, embedder="hash", seed=1)
    assert [row["problems"] for row in results["rounds"]] == [[], [], []]
    assert sum(row["acknowledged_adds"] for row in results["rounds"]) > 30
