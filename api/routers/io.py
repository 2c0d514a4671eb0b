"""`/v1/import` and `/v1/export`: pre-extracted records in, every memory out, as JSONL."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from api.auth import CurrentGrant, Grant
from api.dependencies import MemoryDep, ScopeQuery
from api.errors import problem_responses
from api.responses import ImportReport
from graphmem.errors import InvalidInput, ScopeViolation
from graphmem.memory.arguments import parse_json
from graphmem.models.scope import Scope

router = APIRouter(prefix="/v1", tags=["import/export"])

JSONL = "application/x-ndjson"
_RECORD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "{text?, user_id | agent_id | run_id | app_id, metadata?, entities?, "
    "relations?} as in SPEC §3.",
}
_JSONL_SCHEMA: dict[str, Any] = {
    "type": "string",
    "description": "JSONL: one JSON record a line, in the import record format.",
}
_IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "array", "items": _RECORD_SCHEMA}},
            JSONL: {"schema": _JSONL_SCHEMA},
        },
    }
}


@router.post(
    "/import",
    summary="Import pre-extracted records",
    openapi_extra=_IMPORT_BODY,
    responses=problem_responses(401, 403, 413, 422, 503),
)
async def import_records(request: Request, grant: CurrentGrant, memory: MemoryDep) -> ImportReport:
    """Add records with no LLM call; a bad record is reported by line, the rest goes on.

    The body is a JSON list of records, or JSONL (one record a line). A restricted key may
    import only records inside its scopes: one record outside them refuses the whole body.
    """
    body = (await request.body()).decode("utf-8", errors="replace")
    if body.lstrip().startswith("["):
        records = _parse_json_list(body)
        _authorize_records(grant, enumerate(records, start=1))
        return ImportReport.model_validate(await memory.import_records(records))
    with tempfile.TemporaryDirectory(prefix="graphmem-import-") as folder:
        path = Path(folder) / "records.jsonl"
        path.write_text(body, encoding="utf-8")
        _authorize_records(grant, _jsonl_records(body))
        return ImportReport.model_validate(await memory.import_records(path))


@router.get(
    "/export",
    summary="Export memories as JSONL",
    response_class=StreamingResponse,
    responses={
        200: {"description": "One record a line.", "content": {JSONL: {"schema": _JSONL_SCHEMA}}},
        **problem_responses(401, 403, 422, 503),
    },
)
async def export_records(
    grant: CurrentGrant, memory: MemoryDep, scope: ScopeQuery
) -> StreamingResponse:
    """Every memory the key may see (optionally one scope), with entities and relations."""
    wanted = _export_scope(grant, scope)
    folder = tempfile.TemporaryDirectory(prefix="graphmem-export-")
    path = Path(folder.name) / "export.jsonl"
    try:
        await memory.export(path)
    except BaseException:
        folder.cleanup()
        raise
    lines = _visible_lines(path, grant, wanted)
    return StreamingResponse(lines, media_type=JSONL, background=BackgroundTask(folder.cleanup))


def _parse_json_list(body: str) -> list[Any]:
    parsed = parse_json(body, "body")
    if not isinstance(parsed, list):
        raise InvalidInput("body must be a JSON list of records, or JSONL", field="body")
    return parsed


def _jsonl_records(body: str) -> Iterator[tuple[int, Any]]:
    """Parsed lines by line number; lines that are not JSON are left to the importer."""
    for number, line in enumerate(body.splitlines(), start=1):
        if line.strip():
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError:
                continue


def _authorize_records(grant: Grant, records: Iterator[tuple[int, Any]]) -> None:
    if grant.scopes is None:
        return
    for number, record in records:
        if not isinstance(record, dict):
            continue
        try:
            grant.authorize({field: _text(record.get(field)) for field in grant.scopes})
        except ScopeViolation as exc:
            raise ScopeViolation(f"record {number}: {exc.message}", field=exc.field) from exc


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _export_scope(grant: Grant, scope: dict[str, str | None]) -> Scope | None:
    if grant.scopes is not None or any(scope.values()):
        grant.authorize(scope)
        return Scope.of(**scope)
    return None


def _visible_lines(path: Path, grant: Grant, scope: Scope | None) -> Iterator[bytes]:
    with path.open("rb") as stream:
        for line in stream:
            record = json.loads(line)
            if grant.can_see(record) and (scope is None or scope.matches(record)):
                yield line
