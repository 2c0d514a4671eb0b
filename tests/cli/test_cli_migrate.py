"""`graphmem migrate`: a data dir on Qdrant local mode moves to Qdrant Edge and answers the
same; `graphmem stats` shows the engine before and after."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli_reembed import run_json, use_hash_embedder


def test_migrate_moves_a_local_mode_data_dir_to_edge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch, 64)
    monkeypatch.setenv("GRAPHMEM_VECTOR_STORE", "local")
    run_json(tmp_path, "add", "Sarah Chen works at Google.", "--user-id", "alice")
    monkeypatch.setenv("GRAPHMEM_VECTOR_STORE", "auto")
    assert run_json(tmp_path, "stats")["vector_store"] == "qdrant-local"

    summary = run_json(tmp_path, "migrate", "--no-progress")

    assert (summary["memories"], summary["embedder"]) == (1, "hash-64")
    assert Path(summary["kept_local_mode_at"]).is_dir()
    assert run_json(tmp_path, "stats")["vector_store"] == "qdrant-edge"
    found = run_json(tmp_path, "search", "Google", "--user-id", "alice")["results"]
    assert [hit["memory"] for hit in found] == ["Sarah Chen works at Google."]
    assert run_json(tmp_path, "migrate", "--no-progress")["kept_local_mode_at"] is None
