"""Graph write cost as the graph grows: the SQLite GraphFile against whole-partition snapshots.

Prints a table and writes `bench/results/graph_persistence.json`. Run:

    .venv/bin/python bench/graph_persistence.py                     # 1k, 10k, 100k relations
    .venv/bin/python bench/graph_persistence.py --sizes 1000,10000 --writes 100

Method. One `NetworkxGraphStore` in a temporary folder grows in one partition: each record
is a new entity and a relation from it to a random earlier entity (`random.Random(0)`).
Growth to each size applies BATCH records per `apply` (one transaction each), with the
cyclic GC paused, as `bulk_import` does; its wall time (records built beforehand, commits
included) is "bulk s". At each size, `--writes` single
applies of the same shape (one entity + one relation, committed each) are timed with
`time.perf_counter`, after `--warmup` untimed ones: "apply p50 / p95". "old snapshot" is
what each of those applies cost on top before this store: the whole partition dumped as one
JSON file, written to a temp file, fsynced and renamed (`PartitionSnapshot`, the older
format); the graph's records are gathered outside the timer, so it is a slight
underestimate. "reopen s" opens a second store on the folder at the largest size (reads
every row once).
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.metaqa import percentile
from graphmem.models.records import Entity, Relation, new_id
from graphmem.models.scope import Scope
from graphmem.stores.atomic_file import atomic_text_file
from graphmem.stores.graph.base import GraphWrite
from graphmem.stores.graph.networkx_store import NetworkxGraphStore
from graphmem.stores.graph.persistence import PartitionSnapshot

RESULTS = Path(__file__).resolve().parent / "results/graph_persistence.json"
SCOPE = Scope(user_id="bench")


class Grower:
    """Makes the records: entity n, and a relation from it to a random earlier entity."""

    def __init__(self) -> None:
        self._rng = random.Random(0)
        self._ids: list[str] = []

    def next_write(self) -> GraphWrite:
        number = len(self._ids)
        entity = Entity(
            name=f"Person {number}", key=f"person {number}", type="Person", user_id="bench"
        )
        writes = GraphWrite(entities=[entity])
        if self._ids:
            target = self._ids[self._rng.randrange(len(self._ids))]
            writes.relations.append(
                Relation(
                    source_id=entity.id,
                    target_id=target,
                    type="KNOWS",
                    fact=f"Person {number} knows {target}",
                    memory_ids=[new_id()],
                    user_id="bench",
                )
            )
        self._ids.append(entity.id)
        return writes


BATCH = 1000


def grow(store: NetworkxGraphStore, grower: Grower, relations: int) -> tuple[int, float]:
    """Bulk-apply records until the store holds `relations`: how many, in how many seconds."""
    missing = relations - store.counts().relations
    writes = [grower.next_write() for _ in range(missing)]
    gc.disable()  # as `bulk_import` does: millions of long-lived records, no cycles
    try:
        started = time.perf_counter()
        for start in range(0, len(writes), BATCH):
            batch = writes[start : start + BATCH]
            store.apply(
                GraphWrite(
                    entities=[entity for write in batch for entity in write.entities],
                    relations=[relation for write in batch for relation in write.relations],
                )
            )
        return missing, time.perf_counter() - started
    finally:
        gc.enable()


def file_bytes(folder: Path) -> int:
    """The SQLite file and its write-ahead log (not yet checkpointed rows live there)."""
    return sum(path.stat().st_size for path in folder.glob("graph.sqlite*"))


def time_applies(store: NetworkxGraphStore, grower: Grower, count: int) -> list[float]:
    timings = []
    for _ in range(count):
        write = grower.next_write()
        started = time.perf_counter()
        store.apply(write)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def time_old_snapshots(store: NetworkxGraphStore, folder: Path, count: int) -> list[float]:
    """The older format's cost per apply: the whole partition rewritten as one JSON file."""
    entities = store.list_entities(SCOPE, limit=10**9)
    relations = store.relations_of(SCOPE, [e.id for e in entities], direction="out")
    partition = tuple(SCOPE.partition())
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        snapshot = PartitionSnapshot(partition=partition, entities=entities, relations=relations)
        with atomic_text_file(folder / "partition-bench.json") as stream:
            stream.write(snapshot.model_dump_json())
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def run(args: argparse.Namespace) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="graphmem-bench-") as temporary:
        folder = Path(temporary) / "graph"
        old_folder = Path(temporary) / "old"
        store, grower = NetworkxGraphStore(folder), Grower()
        for size in args.sizes:
            bulk_relations, bulk_seconds = grow(store, grower, size)
            time_applies(store, grower, args.warmup)
            applies = time_applies(store, grower, args.writes)
            snapshots = time_old_snapshots(store, old_folder, args.snapshots)
            rows.append(
                {
                    "relations": size,
                    "bulk_relations": bulk_relations,
                    "bulk_seconds": round(bulk_seconds, 3),
                    "apply_p50_ms": round(percentile(applies, 0.5), 3),
                    "apply_p95_ms": round(percentile(applies, 0.95), 3),
                    "old_snapshot_p50_ms": round(percentile(snapshots, 0.5), 2),
                    "old_snapshot_p95_ms": round(percentile(snapshots, 0.95), 2),
                    "file_mb": round(file_bytes(folder) / 2**20, 1),
                }
            )
        store.close()
        started = time.perf_counter()
        reopened = NetworkxGraphStore(folder)
        reopen_seconds = time.perf_counter() - started
        counts = reopened.counts()
        reopened.close()
    return {
        "sizes": rows,
        "writes": args.writes,
        "warmup": args.warmup,
        "snapshots": args.snapshots,
        "reopen": {
            "relations": counts.relations,
            "entities": counts.entities,
            "seconds": round(reopen_seconds, 3),
        },
        "apply_p50_ratio_largest_to_smallest": round(
            rows[-1]["apply_p50_ms"] / rows[0]["apply_p50_ms"], 2
        ),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def show(results: dict[str, Any], console: Console) -> None:
    table = Table(title="graph persistence: one entity + one relation per apply")
    for column in (
        "relations",
        "apply p50 ms",
        "apply p95 ms",
        "old snapshot p50 ms",
        "old snapshot p95 ms",
        "bulk s",
        "bulk relations/s",
        "file MB",
    ):
        table.add_column(column, justify="right")
    for row in results["sizes"]:
        table.add_row(
            f"{row['relations']:,}",
            f"{row['apply_p50_ms']:.3f}",
            f"{row['apply_p95_ms']:.3f}",
            f"{row['old_snapshot_p50_ms']:.1f}",
            f"{row['old_snapshot_p95_ms']:.1f}",
            f"{row['bulk_seconds']:.2f}",
            f"{row['bulk_relations'] / row['bulk_seconds']:,.0f}",
            f"{row['file_mb']:.1f}",
        )
    console.print(table)
    reopen = results["reopen"]
    console.print(
        f"reopen: {reopen['relations']:,} relations, {reopen['entities']:,} entities in "
        f"{reopen['seconds']:.2f} s; apply p50 largest / smallest = "
        f"{results['apply_p50_ratio_largest_to_smallest']:.2f}"
    )


def save(results: dict[str, Any], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")


def parse_sizes(text: str) -> list[int]:
    return sorted(int(part) for part in text.split(","))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[1000, 10_000, 100_000])
    parser.add_argument("--writes", type=int, default=500, help="timed applies per size")
    parser.add_argument("--warmup", type=int, default=20, help="untimed applies first")
    parser.add_argument("--snapshots", type=int, default=10, help="timed old snapshots per size")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    console = Console() if sys.stdout.isatty() else Console(width=120)
    results = run(args)
    show(results, console)
    save(results, args.output)


if __name__ == "__main__":
    main()
