"""Shared fixtures: an isolated environment, configs, a Memory, and the fake LLM server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmem import GraphMemConfig, Memory
from tests.fakes.fixtures import (  # noqa: F401  (fixtures are found by name)
    fake_llm_config,
    fake_openai_server,
    fake_openai_server_session,
)


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's GRAPHMEM_* / OPENAI_* settings or ~/.graphmem."""
    for name in list(os.environ):
        if name.startswith(("GRAPHMEM_", "OPENAI_")):
            monkeypatch.delenv(name)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "graphmem"


@pytest.fixture
def config(data_dir: Path) -> GraphMemConfig:
    """The embedded default, pinned: networkx, Qdrant local mode, hash embedder, offline."""
    return GraphMemConfig(data_dir=data_dir, embedder="hash", extractor="offline")


@pytest.fixture
def memory(config: GraphMemConfig) -> Iterator[Memory]:
    with Memory(config) as opened:
        yield opened
