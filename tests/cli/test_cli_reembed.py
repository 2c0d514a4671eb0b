"""`graphmem reembed`: after changing the embedder, every vector is rebuilt and the data
dir opens again; `graphmem stats` shows the embedder in use and the one recorded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graphmem.cli.app import app

runner = CliRunner()


def use_hash_embedder(monkeypatch: pytest.MonkeyPatch, dims: int) -> None:
    monkeypatch.setenv("GRAPHMEM_EMBEDDER", "hash")
    monkeypatch.setenv("GRAPHMEM_EMBEDDING_DIMS", str(dims))
    monkeypatch.setenv("GRAPHMEM_EXTRACTOR", "offline")


def invoke(data_dir: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    return result.exit_code, result.stdout


def run_json(data_dir: Path, *args: str) -> Any:
    code, stdout = invoke(data_dir, *args, "--json")
    assert code == 0, stdout
    return json.loads(stdout)


@pytest.fixture
def made_with_hash_64(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two memories of alice's embedded by hash-64; the environment then says hash-32."""
    use_hash_embedder(monkeypatch, 64)
    run_json(tmp_path, "add", "Sarah Chen works at Google.", "--user-id", "alice")
    run_json(
        tmp_path,
        "add",
        "Alice lives in Zurich.",
        "--user-id",
        "alice",
        "--metadata",
        '{"topic": "home"}',
    )
    use_hash_embedder(monkeypatch, 32)
    return tmp_path


def test_a_data_dir_refuses_another_embedder_and_names_both_and_reembed(
    made_with_hash_64: Path,
) -> None:
    code, stdout = invoke(made_with_hash_64, "stats", "--json")
    refused = json.loads(stdout)
    assert (code, refused["error"]) == (2, "ConfigError")
    for named in ("hash-64 (64 dims)", "hash-32 (32 dims)", "graphmem reembed"):
        assert named in refused["detail"]


def test_reembed_reports_how_many_memories_and_entities_it_re_embedded(
    made_with_hash_64: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch, 64)
    entities = run_json(made_with_hash_64, "stats")["entities"]
    use_hash_embedder(monkeypatch, 32)
    assert run_json(made_with_hash_64, "reembed") == {
        "memories": 2,
        "entities": entities,
        "embedder": "hash-32",
        "embedding_dims": 32,
        "previous_embedder": "hash-64",
        "previous_embedding_dims": 64,
    }


def test_after_reembed_search_finds_the_same_memories_with_identical_payloads(
    made_with_hash_64: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch, 64)
    before = run_json(made_with_hash_64, "list", "--user-id", "alice")["results"]
    use_hash_embedder(monkeypatch, 32)
    run_json(made_with_hash_64, "reembed")
    after = run_json(made_with_hash_64, "list", "--user-id", "alice")["results"]
    assert sorted(after, key=lambda m: m["id"]) == sorted(before, key=lambda m: m["id"])
    for memory in before:
        hits = run_json(made_with_hash_64, "search", memory["memory"], "--user-id", "alice")
        assert hits["results"][0]["id"] == memory["id"]


def test_stats_shows_the_embedder_in_use_and_the_one_recorded(made_with_hash_64: Path) -> None:
    run_json(made_with_hash_64, "reembed")
    stats = run_json(made_with_hash_64, "stats")
    assert {key: stats[key] for key in ("embedder", "embedding_dims")} == {
        "embedder": "hash-32",
        "embedding_dims": 32,
    }
    assert (stats["recorded_embedder"], stats["recorded_embedding_dims"]) == ("hash-32", 32)


def test_stats_for_people_lists_the_recorded_embedder(made_with_hash_64: Path) -> None:
    run_json(made_with_hash_64, "reembed")
    code, stdout = invoke(made_with_hash_64, "stats")
    assert code == 0, stdout
    assert "recorded_embedder" in stdout and "hash-32" in stdout


def test_reembed_prints_a_summary_for_people(made_with_hash_64: Path) -> None:
    code, stdout = invoke(made_with_hash_64, "reembed", "--no-progress")
    assert code == 0, stdout
    assert "re-embedded 2 memories and" in stdout
    assert "hash-32 (32 dims)" in stdout and "hash-64 (64 dims)" in stdout
