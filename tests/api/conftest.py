"""Fixtures of the API tests: a live server with two tenants' keys and an admin key."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from graphmem import GraphMemConfig
from tests.api.live_server import serve

ALICE_KEY = "alice-key"
BOB_KEY = "bob-key"
ADMIN_KEY = "admin-key"
API_KEYS = {
    ALICE_KEY: {"user_id": ["alice"]},
    BOB_KEY: {"user_id": ["bob"]},
    ADMIN_KEY: "*",
}

Client = Callable[[str | None], httpx.Client]


def offline_config(data_dir: Path) -> GraphMemConfig:
    """The embedded default with the hash embedder and the offline extractor."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith(("GRAPHMEM_", "OPENAI_")):
                patch.delenv(name)
        return GraphMemConfig(data_dir=data_dir, embedder="hash", extractor="offline")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One live server per test module, with the tenants' keys, data in a temp folder."""
    data_dir = tmp_path_factory.mktemp("api") / "graphmem"
    app = create_app(offline_config(data_dir), api_keys=API_KEYS, max_body_bytes=64 * 1024)
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
