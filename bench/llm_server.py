"""Drive `Memory.add` through a real model server and count how every add ended (issue 15).

Usage:
    tools/llama/ctl.sh with python bench/llm_server.py [--base-url URL] [--mode auto]
        [--max-tokens 512] [--sentences 30] [--data ../shared/datasets/conll04]

Each of the first `--sentences` CoNLL04 dev sentences is one `Memory.add` (one user, so
the reconcile call fires when the stores find neighbours), with the LLM at `--base-url`
(default: `GRAPHMEM_LLAMA_URL`, which `tools/llama/ctl.sh with` exports: llama-server with
SmolLM2-135M-Instruct). This measures mechanics, not quality: an add must either extract
schema-valid content (its memories and relations written), or say explicitly that there
is nothing to remember, or raise `ExtractionFailed` and write nothing. Anything else is
counted: a crash (any other exception, or the server gone), a silent empty success (an
add that wrote nothing although the model did not say so), a failed add that wrote.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphmem import ExtractionFailed, GraphMemConfig, Memory
from graphmem.extraction.llm.modes import resolve_mode

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/datasets/conll04"
RESULTS = Path(__file__).resolve().parent / "results/llm_server.json"
NOTHING_TO_REMEMBER = "holds nothing to remember"


class SaysEmpty(logging.Handler):
    """Notices the extractor's log line for an answer that says there is nothing."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = self.seen or NOTHING_TO_REMEMBER in record.getMessage()


def sentences(data: Path, count: int) -> list[str]:
    """The first `count` CoNLL04 dev sentences, detokenised with plain spaces."""
    rows = json.loads((data / "dev.json").read_text(encoding="utf-8"))
    return [" ".join(row["tokens"]) for row in rows[:count]]


def failure_reason(message: str) -> str:
    for needle, reason in (
        ("cut off", "cut off twice"),
        ("did not answer within", "timeout"),
        ("failed validation", "invalid after re-asks"),
        ("HTTP", "HTTP error"),
        ("could not reach", "unreachable"),
    ):
        if needle in message:
            return reason
    return "other"


def server_alive(base_url: str) -> bool:
    health = base_url.removesuffix("/").removesuffix("/v1") + "/health"
    try:
        with urllib.request.urlopen(health, timeout=5) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def written(memory: Memory) -> tuple[int, int, int]:
    stats = memory.stats(user_id="bench")
    return stats["memories"], stats["entities"], stats["relations"]


def run(args: argparse.Namespace) -> dict[str, Any]:
    says_empty = SaysEmpty()
    logging.getLogger("graphmem.extraction.llm.extractor").addHandler(says_empty)
    logging.getLogger("graphmem.extraction.llm.extractor").setLevel(logging.INFO)
    outcomes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    latencies: list[float] = []
    adds: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as data_dir:
        config = GraphMemConfig(
            data_dir=Path(data_dir),
            extractor="llm",
            embedder="hash",
            llm_base_url=args.base_url,
            llm_model="smollm2",
            llm_mode=args.mode,
            llm_max_tokens=args.max_tokens,
            llm_timeout=args.timeout,
        )
        mode = resolve_mode(args.mode, args.base_url)
        with Memory(config) as memory:
            for number, text in enumerate(sentences(args.data, args.sentences), start=1):
                says_empty.seen = False
                before = written(memory)
                started = time.perf_counter()
                entry: dict[str, Any] = {"sentence": number}
                try:
                    result = memory.add(text, user_id="bench")
                    elapsed = time.perf_counter() - started
                    after = written(memory)
                    if after != before:
                        outcome = "extracted"
                    elif says_empty.seen:
                        outcome = "explicitly empty"
                    else:
                        outcome = "silent empty success"
                    entry["memories"] = [item["memory"] for item in result["results"]]
                    entry["relations"] = result["relations"]["added"]
                except ExtractionFailed as exc:
                    elapsed = time.perf_counter() - started
                    outcome = "ExtractionFailed"
                    if written(memory) != before:
                        outcome = "failed but wrote"
                    reasons[failure_reason(exc.message)] += 1
                    entry["error"] = exc.message
                except Exception as exc:  # a crash is what this counts
                    elapsed = time.perf_counter() - started
                    outcome = "crash"
                    entry["error"] = f"{type(exc).__name__}: {exc}"
                if not server_alive(args.base_url):
                    outcome = "crash"
                    entry["error"] = "the model server is gone"
                outcomes[outcome] += 1
                latencies.append(elapsed)
                entry |= {"outcome": outcome, "seconds": round(elapsed, 2)}
                adds.append(entry)
                print(f"{number:2d} {outcome:22s} {elapsed:6.1f} s", flush=True)
            usage = memory.stats()["llm_usage"]
    ordered = sorted(latencies)
    return {
        "server": args.base_url,
        "mode": args.mode,
        "mode_used": mode,
        "llm_max_tokens": args.max_tokens,
        "llm_timeout": args.timeout,
        "sentences": args.sentences,
        "outcomes": dict(outcomes),
        "failure_reasons": dict(reasons),
        "add_seconds": {
            "p50": round(statistics.median(ordered), 2),
            "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
            "max": round(ordered[-1], 2),
            "total": round(sum(ordered), 1),
        },
        "llm_usage": usage,
        "adds": adds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=os.environ.get("GRAPHMEM_LLAMA_URL"))
    parser.add_argument("--mode", default="auto")
    parser.add_argument("--max-tokens", type=int, default=512)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--sentences", type=int, default=30)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not args.base_url:
        parser.error("no --base-url and no GRAPHMEM_LLAMA_URL (run under tools/llama/ctl.sh with)")
    report = run(args)
    table = Table(title=f"Memory.add through {args.base_url} ({report['mode_used']})")
    for column in ("outcome", "adds"):
        table.add_column(column)
    for outcome, count in sorted(report["outcomes"].items()):
        table.add_row(outcome, str(count))
    Console().print(table)
    Console().print(f"failures: {report['failure_reasons']}  add seconds: {report['add_seconds']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
