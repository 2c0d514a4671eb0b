"""`/metrics`: Prometheus text exposition (request counts, latency, stored items, LLM usage)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from api.dependencies import MemoryDep
from api.errors import problem_responses
from api.metrics import ServiceMetrics

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
        **problem_responses(503),
    },
)
async def metrics(request: Request, memory: MemoryDep) -> Response:
    """Requests and latency per route, gauges of memories, entities and relations, and
    counters of the LLM calls and tokens adds spent."""
    service_metrics: ServiceMetrics = request.app.state.metrics
    body = await service_metrics.render(memory)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
