"""`/health` (the process answers) and `/ready` (every store answers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.dependencies import MemoryDep

router = APIRouter(tags=["operations"])


@router.get("/health", summary="Liveness")
async def health() -> dict[str, str]:
    """`{"status": "ok"}` while the process serves requests."""
    return {"status": "ok"}


@router.get(
    "/ready",
    summary="Readiness: graph, vectors and history each answer",
    responses={503: {"description": "A store is down; `stores` says which."}},
)
async def ready(memory: MemoryDep) -> JSONResponse:
    """200 when every store answers a trivial read, else 503 naming the failing ones."""
    probes = await memory.ping()
    stores: dict[str, Any] = {
        name: {"status": "up"} if error is None else {"status": "down", "error": error}
        for name, error in probes.items()
    }
    is_ready = all(error is None for error in probes.values())
    body = {"status": "ready" if is_ready else "unavailable", "stores": stores}
    return JSONResponse(body, status_code=200 if is_ready else 503)
