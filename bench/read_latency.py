"""Read-path latency: `search` and `query` p50/p95/p99 as one store grows (1k, 10k, 100k+).

Prints a table and writes `bench/results/read_latency.json` (keyed by graph store, so the
networkx and neo4j runs sit side by side). Run:

    .venv/bin/python bench/read_latency.py                          # 1k, 10k, 100k memories
    .venv/bin/python bench/read_latency.py --sizes 1000,10000 --queries 50   # a quick look
    .venv/bin/python bench/read_latency.py --graph-store neo4j      # empties that database!

Method. The MetaQA KB (`head|relation|tail`, head a movie) is imported in file order as
pre-extracted, typed records (`kb_records` of `bench/metaqa.py`, one triple a record,
graphmem makes the readable fact, e.g. "Kismet directed by William Dieterle") into one
scope of one store that grows: import the first 1k, measure, import up to 10k, measure,
and so on, so every record is imported once. At each size, `--queries` triples already
imported are drawn with `random.Random(0)` and each becomes
- a `query` question from a MetaQA-style template, about the movie ("who directed
  Kismet") or, for people and tags, about the other end ("what movies did William
  Dieterle direct"); Hits@1 (the top answer is one of the imported answers) is a sanity
  check that the store answers, not an accuracy benchmark (that is `bench/metaqa.py`);
- a `search` for the fact's key words ("Kismet director"); Hit@k (a top-`--limit` memory
  names both the movie and one of its imported answers) is the same kind of check.
Each call is timed with `time.perf_counter`; `--warmup` extra calls per operation and size
(the first of them is reported as "1st ms", the first read after the import) are not
counted. The LLM is pointed at a counting HTTP server on 127.0.0.1 (the LLM extractor is
configured, so a read that reached for the LLM would be counted): the read path must make
0 calls. Peak RSS is the process's `ru_maxrss` after each size's reads.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.metaqa import SCOPE, CountingLLM, kb_records, percentile
from bench.peak_rss import peak_rss_mb
from graphmem import GraphMemConfig, Memory, RetrievalConfig

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/datasets/metaqa/kb.txt"
RESULTS = Path(__file__).resolve().parent / "results/read_latency.json"

# "who directed Kismet": the movie's tails are the answers.
MOVIE_QUESTIONS = {
    "directed_by": "who directed {}",
    "written_by": "who wrote {}",
    "starred_actors": "who starred in {}",
    "release_year": "when was {} released",
    "in_language": "what language is the movie {} in",
    "has_tags": "what topics is {} about",
    "has_genre": "what is the genre of {}",
    "has_imdb_votes": "how many imdb votes does {} have",
    "has_imdb_rating": "what is the imdb rating of {}",
}
# "what movies did William Dieterle direct": the movies are the answers (MetaQA asks these
# of people and tags only; a year or a genre would name thousands of movies).
TAIL_QUESTIONS = {
    "directed_by": "what movies did {} direct",
    "written_by": "what movies did {} write",
    "starred_actors": "what movies did {} star in",
    "has_tags": "which movies are about {}",
}
SEARCH_WORDS = {
    "directed_by": "director",
    "written_by": "writer",
    "starred_actors": "actors",
    "release_year": "release year",
    "in_language": "language",
    "has_tags": "tags",
    "has_genre": "genre",
    "has_imdb_votes": "imdb votes",
    "has_imdb_rating": "imdb rating",
}


@dataclass(frozen=True, slots=True)
class Triple:
    head: str
    relation: str
    tail: str

    @classmethod
    def of(cls, record: dict[str, Any]) -> Triple:
        relation = record["relations"][0]
        return cls(relation["source"], relation["relationship"], relation["target"])


@dataclass
class ImportedKB:
    """The triples imported so far, with the answers of both question directions."""

    triples: list[Triple] = field(default_factory=list)
    tails: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    heads: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, triple: Triple) -> None:
        self.triples.append(triple)
        self.tails[triple.head, triple.relation].add(triple.tail.casefold())
        self.heads[triple.relation, triple.tail].add(triple.head.casefold())

    def recording(self, records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """`records`, each one's triple added here as it goes to the import."""
        for record in records:
            self.add(Triple.of(record))
            yield record


@dataclass(frozen=True)
class ReadCase:
    """One sampled triple as a `query` question and a `search` text, with what answers them."""

    question: str
    answers: frozenset[str]  # casefolded names, any of which is a right top answer
    search_text: str
    movie: str
    movie_tails: frozenset[str]  # casefolded


def read_case(triple: Triple, kb: ImportedKB, rng: random.Random) -> ReadCase:
    movie_tails = frozenset(kb.tails[triple.head, triple.relation])
    if triple.relation in TAIL_QUESTIONS and rng.random() < 0.5:
        question = TAIL_QUESTIONS[triple.relation].format(triple.tail)
        answers = frozenset(kb.heads[triple.relation, triple.tail])
    else:
        question, answers = MOVIE_QUESTIONS[triple.relation].format(triple.head), movie_tails
    return ReadCase(
        question=question,
        answers=answers,
        search_text=f"{triple.head} {SEARCH_WORDS[triple.relation]}",
        movie=triple.head.casefold(),
        movie_tails=movie_tails,
    )


def sample_cases(kb: ImportedKB, count: int) -> list[ReadCase]:
    rng = random.Random(0)
    triples = rng.sample(kb.triples, min(count, len(kb.triples)))
    return [read_case(triple, kb, rng) for triple in triples]


def timed_calls(
    call: Callable[[ReadCase], dict[str, Any]], cases: Sequence[ReadCase]
) -> tuple[list[float], list[dict[str, Any]]]:
    """Each call's wall time in ms, and its result."""
    latencies, outputs = [], []
    for case in cases:
        started = time.perf_counter()
        outputs.append(call(case))
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies, outputs


def query_hit(case: ReadCase, answer: dict[str, Any]) -> bool:
    names = [row["entity"].casefold() for row in answer["answers"]]
    return bool(names) and names[0] in case.answers


def search_hit(case: ReadCase, found: dict[str, Any]) -> bool:
    texts = [row["memory"].casefold() for row in found["results"]]
    return any(
        case.movie in text and any(tail in text for tail in case.movie_tails) for text in texts
    )


def measure(
    call: Callable[[ReadCase], dict[str, Any]],
    is_hit: Callable[[ReadCase, dict[str, Any]], bool],
    warmup: Sequence[ReadCase],
    cases: Sequence[ReadCase],
) -> dict[str, Any]:
    """Latency percentiles of `call` over `cases` (after `warmup`), and its hit rate."""
    warmup_ms, _ = timed_calls(call, warmup)
    latencies, outputs = timed_calls(call, cases)
    hits = [is_hit(case, output) for case, output in zip(cases, outputs, strict=True)]
    return {
        "calls": len(cases),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "first_call_ms": round(warmup_ms[0], 2) if warmup_ms else None,
        "hit_rate": round(sum(hits) / len(hits), 4),
    }


def measure_reads(
    memory: Memory, kb: ImportedKB, llm: CountingLLM, args: argparse.Namespace
) -> dict[str, Any]:
    cases = sample_cases(kb, args.warmup + args.queries)
    warmup, measured = cases[: args.warmup], cases[args.warmup :]
    llm_calls_before = llm.requests
    embeds_before = memory.read_embedding_calls
    search = measure(
        lambda case: memory.search(case.search_text, user_id=SCOPE, limit=args.limit),
        search_hit,
        warmup,
        measured,
    )
    embeds_after_search = memory.read_embedding_calls
    query = measure(
        lambda case: memory.query(case.question, user_id=SCOPE, limit=args.limit),
        query_hit,
        warmup,
        measured,
    )
    calls = len(warmup) + len(measured)
    search["embedding_calls_per_call"] = round((embeds_after_search - embeds_before) / calls, 3)
    query["embedding_calls_per_call"] = round(
        (memory.read_embedding_calls - embeds_after_search) / calls, 3
    )
    return {"search": search, "query": query, "llm_calls": llm.requests - llm_calls_before}


def make_config(data_dir: Path, llm: CountingLLM, args: argparse.Namespace) -> GraphMemConfig:
    hops = {} if args.max_hops is None else {"max_hops": args.max_hops}  # else graphmem's own
    return GraphMemConfig(
        data_dir=data_dir,
        graph_store=args.graph_store,
        vector_store=args.vector_store,
        embedder=args.embedder,
        extractor="llm",  # an LLM client exists, pointed at the counter
        llm_base_url=llm.base_url,
        llm_api_key="unused",
        retrieval=RetrievalConfig(**hops),
        neo4j_uri=args.neo4j_uri,
        neo4j_password=os.environ.get("GRAPHMEM_NEO4J_PASSWORD", "graphmem"),
    )


def run(args: argparse.Namespace, console: Console) -> dict[str, Any]:
    llm = CountingLLM()
    kb = ImportedKB()
    records = kb.recording(kb_records(args.data))
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="graphmem-read-latency-") as data_dir:
        config = make_config(Path(data_dir), llm, args)
        with Memory(config) as memory:
            if args.graph_store == "neo4j":
                memory.backends.graph.reset()  # the server's database: start from empty
            for size in sorted(args.sizes):
                wanted = size - len(kb.triples)
                summary = memory.import_records(
                    islice(records, wanted), progress=False, batch_size=args.batch_size
                )
                stats = memory.stats(user_id=SCOPE)
                console.print(
                    f"imported {summary['records']:,} records in {summary['seconds']:.1f} s: "
                    f"{stats['memories']:,} memories, {stats['entities']:,} entities"
                )
                row = {
                    "size": size,
                    "records": len(kb.triples),
                    "memories": stats["memories"],
                    "entities": stats["entities"],
                    "relations": stats["relations"],
                    "import_seconds": summary["seconds"],
                    "import_errors": len(summary["errors"]),
                    **measure_reads(memory, kb, llm, args),
                    "peak_rss_mb": round(peak_rss_mb(), 1),
                }
                rows.append(row)
                if summary["records"] < wanted:
                    console.print(f"[yellow]the KB ends at {len(kb.triples):,} records[/]")
                    break
        reopen = measure_reopen(config)
        console.print(
            f"reopened in {reopen['open_s']:.2f} s, first search {reopen['first_search_s']:.2f} s, "
            f"peak RSS {reopen['peak_rss_mb']:,.0f} MB"
        )
    llm.close()
    return {
        "graph_store": args.graph_store,
        "vector_store": stats["vector_store"],
        "reopen": reopen,
        "embedder": stats["embedder"],
        "max_hops": config.retrieval.max_hops,
        "limit": args.limit,
        "queries": args.queries,
        "warmup": args.warmup,
        "llm_calls_total": llm.requests,
        "sizes": rows,
    }


REOPEN = """
import json, sys, time
from bench.peak_rss import peak_rss_mb
from graphmem import GraphMemConfig, Memory
config = GraphMemConfig.model_validate_json(sys.argv[1])
started = time.perf_counter()
memory = Memory(config)
opened = time.perf_counter()
memory.search("who directed Kismet", user_id=sys.argv[2], limit=10)
searched = time.perf_counter()
memory.close()
print(json.dumps({
    "open_s": round(opened - started, 3),
    "first_search_s": round(searched - opened, 3),
    "peak_rss_mb": round(peak_rss_mb(), 1),
}))
"""


def measure_reopen(config: GraphMemConfig) -> dict[str, Any]:
    """Open the data dir in a fresh process: seconds to open, to answer the first search
    (which loads BM25), and that process's peak RSS."""
    secrets = {"llm_api_key": "unused", "neo4j_password": config.neo4j_password.get_secret_value()}
    serialized = json.dumps({**config.model_dump(mode="json"), **secrets})
    child = subprocess.run(
        [sys.executable, "-c", REOPEN, serialized, SCOPE],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    reopened: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return reopened


def show(results: dict[str, Any], console: Console) -> None:
    table = Table(
        title=f"read latency (graph={results['graph_store']}, vectors={results['vector_store']}, "
        f"embedder={results['embedder']}, "
        f"max_hops={results['max_hops']}, limit={results['limit']})",
        title_justify="left",
        caption=f"hit: search = the fact in the top {results['limit']}, query = Hits@1; "
        "LLM = calls on the read path (must be 0)",
        caption_justify="left",
    )
    columns = ("memories", "op", "calls", "p50 ms", "p95 ms", "p99 ms", "1st ms", "hit")
    for column in (*columns, "LLM", "import s", "RSS MB"):
        table.add_column(column, justify="right")
    for row in results["sizes"]:
        for operation in ("search", "query"):
            timing = row[operation]
            table.add_row(
                f"{row['memories']:,}",
                operation,
                str(timing["calls"]),
                f"{timing['p50_ms']:.1f}",
                f"{timing['p95_ms']:.1f}",
                f"{timing['p99_ms']:.1f}",
                f"{timing['first_call_ms']:.1f}" if timing["first_call_ms"] is not None else "-",
                f"{timing['hit_rate']:.3f}",
                str(row["llm_calls"]),
                f"{row['import_seconds']:.1f}",
                f"{row['peak_rss_mb']:,.0f}",
                end_section=operation == "query",
            )
    console.print(table)


def save(results: dict[str, Any], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(output.read_text()) if output.exists() else {}
    existing[f"{results['graph_store']}/{results['vector_store']}"] = results
    output.write_text(json.dumps(existing, indent=2) + os.linesep)


def parse_sizes(text: str) -> list[int]:
    sizes = [int(size) for size in text.split(",")]
    if any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="MetaQA kb.txt")
    parser.add_argument("--sizes", type=parse_sizes, default=[1000, 10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200, help="timed calls per op and size")
    parser.add_argument("--warmup", type=int, default=10, help="untimed calls first")
    parser.add_argument("--limit", type=int, default=10, help="results per search / query")
    parser.add_argument("--max-hops", type=int, choices=(1, 2, 3), default=None)
    parser.add_argument("--embedder", choices=("hash", "local"), default="hash")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--graph-store", choices=("networkx", "neo4j"), default="networkx")
    parser.add_argument("--vector-store", choices=("edge", "local"), default="edge")
    parser.add_argument("--neo4j-uri", default="bolt://127.0.0.1:7687")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not args.data.is_file():
        sys.exit(f"no MetaQA KB at {args.data} (use --data)")
    console = Console() if sys.stdout.isatty() else Console(width=120)  # a log's width
    results = run(args, console)
    show(results, console)
    save(results, args.output)


if __name__ == "__main__":
    main()
