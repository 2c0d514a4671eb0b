"""The REST endpoints end to end: each returns what the facade returns (SPEC §3, §7)."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.api.conftest import add_memory, assert_problem


def test_add_returns_the_new_memory_and_its_relations(admin: httpx.Client) -> None:
    response = admin.post(
        "/v1/memories",
        json={
            "messages": [{"role": "user", "content": "Sarah Chen works at Google."}],
            "user_id": "u-add",
            "metadata": {"source": "chat"},
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert [r["event"] for r in body["results"]] == ["ADD"]
    assert [r["relationship"] for r in body["relations"]["added"]] == ["WORKS_AT"]


def test_add_with_given_relations_needs_no_text(admin: httpx.Client) -> None:
    relation = {"source": "Ann Lee", "relationship": "lives in", "target": "Paris"}
    response = admin.post("/v1/memories", json={"user_id": "u-given", "relations": [relation]})
    assert response.status_code == 201
    assert response.json()["relations"]["added"][0]["relationship"] == "LIVES_IN"


def test_add_takes_a_timestamp_and_returns_it_in_utc(admin: httpx.Client) -> None:
    memory_id = add_memory(
        admin, "Sarah Chen works at Google.", "u-when", timestamp="2023-05-08T15:56:00+02:00"
    )
    assert admin.get(f"/v1/memories/{memory_id}").json()["timestamp"] == (
        "2023-05-08T13:56:00+00:00"
    )
    earlier = admin.post(
        "/v1/memories/search",
        json={"query": "Sarah Chen Google", "user_id": "u-when", "as_of": "2023-05-07"},
    )
    assert earlier.json()["results"] == []


def test_add_takes_a_timestamp_in_epoch_seconds(admin: httpx.Client) -> None:
    memory_id = add_memory(admin, "Ann likes tea.", "u-epoch", timestamp=1683554160)
    assert admin.get(f"/v1/memories/{memory_id}").json()["timestamp"] == (
        "2023-05-08T13:56:00+00:00"
    )


def test_get_update_history_and_delete_one_memory(admin: httpx.Client) -> None:
    memory_id = add_memory(admin, "Sarah Chen works at Google.", "u-crud")
    assert admin.get(f"/v1/memories/{memory_id}").json()["memory"] == "Sarah Chen works at Google."
    updated = admin.put(f"/v1/memories/{memory_id}", json={"metadata": {"checked": True}})
    assert updated.json()["event"] == "UPDATE"
    events = admin.get(f"/v1/memories/{memory_id}/history").json()
    assert [event["event"] for event in events] == ["ADD", "UPDATE"]
    assert admin.delete(f"/v1/memories/{memory_id}").json()["event"] == "DELETE"
    assert_problem(admin.get(f"/v1/memories/{memory_id}"), 404, "memory_id")


def test_list_pages_with_a_cursor_and_filters(admin: httpx.Client) -> None:
    for name in ("Ann", "Ben", "Cid"):
        add_memory(admin, f"{name} likes tea.", "u-list", metadata={"n": name})
    first = admin.get("/v1/memories", params={"user_id": "u-list", "limit": 2}).json()
    rest = admin.get(
        "/v1/memories", params={"user_id": "u-list", "limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert (len(first["results"]), len(rest["results"]), rest["next_cursor"]) == (2, 1, None)
    only_ben = admin.get(
        "/v1/memories", params={"user_id": "u-list", "filters": json.dumps({"n": "Ben"})}
    ).json()
    assert [hit["memory"] for hit in only_ben["results"]] == ["Ben likes tea."]


def test_search_ranks_the_matching_memory_first(admin: httpx.Client) -> None:
    add_memory(admin, "Sarah Chen works at Google.", "u-search")
    add_memory(admin, "Tom likes green tea.", "u-search")
    found = admin.post(
        "/v1/memories/search", json={"query": "where does Sarah work", "user_id": "u-search"}
    ).json()
    assert found["results"][0]["memory"] == "Sarah Chen works at Google."
    assert set(found["results"][0]["scores"]) == {"graph", "vector", "bm25"}


def test_query_answers_who_works_at_google(admin: httpx.Client) -> None:
    add_memory(admin, "Sarah Chen works at Google.", "u-query")
    answered = admin.post(
        "/v1/query", json={"question": "who works at Google?", "user_id": "u-query"}
    ).json()
    assert answered["answers"][0]["entity"] == "Sarah Chen"


def test_entity_by_id_comes_with_its_neighbours(admin: httpx.Client) -> None:
    add_memory(admin, "Sarah Chen works at Google.", "u-entity")
    entities = admin.get("/v1/entities", params={"user_id": "u-entity"}).json()
    sarah = next(entity for entity in entities if entity["name"] == "Sarah Chen")
    around = admin.get(f"/v1/entities/{sarah['id']}", params={"user_id": "u-entity"}).json()
    assert around["entity"]["id"] == sarah["id"]
    assert [(e["source"], e["relationship"], e["target"]) for e in around["edges"]] == [
        ("Sarah Chen", "WORKS_AT", "Google")
    ]


def test_subgraph_around_an_entity_by_name(admin: httpx.Client) -> None:
    add_memory(admin, "Sarah Chen works at Google.", "u-sub")
    drawn = admin.get(
        "/v1/graph/subgraph", params={"user_id": "u-sub", "entity": "Sarah Chen"}
    ).json()
    assert {node["name"] for node in drawn["nodes"]} == {"Sarah Chen", "Google"}


@pytest.mark.graph_stores("networkx")
def test_cypher_needs_neo4j_mode(admin: httpx.Client) -> None:
    response = admin.post("/v1/graph/cypher", json={"query": "RETURN 1"})
    assert_problem(response, 400, "query")


@pytest.mark.graph_stores("networkx")
def test_saved_queries_are_listed_but_need_neo4j_mode_to_run(admin: httpx.Client) -> None:
    listed = admin.get("/v1/graph/queries").json()["queries"]
    assert "who_works_where" in {query["name"] for query in listed}
    response = admin.post("/v1/graph/queries/who_works_where", json={"user_id": "u"})
    assert_problem(response, 400, "name")


def test_delete_all_empties_the_scope(admin: httpx.Client) -> None:
    add_memory(admin, "Ann likes tea.", "u-wipe")
    add_memory(admin, "Ben likes coffee.", "u-wipe")
    assert admin.delete("/v1/memories", params={"user_id": "u-wipe"}).json()["deleted"] == 2
    assert admin.get("/v1/memories", params={"user_id": "u-wipe"}).json()["results"] == []


def test_import_jsonl_then_export_it_back(admin: httpx.Client) -> None:
    lines = [
        {"text": "Ann Lee works at Acme.", "user_id": "u-io"},
        {
            "user_id": "u-io",
            "relations": [{"source": "Bo", "relationship": "knows", "target": "Ann Lee"}],
        },
    ]
    body = "\n".join(json.dumps(line) for line in lines) + "\n{not json\n"
    imported = admin.post(
        "/v1/import", content=body, headers={"Content-Type": "application/x-ndjson"}
    ).json()
    assert (imported["memories"], [e["line"] for e in imported["errors"]]) == (2, [3])
    exported = admin.get("/v1/export", params={"user_id": "u-io"})
    assert exported.headers["content-type"].startswith("application/x-ndjson")
    assert len(exported.text.splitlines()) == 2


def test_import_accepts_a_json_list(admin: httpx.Client) -> None:
    imported = admin.post("/v1/import", json=[{"text": "Cid likes tea.", "user_id": "u-io2"}])
    assert imported.json()["memories"] == 1
