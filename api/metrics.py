"""Prometheus metrics: requests and latency per route, gauges of what is stored, and the
LLM calls and tokens adds spent.

Each app has its own registry, so several apps in one process (tests) never collide.
Routes are labelled by their template (`/v1/memories/{memory_id}`), never by raw paths.
The LLM counters are the Memory's own totals since the service opened it (every add:
REST, MCP, stored or failed), read at each scrape, so they start at 0 with the process,
as Prometheus counters do.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphmem.memory.async_facade import AsyncMemory
from graphmem.models.usage import LLMUsage

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
        self.llm = LLMUsageCollector()
        self.registry.register(self.llm)

    async def render(self, memory: AsyncMemory) -> bytes:
        """The text exposition, with the stored-item gauges and LLM counters read now."""
        stats = await memory.stats()
        for kind in ("memories", "entities", "relations"):
            self.stored.labels(kind=kind).set(stats[kind])
        self.llm.usage = memory.llm_usage
        return generate_latest(self.registry)


class LLMUsageCollector(Collector):
    """`graphmem_llm_calls_total` and `graphmem_llm_tokens_total{kind}`, from the usage
    `render` last read (a running total kept by the Memory, not incremented here)."""

    def __init__(self) -> None:
        self.usage = LLMUsage()

    def collect(self) -> Iterator[Metric]:
        usage = self.usage
        calls = CounterMetricFamily(
            "graphmem_llm_calls",
            "LLM completions made by adds (re-asks and failed requests count).",
        )
        calls.add_metric([], usage.calls)
        yield calls
        tokens = CounterMetricFamily(
            "graphmem_llm_tokens",
            "LLM tokens spent by adds, as the LLM reported them, by kind.",
            labels=["kind"],
        )
        tokens.add_metric(["prompt"], usage.prompt_tokens)
        tokens.add_metric(["completion"], usage.completion_tokens)
        yield tokens


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
