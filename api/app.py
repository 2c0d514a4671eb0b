"""The app factory: `create_app()` wires config, keys, the memory, routers, MCP and errors.

Run it with `graphmem serve`, or `uvicorn --factory api.app:create_app`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from api.auth import API_KEYS_ENV, load_api_keys
from api.errors import document_problems, install_error_handlers
from api.limits import DEFAULT_MAX_BODY_BYTES, BodySizeLimit
from api.mcp_http import McpService
from api.metrics import MetricsMiddleware, ServiceMetrics
from api.routers import entities, graph, health, io, memories, metrics, query
from graphmem.config import GraphMemConfig
from graphmem.memory.async_facade import AsyncMemory

logger = logging.getLogger(__name__)

API_VERSION = "1"


class GraphMemAPI(FastAPI):
    """The service's FastAPI app: its OpenAPI also describes the problem+json error body."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is not None:
            return self.openapi_schema
        schema = super().openapi()  # FastAPI caches it as `openapi_schema`
        document_problems(schema)
        return schema


def create_app(
    config: GraphMemConfig | None = None,
    *,
    api_keys: Mapping[str, Any] | str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    """Build the graphmem REST service.

    The Memory is opened when the app starts (its `lifespan`) and closed when it stops.

    Args:
        config: Settings; by default `GraphMemConfig()` (env `GRAPHMEM_*`), built at start-up.
        api_keys: Key -> scopes (a mapping, or its JSON), e.g.
            `{"k1": {"user_id": ["alice"]}, "admin": "*"}`. None reads the env var
            `GRAPHMEM_API_KEYS` here, once; no keys at all leaves the service open to
            loopback clients only (a warning is logged).
        max_body_bytes: Larger request bodies are refused with 413.

    Returns:
        The FastAPI app, OpenAPI at `/docs`; the MCP server (streamable HTTP) at `/mcp`,
        behind the same keys (see `api/mcp_http.py`).

    Raises:
        ConfigError: the API keys are malformed.

    Example:
        >>> app = create_app(GraphMemConfig(data_dir="/tmp/gm"), api_keys={"k": "*"})
        >>> # uvicorn.run(app, host="127.0.0.1", port=8000)
    """
    keys = load_api_keys(api_keys)
    if keys.open:
        logger.warning(
            "graphmem API: no API keys (%s); serving loopback clients only, without auth",
            API_KEYS_ENV,
        )

    async def opened_memory() -> AsyncMemory:
        memory: AsyncMemory = app.state.memory
        return memory

    mcp_service = McpService(opened_memory, loopback_only=keys.open, max_body_bytes=max_body_bytes)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        memory = await AsyncMemory.open(config or GraphMemConfig())
        app.state.memory = memory
        try:
            async with mcp_service.run():
                yield
        finally:
            await memory.close()

    app = GraphMemAPI(
        title="graphmem",
        version=API_VERSION,
        description="Graph-centric long-term memory for AI agents (SPEC §7).",
        lifespan=lifespan,
    )
    app.state.api_keys = keys
    app.state.metrics = ServiceMetrics()
    install_error_handlers(app)
    for router in (memories, query, entities, graph, io, health, metrics):
        app.include_router(router.router)
    app.router.routes.append(mcp_service.route)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    return app
