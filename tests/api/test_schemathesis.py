"""Property-based requests from the OpenAPI schema (schemathesis): never a 5xx.

A bounded, derandomised run: `MAX_EXAMPLES` generated requests per operation, with the
admin key, against a live server. The number of requests sent is printed (`-s` shows it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.core.transport import Response
from schemathesis.schemas import APIOperation

from api.app import create_app
from tests.api.conftest import ADMIN_KEY, API_KEYS, offline_config
from tests.api.live_server import serve

MAX_EXAMPLES = 25
HEADERS = {"X-API-Key": ADMIN_KEY}


@pytest.fixture
def fuzz_url(tmp_path: Path) -> Iterator[str]:
    app = create_app(offline_config(tmp_path / "graphmem"), api_keys=API_KEYS)
    with serve(app) as url:
        yield url


def test_generated_requests_never_get_a_server_error(fuzz_url: str) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzz_url}/openapi.json")
    sent: list[int] = []
    server_errors: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        _fuzz(operation, fuzz_url, sent, server_errors)
    print(f"schemathesis: {len(sent)} requests over {len(operations)} operations")
    assert len(operations) >= 18
    assert server_errors == []


def _fuzz(operation: APIOperation, url: str, sent: list[int], server_errors: list[str]) -> None:
    """Send `MAX_EXAMPLES` generated requests to one operation, noting every 5xx."""

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def send(case: schemathesis.Case) -> None:
        response: Response = case.call(base_url=url, headers=HEADERS, timeout=30)
        sent.append(response.status_code)
        if response.status_code >= 500:
            server_errors.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")

    send()
