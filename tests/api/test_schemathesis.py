"""Property-based requests from the OpenAPI schema (schemathesis): every response conforms.

Bounded, derandomised runs, each against a live server of its own seeded with memories,
entities and relations (some ended, some updated): generated requests to every operation
with the admin key, with a key restricted to user alice, with an unknown key, and invalid
requests with the admin key. Every other request is pinned to alice's scope and to stored
ids, so responses carry real items, not only empty lists and 404s; DELETE operations go
last, so the reads before them see the seeded data. Every response must be no 5xx and
conform to `/openapi.json`: a documented status code, a documented content type, and a
body and headers of the documented shape.

The counts are printed (`-s` shows them).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from tests.api.conftest import ADMIN_KEY, ALICE_KEY, API_KEYS, store_config
from tests.api.live_server import serve

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
OTHER_SCOPE_IDS = ("agent_id", "run_id", "app_id")
# Text a pinned request gets when generation left it empty: an empty query is only a 422.
PINNED_TEXT = {
    "POST /v1/memories": ("messages", "Alice works at Acme in Lyon."),
    "POST /v1/memories/search": ("query", "where does Sarah Chen work?"),
    "POST /v1/query": ("question", "Who works at Google?"),
}
SEED_RECORDS: list[dict[str, Any]] = [
    {
        "text": "Sarah Chen works at Google as a product manager.",
        "user_id": "alice",
        "metadata": {"source": "crm"},
        "timestamp": "2023-05-08T13:56:00+02:00",
        "entities": [
            {"name": "Sarah Chen", "type": "Person"},
            {"name": "Google", "type": "Organization"},
        ],
        "relations": [
            {
                "source": "Sarah Chen",
                "relationship": "works at",
                "target": "Google",
                "valid_from": "2021-03-01",
            }
        ],
    },
    {
        "user_id": "alice",
        "relations": [
            {
                "source": "Bob Stone",
                "relationship": "lives in",
                "target": "Zurich",
                "valid_from": "2019-01-01",
                "valid_to": "2022-01-01",
            }
        ],
    },
]
SEED_TEXTS = ("Alice lives in Paris.", "Alice moved to Berlin.", "I like green tea.")


@dataclass
class Seed:
    """Ids stored in alice's scope that generated requests are pinned to, and where each
    operation takes its `user_id` (`"query"` or `"body"`), by operation label."""

    memory_ids: list[str]
    entity_refs: list[str]
    user_id_in: dict[str, str]


@dataclass
class Tally:
    """What one run sent and what came back."""

    statuses: Counter[int] = field(default_factory=Counter)
    non_conforming: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)


@pytest.fixture
def seeded_server(
    request: pytest.FixtureRequest, tmp_path: Path, graph_store: str
) -> Iterator[tuple[str, Seed]]:
    """A live server of its own on `graph_store`, with alice's memories, entities and
    relations."""
    app = create_app(store_config(request, tmp_path / "graphmem", graph_store), api_keys=API_KEYS)
    with serve(app) as url, httpx.Client(base_url=url, headers={"X-API-Key": ADMIN_KEY}) as http:
        yield url, _seed(http)


@pytest.mark.parametrize(
    ("key", "mode", "examples"),
    [
        pytest.param(ADMIN_KEY, GenerationMode.POSITIVE, 25, id="admin"),
        pytest.param(ALICE_KEY, GenerationMode.POSITIVE, 10, id="scoped"),
        pytest.param("not-a-key", GenerationMode.POSITIVE, 2, id="unknown-key"),
        pytest.param(ADMIN_KEY, GenerationMode.NEGATIVE, 5, id="admin-invalid-requests"),
    ],
)
def test_generated_requests_get_conforming_responses_and_never_a_server_error(
    request: pytest.FixtureRequest,
    seeded_server: tuple[str, Seed],
    key: str,
    mode: GenerationMode,
    examples: int,
) -> None:
    url, seed = seeded_server
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    every = sorted((result.ok() for result in schema.get_all_operations()), key=_deletes_last)
    operations = [op for op in every if mode is GenerationMode.POSITIVE or _can_be_invalid(op)]
    tally = Tally()
    started = time.perf_counter()
    with requests.Session() as session:
        session.headers["X-API-Key"] = key
        for operation in operations:
            _fuzz(operation, url, session, mode, examples, seed, tally)
    print(
        f"\nschemathesis [{request.node.callspec.id}]: "
        f"{tally.sent} requests over {len(operations)} of {len(every)} operations in "
        f"{time.perf_counter() - started:.1f} s: {len(tally.non_conforming)} non-conforming, "
        f"{tally.server_errors} 5xx; statuses {dict(sorted(tally.statuses.items()))}"
    )
    assert len(every) >= 18
    assert len(operations) >= (18 if mode is GenerationMode.POSITIVE else 12)
    assert tally.non_conforming == []
    assert tally.server_errors == 0


def _can_be_invalid(operation: APIOperation) -> bool:
    """Whether a request to `operation` can be made invalid: it takes a body or a query
    (its path ids are free text, so any value is a valid one)."""
    return bool(operation.body) or any(True for _ in operation.query)


def _fuzz(
    operation: APIOperation,
    url: str,
    session: requests.Session,
    mode: GenerationMode,
    examples: int,
    seed: Seed,
    tally: Tally,
) -> None:
    """Send up to `examples` generated requests to one operation and check each response."""

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def send(case: schemathesis.Case) -> None:
        if tally.sent % 2 == 0:
            _pin_to_seed(case, seed, tally.sent // 2)
        response = case.call(base_url=url, session=session, timeout=30)
        tally.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            reasons = "; ".join(
                f"{failure.title}: {failure.message}" for failure in group.exceptions
            )
            tally.non_conforming.append(
                f"{case.method} {case.formatted_path} -> {response.status_code}: {reasons[:600]}"
            )

    send()


def _pin_to_seed(case: schemathesis.Case, seed: Seed, index: int) -> None:
    """Point a generated request at alice's scope and at ids stored there."""
    path = dict(case.path_parameters)
    if "memory_id" in path:
        path["memory_id"] = seed.memory_ids[index % len(seed.memory_ids)]
    if "entity_id" in path:
        path["entity_id"] = seed.entity_refs[index % len(seed.entity_refs)]
    case.path_parameters = path
    if "entity" in case.query:
        case.query = {**case.query, "entity": seed.entity_refs[index % len(seed.entity_refs)]}
    where = seed.user_id_in.get(case.operation.label)
    if where == "query":
        case.query = _in_alice_scope(case.query)
    elif where == "body" and isinstance(case.body, dict):
        case.body = _in_alice_scope(case.body)
        name, text = PINNED_TEXT.get(case.operation.label, ("", ""))
        if name and not case.body.get(name):
            case.body = {**case.body, name: text}
    elif isinstance(case.body, list):  # import records
        case.body = [_in_alice_scope(one) if isinstance(one, dict) else one for one in case.body]


def _deletes_last(operation: APIOperation) -> tuple[bool, bool]:
    """Reads and writes first, then deletes of one memory, then delete-all."""
    deletes = operation.method.upper() == "DELETE"
    return deletes, deletes and "{" not in operation.path


def _in_alice_scope(values: dict[str, Any]) -> dict[str, Any]:
    kept = {name: value for name, value in values.items() if name not in OTHER_SCOPE_IDS}
    return {**kept, "user_id": "alice"}


def _user_id_locations(openapi: dict[str, Any]) -> dict[str, str]:
    """Operation label -> where it takes `user_id`: a query parameter or a body field."""
    schemas = openapi["components"]["schemas"]
    found: dict[str, str] = {}
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            if any(p["name"] == "user_id" for p in operation.get("parameters", [])):
                found[label] = "query"
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
            if "user_id" in schemas.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}):
                found[label] = "body"
    return found


def _seed(http: httpx.Client) -> Seed:
    """Store alice's memories: imported relations (one ended), adds (one moves her, which
    ends a relation) and an update."""
    imported = http.post("/v1/import", json=SEED_RECORDS)
    assert imported.status_code == 200 and imported.json()["errors"] == [], imported.text
    for text in SEED_TEXTS:
        added = http.post("/v1/memories", json={"messages": text, "user_id": "alice"})
        assert added.status_code == 201, added.text
    memories = http.get("/v1/memories", params={"user_id": "alice"}).json()["results"]
    memory_ids = [memory["id"] for memory in memories]
    updated = http.put(
        f"/v1/memories/{memory_ids[0]}", json={"text": "Sarah Chen works at Alphabet."}
    )
    assert updated.status_code == 200, updated.text
    entities = http.get("/v1/entities", params={"user_id": "alice"}).json()
    assert len(memory_ids) >= 4 and len(entities) >= 4
    entity_refs = [ref for entity in entities for ref in (entity["id"], entity["name"])]
    user_id_in = _user_id_locations(http.get("/openapi.json").json())
    return Seed(memory_ids=memory_ids, entity_refs=entity_refs, user_id_in=user_id_in)
