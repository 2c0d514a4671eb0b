"""Prometheus metrics: requests and latency per route, and gauges of what is stored.

Each app has its own registry, so several apps in one process (tests) never collide.
Routes are labelled by their template (`/v1/memories/{memory_id}`), never by raw paths.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphmem.memory.async_facade import AsyncMemory

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ServiceMetrics:
    """The service's metrics in one registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "graphmem_http_requests",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "graphmem_http_request_duration_seconds",
            "HTTP request latency by method and route template.",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.stored = Gauge(
            "graphmem_stored_items",
            "Memories, entities and relations stored (all scopes).",
            ["kind"],
            registry=self.registry,
        )

    async def render(self, memory: AsyncMemory) -> bytes:
        """The text exposition, with the stored-item gauges read now."""
        stats = await memory.stats()
        for kind in ("memories", "entities", "relations"):
            self.stored.labels(kind=kind).set(stats[kind])
        return generate_latest(self.registry)


class MetricsMiddleware:
    """ASGI middleware counting each HTTP request and timing it, by route template."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = str(scope.get("method", "GET"))
            self.metrics.requests.labels(method, template, str(status)).inc()
            self.metrics.latency.labels(method, template).observe(time.perf_counter() - started)
