"""Every error the service returns is RFC 9457 `application/problem+json`, mapped here once.

`GraphMemError` subclasses carry their HTTP status (`status_code`) and the culprit `field`;
request validation errors name the first failing field; anything unexpected is a 500 whose
detail says nothing about the internals (the traceback goes to the log).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.constants import REF_PREFIX
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.responses import FieldError, Problem
from graphmem.errors import GraphMemError

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://graphmem.dev/problems/"
_LOCATIONS = {"body", "query", "path", "header", "cookie"}
_TYPE_TAGS = {"str", "int", "float", "bool", "dict", "list", "none"}
_PROBLEM_REF = REF_PREFIX + "Problem"
_MEANINGS = {
    400: "The body cannot be parsed, or the server's configuration does not offer this.",
    401: "No API key, or one the server does not know.",
    403: "The API key may not touch the scope the request names.",
    404: "No such item in the key's scopes.",
    413: "The request body is larger than the server accepts.",
    422: "The request is invalid; `field` names the culprit.",
    502: "The LLM extraction failed; nothing was written.",
    503: "A store is unavailable.",
}


class Unauthenticated(GraphMemError):
    """The request has no API key, or one the server does not know."""

    status_code = 401


class PayloadTooLarge(GraphMemError):
    """The request body is larger than the server accepts."""

    status_code = 413


def problem(
    status: int,
    detail: str,
    *,
    field: str | None = None,
    kind: str | None = None,
    headers: Mapping[str, str] | None = None,
    errors: list[FieldError] | None = None,
) -> JSONResponse:
    """A problem+json response: `type`, `title`, `status`, `detail`, `field` (and `errors`)."""
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body = Problem(
        type=PROBLEM_BASE + (kind or _slug(title)),
        title=title,
        status=status,
        detail=detail,
        field=field,
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(mode="json"), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: each of `statuses` answers a Problem as problem+json."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        response: dict[str, Any] = {
            "description": _MEANINGS[status],
            "content": {PROBLEM_JSON: {"schema": {"$ref": _PROBLEM_REF}}},
        }
        if status == Unauthenticated.status_code:
            response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
        responses[status] = response
    return responses


def document_problems(openapi: dict[str, Any]) -> None:
    """Add `Problem` (which `problem_responses` refer to) to an OpenAPI document's schemas."""
    schema = Problem.model_json_schema(mode="serialization", ref_template=REF_PREFIX + "{model}")
    schemas = openapi.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(schema.pop("$defs", {}))
    schemas["Problem"] = schema


def install_error_handlers(app: FastAPI) -> None:
    """Register the problem+json handlers on `app`."""
    app.add_exception_handler(GraphMemError, _graphmem_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


async def _graphmem_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GraphMemError)
    if exc.status_code >= 500:
        logger.warning("%s %s failed: %s", request.method, request.url.path, exc.message)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthenticated) else None
    return problem(
        exc.status_code,
        exc.message,
        field=exc.field,
        kind=_slug(type(exc).__name__),
        headers=headers,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldError(field=field_name(error.get("loc", ())), detail=str(error.get("msg", "invalid")))
        for error in exc.errors()
    ]
    if not errors:
        return problem(422, "invalid request", kind="invalid-input", errors=errors)
    # Of a union's failed branches the deepest names the culprit best ("messages[0].role").
    primary = max(errors, key=lambda error: len(error.field or ""))
    field = primary.field
    detail = f"{field}: {primary.detail}" if field else primary.detail
    return problem(422, detail, field=field, kind="invalid-input", errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem(exc.status_code, str(exc.detail), headers=exc.headers)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(500, "unexpected server error; the server log has the details")


def field_name(location: Any) -> str | None:
    """`("body", "messages", 0, "role")` -> `"messages[0].role"`; None for the whole body."""
    parts = list(location)
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    parts = [part for part in parts if not _is_union_tag(part)]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    if not name and location and location[0] == "body":
        return "body"
    return name or None


def _is_union_tag(part: object) -> bool:
    """pydantic names the union member tried (`str`, `list[MessageIn]`) in error locations."""
    return isinstance(part, str) and (part in _TYPE_TAGS or "[" in part)


def _slug(name: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")


class NotSupported(GraphMemError):
    """The request asks for something this server's configuration does not offer."""

    status_code = 400
