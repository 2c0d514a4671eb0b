"""Write path: LLM calls per `add` and add latency over 3,000 single adds of MetaQA facts,
through the real openai + instructor client and the fake OpenAI-compatible test server.

Usage:
    python bench/write_path.py [--data ../shared/datasets/metaqa/kb.txt] [--adds 3000]
                               [--embedder hash|local] [--window 250] [--no-profile]

The "peers-style workload": each add is one MetaQA KB triple phrased as a sentence
("Kismet|directed_by|William Dieterle" -> "Kismet was directed by William Dieterle."),
one `Memory.add` per triple, all in one scope, in KB order: the first `--adds` lines of
the KB, sorted by movie, so a movie's director, writers, actors, year and tags arrive
together and its title recurs (395 movies in the first 3,000 lines, 7.6 triples each;
years, languages, genres and tags recur across movies). The scripted LLM gives oracle
replies: the extraction call returns the triple itself (the sentence as the one fact, the
movie and the tail as typed entities, the triple as the relation); a reconcile call, made
only when the stores find something it could change, gets "every fact ADD, every stored
relation KEEP" (KB triples all hold at once).

Reported: LLM calls per add (extraction + reconcile), the reconcile calls and how many of
them carried a stored relation to judge (same movie, same relation type, another value),
add latency p50 / p95 over the first and the last `--window` adds and the ratio of the
p50s (does an add slow down as the store grows?), total time and peak RSS. A second pass
of the same workload, on a fresh data dir, profiles its last `--window` adds with cProfile
(so the measured latencies carry no profiler overhead) and reports where their time goes.
Prints a table; writes `bench/results/write_path.json`, keyed by `--label` (default: the
embedder's name).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.metaqa import TAIL_TYPES, percentile
from bench.peak_rss import peak_rss_mb
from graphmem import Memory
from tests.fakes.fixtures import make_llm_config
from tests.fakes.openai_server import FakeOpenAIServer, RecordedRequest, reply_json

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/datasets/metaqa/kb.txt"
RESULTS = Path(__file__).resolve().parent / "results/write_path.json"
SCOPE = "metaqa"
SENTENCES = {
    "directed_by": "{head} was directed by {tail}.",
    "written_by": "{head} was written by {tail}.",
    "starred_actors": "{head} starred {tail}.",
    "release_year": "{head} was released in {tail}.",
    "in_language": "{head} is in {tail}.",
    "has_tags": "{head} is tagged {tail}.",
    "has_genre": "{head} is a {tail} film.",
    "has_imdb_votes": "{head} has {tail} IMDb votes.",
    "has_imdb_rating": "{head} is rated {tail} on IMDb.",
}
ORACLE_RECONCILE = {"facts": [{"fact": "f1", "event": "ADD"}], "relations": []}
"""Every new fact is new, every stored relation still holds: the KB's triples all do."""
_TAGGED = re.compile(r"<(stored_memories|stored_relations)>(.*?)</\1>", re.DOTALL)
REASONS = ("stored relations", "same movie", "shared tail", "no shared entity")
"""Why a reconcile call had something to judge, the first that applies: a stored relation
(same movie and relation type, another value), a stored memory about the same movie, one
that shares only the tail (a year, a genre, a person), one that shares no entity at all."""
PROFILE_LINES = 15


@dataclass(frozen=True)
class Triple:
    head: str
    relation: str
    tail: str

    def sentence(self) -> str:
        return SENTENCES[self.relation].format(head=self.head, tail=self.tail)

    def extraction(self) -> dict[str, Any]:
        """The oracle extraction reply: the triple as the fact, its entities and relation."""
        fact = self.sentence()
        return {
            "facts": [fact],
            "entities": [
                {"name": self.head, "type": "Movie"},
                {"name": self.tail, "type": TAIL_TYPES[self.relation]},
            ],
            "relations": [
                {
                    "source": self.head,
                    "relationship": self.relation,
                    "target": self.tail,
                    "fact": fact,
                }
            ],
        }


def kb_triples(path: Path, limit: int) -> list[Triple]:
    """The first `limit` triples of the KB, in file order."""
    with path.open(encoding="utf-8") as lines:
        return [Triple(*line.rstrip("\n").split("|")) for line in islice(lines, limit)]


@dataclass
class Run:
    """What one pass over the workload measured."""

    calls: list[int] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    profile: str = ""


def reconcile_reason(request: RecordedRequest, triple: Triple, said: dict[str, Triple]) -> str:
    """Which of `REASONS` put this reconcile request to the LLM; `said` maps each stored
    sentence to its triple."""
    body = request.body if isinstance(request.body, dict) else {}
    prompt = " ".join(
        str(m.get("content") or "") for m in body.get("messages", []) if m.get("role") == "user"
    )
    shown = {name: json.loads(data) for name, data in _TAGGED.findall(prompt)}
    if shown.get("stored_relations"):
        return REASONS[0]
    stored = [said[m["memory"]] for m in shown.get("stored_memories", []) if m["memory"] in said]
    if any(other.head == triple.head for other in stored):
        return REASONS[1]
    names = {triple.head, triple.tail}
    if any(names & {other.head, other.tail} for other in stored):
        return REASONS[2]
    return REASONS[3]


def run_workload(triples: Sequence[Triple], embedder: str, *, profile_last: int = 0) -> Run:
    """One `Memory.add` per triple on a fresh data dir; `profile_last` > 0 profiles the
    last that many adds (their latencies then include the profiler's overhead)."""
    run = Run()
    profiler = cProfile.Profile()
    profile_from = len(triples) - profile_last if profile_last else len(triples)
    server = FakeOpenAIServer(default_reply=reply_json(ORACLE_RECONCILE))
    with server, tempfile.TemporaryDirectory() as workdir:
        config = make_llm_config(server, Path(workdir), embedder=embedder)
        with Memory(config) as memory:
            started = time.perf_counter()
            said: dict[str, Triple] = {}
            for index, triple in enumerate(triples):
                server.reset()
                server.script_json(triple.extraction())
                if index == profile_from:
                    profiler.enable()
                before = time.perf_counter()
                memory.add(triple.sentence(), user_id=SCOPE)
                run.latencies_ms.append((time.perf_counter() - before) * 1000)
                requests = server.chat_requests
                run.calls.append(len(requests))
                run.reasons.update(reconcile_reason(r, triple, said) for r in requests[1:])
                said[triple.sentence()] = triple
            profiler.disable()
            run.seconds = time.perf_counter() - started
    if profile_last:
        run.profile = profile_summary(profiler)
    return run


def profile_summary(profiler: cProfile.Profile) -> str:
    """The top functions by cumulative time, then by own time."""
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    stats.sort_stats("cumulative").print_stats(PROFILE_LINES)
    stats.sort_stats("tottime").print_stats(PROFILE_LINES)
    return text.getvalue()


def latency(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(list(values), 0.50), 2),
        "p95": round(percentile(list(values), 0.95), 2),
    }


def summarise(triples: Sequence[Triple], run: Run, window: int) -> dict[str, Any]:
    adds = len(run.calls)
    reconcile = sum(calls - 1 for calls in run.calls)
    first, last = latency(run.latencies_ms[:window]), latency(run.latencies_ms[-window:])
    return {
        "adds": adds,
        "movies": len({triple.head for triple in triples}),
        "llm_calls": sum(run.calls),
        "llm_calls_per_add": round(sum(run.calls) / adds, 3),
        "reconcile_calls": reconcile,
        "adds_with_reconcile_call": sum(calls > 1 for calls in run.calls),
        "reconcile_calls_by_reason": {reason: run.reasons[reason] for reason in REASONS},
        "window": window,
        "add_ms_first": first,
        "add_ms_last": last,
        "p50_ratio_last_to_first": round(last["p50"] / first["p50"], 2),
        "total_seconds": round(run.seconds, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def show(result: dict[str, Any], title: str) -> None:
    """Two tables: what the adds cost in LLM calls, and how long they took."""
    calls = Table(title=title)
    for column in (
        "adds",
        "LLM calls",
        "calls/add",
        "reconcile",
        "relation",
        "movie",
        "tail",
        "none",
    ):
        calls.add_column(column, justify="right")
    calls.add_row(
        str(result["adds"]),
        str(result["llm_calls"]),
        f"{result['llm_calls_per_add']:.3f}",
        str(result["reconcile_calls"]),
        *(str(result["reconcile_calls_by_reason"][reason]) for reason in REASONS),
    )
    window = result["window"]
    times = Table(title=f"add latency (ms), first and last {window} adds")
    for column in ("p50 first", "p95 first", "p50 last", "p95 last", "ratio", "total s", "RSS MB"):
        times.add_column(column, justify="right")
    first, last = result["add_ms_first"], result["add_ms_last"]
    times.add_row(
        f"{first['p50']:.1f}",
        f"{first['p95']:.1f}",
        f"{last['p50']:.1f}",
        f"{last['p95']:.1f}",
        f"{result['p50_ratio_last_to_first']:.2f}",
        f"{result['total_seconds']:.0f}",
        f"{result['peak_rss_mb']:.0f}",
    )
    console = Console()
    console.print(calls, times)
    console.print(
        "reconcile calls by what they judged: a stored relation, else a memory about the same"
        " movie, else one sharing only the tail, else none shared; bars: <= 1.25 LLM calls"
        " per add, p50 last / first <= 1.3"
    )


def top_lines(profile: str) -> Iterator[str]:
    """The profile's table rows, without pstats' header lines."""
    for line in profile.splitlines():
        if re.match(r"\s*\d+(/\d+)?\s+\d", line):
            yield line.rstrip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--adds", type=int, default=3000)
    parser.add_argument("--embedder", choices=("hash", "local"), default="hash")
    parser.add_argument("--window", type=int, default=250)
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--label", default=None, help="key in the results file")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    triples = kb_triples(args.data, args.adds)
    result = summarise(triples, run_workload(triples, args.embedder), args.window)
    result["embedder"] = args.embedder
    show(result, f"Write path: {result['adds']:,} single adds of MetaQA facts, {args.embedder}")
    if args.profile:
        profiled = run_workload(triples, args.embedder, profile_last=args.window)
        result["profile_last_window"] = list(top_lines(profiled.profile))
        Console().print(f"cProfile of the last {args.window} adds (second pass):")
        print(profiled.profile)
    stored = json.loads(args.output.read_text()) if args.output.exists() else {}
    stored[args.label or args.embedder] = result
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
