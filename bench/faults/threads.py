"""Concurrency soak, in one process: threads sharing one `Memory` run mixed operations.

Each thread writes in its tenant's scope and changes only the memories it wrote, so it
knows what each of its reads must say: a memory it added and did not delete is there with
its last text (else a lost write), and no read shows another tenant's tag (a leak). At the
end each tenant's listing must hold exactly the memories its threads left, and the data
dir passes the crash soak's checks (`invariants.py`) against the threads' merged ledgers.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from bench.faults.invariants import check_data_dir
from bench.faults.ledger import Ledger, Operation, final_counts, merge_ledgers
from bench.faults.tenants import Cell, leaks
from bench.faults.workload import fact
from graphmem import GraphMemConfig, Memory
from graphmem.models.scope import Scope

TENANTS = (Cell({"user_id": "alice"}), Cell({"user_id": "bob"}))
OPERATIONS = (
    *("add",) * 6,
    *("update",) * 2,
    "delete",
    "import",
    *("get",) * 2,
    *("search",) * 3,
    *("list",) * 2,
    "query",
    "history",
    "entities",
)


@dataclass
class ThreadTally:
    """What one thread did and found."""

    operations: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    ledger: Ledger = field(default_factory=Ledger)


def run_threads(config: GraphMemConfig, threads: int, operations: int, seed: int) -> dict[str, Any]:
    """`threads` threads x `operations` mixed operations on one Memory; then the checks."""
    tallies = [ThreadTally() for _ in range(threads)]
    started = time.perf_counter()
    with Memory(config) as memory:
        memory.reset()  # a Neo4j graph is shared with earlier parts of the soak
        workers = [
            threading.Thread(
                target=_work,
                args=(memory, tenant_of(index), operations, seed + index, tally),
            )
            for index, tally in enumerate(tallies)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        seconds = time.perf_counter() - started
        merged = merge_ledgers([tally.ledger for tally in tallies])
        final = _final_counts(memory, tallies)
        findings = check_data_dir(memory, merged, [Scope.of(**cell.ids) for cell in TENANTS])
    done = sum((tally.operations for tally in tallies), Counter[str]())
    return {
        "store": config.graph_store,
        "threads": threads,
        "operations": sum(done.values()),
        "by_operation": dict(sorted(done.items())),
        "seconds": round(seconds, 1),
        "errors": sum(len(tally.errors) for tally in tallies),
        "lost_writes": sum(len(tally.lost) for tally in tallies) + len(findings.lost),
        "corruption": len(findings.corrupt) + final["wrong_counts"],
        "cross_tenant": sum(len(tally.leaks) for tally in tallies),
        "final_counts": final,
        "problems": [
            *[p for tally in tallies for p in tally.errors + tally.lost + tally.leaks][:5],
            *findings.first(),
        ],
    }


def _work(memory: Memory, tenant: Cell, count: int, seed: int, tally: ThreadTally) -> None:
    rng = random.Random(seed)
    for _ in range(count):
        name = rng.choice(OPERATIONS)
        try:
            _operate(memory, tenant, name, rng, tally)
        except Exception as exc:  # every failure is counted: none is expected
            tally.errors.append(f"{name}: {type(exc).__name__}: {exc}")
        tally.operations[name] += 1


def _operate(
    memory: Memory, tenant: Cell, name: str, rng: random.Random, tally: ThreadTally
) -> None:
    ledger = tally.ledger
    scope: dict[str, Any] = dict(tenant.ids)
    own = [(text, memory_id) for text, memory_id in ledger.live.items() if memory_id]
    if name in {"update", "delete", "get", "history"} and not own:
        name = "add"
    if name == "add":
        one = fact(rng, tenant.tag)
        ledger.begin(Operation("add", (one.text,)))
        ledger.done([row["id"] for row in memory.add(**one.add_arguments(), **scope)["results"]])
    elif name == "import":
        facts = [fact(rng, tenant.tag) for _ in range(rng.randint(2, 6))]
        ledger.begin(Operation("import", tuple(one.text for one in facts)))
        memory.import_records([one.record(scope) for one in facts], progress=False)
        ledger.done([])  # ids not returned: imported memories are read, never changed
    elif name == "update":
        old, memory_id = rng.choice(own)
        new = fact(rng, tenant.tag).text
        ledger.begin(Operation("update", (new,), memory_id, old))
        memory.update(memory_id, text=new)
        ledger.done([])
    elif name == "delete":
        old, memory_id = rng.choice(own)
        ledger.begin(Operation("delete", (), memory_id, old))
        memory.delete(memory_id)
        ledger.done([])
    elif name == "get":
        text, memory_id = rng.choice(own)
        if memory.get(memory_id)["memory"] != text:
            tally.lost.append(f"memory {memory_id} does not read back as written")
    elif name == "history":
        _text, memory_id = rng.choice(own)
        events = [event["event"] for event in memory.history(memory_id)]
        if events.count("UPDATE") != ledger.updates[memory_id]:
            tally.lost.append(f"memory {memory_id} has history {events}")
    else:
        _read(memory, tenant, name, rng, tally)


def _read(memory: Memory, tenant: Cell, name: str, rng: random.Random, tally: ThreadTally) -> None:
    scope: dict[str, Any] = dict(tenant.ids)
    words = rng.choice(["works at", "lives in", "Initech", "Lisbon", "Ana Silva"])
    if name == "search":
        reply: Any = memory.search(f"{words} {tenant.tag}", **scope, limit=10)
    elif name == "list":
        reply = memory.get_all(**scope, limit=50)
    elif name == "query":
        reply = memory.query(f"who works at Initech {tenant.tag}?", **scope)
    else:
        reply = memory.graph.entities(**scope, limit=50)
    tally.leaks += [f"{name} in {scope}: {leak}" for leak in leaks(reply, scope, TENANTS)]


def _final_counts(memory: Memory, tallies: list[ThreadTally]) -> dict[str, Any]:
    """Each tenant's stored memories against the texts its threads left."""
    ledgers = {
        tenant.tag: [t.ledger for i, t in enumerate(tallies) if tenant_of(i) == tenant]
        for tenant in TENANTS
    }
    pages = {tenant.tag: partial(_page, memory, dict(tenant.ids)) for tenant in TENANTS}
    return final_counts(ledgers, pages)


def tenant_of(index: int) -> Cell:
    """The tenant of the `index`-th thread or client: alternately alice and bob."""
    return TENANTS[index % len(TENANTS)]


def _page(memory: Memory, scope: dict[str, Any], cursor: str | None) -> dict[str, Any]:
    return memory.get_all(**scope, limit=1000, cursor=cursor)
