"""Kill -9 soak: a process streams `Memory.add` calls and is SIGKILLed at random moments;
after each kill the data dir must open, every add that returned must be there, and the
graph, vectors, BM25 and history must agree (nothing half-written).

Usage:
    python bench/kill_soak.py [--kills 20] [--embedder hash|local] [--seed 0]

Each add is one sentence from a small generated world (people, the companies they work
at, the cities they live in and move to: single-valued LIVES_IN ends the old city, so
relations are invalidated too), through the offline extractor. The writer prints each
add's memory ids, flushed, only after `add` returned: those are the acknowledged adds.
After each kill the data dir is opened (which undoes any write the kill cut short) and
checked by `check_data_dir`; the run fails on the first problem. Prints a table and
writes bench/results/kill_soak.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphmem import GraphMemConfig, Memory
from graphmem.models.records import MemoryRecord
from graphmem.models.scope import Scope
from graphmem.stores.history import HistoryLog
from graphmem.stores.vector.base import memory_pages

RESULTS = Path(__file__).resolve().parent / "results/kill_soak.json"
USER = "soak"

WRITER = """
import random, sys
from pathlib import Path
from graphmem import GraphMemConfig, Memory
from graphmem.models.records import MemoryRecord
from graphmem.models.scope import Scope
from graphmem.stores.history import HistoryLog
from graphmem.stores.vector.base import memory_pages
from bench.kill_soak import sentence
config = GraphMemConfig(data_dir=Path(sys.argv[1]), embedder=sys.argv[2], extractor="offline")
rng = random.Random(int(sys.argv[3]))
with Memory(config) as memory:
    print("open", flush=True)
    while True:
        added = memory.add(sentence(rng), user_id="soak")
        print(" ".join(row["id"] for row in added["results"]), flush=True)
"""

PEOPLE = ["Ana Silva", "Ben Okafor", "Chen Wei", "Dara Novak", "Eli Brandt", "Fay Moreau"]
COMPANIES = ["Initech", "Globex", "Umbrella Labs", "Stark Foods", "Wayne Freight"]
CITIES = ["Lisbon", "Lagos", "Chengdu", "Prague", "Hamburg", "Lyon", "Quito"]


def sentence(rng: random.Random) -> str:
    """One fact of the generated world, numbered so every add stores a new memory."""
    person, serial = rng.choice(PEOPLE), rng.randrange(1_000_000)
    shape = rng.randrange(3)
    if shape == 0:
        return f"{person} works at {rng.choice(COMPANIES)} (note {serial})."
    if shape == 1:
        return f"{person} lives in {rng.choice(CITIES)} (note {serial})."
    return f"{person} moved to {rng.choice(CITIES)} last year (note {serial})."


def check_data_dir(memory: Memory, acknowledged: list[str]) -> list[str]:
    """Every problem found: acknowledged adds missing, or stores that disagree."""
    backends = memory.backends
    stored = all_memories(memory)
    problems = [f"acknowledged memory {m} is missing" for m in acknowledged if m not in stored]
    if backends.history.pending_writes():
        problems.append("writes still pending after open")
    for record in stored.values():
        events = [event.event for event in backends.history.for_memory(record.id)]
        if events[:1] != ["ADD"]:
            problems.append(f"memory {record.id} has history {events}, not ADD first")
        relations = {r.id for r in backends.graph.get_relations(record.relation_ids)}
        entities = {e.id for e in backends.graph.get_entities(record.entity_ids)}
        problems += [
            f"{record.id}: relation {r} missing" for r in record.relation_ids if r not in relations
        ]
        problems += [
            f"{record.id}: entity {e} missing" for e in record.entity_ids if e not in entities
        ]
    scope = Scope.of(user_id=USER)
    entity_ids = [e.id for e in backends.graph.list_entities(scope, limit=100_000)]
    for relation in backends.graph.relations_of(scope, entity_ids, include_history=True):
        problems += [
            f"relation {relation.id} cites missing memory {m}"
            for m in relation.memory_ids
            if m not in stored
        ]
    memory.search("works", user_id=USER, channels=["bm25"])  # loads BM25 from the stores
    if len(backends.bm25) != len(stored):
        problems.append(f"BM25 holds {len(backends.bm25)} documents, the vectors {len(stored)}")
    return problems


def all_memories(memory: Memory) -> dict[str, MemoryRecord]:
    pages = memory_pages(memory.backends.vectors, None)
    return {record.id: record for page in pages for record in page}


def run_soak(data_dir: Path, kills: int, embedder: str, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    config = GraphMemConfig(data_dir=data_dir, embedder=embedder, extractor="offline")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    acknowledged: list[str] = []
    rounds = []
    for kill in range(kills):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data_dir), embedder, str(seed * 1000 + kill)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert writer.stdout is not None
        if writer.stdout.readline().strip() != "open":
            raise RuntimeError("the writer did not open the data dir")
        time.sleep(rng.uniform(0.2, 2.0))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=60)
        lines = [line.split() for line in writer.stdout]
        acknowledged += [memory_id for line in lines for memory_id in line]
        journal = HistoryLog(data_dir / "history.sqlite")
        cut_short = len(journal.pending_writes())
        journal.close()
        started = time.perf_counter()
        with Memory(config) as memory:  # opening undoes the write the kill cut short
            opened = time.perf_counter() - started
            problems = check_data_dir(memory, acknowledged)
            stats = memory.stats()
        rounds.append(
            {
                "kill": kill + 1,
                "acknowledged_adds": len(lines),
                "writes_undone_on_open": cut_short,
                "memories": stats["memories"],
                "relations": stats["relations"],
                "open_s": round(opened, 3),
                "problems": problems[:10],
            }
        )
        if problems:
            break
    return {"embedder": embedder, "kills": len(rounds), "rounds": rounds}


def show(results: dict[str, Any], console: Console) -> None:
    table = Table(
        title=f"kill -9 soak ({results['embedder']} embedder): open, then check every store",
        title_justify="left",
    )
    columns = ("kill", "adds acked", "undone", "memories", "relations", "open s", "problems")
    for column in columns:
        table.add_column(column, justify="right")
    for row in results["rounds"]:
        table.add_row(
            str(row["kill"]),
            str(row["acknowledged_adds"]),
            str(row["writes_undone_on_open"]),
            str(row["memories"]),
            str(row["relations"]),
            f"{row['open_s']:.2f}",
            str(len(row["problems"])) if not row["problems"] else "; ".join(row["problems"][:2]),
        )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--embedder", choices=("hash", "local"), default="hash")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="graphmem-kill-soak-") as data_dir:
        results = run_soak(Path(data_dir), args.kills, args.embedder, args.seed)
    console = Console() if sys.stdout.isatty() else Console(width=120)
    show(results, console)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + os.linesep)
    failed = [row for row in results["rounds"] if row["problems"]]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
