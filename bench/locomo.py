"""LoCoMo benchmark: evidence recall of `Memory.search` over each conversation's facts.

Prints a table and writes `bench/results/locomo_<split>.json`. Run:

    .venv/bin/python bench/locomo.py                         # dev, hash and local embedders
    .venv/bin/python bench/locomo.py --embedder hash         # the lexical fallback only
    .venv/bin/python bench/locomo.py --limit-questions 20    # a quick look: 20 per conversation
    .venv/bin/python bench/locomo.py --offline-graph         # facts through the offline extractor
    .venv/bin/python bench/locomo.py --split test            # the measurement split (run once)

Each conversation is one scope (`user_id` = its `sample_id`). Its `observation` facts
(LoCoMo's per-session facts, each citing the dialogue turns it comes from) are added one
`Memory.add(fact, infer=False)` each, no LLM, with `metadata={"evidence": [turn ids],
"session": N}` and, when `Memory.add` takes one, the session's date as `timestamp`. With
`--offline-graph` each fact is added with `infer=True` and the offline extractor instead
(still no LLM), so that the graph channel has entities and relations to walk; with
`infer=False` the graph holds nothing and the graph channel finds nothing by design.

Every question of categories 1-4 (multi-hop, temporal, open-domain, single-hop) with
evidence is asked with `Memory.search(question, limit=10)`, fused (graph + vector + BM25)
and through each channel alone. A hit is relevant when its evidence ids meet the
question's. LoCoMo's observations do not cite every evidence turn, so recall is measured
against the question's evidence that some stored fact cites (its *reachable* evidence),
and a question none of whose evidence is reachable is left out (counted as `unreachable`).
Metrics, averaged over questions: evidence recall@k = |evidence ids of the top k hits ∩
the question's| / |its reachable evidence| (k = 5, 10), hit@10 (a relevant hit in the top
10), and, over every question, `recall_at_10_all` (divided by all of the question's
evidence) and the `ceiling` of that (the share of its evidence any stored fact cites).
Latency is per search call, in ms.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich import box
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphmem import GraphMemConfig, Memory
from graphmem.errors import GraphMemError

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/datasets/locomo/locomo10.json"
RESULTS = Path(__file__).resolve().parent / "results"
SPLITS = {"dev": slice(0, 2), "test": slice(2, 10)}
CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop"}
CHANNEL_SETS: dict[str, tuple[str, ...]] = {
    "fused": ("graph", "vector", "bm25"),
    "graph": ("graph",),
    "vector": ("vector",),
    "bm25": ("bm25",),
}
LIMIT = 10
# LoCoMo writes turn ids as "D3:9", in lists, in "D4:17, D4:19", "D8:6; D9:17", and as
# "D:11:26" or "D30:05" now and then.
_TURN_ID = re.compile(r"D:?(\d+):(\d+)")
_SESSION = re.compile(r"session_(\d+)_observation")
_SESSION_DATE = "%I:%M %p on %d %B, %Y"  # "1:56 pm on 8 May, 2023"


@dataclass(frozen=True)
class Fact:
    """One observation fact of a conversation, with the turns it cites."""

    text: str
    evidence: tuple[str, ...]
    session: int
    speaker: str
    timestamp: str | None


@dataclass(frozen=True)
class Question:
    question: str
    category: int
    evidence: frozenset[str]


def turn_ids(raw: object) -> tuple[str, ...]:
    """The turn ids in a LoCoMo evidence field (a string or a list of them), normalised."""
    texts = raw if isinstance(raw, list) else [raw]
    found = (f"D{int(d)}:{int(t)}" for text in texts for d, t in _TURN_ID.findall(str(text)))
    return tuple(dict.fromkeys(found))


def session_timestamp(text: str) -> str:
    """LoCoMo's "1:56 pm on 8 May, 2023" as ISO 8601 ("2023-05-08T13:56:00", naive = UTC)."""
    return datetime.strptime(text.strip(), _SESSION_DATE).isoformat()


def facts(sample: dict[str, Any]) -> Iterator[Fact]:
    """A conversation's observation facts, session by session."""
    conversation = sample["conversation"]
    sessions = sorted(
        (int(match[1]), facts_by_speaker)
        for key, facts_by_speaker in sample["observation"].items()
        if (match := _SESSION.fullmatch(key))
    )
    for session, facts_by_speaker in sessions:
        said = conversation.get(f"session_{session}_date_time")
        timestamp = session_timestamp(said) if said else None
        for speaker, rows in facts_by_speaker.items():
            for text, evidence in rows:
                yield Fact(text, turn_ids(evidence), session, speaker, timestamp)


def questions(sample: dict[str, Any], limit: int | None) -> list[Question]:
    """The conversation's questions of categories 1-4 that cite evidence (first `limit`)."""
    rows = [
        Question(row["question"], row["category"], frozenset(turn_ids(row.get("evidence", []))))
        for row in sample["qa"]
        if row.get("category") in CATEGORIES
    ]
    rows = [row for row in rows if row.evidence]
    return rows[:limit] if limit else rows


def ingest(memory: Memory, sample: dict[str, Any], *, infer: bool) -> dict[str, Any]:
    """Add the conversation's facts; the turn ids the stored memories cite, and counts."""
    timed = "timestamp" in inspect.signature(Memory.add).parameters
    events: Counter[str] = Counter()
    cited: set[str] = set()
    for fact in facts(sample):
        extra: dict[str, Any] = {"timestamp": fact.timestamp} if timed and fact.timestamp else {}
        result = memory.add(
            fact.text,
            user_id=sample["sample_id"],
            infer=infer,
            metadata={"evidence": list(fact.evidence), "session": fact.session},
            **extra,
        )
        events.update(row["event"] for row in result["results"])
        if any(row["event"] == "ADD" for row in result["results"]):
            cited.update(fact.evidence)
    return {"cited": cited, "events": events, "timestamps": timed}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def score_hits(
    hits: list[dict[str, Any]], gold: frozenset[str], reachable: set[str]
) -> dict[str, float]:
    """Evidence recall@5 / @10 (of the `reachable` evidence), hit@10, and recall@10 of all
    of `gold`, for one ranked result list."""
    cited = [set(turn_ids((hit.get("metadata") or {}).get("evidence", []))) for hit in hits]

    def found(k: int) -> int:
        return len(set().union(*cited[:k]) & gold)

    return {
        "recall_at_5": found(5) / len(reachable),
        "recall_at_10": found(10) / len(reachable),
        "hit_at_10": 1.0 if any(ids & gold for ids in cited[:10]) else 0.0,
        "recall_at_10_all": found(10) / len(gold),
    }


def summarise(rows: list[dict[str, Any]], unreachable: int) -> dict[str, Any]:
    """Means of the per-question scores, rounded; the `ceiling` and `recall_at_10_all`
    count the `unreachable` questions too (as 0)."""
    summary: dict[str, Any] = {"questions": len(rows), "unreachable": unreachable}
    if not rows:
        return summary
    for key in ("recall_at_5", "recall_at_10", "hit_at_10"):
        summary[key] = round(statistics.fmean(row[key] for row in rows), 4)
    for key in ("recall_at_10_all", "ceiling"):
        summary[key] = round(sum(row[key] for row in rows) / (len(rows) + unreachable), 4)
    summary["empty_results"] = sum(row["results"] == 0 for row in rows)
    return summary


def evaluate(
    memory: Memory,
    asked: list[tuple[str, Question, set[str]]],
    channels: tuple[str, ...],
) -> dict[str, Any]:
    """Search every question through `channels`; scores per category and overall."""
    rows: list[dict[str, Any]] = []
    unreachable: Counter[int] = Counter()
    latencies: list[float] = []
    for user_id, question, cited in asked:
        reachable = cited & question.evidence
        if not reachable:
            unreachable[question.category] += 1
            continue
        started = time.perf_counter()
        found = memory.search(question.question, user_id=user_id, limit=LIMIT, channels=channels)
        latencies.append((time.perf_counter() - started) * 1000)
        row: dict[str, Any] = score_hits(found["results"], question.evidence, reachable)
        row["ceiling"] = len(reachable) / len(question.evidence)
        row["category"] = question.category
        row["results"] = len(found["results"])
        rows.append(row)
    return {
        "overall": summarise(rows, sum(unreachable.values())),
        "categories": {
            name: summarise([row for row in rows if row["category"] == number], unreachable[number])
            for number, name in CATEGORIES.items()
        },
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50), 2),
            "p95": round(percentile(latencies, 0.95), 2),
        },
    }


def run_embedder(
    samples: Sequence[dict[str, Any]], embedder: str, args: argparse.Namespace
) -> dict[str, Any]:
    """One fresh data dir: ingest every conversation, then search with each channel set."""
    with tempfile.TemporaryDirectory(prefix="graphmem-locomo-") as data_dir:
        try:
            config = GraphMemConfig(data_dir=Path(data_dir), embedder=embedder, extractor="offline")
            memory = Memory(config)
        except (ValidationError, GraphMemError) as exc:
            return {"available": False, "reason": f"{type(exc).__name__}: {exc}".strip()}
        with memory:
            started = time.perf_counter()
            events: Counter[str] = Counter()
            asked: list[tuple[str, Question, set[str]]] = []
            timestamps = False
            for sample in samples:
                added = ingest(memory, sample, infer=args.offline_graph)
                events.update(added["events"])
                timestamps = added["timestamps"]
                user_id = sample["sample_id"]
                asked += [(user_id, q, added["cited"]) for q in questions(sample, args.limit)]
            ingest_seconds = time.perf_counter() - started
            stats = memory.stats()
            # One untimed search per scope first: the BM25 index loads on the first one.
            for sample in samples:
                memory.search("warm up", user_id=sample["sample_id"], limit=1)
            channel_sets = {
                name: evaluate(memory, asked, channels) for name, channels in CHANNEL_SETS.items()
            }
    return {
        "available": True,
        "embedder": stats["embedder"],
        "extractor": stats["extractor"] if args.offline_graph else "none (infer=False)",
        "timestamps": timestamps,
        "ingest": {
            "adds": sum(events.values()),
            "events": dict(events),
            "seconds": round(ingest_seconds, 1),
            "memories": stats["memories"],
            "entities": stats["entities"],
            "relations": stats["relations"],
        },
        "channel_sets": channel_sets,
    }


def show(results: dict[str, dict[str, Any]], split: str, *, offline_graph: bool) -> None:
    console = Console(width=120)
    added = "facts via the offline extractor" if offline_graph else "facts added with infer=False"
    table = Table(
        title=f"Memory.search recall of reachable evidence, LoCoMo {split} ({added}; ms)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        pad_edge=False,
    )
    columns = ("embedder", "channels", "category", "n", "R@5", "R@10", "hit@10", "R@10 all", "ceil")
    for column in (*columns, "p50", "p95"):
        text = column in columns[:3]
        table.add_column(column, justify="left" if text else "right", no_wrap=text)
    for name, result in results.items():
        embedder = name.split("/")[0]
        if not result["available"]:
            table.add_row(embedder, "-", "unavailable", end_section=True)
            continue
        for channels, scores in result["channel_sets"].items():
            groups = {**scores["categories"], "all": scores["overall"]}
            for category, row in groups.items():
                first = category == next(iter(groups))
                latency = scores["latency_ms"] if category == "all" else None
                table.add_row(
                    embedder if channels == "fused" and first else "",
                    channels if first else "",
                    category,
                    str(row["questions"]),
                    *(
                        f"{row[key]:.3f}" if row["questions"] else "-"
                        for key in (
                            "recall_at_5",
                            "recall_at_10",
                            "hit_at_10",
                            "recall_at_10_all",
                            "ceiling",
                        )
                    ),
                    f"{latency['p50']:.1f}" if latency else "",
                    f"{latency['p95']:.1f}" if latency else "",
                    end_section=category == "all",
                )
    console.print(table)
    for name, result in results.items():
        if not result["available"]:
            console.print(f"{name}: unavailable: {result['reason']}")
            continue
        ingest = result["ingest"]
        console.print(
            f"{name}: embedder={result['embedder']}, extractor={result['extractor']}, "
            f"timestamps={result['timestamps']}; {ingest['adds']} adds in "
            f"{ingest['seconds']:.1f} s, events {ingest['events']}; "
            f"{ingest['entities']} entities, {ingest['relations']} relations"
        )


def entries(results: dict[str, dict[str, Any]], split: str) -> dict[str, dict[str, Any]]:
    """One JSON entry per embedder x channel set (`<embedder>[/offline-graph]/<channels>`)."""
    flat: dict[str, dict[str, Any]] = {}
    for key, result in results.items():
        common = {name: value for name, value in result.items() if name != "channel_sets"}
        for name, channels in CHANNEL_SETS.items():
            entry: dict[str, Any] = {"split": split, "channels": list(channels), **common}
            if result["available"]:
                entry.update(result["channel_sets"][name])
            flat[f"{key}/{name}"] = entry
    return flat


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=tuple(SPLITS), default="dev")
    parser.add_argument(
        "--embedder", nargs="+", choices=("hash", "local", "auto"), default=["hash", "local"]
    )
    parser.add_argument(
        "--limit-questions", dest="limit", type=int, default=None, help="per conversation"
    )
    parser.add_argument(
        "--offline-graph",
        action="store_true",
        help="add facts with infer=True and the offline extractor (default: infer=False)",
    )
    parser.add_argument("--output", type=Path, default=None, help="default: results/locomo_<split>")
    args = parser.parse_args(argv)
    if not args.data.exists():
        sys.exit(f"no LoCoMo data at {args.data} (use --data)")
    samples = json.loads(args.data.read_text(encoding="utf-8"))[SPLITS[args.split]]
    started = time.perf_counter()
    results: dict[str, dict[str, Any]] = {}
    for embedder in dict.fromkeys(args.embedder):
        key = embedder + ("/offline-graph" if args.offline_graph else "")
        results[key] = run_embedder(samples, embedder, args)
        results[key]["conversations"] = [sample["sample_id"] for sample in samples]
        results[key]["limit_questions"] = args.limit
    show(results, args.split, offline_graph=args.offline_graph)
    Console().print(f"run took {time.perf_counter() - started:.1f} s")
    output = args.output or RESULTS / f"locomo_{args.split}.json"
    stored = json.loads(output.read_text()) if output.exists() else {}
    stored.update(entries(results, args.split))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(stored, indent=2) + os.linesep, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
