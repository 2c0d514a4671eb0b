"""Fault soak: crashes, threads, HTTP clients, tenancy probes and hostile input, on the
embedded default (networkx) and on Neo4j; prints a table and writes JSON.

Usage:
    python bench/soak.py [--neo4j-uri bolt://127.0.0.1:7687] [--seed 0] [--scale 1.0]

`make bench-soak` starts the tests' Neo4j (tools/neo4j) and runs this. The parts:
- crash: a child writing adds, imports, updates and deletes is SIGKILLed at a random
  moment, 50 times on each store; every reopen is checked (`bench/faults/invariants.py`);
- threads: 8 threads x 500 mixed operations on one `Memory`, on each store;
- HTTP: 50 concurrent clients x 200 requests, two tenants, against `graphmem serve`;
- tenancy: randomized requests with every restricted key (user, agent, app, run, several
  fields) against every endpoint, and randomized library reads, on each store;
- hostile: hypothesis-generated names, types, relation types, metadata and filters through
  the LLM path (fake OpenAI server), `import_records` and REST, on Neo4j.
Every count of lost writes, corruption, cross-tenant rows, 5xx and crashes must be 0; the
program exits 1 otherwise. `--scale` shrinks every part's size (for a quick look).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.faults import hostile, tenancy
from bench.faults.crash import crash_config, empty_graph, run_crash_process
from bench.faults.http_load import run_http_clients
from bench.faults.invariants import check_data_dir
from bench.faults.ledger import Ledger
from bench.faults.report import failures, show
from bench.faults.service import graphmem_serve
from bench.faults.threads import run_threads
from graphmem import Memory
from graphmem.models.scope import Scope
from tests.fakes.fixtures import make_llm_config
from tests.fakes.openai_server import FakeOpenAIServer

RESULTS = Path(__file__).resolve().parent / "results/soak.json"
NEO4J_AUTH = ("neo4j", "graphmem")
STORES = ("networkx", "neo4j")


def soak_parts(work: Path, neo4j_uri: str, seed: int, scale: float) -> Iterator[dict[str, Any]]:
    """Every part, in order, as it finishes: `{part name: its results}` at a time."""

    def sized(count: int) -> int:
        return max(1, round(count * scale))

    for store in STORES:
        crashes = run_crash_process(work / f"crash-{store}", store, neo4j_uri, sized(50), seed)
        yield {f"crash {store}": crashes}
    for store in STORES:
        config = crash_config(work / f"threads-{store}", store, neo4j_uri)
        yield {f"threads {store}": run_threads(config, 8, sized(500), seed)}
    yield _served_networkx(work / "serve-networkx", sized, seed)
    yield _served_neo4j(work / "serve-neo4j", neo4j_uri, sized, seed)
    yield _hostile_library(work, neo4j_uri, sized, seed)


def _served_networkx(data_dir: Path, sized: Any, seed: int) -> dict[str, Any]:
    """HTTP clients, then tenancy probes, against `graphmem serve`; then the data dir's
    invariants and the library probes, with the server stopped."""
    rng = random.Random(seed)
    with graphmem_serve(data_dir) as url:
        load = run_http_clients(url, 50, sized(200), seed)
        seeded = tenancy.seed_cells(url, rng)
        probes = tenancy.probe_rest(url, seeded, sized(600), rng)
    ledger: Ledger = load.pop("ledger")
    ledger.live.update(seeded.texts)
    config = crash_config(data_dir, "networkx", None)
    with Memory(config) as memory:
        partitions = [Scope.of(**cell.ids).without_run() for cell in tenancy.CELLS]
        findings = check_data_dir(memory, ledger, partitions)
        library = tenancy.probe_library(memory, seeded, sized(400), rng)
    load["lost_writes"] += len(findings.lost)
    load["corruption"] = len(findings.corrupt) + load["final_counts"]["wrong_counts"]
    load["problems"] += findings.first()
    return {
        "http networkx": load,
        "tenancy rest networkx": probes,
        "tenancy library networkx": library,
    }


def _served_neo4j(data_dir: Path, neo4j_uri: str, sized: Any, seed: int) -> dict[str, Any]:
    """Tenancy probes and hostile REST against `graphmem serve` on Neo4j."""
    rng = random.Random(seed + 1)
    empty_graph(crash_config(data_dir, "neo4j", neo4j_uri))
    hostile.plant_canary(neo4j_uri, NEO4J_AUTH)
    tally = hostile.HostileTally()
    started = time.perf_counter()
    with graphmem_serve(data_dir, graph_store="neo4j", neo4j_uri=neo4j_uri) as url:
        seeded = tenancy.seed_cells(url, rng)
        probes = tenancy.probe_rest(url, seeded, sized(600), rng)
        hostile.rest_channel(url, sized(2000), seed, tally)
    with Memory(crash_config(data_dir, "neo4j", neo4j_uri)) as memory:
        library = tenancy.probe_library(memory, seeded, sized(400), rng)
    return {
        "tenancy rest neo4j": probes,
        "tenancy library neo4j": library,
        "hostile rest neo4j": _hostile_result(tally, started),
    }


def _hostile_library(work: Path, neo4j_uri: str, sized: Any, seed: int) -> dict[str, Any]:
    """Hostile input through the LLM path, `import_records` and filters, on Neo4j; then the
    graph's labels and types, and the canary."""
    tally = hostile.HostileTally()
    started = time.perf_counter()
    neo4j = {"graph_store": "neo4j", "neo4j_uri": neo4j_uri, "embedder": "hash"}
    with FakeOpenAIServer() as server:
        config = make_llm_config(server, work / "hostile-llm", **neo4j)
        with Memory(config) as memory:
            hostile.llm_channel(memory, server, sized(1200), seed, tally)
    with Memory(crash_config(work / "hostile-import", "neo4j", neo4j_uri)) as memory:
        hostile.import_channel(memory, sized(1000), seed, tally)
        hostile.filter_channel(memory, sized(800), seed, tally)
    result = _hostile_result(tally, started)
    result["injections"] = hostile.injections(neo4j_uri, NEO4J_AUTH)
    return {"hostile library neo4j": result}


def _hostile_result(tally: hostile.HostileTally, started: float) -> dict[str, Any]:
    return {
        "inputs": tally.total(),
        "accepted": tally.total("accepted"),
        "refused": tally.total("refused"),
        "outcomes": dict(sorted(tally.outcomes.items())),
        "unclear": tally.total() - tally.total("accepted") - tally.total("refused"),
        "seconds": round(time.perf_counter() - started, 1),
        "problems": tally.problems[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--neo4j-uri", default=os.environ.get("GRAPHMEM_NEO4J_URI", "bolt://127.0.0.1:7687")
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    logging.disable(logging.ERROR)  # refused hostile input logs errors, by design
    started = time.perf_counter()
    results: dict[str, Any] = {"seconds": 0.0, "seed": args.seed, "parts": {}}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="graphmem-soak-") as work:
        for finished in soak_parts(Path(work), args.neo4j_uri, args.seed, args.scale):
            results["parts"] |= finished
            results["seconds"] = round(time.perf_counter() - started, 1)
            args.output.write_text(json.dumps(results, indent=2, default=str) + os.linesep)
            print(f"{results['seconds']:7.1f} s  done: {', '.join(finished)}", file=sys.stderr)
    console = Console() if sys.stdout.isatty() else Console(width=120)
    show(results, console)
    sys.exit(1 if failures(results) else 0)


if __name__ == "__main__":
    main()
