"""`/health` (the process answers) and `/ready` (every store answers)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.dependencies import MemoryDep
from api.responses import Health, Readiness, StoreStatus

router = APIRouter(tags=["operations"])


@router.get("/health", summary="Liveness")
async def health() -> Health:
    """`{"status": "ok"}` while the process serves requests."""
    return Health(status="ok")


@router.get(
    "/ready",
    summary="Readiness: graph, vectors and history each answer",
    responses={503: {"model": Readiness, "description": "A store is down; `stores` says which."}},
)
async def ready(memory: MemoryDep, response: Response) -> Readiness:
    """200 when every store answers a trivial read, else 503 naming the failing ones."""
    probes = await memory.ping()
    stores = {
        name: StoreStatus(status="up") if error is None else StoreStatus(status="down", error=error)
        for name, error in probes.items()
    }
    is_ready = all(error is None for error in probes.values())
    response.status_code = 200 if is_ready else 503
    return Readiness(status="ready" if is_ready else "unavailable", stores=stores)
