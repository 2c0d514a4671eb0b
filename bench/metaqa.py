"""MetaQA benchmark: import the movie KB, then answer 1/2/3-hop questions with `Memory.query`.

Prints a table and writes `bench/results/metaqa.json`. Run:

    .venv/bin/python bench/metaqa.py                 # dev split, all questions
    .venv/bin/python bench/metaqa.py --split test    # the measurement split (run once)
    .venv/bin/python bench/metaqa.py --questions 300 # a quick look: 300 per hop count
    .venv/bin/python bench/metaqa.py --untyped       # the KB imported without entity types
    .venv/bin/python bench/metaqa.py --embedder hash # the lexical fallback embedder

The KB's triples are imported as pre-extracted records into one scope, each end typed by
the KB's schema (the head is a Movie; a directed_by / written_by / starred_actors tail a
Person, ...), as a user importing a typed KB would (or, `--untyped`, with no types at all).
Questions are answered by `query` with default retrieval settings (`--max-hops` overrides
them) and the local embedding model (`--embedder`); the LLM is pointed at a counting HTTP
server on 127.0.0.1 to prove the read path makes no LLM call. Metrics: Hits@1 (the top
answer is gold) and recall@10 = |top 10 answers ∩ gold| / min(|gold|, 10), averaged over
questions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.peak_rss import peak_rss_mb
from graphmem import GraphMemConfig, Memory, RetrievalConfig

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "metaqa"
RESULTS = Path(__file__).resolve().parent / "results" / "metaqa.json"
SCOPE = "metaqa"
TAIL_TYPES = {
    "directed_by": "Person",
    "written_by": "Person",
    "starred_actors": "Person",
    "release_year": "Year",
    "in_language": "Language",
    "has_tags": "Tag",
    "has_genre": "Genre",
    "has_imdb_votes": "Popularity",
    "has_imdb_rating": "Rating",
}


class CountingLLM:
    """An HTTP server on 127.0.0.1 that counts every request sent to it (and answers 503)."""

    def __init__(self) -> None:
        self.requests = 0
        counter = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                counter.requests += 1
                self.send_response(503)
                self.end_headers()

            do_GET = do_POST  # noqa: N815 (the stdlib's name)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()


def kb_records(path: Path, *, typed: bool = True) -> Iterator[dict[str, Any]]:
    """The KB's triples as import records; `typed=False` leaves the entities untyped."""
    for line in path.open(encoding="utf-8"):
        head, relation, tail = line.rstrip("\n").split("|")
        record: dict[str, Any] = {
            "user_id": SCOPE,
            "relations": [{"source": head, "relationship": relation, "target": tail}],
        }
        if typed:
            record["entities"] = [
                {"name": head, "type": "Movie"},
                {"name": tail, "type": TAIL_TYPES[relation]},
            ]
        yield record


def load_questions(path: Path, limit: int | None) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    return rows[:limit] if limit else rows


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def evaluate(memory: Memory, questions: list[dict[str, Any]]) -> dict[str, Any]:
    hits, recalls, latencies = [], [], []
    for row in questions:
        started = time.perf_counter()
        answer = memory.query(row["question"], user_id=SCOPE, limit=10)
        latencies.append((time.perf_counter() - started) * 1000)
        gold = {name.casefold() for name in row["answers"]}
        names = [a["entity"].casefold() for a in answer["answers"]]
        hits.append(1.0 if names and names[0] in gold else 0.0)
        recalls.append(len(set(names[:10]) & gold) / min(len(gold), 10))
    return {
        "questions": len(questions),
        "hits_at_1": round(statistics.fmean(hits), 4),
        "recall_at_10": round(statistics.fmean(recalls), 4),
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50), 2),
            "p95": round(percentile(latencies, 0.95), 2),
            "p99": round(percentile(latencies, 0.99), 2),
        },
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    llm = CountingLLM()
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="graphmem-metaqa-"))
    retrieval = (
        RetrievalConfig() if args.max_hops is None else RetrievalConfig(max_hops=args.max_hops)
    )
    config = GraphMemConfig(
        data_dir=data_dir,
        graph_store=args.graph_store,
        embedder=args.embedder,
        extractor="llm",
        llm_base_url=llm.base_url,
        llm_api_key="unused",
        retrieval=retrieval,
        neo4j_uri=os.environ.get("GRAPHMEM_NEO4J_URI", "bolt://127.0.0.1:7687"),
    )
    with Memory(config) as memory:
        if args.graph_store == "neo4j" and not args.reuse:
            memory.backends.graph.reset()  # the dev server's database: start from empty
        if args.reuse and memory.stats(user_id=SCOPE)["memories"]:
            summary = {"records": 0, "seconds": float("nan"), "errors": []}
        else:
            kb = args.data / "kb.txt"
            records = kb_records(kb, typed=not args.untyped)
            summary = memory.import_records(records, progress=not args.quiet)
        stats = memory.stats(user_id=SCOPE)
        results: dict[str, Any] = {
            "split": args.split,
            "graph_store": args.graph_store,
            "embedder": stats["embedder"],
            "typed": not args.untyped,
            "max_hops": config.retrieval.max_hops,
            "import": {
                "triples": summary["records"],
                "seconds": summary["seconds"],
                "triples_per_second": round(summary["records"] / summary["seconds"], 1)
                if summary["records"]
                else None,
                "errors": len(summary["errors"]),
                "memories": stats["memories"],
                "entities": stats["entities"],
                "relations": stats["relations"],
                "peak_rss_mb_after_import": round(peak_rss_mb(), 1),
            },
            "hops": {},
        }
        for hops in args.hops:
            questions = load_questions(args.data / f"{hops}hop_{args.split}.jsonl", args.questions)
            results["hops"][str(hops)] = evaluate(memory, questions)
        results["llm_calls"] = llm.requests
        results["peak_rss_mb"] = round(peak_rss_mb(), 1)
    llm.close()
    return results


def show(results: dict[str, Any]) -> None:
    console = Console()
    imported = results["import"]
    rate = imported["triples_per_second"]
    console.print(
        f"[bold]MetaQA[/] ({results['split']}, graph={results['graph_store']}, "
        f"embedder={results['embedder']}, typed={results['typed']}, "
        f"max_hops={results['max_hops']}): "
        + (
            f"imported {imported['triples']:,} triples in {imported['seconds']:.1f} s "
            f"= {rate:,.0f} triples/s; "
            if rate
            else "reused an imported data dir; "
        )
        + f"{imported['entities']:,} entities, {imported['relations']:,} relations; "
        f"peak RSS {results['peak_rss_mb']:,.0f} MB; LLM calls {results['llm_calls']}"
    )
    table = Table(title=f"query on MetaQA {results['split']}", title_justify="left")
    for column in ("hops", "questions", "Hits@1", "recall@10", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(column, justify="right")
    for hops, row in results["hops"].items():
        latency = row["latency_ms"]
        table.add_row(
            hops,
            str(row["questions"]),
            f"{row['hits_at_1']:.3f}",
            f"{row['recall_at_10']:.3f}",
            f"{latency['p50']:.1f}",
            f"{latency['p95']:.1f}",
            f"{latency['p99']:.1f}",
        )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--hops", type=lambda s: [int(h) for h in s.split(",")], default=[1, 2, 3])
    parser.add_argument("--questions", type=int, default=None, help="per hop count (default all)")
    parser.add_argument(
        "--max-hops", type=int, choices=(1, 2, 3), default=None, help="default: the config's"
    )
    parser.add_argument("--embedder", choices=("hash", "local", "auto"), default="local")
    parser.add_argument("--untyped", action="store_true", help="import the KB without types")
    parser.add_argument("--graph-store", choices=("networkx", "neo4j"), default="networkx")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: a new temp dir")
    parser.add_argument("--reuse", action="store_true", help="skip the import if --data-dir has it")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not (args.data / "kb.txt").exists():
        sys.exit(f"no MetaQA data at {args.data} (use --data)")
    results = run(args)
    show(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(args.output.read_text()) if args.output.exists() else {}
    row = f"{args.split}/{args.graph_store}/{results['embedder']}"
    row += "/typed" if results["typed"] else "/untyped"
    if args.max_hops is not None:
        row += f"/max_hops={args.max_hops}"
    existing[row] = results
    args.output.write_text(json.dumps(existing, indent=2) + os.linesep)


if __name__ == "__main__":
    main()
