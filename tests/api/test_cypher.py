"""`POST /v1/graph/cypher` against a real Neo4j: free Cypher is for admin keys only.

A scoped key is refused whatever its query returns (text checks and row filters cannot
confine free Cypher: a scalar, a count or a list carries another tenant's data as well as
a node does); it reads through the saved queries of `/v1/graph/queries`, whose scope is
the one its request names and its key allows.
"""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import ALICE_KEY, BOB_KEY, add_memory, assert_problem

pytestmark = pytest.mark.graph_stores("neo4j")

WHO_WORKS_WHERE = (
    "MATCH (p:Person {user_id: $user_id})-[:WORKS_AT]->(o) RETURN p.name AS person, o.name AS org"
)
# Each shape a query can return, none of them a node of its own: the ways the old row
# filter let another tenant's data through.
LEAKING_SHAPES = {
    "scalar": "MATCH (e:Entity) WHERE $user_id IS NOT NULL RETURN e.name AS name",
    "aggregate": "MATCH (e:Entity) WHERE $user_id IS NOT NULL RETURN count(e) AS entities",
    "map": "MATCH (e:Entity) WHERE $user_id IS NOT NULL RETURN e {.name, .user_id} AS e",
    "list": "MATCH (e:Entity) WHERE $user_id IS NOT NULL RETURN collect(e.name) AS names",
    "path": "MATCH p = (:Entity)-[:WORKS_AT]->(:Entity) WHERE $user_id IS NOT NULL "
    "RETURN [n IN nodes(p) | n.name] AS path",
    "no scope at all": "MATCH (e:Entity {user_id: 'bob'}) RETURN e.name AS name, $user_id AS me",
}


@pytest.fixture(scope="module", autouse=True)
def seeded(base_url: str) -> None:
    """One fact for alice and one for bob, added by their own keys."""
    for key, user, text in (
        (ALICE_KEY, "alice", "Sarah Chen works at Google."),
        (BOB_KEY, "bob", "Tom Baker works at Microsoft."),
    ):
        with httpx.Client(base_url=base_url, headers={"X-API-Key": key}, timeout=30.0) as http:
            add_memory(http, text, user)


@pytest.mark.parametrize("query", LEAKING_SHAPES.values(), ids=LEAKING_SHAPES.keys())
def test_a_scoped_key_never_reads_another_tenant_through_cypher(
    alice: httpx.Client, query: str
) -> None:
    response = alice.post("/v1/graph/cypher", json={"query": query, "user_id": "alice"})
    assert "Tom Baker" not in response.text
    assert "Microsoft" not in response.text
    assert_problem(response, 403, "X-API-Key")


def test_a_scoped_key_is_refused_even_its_own_scoped_query(alice: httpx.Client) -> None:
    response = alice.post("/v1/graph/cypher", json={"query": WHO_WORKS_WHERE, "user_id": "alice"})
    assert_problem(response, 403, "X-API-Key")
    assert "/v1/graph/queries" in response.json()["detail"]


def test_an_admin_key_runs_free_cypher_over_every_tenant(admin: httpx.Client) -> None:
    response = admin.post(
        "/v1/graph/cypher",
        json={
            "query": "MATCH (p:Person)-[:WORKS_AT]->(o) RETURN p.name AS person, o.name AS org "
            "ORDER BY person",
        },
    )
    assert response.json() == {
        "rows": [
            {"person": "Sarah Chen", "org": "Google"},
            {"person": "Tom Baker", "org": "Microsoft"},
        ]
    }


def test_an_admin_key_passes_its_own_parameters(admin: httpx.Client) -> None:
    response = admin.post(
        "/v1/graph/cypher", json={"query": WHO_WORKS_WHERE, "params": {"user_id": "bob"}}
    )
    assert response.json() == {"rows": [{"person": "Tom Baker", "org": "Microsoft"}]}


def test_writing_cypher_is_a_422_problem_even_for_an_admin_key(admin: httpx.Client) -> None:
    response = admin.post("/v1/graph/cypher", json={"query": "MATCH (e:Entity) DETACH DELETE e"})
    assert_problem(response, 422, "query")
    counted = admin.post(
        "/v1/graph/cypher", json={"query": "MATCH (e:Entity) RETURN count(e) AS n"}
    )
    assert counted.json() == {"rows": [{"n": 4}]}


def test_the_saved_queries_are_listed_with_their_parameters(alice: httpx.Client) -> None:
    listed = {query["name"]: query for query in alice.get("/v1/graph/queries").json()["queries"]}
    assert set(listed) == {"users_graph", "who_works_where", "entity_history", "shortest_path"}
    assert listed["shortest_path"]["params"] == ["from", "to"]
    assert listed["who_works_where"]["description"]


def test_a_scoped_key_runs_a_saved_query_in_its_own_scope(alice: httpx.Client) -> None:
    response = alice.post("/v1/graph/queries/who_works_where", json={"user_id": "alice"})
    assert response.json() == {
        "rows": [{"person": "Sarah Chen", "organization": "Google", "since": None}]
    }


def test_a_saved_query_in_another_tenants_scope_is_forbidden(alice: httpx.Client) -> None:
    response = alice.post("/v1/graph/queries/users_graph", json={"user_id": "bob"})
    assert_problem(response, 403, "user_id")
    assert "Tom Baker" not in response.text


def test_a_saved_querys_scope_cannot_come_from_its_parameters(alice: httpx.Client) -> None:
    response = alice.post(
        "/v1/graph/queries/users_graph", json={"user_id": "alice", "params": {"user_id": "bob"}}
    )
    assert_problem(response, 422, "params.user_id")
    assert "Tom Baker" not in response.text


def test_an_unknown_saved_query_is_a_404_problem(alice: httpx.Client) -> None:
    response = alice.post("/v1/graph/queries/everything", json={"user_id": "alice"})
    assert_problem(response, 404, "name")
