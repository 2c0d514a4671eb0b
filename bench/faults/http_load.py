"""Concurrency soak over HTTP: many clients, two tenants, one `graphmem serve`.

Each client thread uses its tenant's key, writes in its tenant's scope and changes only
what it wrote, so it knows what each reply must say. Counted: 5xx replies, other replies
that are not what a valid request gets (errors), memories that do not read back as
written (lost writes), and replies carrying another tenant's tag (leaks). At the end the
admin key lists each tenant: exactly the memories its clients left must be there.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx

from bench.faults.ledger import Ledger, Operation, final_counts, merge_ledgers
from bench.faults.service import ADMIN_KEY, TENANT_KEYS
from bench.faults.tenants import Cell, leaks
from bench.faults.threads import OPERATIONS, TENANTS, tenant_of
from bench.faults.workload import fact

HTTP_OPERATIONS = (*OPERATIONS, "subgraph")
EXPORT_EVERY = 100  # an export streams the whole tenant: one request in this many


@dataclass
class ClientTally:
    """What one client sent and found."""

    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    ledger: Ledger = field(default_factory=Ledger)


def run_http_clients(url: str, clients: int, requests: int, seed: int) -> dict[str, Any]:
    """`clients` concurrent clients x `requests` requests; then the final counts."""
    tallies = [ClientTally() for _ in range(clients)]
    started = time.perf_counter()
    workers = [
        threading.Thread(
            target=_client,
            args=(url, tenant_of(index), requests, seed + index, tally),
        )
        for index, tally in enumerate(tallies)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    statuses = sum((tally.statuses for tally in tallies), Counter[int]())
    final = _final_counts(url, tallies)
    return {
        "clients": clients,
        "requests": sum(statuses.values()),
        "seconds": round(seconds, 1),
        "requests_per_second": round(sum(statuses.values()) / seconds, 1),
        "statuses": dict(sorted(statuses.items())),
        "server_errors": sum(n for status, n in statuses.items() if status >= 500),
        "errors": sum(len(tally.errors) for tally in tallies),
        "lost_writes": sum(len(tally.lost) for tally in tallies),
        "cross_tenant": sum(len(tally.leaks) for tally in tallies),
        "final_counts": final,
        "problems": [p for tally in tallies for p in tally.errors + tally.lost + tally.leaks][:5],
        "ledger": merge_ledgers([tally.ledger for tally in tallies]),
    }


def _client(url: str, tenant: Cell, count: int, seed: int, tally: ClientTally) -> None:
    rng = random.Random(seed)
    key = TENANT_KEYS[tenant.ids["user_id"]]
    with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=120.0) as http:
        for number in range(count):
            name = (
                "export"
                if number % EXPORT_EVERY == EXPORT_EVERY - 1
                else rng.choice(HTTP_OPERATIONS)
            )
            try:
                _request(http, tenant, name, rng, tally)
            except (httpx.HTTPError, KeyError, ValueError) as exc:
                tally.errors.append(f"{name}: {type(exc).__name__}: {exc}")


def _request(
    http: httpx.Client, tenant: Cell, name: str, rng: random.Random, tally: ClientTally
) -> None:
    ledger, scope = tally.ledger, dict(tenant.ids)
    own = [(text, memory_id) for text, memory_id in ledger.live.items() if memory_id]
    if name in {"update", "delete", "get", "history"} and not own:
        name = "add"
    if name == "add":
        one = fact(rng, tenant.tag)
        ledger.begin(Operation("add", (one.text,)))
        body = _call(
            http, tally, name, "POST", "/v1/memories", json={**one.add_arguments(), **scope}
        )
        if body is not None:
            ledger.done([row["id"] for row in body["results"]])
    elif name == "import":
        facts = [fact(rng, tenant.tag) for _ in range(rng.randint(2, 6))]
        ledger.begin(Operation("import", tuple(one.text for one in facts)))
        records = [one.record(scope) for one in facts]
        if _call(http, tally, name, "POST", "/v1/import", json=records) is not None:
            ledger.done([])
    elif name == "update":
        old, memory_id = rng.choice(own)
        new = fact(rng, tenant.tag).text
        ledger.begin(Operation("update", (new,), memory_id, old))
        if _call(http, tally, name, "PUT", f"/v1/memories/{memory_id}", json={"text": new}):
            ledger.done([])
    elif name == "delete":
        old, memory_id = rng.choice(own)
        ledger.begin(Operation("delete", (), memory_id, old))
        if _call(http, tally, name, "DELETE", f"/v1/memories/{memory_id}") is not None:
            ledger.done([])
    elif name == "get":
        text, memory_id = rng.choice(own)
        body = _call(http, tally, name, "GET", f"/v1/memories/{memory_id}")
        if body is not None and body["memory"] != text:
            tally.lost.append(f"memory {memory_id} does not read back as written")
    elif name == "history":
        _text, memory_id = rng.choice(own)
        body = _call(http, tally, name, "GET", f"/v1/memories/{memory_id}/history")
        if (
            body is not None
            and [e["event"] for e in body].count("UPDATE") != ledger.updates[memory_id]
        ):
            tally.lost.append(f"memory {memory_id} has history {body}")
    else:
        _read(http, tenant, name, rng, tally)


def _read(
    http: httpx.Client, tenant: Cell, name: str, rng: random.Random, tally: ClientTally
) -> None:
    scope = dict(tenant.ids)
    words = rng.choice(["works at", "lives in", "Initech", "Lisbon", "Ana Silva"])
    person = f"{rng.choice(['Ana Silva', 'Ben Okafor', 'Chen Wei'])} {tenant.tag}"
    requests: dict[str, tuple[str, str, dict[str, Any]]] = {
        "search": (
            "POST",
            "/v1/memories/search",
            {"json": {"query": f"{words} {tenant.tag}", **scope}},
        ),
        "list": ("GET", "/v1/memories", {"params": {**scope, "limit": 50}}),
        "query": (
            "POST",
            "/v1/query",
            {"json": {"question": f"who works at Initech {tenant.tag}?", **scope}},
        ),
        "entities": ("GET", "/v1/entities", {"params": {**scope, "limit": 50}}),
        "subgraph": ("GET", "/v1/graph/subgraph", {"params": {**scope, "entity": person}}),
        "export": ("GET", "/v1/export", {"params": scope}),
    }
    method, path, arguments = requests[name]
    allowed = (404,) if name == "subgraph" else ()  # the person may not be written yet
    reply = _call(http, tally, name, method, path, allowed=allowed, **arguments)
    tally.leaks += [f"{name} in {scope}: {leak}" for leak in leaks(reply, scope, TENANTS)]


def _call(
    http: httpx.Client,
    tally: ClientTally,
    name: str,
    method: str,
    path: str,
    allowed: tuple[int, ...] = (),
    **arguments: Any,
) -> Any:
    """The reply's JSON (text for JSONL), or None when it is not a 2xx (counted)."""
    response = http.request(method, path, **arguments)
    tally.statuses[response.status_code] += 1
    if response.status_code >= 300:
        if response.status_code not in allowed:
            tally.errors.append(f"{name} {path}: {response.status_code} {response.text[:300]}")
        return None
    if response.headers.get("content-type", "").startswith("application/x-ndjson"):
        return response.text
    return response.json()


def _final_counts(url: str, tallies: list[ClientTally]) -> dict[str, Any]:
    ledgers = {
        tenant.tag: [t.ledger for i, t in enumerate(tallies) if tenant_of(i) == tenant]
        for tenant in TENANTS
    }
    with httpx.Client(base_url=url, headers={"X-API-Key": ADMIN_KEY}, timeout=120.0) as http:
        pages = {tenant.tag: partial(_page, http, dict(tenant.ids)) for tenant in TENANTS}
        return final_counts(ledgers, pages)


def _page(http: httpx.Client, scope: dict[str, str], cursor: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {**scope, "limit": 1000}
    if cursor:
        params["cursor"] = cursor
    page: dict[str, Any] = http.get("/v1/memories", params=params).raise_for_status().json()
    return page
