"""GraphMemConfig from code, a dict, env vars, and a TOML or YAML file (SPEC §12)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graphmem import ConfigError, GraphMemConfig
from graphmem.config import CONFIG_FILE_ENV, RetrievalConfig

TOML = """\
graph_store = "neo4j"
neo4j_uri = "bolt://127.0.0.1:7999"
single_valued_relations = ["LIVES_IN"]
[retrieval]
max_hops = 3
rrf_k = 30
"""
YAML = """\
graph_store: neo4j
neo4j_uri: bolt://127.0.0.1:7999
single_valued_relations: [LIVES_IN]
retrieval:
  max_hops: 3
  rrf_k: 30
"""


@pytest.mark.parametrize(("name", "text"), [("graphmem.toml", TOML), ("graphmem.yaml", YAML)])
def test_a_file_sets_flat_and_nested_settings(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    config = GraphMemConfig.from_file(path, data_dir=tmp_path / "data")
    assert config.graph_store == "neo4j"
    assert config.neo4j_uri == "bolt://127.0.0.1:7999"
    assert config.single_valued_relations == ["LIVES_IN"]
    assert (config.retrieval.max_hops, config.retrieval.rrf_k) == (3, 30)
    assert config.data_dir == tmp_path / "data"


def test_env_vars_override_the_file_and_keywords_override_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "graphmem.toml"
    path.write_text(TOML, encoding="utf-8")
    monkeypatch.setenv("GRAPHMEM_NEO4J_URI", "bolt://10.0.0.1:7687")
    monkeypatch.setenv("GRAPHMEM_RETRIEVAL__RRF_K", "12")
    config = GraphMemConfig.from_file(path, graph_store="networkx")
    assert config.neo4j_uri == "bolt://10.0.0.1:7687"
    assert config.graph_store == "networkx"
    assert config.retrieval.max_hops == 3  # nested values the env leaves alone stay


def test_the_file_named_by_the_env_var_is_read_by_every_process(tmp_path: Path) -> None:
    path = tmp_path / "graphmem.yaml"
    path.write_text(YAML, encoding="utf-8")
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from graphmem import GraphMemConfig; print(GraphMemConfig().neo4j_uri)",
        ],
        env={CONFIG_FILE_ENV: str(path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "bolt://127.0.0.1:7999"


@pytest.mark.parametrize(
    ("name", "text", "complaint"),
    [
        ("missing.toml", None, "cannot read config file"),
        ("graphmem.ini", "graph_store = neo4j", "must end in .toml, .yaml or .yml"),
        ("broken.toml", "graph_store = = neo4j", "is not valid"),
        ("broken.yaml", "graph_store: [neo4j", "is not valid"),
        ("list.yaml", "- neo4j", "must hold a table"),
        ("typo.toml", 'graph_stor = "neo4j"', "graph_stor"),
        ("bad.toml", 'graph_store = "mysql"', "graph_store"),
    ],
)
def test_a_bad_file_is_a_config_error_naming_the_problem(
    tmp_path: Path, name: str, text: str | None, complaint: str
) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=complaint):
        GraphMemConfig.from_file(path)


def test_fusion_weights_default_to_the_embedders_and_a_dict_overrides_them() -> None:
    default = RetrievalConfig()
    assert default.weights_for("hash-384")["vector"] == 0.35
    assert default.weights_for("local:all-MiniLM-L6-v2-int8")["vector"] == 0.7
    chosen = RetrievalConfig(weights={"graph": 1.0, "vector": 2.0, "bm25": 0.5})
    assert chosen.weights_for("hash-384") == {"graph": 1.0, "vector": 2.0, "bm25": 0.5}
    with pytest.raises(ValueError, match="weights take the channels"):
        RetrievalConfig(weights={"vectors": 1.0})
