"""Bad input is a 4xx problem+json naming the field, never a 500, and writes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.conftest import assert_problem


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/memories", {"messages": "   ", "user_id": "u-bad"}, "messages"),
        ("/v1/memories", {"messages": "Ann likes tea."}, "scope"),
        ("/v1/memories", {"messages": 42, "user_id": "u-bad"}, "messages"),
        ("/v1/memories", {"messages": "Ann likes tea.", "user_id": 7}, "user_id"),
        (
            "/v1/memories",
            {"messages": "Ann likes tea.", "user_id": "u", "metadata": []},
            "metadata",
        ),
        ("/v1/memories", {"messages": "Ann likes tea.", "user_id": "u", "colour": 1}, "colour"),
        (
            "/v1/memories",
            {"messages": [{"role": "robot", "content": "x"}], "user_id": "u"},
            "messages[0].role",
        ),
        (
            "/v1/memories",
            {"messages": "Ann likes tea.", "user_id": "u", "timestamp": "8 May 2023"},
            "timestamp",
        ),
        (
            "/v1/memories",
            {"messages": "Ann likes tea.", "user_id": "u", "timestamp": True},
            "timestamp",
        ),
        ("/v1/memories/search", {"query": "", "user_id": "u-bad"}, "query"),
        ("/v1/memories/search", {"query": "tea", "user_id": "u", "limit": "many"}, "limit"),
        ("/v1/memories/search", {"query": "tea", "user_id": "u", "limit": 0}, "limit"),
        (
            "/v1/memories/search",
            {"query": "tea", "user_id": "u", "filters": {"x": {"zz": 1}}},
            "filters",
        ),
        ("/v1/memories/search", {"query": "tea", "user_id": "u", "as_of": "yesterday"}, "as_of"),
        ("/v1/query", {"user_id": "u-bad"}, "question"),
        ("/v1/query", {"question": "who?", "user_id": ""}, "scope"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(
    admin: httpx.Client, path: str, body: dict[str, Any], field: str
) -> None:
    assert_problem(admin.post(path, json=body), 422, field)


def test_bad_filter_json_in_the_query_string_is_422(admin: httpx.Client) -> None:
    response = admin.get("/v1/memories", params={"user_id": "u", "filters": "{oops"})
    assert_problem(response, 422, "filters")


def test_a_list_without_scope_is_422(admin: httpx.Client) -> None:
    assert_problem(admin.get("/v1/memories"), 422, "scope")


def test_body_that_is_not_json_is_422(admin: httpx.Client) -> None:
    response = admin.post(
        "/v1/memories", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 422)


def test_oversize_body_is_413_and_nothing_is_written(admin: httpx.Client) -> None:
    text = "Ann likes tea. " * 10_000
    assert_problem(
        admin.post("/v1/memories", json={"messages": text, "user_id": "u-big"}), 413, "body"
    )
    assert admin.get("/v1/memories", params={"user_id": "u-big"}).json()["results"] == []


def test_oversize_chunked_body_is_413(admin: httpx.Client) -> None:
    def chunks() -> Any:
        for _ in range(100):
            yield b"x" * 1024

    response = admin.post("/v1/import", content=chunks())
    assert_problem(response, 413, "body")


def test_an_unknown_memory_id_is_404(admin: httpx.Client) -> None:
    assert_problem(admin.get("/v1/memories/not-a-uuid"), 404, "memory_id")


def test_an_unknown_route_is_a_404_problem(admin: httpx.Client) -> None:
    assert_problem(admin.get("/v1/nothing-here"), 404)


def test_import_of_a_non_list_json_body_is_422(admin: httpx.Client) -> None:
    response = admin.post(
        "/v1/import", content=b"[1, 2", headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 422, "body")
