"""BM25 on reopen: a full rebuild against loading the snapshot, at 100k documents.

Prints a table and writes `bench/results/bm25_reopen.json`. Run:

    .venv/bin/python bench/bm25_reopen.py                  # index level, then Memory level
    .venv/bin/python bench/bm25_reopen.py --skip-memory    # the index level only (~1 min)

Method. **Index level**: the first `--docs` MetaQA triples (`head|relation|tail`) become
BM25 documents "head relation tail" in one scope. Timed, median of `--repeats`: `bulk_load`
(tokenize + bm25s index: what a rebuild does once the memories are read), the save
(`export_state` + `write_snapshot`), and the load (`read_snapshot`, then `restore_state`);
save and load again with a pending delta (`--delta` documents added and as many removed:
what `close` saves without merging). The snapshot's size is the `.npz` file's. Sanity:
50 queries answer with identical ids and scores from the loaded and the bulk-loaded index.

**Memory level**: the same triples are imported (`kb_records` of `bench/metaqa.py`, hash
embedder, Qdrant Edge), which saves the snapshot. Then each measurement runs in a fresh
process: open the data dir; time a first `search` on the BM25 channel alone (it loads
BM25), then a first search on every channel, then another; close. In order:
with the snapshot; after another process added `--delta` memories and exited without
closing (the snapshot is caught up from the history); with the snapshot deleted (the full
rebuild: scroll every memory, tokenize, index). `--data-dir` keeps the data dir (and reuses
its memories) for the next run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.metaqa import SCOPE, kb_records
from graphmem import GraphMemConfig, Memory
from graphmem.models.scope import Scope
from graphmem.stores.history import HistoryMark
from graphmem.stores.text.bm25 import BM25Document, BM25Index
from graphmem.stores.text.bm25_snapshot import (
    SNAPSHOT_FILE,
    BM25Snapshot,
    read_snapshot,
    write_snapshot,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/datasets/metaqa/kb.txt"
RESULTS = Path(__file__).resolve().parent / "results/bm25_reopen.json"
MARK = HistoryMark(1, "bench")


def kb_documents(path: Path, count: int) -> list[BM25Document]:
    """The first `count` triples as `(id, "head relation tail", scope)` documents."""
    documents: list[BM25Document] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(islice(lines, count)):
            head, relation, tail = line.rstrip("\n").split("|")
            doc_id = str(uuid.uuid5(uuid.NAMESPACE_OID, str(number)))
            documents.append(
                (doc_id, f"{head} {relation.replace('_', ' ')} {tail}", {"user_id": SCOPE})
            )
    return documents


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def save_and_load(index: BM25Index, folder: Path, repeats: int) -> dict[str, Any]:
    """Seconds to save `index`, to read the file, to restore it; the file's size."""
    save_s = median_seconds(
        lambda: write_snapshot(folder, BM25Snapshot(index.export_state(), MARK, "bench")), repeats
    )
    read_s = median_seconds(lambda: read_snapshot(folder), repeats)
    snapshot = read_snapshot(folder)
    assert snapshot is not None
    restore_s = median_seconds(lambda: BM25Index().restore_state(snapshot.state), repeats)
    return {
        "save_s": save_s,
        "read_s": read_s,
        "restore_s": restore_s,
        "load_s": round(read_s + restore_s, 3),
        "snapshot_mb": round((folder / SNAPSHOT_FILE).stat().st_size / 2**20, 1),
    }


def same_answers(first: BM25Index, second: BM25Index, documents: list[BM25Document]) -> bool:
    rng = random.Random(0)
    scope = Scope(user_id=SCOPE)
    queries = [text for _, text, _ in rng.sample(documents, 50)]
    return all(
        first.search(query, scope, limit=20) == second.search(query, scope, limit=20)
        for query in queries
    )


def measure_index(documents: list[BM25Document], args: argparse.Namespace) -> dict[str, Any]:
    index = BM25Index()
    rebuild_s = median_seconds(lambda: index.bulk_load(documents), args.repeats)
    with tempfile.TemporaryDirectory(prefix="bm25-bench-") as scratch:
        folder = Path(scratch)
        merged = save_and_load(index, folder, args.repeats)
        snapshot = read_snapshot(folder)
        assert snapshot is not None
        loaded = BM25Index()
        loaded.restore_state(snapshot.state)
        identical = same_answers(loaded, index, documents)
        index.remove([doc_id for doc_id, _, _ in documents[: args.delta]])
        index.add(
            [
                (f"new-{i}", text, scope)
                for i, (_, text, scope) in enumerate(documents[-args.delta :])
            ]
        )
        pending = index.pending_changes
        with_delta = save_and_load(index, folder, args.repeats)
    return {
        "documents": len(documents),
        "rebuild_s": rebuild_s,
        "merged": merged,
        "with_delta": {"pending_changes": pending, **with_delta},
        "identical_answers": identical,
    }


REOPEN = """
import json, sys, time
from bench.peak_rss import peak_rss_mb
from graphmem import GraphMemConfig, Memory
config = GraphMemConfig.model_validate_json(sys.argv[1])
started = time.perf_counter()
memory = Memory(config)
opened = time.perf_counter()
memory.search("Kismet director", user_id=sys.argv[2], limit=10, channels=["bm25"])
loaded = time.perf_counter()
memory.search("who directed Kismet", user_id=sys.argv[2], limit=10)
searched = time.perf_counter()
memory.search("who wrote Casablanca", user_id=sys.argv[2], limit=10)
again = time.perf_counter()
rebuilt = memory.backends.bm25.rebuild_count
memory.close()
closed = time.perf_counter()
print(json.dumps({
    "open_s": round(opened - started, 3),
    "first_bm25_search_s": round(loaded - opened, 3),
    "first_full_search_s": round(searched - loaded, 3),
    "next_search_s": round(again - searched, 3),
    "close_s": round(closed - again, 3),
    "bm25_rebuilt": rebuilt > 0,
    "peak_rss_mb": round(peak_rss_mb(), 1),
}))
"""

CRASH_AFTER_ADDS = """
import os, sys, time
from graphmem import GraphMemConfig, Memory
memory = Memory(GraphMemConfig.model_validate_json(sys.argv[1]))
run = time.time_ns()  # new texts on every run, so each add is an ADD
for i in range(int(sys.argv[3])):
    memory.add(f"note {i} of run {run}: a film night", user_id=sys.argv[2], infer=False)
os._exit(0)
"""


def run_child(script: str, config: GraphMemConfig, *extra: str) -> dict[str, Any]:
    child = subprocess.run(
        [sys.executable, "-c", script, config.model_dump_json(), SCOPE, *extra],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    lines = child.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def measure_memory(args: argparse.Namespace, console: Console) -> dict[str, Any]:
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bm25-reopen-"))
    config = GraphMemConfig(
        data_dir=data_dir, embedder="hash", extractor="offline", vector_store="edge"
    )
    try:
        started, errors = time.perf_counter(), 0
        with Memory(config) as memory:
            if memory.stats()["memories"] == 0:
                records = islice(kb_records(args.data), args.docs)
                errors = len(memory.import_records(records, progress=False)["errors"])
            memories = memory.stats()["memories"]
        import_s = round(time.perf_counter() - started, 1)
        console.print(f"{memories:,} memories imported (or found) in {import_s} s")
        snapshot = run_child(REOPEN, config)
        console.print(f"with the snapshot: {snapshot}")
        run_child(CRASH_AFTER_ADDS, config, str(args.delta))
        replay = run_child(REOPEN, config)
        console.print(f"after {args.delta} adds and a crash: {replay}")
        shutil.rmtree(data_dir / "bm25")
        rebuild = run_child(REOPEN, config)
        console.print(f"without the snapshot: {rebuild}")
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    return {
        "memories": memories,
        "import_s": import_s,
        "import_errors": errors,
        "with_snapshot": snapshot,
        "replayed_after_crash": {"changed_memories": args.delta, **replay},
        "without_snapshot": rebuild,
    }


def show(results: dict[str, Any], console: Console) -> None:
    index = results["index"]
    table = Table(
        title=f"BM25 index, {index['documents']:,} MetaQA documents "
        f"(median of {results['repeats']})",
        title_justify="left",
        caption=f"answers of the loaded index identical to a bulk load: "
        f"{index['identical_answers']}",
        caption_justify="left",
    )
    for column in ("state", "rebuild s", "save s", "read s", "restore s", "load s", "file MB"):
        table.add_column(column, justify="right")
    for label, row in (("merged", index["merged"]), ("with delta", index["with_delta"])):
        table.add_row(
            label if label == "merged" else f"{row['pending_changes']:,} pending",
            f"{index['rebuild_s']:.2f}" if label == "merged" else "-",
            f"{row['save_s']:.2f}",
            f"{row['read_s']:.2f}",
            f"{row['restore_s']:.2f}",
            f"{row['load_s']:.2f}",
            f"{row['snapshot_mb']:.1f}",
        )
    console.print(table)
    memory = results.get("memory")
    if memory is None:
        return
    table = Table(
        title=f"Memory reopen in a fresh process, {memory['memories']:,} memories "
        "(Qdrant Edge, hash embedder)",
        title_justify="left",
        caption="1st bm25 search: the BM25 channel alone, which loads BM25; 1st full search: "
        "then every channel (the graph's lexicons load lazily); close saves the snapshot if it "
        "changed",
        caption_justify="left",
    )
    columns = ("BM25 from", "open s", "1st bm25 search s", "1st full search s", "next search s")
    for column in (*columns, "close s", "rebuilt", "RSS MB"):
        table.add_column(column, justify="right")
    cases = (
        ("snapshot", memory["with_snapshot"]),
        (
            f"+{memory['replayed_after_crash']['changed_memories']:,} replayed",
            memory["replayed_after_crash"],
        ),
        ("full rebuild", memory["without_snapshot"]),
    )
    for label, row in cases:
        table.add_row(
            label,
            f"{row['open_s']:.2f}",
            f"{row['first_bm25_search_s']:.2f}",
            f"{row['first_full_search_s']:.2f}",
            f"{row['next_search_s']:.2f}",
            f"{row['close_s']:.2f}",
            str(row["bm25_rebuilt"]),
            f"{row['peak_rss_mb']:,.0f}",
        )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="MetaQA kb.txt")
    parser.add_argument("--docs", type=int, default=100_000, help="triples to index")
    parser.add_argument("--delta", type=int, default=1000, help="changes after the snapshot")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-memory", action="store_true", help="the index level only")
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="keep (and reuse) this data dir"
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not args.data.is_file():
        sys.exit(f"no MetaQA KB at {args.data} (use --data)")
    console = Console() if sys.stdout.isatty() else Console(width=120)
    documents = kb_documents(args.data, args.docs)
    results: dict[str, Any] = {"repeats": args.repeats, "index": measure_index(documents, args)}
    show(results, console)
    if not args.skip_memory:
        results["memory"] = measure_memory(args, console)
        show(results, console)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + os.linesep)


if __name__ == "__main__":
    main()
