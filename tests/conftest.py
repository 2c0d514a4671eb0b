"""Shared fixtures: an isolated environment, configs, a Memory, and the fake LLM server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmem import GraphMemConfig, Memory
from graphmem.stores.graph.neo4j_store import Neo4jGraphStore
from tests.fakes.fixtures import (  # noqa: F401  (fixtures are found by name)
    fake_llm_config,
    fake_openai_server,
    fake_openai_server_session,
)
from tests.llama_server import BASE_URL, start_llama_unless_running, stop_llama
from tests.neo4j_server import AUTH, URI, start_neo4j_unless_running, stop_neo4j

GRAPH_STORES = ("networkx", "neo4j")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on the real model server run last, so that a cold build of it (`make test`
    starts one in the background first) overlaps every other test."""
    items.sort(key=lambda item: "llama_url" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    """A real Neo4j server (tools/neo4j); `make test` starts it, else this does, and then
    stops it when the session ends."""
    started = start_neo4j_unless_running()
    yield URI
    if started:
        stop_neo4j()


@pytest.fixture(scope="session")
def llama_url() -> Iterator[str]:
    """A real model server, llama.cpp's llama-server with SmolLM2-135M (tools/llama), as an
    OpenAI base URL; `make test` starts it, else this does (building it once per machine),
    and then stops it when the session ends."""
    started = start_llama_unless_running()
    yield f"{BASE_URL}/v1"
    if started:
        stop_llama()


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's GRAPHMEM_* / OPENAI_* settings or ~/.graphmem."""
    for name in list(os.environ):
        if name.startswith(("GRAPHMEM_", "OPENAI_")):
            monkeypatch.delenv(name)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "graphmem"


@pytest.fixture(params=GRAPH_STORES)
def config(request: pytest.FixtureRequest, data_dir: Path) -> GraphMemConfig:
    """The embedded default (Qdrant local mode, hash embedder, offline extractor) on each
    graph store: networkx, and a real Neo4j emptied before the test."""
    if request.param == "networkx":
        return GraphMemConfig(data_dir=data_dir, embedder="hash", extractor="offline")
    return neo4j_config(data_dir, request.getfixturevalue("neo4j_uri"))


@pytest.fixture
def memory(config: GraphMemConfig) -> Iterator[Memory]:
    with Memory(config) as opened:
        yield opened


def neo4j_config(data_dir: Path, uri: str) -> GraphMemConfig:
    """The embedded default with the graph on the test Neo4j, emptied first."""
    empty_neo4j(uri).close()
    return GraphMemConfig(
        data_dir=data_dir,
        embedder="hash",
        extractor="offline",
        graph_store="neo4j",
        neo4j_uri=uri,
        neo4j_password=AUTH[1],
    )


def empty_neo4j(uri: str) -> Neo4jGraphStore:
    """A store on the test server with every graphmem node deleted."""
    store = Neo4jGraphStore(uri, AUTH)
    store.reset()
    return store
