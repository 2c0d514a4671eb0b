"""Paraphrase check sets: our own small KBs, relationship questions asked in everyday words.

Prints a table and writes `bench/results/paraphrase_<split>.json`. Run:

    .venv/bin/python bench/paraphrase.py                          # dev split, hash embedder
    .venv/bin/python bench/paraphrase.py --split all --embedder hash local
    .venv/bin/python bench/paraphrase.py --untyped --domain family --failures 5
    .venv/bin/python bench/paraphrase.py --split all --failures-out /tmp/misses.jsonl

Three hand-written domains (`bench/data/paraphrase/<domain>/`, made by `generate.py` there:
fictional families, companies and travellers over real places) hold a `kb.jsonl` of
import records and 1/2/3-hop questions phrased as people ask them ("Who is the other half
of X?", "What did X's mum die of?", "Where is the company X works for headquartered?"),
each with gold answers walked from the KB. Per domain and embedder, a fresh data dir gets
the KB by `import_records` (with `--untyped`, the entities' types dropped first), then
`Memory.query(question, user_id=<domain>, limit=10)` answers the split's questions.
Metrics: Hits@1 (the top answer is gold, names compared case-insensitively) and
recall@10 = |top 10 answers ∩ gold| / min(|gold|, 10), averaged over questions; p50/p95
query latency. An embedder the config does not accept (or that cannot start) is reported
unavailable and the run goes on.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from graphmem import GraphMemConfig, GraphMemError, Memory, RetrievalConfig

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "paraphrase"
RESULTS = Path(__file__).resolve().parent / "results"
DOMAINS = ("family", "company", "travel")
EMBEDDERS = ("hash", "local", "auto")


def kb_records(path: Path, untyped: bool) -> Iterator[dict[str, Any]]:
    """The domain's import records; `untyped` keeps only each entity's name."""
    for line in path.open(encoding="utf-8"):
        record = json.loads(line)
        if untyped:
            record["entities"] = [{"name": e["name"]} for e in record.get("entities", [])]
        yield record


def load_questions(path: Path, split: str) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    return [row for row in rows if split == "all" or row["split"] == split]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarise(scored: list[dict[str, Any]]) -> dict[str, Any]:
    latencies = [row["ms"] for row in scored]
    return {
        "questions": len(scored),
        "hits_at_1": round(statistics.fmean(row["hit"] for row in scored), 4),
        "recall_at_10": round(statistics.fmean(row["recall"] for row in scored), 4),
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50), 2),
            "p95": round(percentile(latencies, 0.95), 2),
        },
    }


def answer_all(memory: Memory, scope: str, questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ask every question; keep its scores, and what came back when the top answer missed."""
    scored = []
    for row in questions:
        started = time.perf_counter()
        answer = memory.query(row["question"], user_id=scope, limit=10)
        ms = (time.perf_counter() - started) * 1000
        gold = {name.casefold() for name in row["answers"]}
        names = [a["entity"].casefold() for a in answer["answers"]]
        hit = 1.0 if names and names[0] in gold else 0.0
        result = {
            "hops": row["hops"],
            "path": row["path"],
            "ms": ms,
            "hit": hit,
            "recall": len(set(names[:10]) & gold) / min(len(gold), 10),
        }
        if not hit:
            result["failure"] = {
                "question": row["question"],
                "hops": row["hops"],
                "path": row["path"],
                "gold": row["answers"],
                "returned": [
                    {"entity": a["entity"], "type": a["type"], "score": round(a["score"], 4)}
                    for a in answer["answers"][:3]
                ],
                "top_path": describe_path(answer["answers"][0]["paths"])
                if answer["answers"]
                else "",
            }
        scored.append(result)
    return scored


def describe_path(paths: list[list[dict[str, Any]]]) -> str:
    """The top answer's first path as `A -REL-> B; B -REL-> C` (each relation as stored)."""
    relations = paths[0] if paths else []
    return "; ".join(f"{r['source']} -{r['relationship']}-> {r['target']}" for r in relations)


def by_key(scored: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in scored:
        groups[str(row[key])].append(row)
    return {name: summarise(rows) for name, rows in sorted(groups.items())}


def run_domain(domain: str, embedder: str, args: argparse.Namespace) -> dict[str, Any]:
    """Import one domain's KB into a fresh data dir and answer its split's questions."""
    folder = args.data / domain
    questions = load_questions(folder / "questions.jsonl", args.split)
    with tempfile.TemporaryDirectory(prefix=f"graphmem-paraphrase-{domain}-") as data_dir:
        try:
            config = GraphMemConfig(
                data_dir=Path(data_dir),
                graph_store="networkx",
                embedder=embedder,
                extractor="offline",
                retrieval=RetrievalConfig(max_hops=args.max_hops),
            )
            memory = Memory(config)
        except (ValueError, GraphMemError) as exc:  # pydantic's ValidationError is a ValueError
            return {"unavailable": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}
        with memory:
            summary = memory.import_records(
                kb_records(folder / "kb.jsonl", args.untyped), progress=False
            )
            stats = memory.stats(user_id=domain)
            scored = answer_all(memory, domain, questions)
    return {
        "embedder": stats["embedder"],
        "import": {
            "triples": summary["records"],
            "seconds": round(summary["seconds"], 3),
            "errors": len(summary["errors"]),
            "entities": stats["entities"],
            "relations": stats["relations"],
        },
        "all": summarise(scored),
        "hops": by_key(scored, "hops"),
        "paths": {  # per template path, to see which kinds of question fail
            path: {key: row[key] for key in ("questions", "hits_at_1", "recall_at_10")}
            for path, row in by_key(scored, "path").items()
        },
        "failures": [row["failure"] for row in scored if "failure" in row],
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    runs: dict[str, Any] = {}
    for embedder in args.embedder:
        runs[embedder] = {domain: run_domain(domain, embedder, args) for domain in args.domain}
    return {
        "split": args.split,
        "typed": not args.untyped,
        "max_hops": args.max_hops,
        "graph_store": "networkx",
        "runs": runs,
    }


def show(results: dict[str, Any], failures: int) -> None:
    console = Console()
    typed = "typed" if results["typed"] else "untyped"
    table = Table(
        title=f"query on the paraphrase sets ({results['split']}, {typed} KB, "
        f"max_hops={results['max_hops']})",
        title_justify="left",
    )
    for column in ("embedder", "domain", "hops", "questions", "Hits@1", "recall@10"):
        table.add_column(column, justify="left" if column in ("embedder", "domain") else "right")
    table.add_column("p50 ms", justify="right")
    table.add_column("p95 ms", justify="right")
    for embedder, domains in results["runs"].items():
        for domain, outcome in domains.items():
            if "unavailable" in outcome:
                table.add_row(embedder, domain, "", "", "unavailable", end_section=True)
                continue
            rows = [*outcome["hops"].items(), ("all", outcome["all"])]
            for hops, row in rows:
                latency = row["latency_ms"]
                table.add_row(
                    embedder,
                    domain,
                    hops,
                    str(row["questions"]),
                    f"{row['hits_at_1']:.3f}",
                    f"{row['recall_at_10']:.3f}",
                    f"{latency['p50']:.1f}",
                    f"{latency['p95']:.1f}",
                    end_section=hops == "all",
                )
    console.print(table)
    picked = {
        f"{embedder} = {outcome['embedder']}"
        for embedder, domains in results["runs"].items()
        for outcome in domains.values()
        if "embedder" in outcome
    }
    console.print(f"embedders: {', '.join(sorted(picked)) or 'none available'}")
    for embedder, domains in results["runs"].items():
        for domain, outcome in domains.items():
            if "unavailable" in outcome:
                console.print(f"{embedder}/{domain} unavailable: {outcome['unavailable']}")
            for failure in outcome.get("failures", [])[:failures]:
                returned = ", ".join(
                    f"{a['entity']} ({a['type']}, {a['score']})" for a in failure["returned"]
                )
                console.print(
                    f"[dim]{embedder}/{domain}[/] {failure['question']!r}: "
                    f"gold {failure['gold']}; got [{returned or 'nothing'}]",
                    markup=True,
                    highlight=False,
                )


def write_failures(results: dict[str, Any], path: Path) -> None:
    """Every question whose top answer missed, with what came back, one JSON a line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for embedder, domains in results["runs"].items():
            for domain, outcome in domains.items():
                for failure in outcome.get("failures", []):
                    row = {"embedder": embedder, "domain": domain, **failure}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument(
        "--embedder",
        nargs="+",
        choices=EMBEDDERS,
        default=["hash"],
        help="one or more, each run on every domain",
    )
    parser.add_argument("--domain", nargs="+", choices=DOMAINS, default=list(DOMAINS))
    parser.add_argument("--untyped", action="store_true", help="drop entity types before import")
    parser.add_argument("--max-hops", type=int, choices=(1, 2, 3), default=3)
    parser.add_argument("--failures", type=int, default=0, help="print N failures per domain")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument(
        "--failures-out", type=Path, default=None, help="write every miss here (JSONL)"
    )
    args = parser.parse_args()
    results = run(args)
    show(results, args.failures)
    if args.failures_out:
        write_failures(results, args.failures_out)
    output = args.output or RESULTS / f"paraphrase_{args.split}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(output.read_text()) if output.exists() else {}
    header = {key: value for key, value in results.items() if key != "runs"}
    typed = "typed" if results["typed"] else "untyped"
    for embedder, domains in results["runs"].items():
        summaries = {
            domain: {key: value for key, value in outcome.items() if key != "failures"}
            for domain, outcome in domains.items()
        }
        existing[f"{embedder}/{typed}"] = {**header, "domains": summaries}
    output.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + os.linesep)


if __name__ == "__main__":
    main()
