"""Count LLM calls per `add` on real conversations, through the real openai + instructor
client and the fake OpenAI-compatible server of the tests (no network, no model).

Usage:
    python bench/llm_calls.py [--data ../shared/datasets/locomo/locomo10.json]
                              [--split dev|test] [--embedder hash|fake]

Each LoCoMo turn is one `Memory.add` (the turn as a user message, its speaker named). The
scripted "LLM" answers the extraction call with what an LLM would plausibly return: the
dataset's own `observation` facts for that turn (LoCoMo's per-turn facts), with entities
and relations read from those facts by the offline extractor. A reconcile call, made only
when the stores find neighbours, gets the server's default answer (every fact ADD, every
relation KEEP). The numbers are how often the second call fires, so the LLM calls an add
costs: 1 always, 2 at most (SPEC §4), and the tokens both calls carry (prompt + answer, as
the fake server estimates them: about four characters a token). Conversations 0-1 are
dev, 2-9 test.

`--embedder hash` (default) finds close memories lexically, as the offline default does;
`--embedder fake` uses the fake server's random embeddings, under which only relation
conflicts make neighbours.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphmem import Memory
from graphmem.extraction.offline.extractor import OfflineExtractor
from graphmem.models.messages import Message
from tests.fakes.fixtures import make_llm_config
from tests.fakes.openai_server import EMPTY_EXTRACTION, FakeOpenAIServer

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/datasets/locomo/locomo10.json"
RESULTS = Path(__file__).resolve().parent / "results/llm_calls.json"
SPLITS = {"dev": slice(0, 2), "test": slice(2, 10)}


def observations_by_turn(sample: dict[str, Any]) -> dict[str, list[str]]:
    """LoCoMo's observation facts, by the dialogue turn id they cite."""
    facts: dict[str, list[str]] = {}
    for session in sample["observation"].values():
        for speaker_facts in session.values():
            for fact, evidence in speaker_facts:
                for turn_id in evidence if isinstance(evidence, list) else [evidence]:
                    facts.setdefault(str(turn_id), []).append(fact)
    return facts


def turns(sample: dict[str, Any]) -> list[dict[str, str]]:
    conversation = sample["conversation"]
    sessions = sorted(
        (key for key in conversation if key.startswith("session_") and key[8:].isdigit()),
        key=lambda key: int(key[8:]),
    )
    return [turn for key in sessions for turn in conversation[key]]


def scripted_extraction(facts: list[str], offline: OfflineExtractor) -> dict[str, Any]:
    """The extraction an LLM would return for `facts`: the facts, and the entities and
    relations the offline extractor reads from them."""
    if not facts:
        return EMPTY_EXTRACTION  # an empty answer says so (nothing_to_remember)
    found = offline.extract([Message(role="user", content=" ".join(facts))])
    return {
        "facts": facts,
        "entities": [e.model_dump(include={"name", "type", "aliases"}) for e in found.entities],
        "relations": [
            r.model_dump(include={"source", "relationship", "target", "fact", "ends"})
            for r in found.relations
        ],
    }


def run(samples: Sequence[dict[str, Any]], embedder: str) -> dict[str, Any]:
    calls_per_add: list[int] = []
    with_facts: list[int] = []
    tokens_per_add: list[int] = []
    reconcile_tokens: list[int] = []
    events: Counter[str] = Counter()
    offline = OfflineExtractor()
    with FakeOpenAIServer() as server, tempfile.TemporaryDirectory() as workdir:
        overrides = {"embedder": "hash"} if embedder == "hash" else {}
        config = make_llm_config(server, Path(workdir), **overrides)
        with Memory(config) as memory:
            for sample in samples:
                facts = observations_by_turn(sample)
                for turn in turns(sample):
                    turn_facts = facts.get(turn["dia_id"], [])
                    server.reset()
                    server.script_json(scripted_extraction(turn_facts, offline))
                    message = {"role": "user", "name": turn["speaker"], "content": turn["text"]}
                    result = memory.add([message], user_id=sample["sample_id"])
                    calls = len(server.chat_requests)
                    calls_per_add.append(calls)
                    tokens = [usage["total_tokens"] for usage in server.completion_usages]
                    tokens_per_add.append(sum(tokens))
                    reconcile_tokens.extend(tokens[1:])
                    if turn_facts:
                        with_facts.append(calls)
                    events.update(row["event"] for row in result["results"])
    return {
        "conversations": len(samples),
        "adds": len(calls_per_add),
        "adds_with_facts": len(with_facts),
        "calls": sum(calls_per_add),
        "calls_per_add_mean": round(statistics.mean(calls_per_add), 3),
        "calls_per_add_median": statistics.median(calls_per_add),
        "calls_per_add_max": max(calls_per_add),
        "calls_per_add_with_facts_mean": round(statistics.mean(with_facts), 3),
        "adds_with_reconcile_call": sum(calls == 2 for calls in calls_per_add),
        "tokens_per_add_mean": round(statistics.mean(tokens_per_add), 1),
        "tokens_per_add_median": statistics.median(tokens_per_add),
        "tokens_per_reconcile_call_median": (
            statistics.median(reconcile_tokens) if reconcile_tokens else 0
        ),
        "distribution": dict(sorted(Counter(calls_per_add).items())),
        "events": dict(events),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=tuple(SPLITS), default="dev")
    parser.add_argument("--embedder", choices=("hash", "fake"), default="hash")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    samples = json.loads(args.data.read_text(encoding="utf-8"))[SPLITS[args.split]]
    result = run(samples, args.embedder)
    table = Table(title=f"LLM calls per add, LoCoMo {args.split}, {args.embedder} embedder")
    columns = ("adds", "with facts", "calls", "mean", "median", "max", "2-call adds", "tokens/add")
    for column in columns:
        table.add_column(column, justify="right")
    table.add_row(
        str(result["adds"]),
        str(result["adds_with_facts"]),
        str(result["calls"]),
        f"{result['calls_per_add_mean']:.3f}",
        str(result["calls_per_add_median"]),
        str(result["calls_per_add_max"]),
        str(result["adds_with_reconcile_call"]),
        f"{result['tokens_per_add_mean']:.0f}",
    )
    Console().print(table)
    stored = json.loads(args.output.read_text()) if args.output.exists() else {}
    stored[f"{args.split}/{args.embedder}"] = result
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
