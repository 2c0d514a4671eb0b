"""Two tenants' keys: each sees and changes only its own memories, in every endpoint."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.api.conftest import ALICE_KEY, BOB_KEY, Client, add_memory, assert_problem

ALICE_FACT = "Sarah Chen works at Google."
BOB_FACT = "Tom Baker works at Microsoft."


@pytest.fixture(scope="module")
def seeded(base_url: str) -> dict[str, str]:
    """One memory for alice and one for bob, added with their own keys."""
    ids = {}
    for key, user, text in ((ALICE_KEY, "alice", ALICE_FACT), (BOB_KEY, "bob", BOB_FACT)):
        with httpx.Client(base_url=base_url, headers={"X-API-Key": key}, timeout=30.0) as http:
            ids[user] = add_memory(http, text, user)
    return ids


def _texts(body: Any) -> str:
    return json.dumps(body)


def test_list_shows_only_the_callers_memories(alice: httpx.Client, seeded: dict[str, str]) -> None:
    listed = alice.get("/v1/memories", params={"user_id": "alice"}).json()
    assert ALICE_FACT in _texts(listed)
    assert "Tom Baker" not in _texts(listed)


def test_listing_another_tenants_scope_is_forbidden(
    alice: httpx.Client, seeded: dict[str, str]
) -> None:
    assert_problem(alice.get("/v1/memories", params={"user_id": "bob"}), 403, "user_id")


def test_a_restricted_key_must_name_its_scope(alice: httpx.Client, seeded: dict[str, str]) -> None:
    assert_problem(alice.get("/v1/memories", params={"agent_id": "bot"}), 403, "user_id")
    assert_problem(alice.get("/v1/memories"), 403, "user_id")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_another_tenants_memory_id_is_not_found(
    alice: httpx.Client, seeded: dict[str, str], method: str
) -> None:
    body = {"text": "hijacked"} if method == "PUT" else None
    response = alice.request(method, f"/v1/memories/{seeded['bob']}", json=body)
    assert_problem(response, 404, "memory_id")
    assert "Tom Baker" not in response.text


def test_another_tenants_memory_survives_their_attempts(
    alice: httpx.Client, bob: httpx.Client, seeded: dict[str, str]
) -> None:
    alice.put(f"/v1/memories/{seeded['bob']}", json={"text": "hijacked"})
    alice.delete(f"/v1/memories/{seeded['bob']}")
    assert bob.get(f"/v1/memories/{seeded['bob']}").json()["memory"] == BOB_FACT


def test_another_tenants_history_is_not_found(
    alice: httpx.Client, bob: httpx.Client, seeded: dict[str, str]
) -> None:
    response = alice.get(f"/v1/memories/{seeded['bob']}/history")
    assert_problem(response, 404)
    assert "Tom Baker" not in response.text
    own = bob.get(f"/v1/memories/{seeded['bob']}/history").json()
    assert [event["event"] for event in own] == ["ADD"]


def test_search_and_query_stay_in_the_callers_scope(
    alice: httpx.Client, seeded: dict[str, str]
) -> None:
    found = alice.post(
        "/v1/memories/search", json={"query": "Who works where?", "user_id": "alice"}
    )
    answered = alice.post(
        "/v1/query", json={"question": "who works at Microsoft?", "user_id": "alice"}
    )
    assert found.status_code == answered.status_code == 200
    assert "Tom Baker" not in found.text + answered.text
    assert ALICE_FACT in found.text


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/memories", {"messages": "Eve likes tea.", "user_id": "bob"}),
        ("/v1/memories/search", {"query": "tea", "user_id": "bob"}),
        ("/v1/query", {"question": "who works at Microsoft?", "user_id": "bob"}),
        ("/v1/graph/queries/users_graph", {"user_id": "bob"}),
    ],
)
def test_writing_or_reading_another_tenants_scope_is_forbidden(
    alice: httpx.Client, seeded: dict[str, str], path: str, body: dict[str, Any]
) -> None:
    response = alice.post(path, json=body)
    assert_problem(response, 403, "user_id")
    assert "Tom Baker" not in response.text


@pytest.mark.parametrize("key", [ALICE_KEY, BOB_KEY])
def test_free_cypher_is_forbidden_to_every_scoped_key(
    client: Client, seeded: dict[str, str], key: str
) -> None:
    response = client(key).post("/v1/graph/cypher", json={"query": "MATCH (n) RETURN n"})
    assert_problem(response, 403, "X-API-Key")
    assert "Tom Baker" not in response.text


def test_the_openapi_says_free_cypher_is_for_admin_keys(
    alice: httpx.Client, seeded: dict[str, str]
) -> None:
    route = alice.get("/openapi.json").json()["paths"]["/v1/graph/cypher"]["post"]
    assert "admin keys only" in route["description"]
    assert "/v1/graph/queries" in route["responses"]["403"]["description"]


def test_delete_all_of_another_tenant_is_forbidden(
    alice: httpx.Client, bob: httpx.Client, seeded: dict[str, str]
) -> None:
    assert_problem(alice.delete("/v1/memories", params={"user_id": "bob"}), 403, "user_id")
    assert bob.get(f"/v1/memories/{seeded['bob']}").status_code == 200


@pytest.mark.parametrize("path", ["/v1/entities", "/v1/graph/subgraph", "/v1/export"])
def test_graph_reads_and_export_of_another_tenant_are_forbidden(
    alice: httpx.Client, seeded: dict[str, str], path: str
) -> None:
    assert_problem(alice.get(path, params={"user_id": "bob"}), 403, "user_id")


def test_entities_subgraph_and_export_show_only_the_callers_graph(
    alice: httpx.Client, seeded: dict[str, str]
) -> None:
    scope = {"user_id": "alice"}
    entities = alice.get("/v1/entities", params=scope).json()
    subgraph = alice.get("/v1/graph/subgraph", params=scope).json()
    exported = alice.get("/v1/export", params=scope).text
    assert "Sarah Chen" in {entity["name"] for entity in entities}
    assert {"Sarah Chen", "Google"} <= {node["name"] for node in subgraph["nodes"]}
    assert "Sarah Chen" in exported
    assert "Tom Baker" not in json.dumps(entities) + json.dumps(subgraph) + exported


def test_another_tenants_entity_is_not_found(
    alice: httpx.Client, bob: httpx.Client, seeded: dict[str, str]
) -> None:
    toms = [e for e in bob.get("/v1/entities", params={"user_id": "bob"}).json()]
    tom_id = next(entity["id"] for entity in toms if entity["name"] == "Tom Baker")
    response = alice.get(f"/v1/entities/{tom_id}", params={"user_id": "alice"})
    assert_problem(response, 404)
    assert "Tom Baker" not in response.text


def test_import_into_another_tenants_scope_is_refused(
    alice: httpx.Client, bob: httpx.Client, seeded: dict[str, str]
) -> None:
    records = [{"text": "Ann likes tea.", "user_id": "alice"}, {"text": "X", "user_id": "bob"}]
    assert_problem(alice.post("/v1/import", json=records), 403, "user_id")
    assert "Ann likes tea" not in alice.get("/v1/export", params={"user_id": "alice"}).text


@pytest.mark.parametrize("path", ["/v1/memories?user_id=alice", "/v1/entities?user_id=alice"])
def test_no_key_is_unauthorized(client: Client, path: str) -> None:
    response = client(None).get(path)
    assert_problem(response, 401, "X-API-Key")
    assert response.headers["www-authenticate"] == "Bearer"


def test_an_unknown_key_is_unauthorized(client: Client) -> None:
    assert_problem(client("nope").get("/v1/memories", params={"user_id": "alice"}), 401)


def test_a_bearer_token_is_accepted(base_url: str, seeded: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {ALICE_KEY}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30.0) as http:
        assert http.get(f"/v1/memories/{seeded['alice']}").json()["memory"] == ALICE_FACT


def test_an_admin_key_sees_every_tenant(admin: httpx.Client, seeded: dict[str, str]) -> None:
    exported = admin.get("/v1/export").text
    assert ALICE_FACT in exported
    assert BOB_FACT in exported
