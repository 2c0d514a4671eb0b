"""`POST /v1/graph/cypher` against a real Neo4j: read-only, scoped, and tenant-bound."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from graphmem import GraphMemConfig
from tests.api.conftest import ALICE_KEY, API_KEYS, add_memory, assert_problem
from tests.api.live_server import serve
from tests.conftest import empty_neo4j
from tests.neo4j_server import AUTH

WHO_WORKS_WHERE = (
    "MATCH (p:Person {user_id: $user_id})-[:WORKS_AT]->(o) RETURN p.name AS person, o.name AS org"
)


@pytest.fixture
def alice_on_neo4j(neo4j_uri: str, tmp_path: Path) -> Iterator[httpx.Client]:
    empty_neo4j(neo4j_uri).close()
    config = GraphMemConfig(
        data_dir=tmp_path / "graphmem",
        embedder="hash",
        extractor="offline",
        graph_store="neo4j",
        neo4j_uri=neo4j_uri,
        neo4j_password=AUTH[1],
    )
    with (
        serve(create_app(config, api_keys=API_KEYS)) as url,
        httpx.Client(base_url=url, headers={"X-API-Key": ALICE_KEY}, timeout=30.0) as http,
    ):
        yield http


def test_cypher_returns_the_callers_rows(alice_on_neo4j: httpx.Client) -> None:
    add_memory(alice_on_neo4j, "Sarah Chen works at Google.", "alice")
    response = alice_on_neo4j.post(
        "/v1/graph/cypher", json={"query": WHO_WORKS_WHERE, "user_id": "alice"}
    )
    assert response.json() == {"rows": [{"person": "Sarah Chen", "org": "Google"}]}


def test_writing_cypher_is_a_422_problem(alice_on_neo4j: httpx.Client) -> None:
    response = alice_on_neo4j.post(
        "/v1/graph/cypher",
        json={"query": "MATCH (e:Entity {user_id: $user_id}) DETACH DELETE e", "user_id": "alice"},
    )
    assert_problem(response, 422, "query")


def test_cypher_in_another_tenants_scope_is_forbidden(alice_on_neo4j: httpx.Client) -> None:
    response = alice_on_neo4j.post(
        "/v1/graph/cypher", json={"query": WHO_WORKS_WHERE, "user_id": "bob"}
    )
    assert_problem(response, 403, "user_id")
