"""Tenancy probes: randomized requests with every restricted key against every REST
endpoint, and randomized library reads, counting rows of another scope.

The data is a set of cells (`tenants.Cell`: one combination of scope ids each), seeded by
the admin key, every name and text carrying its cell's tag. A reply may carry a cell's tag
only if the cell is visible to the request's scope (`tenants.leaks`); a refused request
(4xx) may carry none; writes into scopes a key may not use must be refused and change
nothing (each cell's count is the same after the probes).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.faults.service import ADMIN_KEY, KEYS
from bench.faults.tenants import Cell, leaks
from bench.faults.workload import fact
from graphmem import Memory
from graphmem.errors import GraphMemError

CELLS = tuple(
    Cell(ids)
    for ids in (
        {"user_id": "alice"},
        {"user_id": "bob"},
        {"user_id": "alice", "agent_id": "a-one"},
        {"user_id": "bob", "agent_id": "a-one"},
        {"agent_id": "a-one"},
        {"app_id": "app-one"},
        {"user_id": "alice", "app_id": "app-one"},
        {"user_id": "dave", "run_id": "r-one"},
        {"run_id": "r-one"},
        {"run_id": "r-two"},
        {"user_id": "carol"},
        {"user_id": "carol", "agent_id": "a-two"},
        {"user_id": "carol", "agent_id": "a-two", "run_id": "r-one"},
        {"agent_id": "a-two"},
    )
)
SCOPED_KEYS = {key: grant for key, grant in KEYS.items() if isinstance(grant, dict)}
ENDPOINTS = (
    "list", "search", "query", "get", "history", "update", "delete", "entities", "entity",
    "subgraph", "cypher", "saved_query", "export", "delete_all", "import", "add",
)  # fmt: skip
FACTS_PER_CELL = 3
NOBODY = {"user_id": "\x00nobody"}  # a scope no cell is visible to
EXPECTED_STATUSES = {200, 201, 400, 403, 404, 422}  # 400: Cypher in networkx mode


@dataclass
class Seed:
    """What the admin key wrote: memory ids and entity ids (with names) per cell."""

    memories: dict[str, list[str]] = field(default_factory=dict)
    entities: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


@dataclass
class ProbeTally:
    statuses: Counter[int] = field(default_factory=Counter)
    by_endpoint: Counter[str] = field(default_factory=Counter)
    leaks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def seed_cells(url: str, rng: random.Random) -> Seed:
    """Write `FACTS_PER_CELL` facts into every cell with the admin key."""
    seed = Seed()
    with httpx.Client(base_url=url, headers={"X-API-Key": ADMIN_KEY}, timeout=60) as http:
        for cell in CELLS:
            for _ in range(FACTS_PER_CELL):
                one = fact(rng, cell.tag)
                body = {**one.add_arguments(), **cell.ids}
                added = http.post("/v1/memories", json=body).raise_for_status().json()
                memory_id = added["results"][0]["id"]
                seed.memories.setdefault(cell.tag, []).append(memory_id)
                seed.texts[one.text] = memory_id
                for relation in added["relations"]["added"]:
                    seed.entities.setdefault(cell.tag, []).append(
                        (relation["source_id"], relation["source"])
                    )
    return seed


def probe_rest(url: str, seed: Seed, probes: int, rng: random.Random) -> dict[str, Any]:
    """`probes` randomized requests, each with a random restricted key."""
    tally = ProbeTally()
    started = time.perf_counter()
    before = cell_counts(url)
    clients = {
        key: httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=60)
        for key in SCOPED_KEYS
    }
    try:
        for _ in range(probes):
            key = rng.choice(sorted(SCOPED_KEYS))
            endpoint = rng.choice(ENDPOINTS)
            _probe(clients[key], SCOPED_KEYS[key], endpoint, seed, rng, tally)
    finally:
        for client in clients.values():
            client.close()
    changed = [tag for tag, count in cell_counts(url).items() if before[tag] != count]
    tally.leaks += [f"cell {tag} changed by a refused write" for tag in changed]
    return {
        "requests": sum(tally.statuses.values()),
        "statuses": dict(sorted(tally.statuses.items())),
        "by_endpoint": dict(sorted(tally.by_endpoint.items())),
        "server_errors": sum(n for status, n in tally.statuses.items() if status >= 500),
        "cross_tenant": len(tally.leaks),
        "errors": len(tally.errors),
        "problems": (tally.leaks + tally.errors)[:5],
        "seconds": round(time.perf_counter() - started, 1),
    }


def cell_counts(url: str) -> dict[str, int]:
    """How many memories each cell holds exactly (its own scope ids, no more)."""
    counts = {}
    with httpx.Client(base_url=url, headers={"X-API-Key": ADMIN_KEY}, timeout=60) as http:
        for cell in CELLS:
            listed = http.get("/v1/memories", params={**cell.ids, "limit": 1000}).json()
            counts[cell.tag] = sum(
                all(
                    row.get(f) == cell.ids.get(f)
                    for f in ("user_id", "agent_id", "run_id", "app_id")
                )
                for row in listed["results"]
            )
    return counts


def _request_scope(grant: dict[str, list[str]], rng: random.Random) -> dict[str, str]:
    """Mostly a scope the key allows (perhaps narrowed by more ids), else any cell's."""
    if rng.random() < 0.3:
        return dict(rng.choice(CELLS).ids)
    scope = {name: rng.choice(ids) for name, ids in grant.items()}
    extra = dict(rng.choice(CELLS).ids)
    for name, value in extra.items():
        if name not in scope and rng.random() < 0.5:
            scope[name] = value
    return scope


def _probe(
    http: httpx.Client,
    grant: dict[str, list[str]],
    endpoint: str,
    seed: Seed,
    rng: random.Random,
    tally: ProbeTally,
) -> None:
    scope = _request_scope(grant, rng)
    partition = {field: value for field, value in scope.items() if field != "run_id"}
    cell = rng.choice(CELLS)
    outside = [c for c in CELLS if not _grant_sees(grant, c)]
    foreign = rng.choice(outside)
    requests = _requests(scope, partition, cell, foreign, seed, rng)
    method, path, arguments = requests[endpoint]
    response = http.request(method, path, **arguments)
    tally.statuses[response.status_code] += 1
    tally.by_endpoint[endpoint] += 1
    if response.status_code not in EXPECTED_STATUSES:
        tally.errors.append(f"{endpoint} {scope} -> {response.status_code} {response.text[:200]}")
    reply: Any = response.text
    if response.headers.get("content-type", "").startswith("application/json"):
        reply = response.json()
    path = str(response.request.url.path)
    seen_as = scope if endpoint not in {"get", "history"} else _grant_scope(grant)
    if endpoint in {"entities", "entity", "subgraph", "saved_query"}:
        seen_as = partition
    found = leaks(reply, seen_as, CELLS)
    if response.status_code >= 300:  # a refusal shows no cell's data, but may echo the request
        asked = f"{response.request.url} {response.request.content.decode()}"
        found = [tag for tag in leaks(reply, NOBODY, CELLS) if tag not in asked]
    tally.leaks += [
        f"{endpoint} {path} {scope} -> {response.status_code}: {leak}" for leak in found
    ]
    wrote = endpoint in {"update", "delete", "delete_all", "import", "add"}
    if wrote and response.status_code < 300:
        tally.leaks.append(f"{endpoint} into {foreign.ids} was accepted: {response.status_code}")
    if endpoint == "cypher" and response.status_code != 403:
        tally.leaks.append(f"free Cypher with a scoped key answered {response.status_code}")


Request = tuple[str, str, dict[str, Any]]


def _requests(
    scope: dict[str, str],
    partition: dict[str, str],
    cell: Cell,
    foreign: Cell,
    seed: Seed,
    rng: random.Random,
) -> dict[str, Request]:
    """One request to every endpoint: reads in `scope` (about `cell`'s data), writes into
    the `foreign` cell the key may not use."""
    memory_id = rng.choice(seed.memories[cell.tag])
    entity_id, name = rng.choice(seed.entities[cell.tag])
    theirs = rng.choice(seed.memories[foreign.tag])
    new = fact(rng, foreign.tag)
    search = {"query": f"works {cell.tag}", **scope}
    question = {"question": f"who works at Initech {cell.tag}?", **scope}
    cypher = {"query": "MATCH (e:Entity) RETURN e.name AS name", "params": scope}
    return {
        "list": ("GET", "/v1/memories", {"params": scope}),
        "search": ("POST", "/v1/memories/search", {"json": search}),
        "query": ("POST", "/v1/query", {"json": question}),
        "get": ("GET", f"/v1/memories/{memory_id}", {}),
        "history": ("GET", f"/v1/memories/{memory_id}/history", {}),
        "update": ("PUT", f"/v1/memories/{theirs}", {"json": {"text": new.text}}),
        "delete": ("DELETE", f"/v1/memories/{theirs}", {}),
        "entities": ("GET", "/v1/entities", {"params": partition}),
        "entity": ("GET", f"/v1/entities/{rng.choice([entity_id, name])}", {"params": partition}),
        "subgraph": ("GET", "/v1/graph/subgraph", {"params": {**partition, "entity": name}}),
        "cypher": ("POST", "/v1/graph/cypher", {"json": cypher}),
        "saved_query": ("POST", "/v1/graph/queries/users_graph", {"json": partition}),
        "export": ("GET", "/v1/export", {"params": scope}),
        "delete_all": ("DELETE", "/v1/memories", {"params": dict(foreign.ids)}),
        "import": ("POST", "/v1/import", {"json": [new.record(dict(foreign.ids))]}),
        "add": ("POST", "/v1/memories", {"json": {**new.add_arguments(), **foreign.ids}}),
    }


def _grant_sees(grant: dict[str, list[str]], cell: Cell) -> bool:
    return all(cell.ids.get(field) in ids for field, ids in grant.items())


def _grant_scope(grant: dict[str, list[str]]) -> dict[str, str]:
    return {field: ids[0] for field, ids in grant.items()}


def probe_library(memory: Memory, seed: Seed, probes: int, rng: random.Random) -> dict[str, Any]:
    """`probes` randomized library reads in random scopes (the cells' and mixtures)."""
    reads = Counter[str]()
    started = time.perf_counter()
    found: list[str] = []
    invalid = 0
    for _ in range(probes):
        scope = _request_scope({}, rng) if rng.random() < 0.5 else dict(rng.choice(CELLS).ids)
        partition = {field: value for field, value in scope.items() if field != "run_id"} or None
        cell = rng.choice(CELLS)
        _entity_id, name = rng.choice(seed.entities[cell.tag])
        read = rng.choice(LIBRARY_READS)
        seen_as = partition if read in GRAPH_READS else scope
        try:
            reply = _library_read(memory, read, scope, partition, name, cell)
        except GraphMemError:  # a scope a read does not take (e.g. only a run for the graph)
            invalid += 1
            continue
        finally:
            reads[read] += 1
        found += [f"{read} in {scope}: {leak}" for leak in leaks(reply, seen_as or scope, CELLS)]
    return {
        "reads": sum(reads.values()),
        "by_read": dict(sorted(reads.items())),
        "invalid_scope": invalid,
        "cross_tenant": len(found),
        "problems": found[:5],
        "seconds": round(time.perf_counter() - started, 1),
    }


LIBRARY_READS = ("get_all", "search", "query", "entities", "neighbors", "subgraph", "saved_query")
GRAPH_READS = {"entities", "neighbors", "subgraph", "saved_query"}


def _library_read(
    memory: Memory,
    read: str,
    scope: dict[str, Any],
    partition: dict[str, Any] | None,
    name: str,
    cell: Cell,
) -> Any:
    graph_scope: dict[str, Any] = partition or {}
    if read == "get_all":
        return memory.get_all(**scope)
    if read == "search":
        return memory.search(f"works {cell.tag}", **scope)
    if read == "query":
        return memory.query(f"who works at Initech {cell.tag}?", **scope)
    if read == "entities":
        return memory.graph.entities(**graph_scope)
    if read == "neighbors":
        return memory.graph.neighbors(name, depth=2, **graph_scope)
    if read == "subgraph":
        return memory.graph.subgraph(**graph_scope)
    return memory.graph.saved_query("users_graph", **graph_scope)
