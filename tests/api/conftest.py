"""Fixtures of the API tests: a live server with two tenants' keys and an admin key, on
each graph store.

A test that uses the live server (`base_url`, or a client of it) runs once per graph store,
networkx and a real Neo4j; `@pytest.mark.graph_stores("neo4j")` keeps a test (or
`pytestmark`, a module) to the stores it names. The store is a module-scoped parameter, so
each module starts one server per store and its tests share it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from graphmem import GraphMemConfig
from tests.api.live_server import serve
from tests.conftest import GRAPH_STORES, empty_neo4j
from tests.neo4j_server import AUTH

ALICE_KEY = "alice-key"
BOB_KEY = "bob-key"
ADMIN_KEY = "admin-key"
API_KEYS = {
    ALICE_KEY: {"user_id": ["alice"]},
    BOB_KEY: {"user_id": ["bob"]},
    ADMIN_KEY: "*",
}

Client = Callable[[str | None], httpx.Client]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test that uses `graph_store` once per store its `graph_stores` mark allows."""
    if "graph_store" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("graph_stores")
        stores = marker.args if marker is not None else GRAPH_STORES
        metafunc.parametrize("graph_store", stores, scope="module")


def graph_settings(graph_store: str, neo4j_uri: str | None = None) -> dict[str, object]:
    """GraphMemConfig fields putting the graph in networkx, or on the test Neo4j at
    `neo4j_uri`, which is emptied first."""
    if graph_store != "neo4j":
        return {}
    assert neo4j_uri is not None, "a Neo4j config needs the test server's URI"
    empty_neo4j(neo4j_uri).close()
    return {"graph_store": "neo4j", "neo4j_uri": neo4j_uri, "neo4j_password": AUTH[1]}


def store_settings(request: pytest.FixtureRequest, graph_store: str) -> dict[str, object]:
    """`graph_settings` of `graph_store`, starting the test Neo4j only when it is needed."""
    uri = request.getfixturevalue("neo4j_uri") if graph_store == "neo4j" else None
    return graph_settings(graph_store, uri)


def offline_config(data_dir: Path, **graph: object) -> GraphMemConfig:
    """The embedded default with the hash embedder and the offline extractor (its graph as
    `graph_settings` says); no GRAPHMEM_* or OPENAI_* variable is read."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith(("GRAPHMEM_", "OPENAI_")):
                patch.delenv(name)
        fields = {"data_dir": data_dir, "embedder": "hash", "extractor": "offline", **graph}
        return GraphMemConfig(**fields)  # type: ignore[arg-type]


def store_config(
    request: pytest.FixtureRequest, data_dir: Path, graph_store: str
) -> GraphMemConfig:
    """`offline_config` on `graph_store`."""
    return offline_config(data_dir, **store_settings(request, graph_store))


@pytest.fixture(scope="module")
def base_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, graph_store: str
) -> Iterator[str]:
    """One live server per test module and graph store, with the tenants' keys, data in a
    temp folder (and, on Neo4j, the test server emptied first)."""
    data_dir = tmp_path_factory.mktemp(f"api-{graph_store}") / "graphmem"
    config = store_config(request, data_dir, graph_store)
    app = create_app(config, api_keys=API_KEYS, max_body_bytes=64 * 1024)
    with serve(app) as url:
        yield url


@pytest.fixture
def client(base_url: str) -> Iterator[Client]:
    """`client(key)`: an httpx client of the live server sending `key` (None: no key)."""
    opened: list[httpx.Client] = []

    def make(key: str | None) -> httpx.Client:
        headers = {"X-API-Key": key} if key else {}
        made = httpx.Client(base_url=base_url, headers=headers, timeout=30.0)
        opened.append(made)
        return made

    yield make
    for made in opened:
        made.close()


@pytest.fixture
def alice(client: Client) -> httpx.Client:
    return client(ALICE_KEY)


@pytest.fixture
def bob(client: Client) -> httpx.Client:
    return client(BOB_KEY)


@pytest.fixture
def admin(client: Client) -> httpx.Client:
    return client(ADMIN_KEY)


def add_memory(http: httpx.Client, text: str, user_id: str, **extra: object) -> str:
    """Add `text` for `user_id` through the API and return the new memory's id."""
    response = http.post("/v1/memories", json={"messages": text, "user_id": user_id, **extra})
    assert response.status_code == 201, response.text
    memory_id: str = response.json()["results"][0]["id"]
    return memory_id


def assert_problem(response: httpx.Response, status: int, field: str | None = None) -> None:
    """`response` is RFC 9457 problem+json with `status` (and naming `field`)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert {"type", "title", "status", "detail", "field"} <= set(body)
    assert body["status"] == status
    if field is not None:
        assert body["field"] == field, body
