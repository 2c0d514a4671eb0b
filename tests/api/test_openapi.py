"""`/openapi.json` describes what clients get: a schema for every success, a Problem for errors.

These read the document only (no server): a new route without a response model, or with
an error status left to FastAPI's default, fails here before any request is sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from tests.api.conftest import API_KEYS, offline_config

PROBLEM = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data_dir = tmp_path_factory.mktemp("openapi") / "graphmem"
    return create_app(offline_config(data_dir), api_keys=API_KEYS).openapi()


def _responses(openapi: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(operation label, status, response object) for every response of every operation."""
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                yield f"{method.upper()} {path}", status, response


def test_every_operation_declares_a_success_response(openapi: dict[str, Any]) -> None:
    labels = {label for label, _, _ in _responses(openapi)}
    successful = {label for label, status, _ in _responses(openapi) if status.startswith("2")}
    assert len(labels) >= 18
    assert successful == labels


def test_every_success_response_declares_a_schema(openapi: dict[str, Any]) -> None:
    """JSON bodies are models (a `$ref`, or a list of them), not a bare `dict` or `{}`;
    text bodies (metrics, JSONL) at least say they are strings."""
    missing = [
        f"{label} {status} {media_type or '(no content)'}"
        for label, status, response in _responses(openapi)
        if status.startswith("2")
        for media_type, content in (response.get("content") or {None: {}}).items()
        if not _declares_schema(media_type, content.get("schema") or {})
    ]
    assert missing == []


def _declares_schema(media_type: str | None, schema: dict[str, Any]) -> bool:
    if media_type == "application/json":
        return "$ref" in schema or "$ref" in schema.get("items", {})
    return bool(media_type) and schema.get("type") == "string"


def test_every_client_error_is_a_problem_as_problem_json(openapi: dict[str, Any]) -> None:
    wrong = [
        f"{label} {status}"
        for label, status, response in _responses(openapi)
        if status.startswith("4")
        and response.get("content") != {"application/problem+json": {"schema": PROBLEM}}
    ]
    assert wrong == []
    assert "HTTPValidationError" not in openapi["components"]["schemas"]


def test_the_problem_schema_is_in_the_document(openapi: dict[str, Any]) -> None:
    problem = openapi["components"]["schemas"]["Problem"]
    assert problem["required"] == ["type", "title", "status", "detail", "field"]
    assert problem["properties"]["errors"]["anyOf"][0]["items"] == {
        "$ref": "#/components/schemas/FieldError"
    }
    assert "FieldError" in openapi["components"]["schemas"]


def test_every_model_refuses_unknown_keys(openapi: dict[str, Any]) -> None:
    open_models = [
        name
        for name, schema in openapi["components"]["schemas"].items()
        if schema.get("type") == "object"
        and "properties" in schema
        and schema.get("additionalProperties") is not False
    ]
    assert open_models == []


def test_the_document_is_built_once(tmp_path: Path) -> None:
    app = create_app(offline_config(tmp_path / "graphmem"), api_keys=API_KEYS)
    assert app.openapi() is app.openapi()
