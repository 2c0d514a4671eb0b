"""Crash soak: a writer process doing adds, imports, updates and deletes is SIGKILLed at a
random moment (0.05-0.8 s after its first acknowledged write of the round), again and
again; after each kill the data dir is reopened and checked.

Each round forks a child from this process (which has imported graphmem but opened
nothing, so forking is safe and a round costs no interpreter start): the child opens the
data dir (which undoes the write the last kill cut short), checks it against the ledger of
acknowledged writes (`invariants.py`), reports, then writes until it is killed. It reports
`begin` before and `done` after each write on a pipe, so the ledger knows what was
acknowledged. One last child only checks. Run as a program it prints its results as JSON:

    python -m bench.faults.crash --store networkx --runs 50 [--neo4j-uri bolt://...]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from bench.faults.invariants import Findings, all_memories, check_data_dir
from bench.faults.ledger import Ledger, Operation
from bench.faults.workload import CRASH_SCOPES, fact
from graphmem import GraphMemConfig, Memory
from graphmem.models.scope import Scope
from graphmem.stores.history import HistoryLog

WRITES = ("add", "add", "add", "add", "import", "update", "update", "delete")
PARTITIONS = [Scope.of(**scope).without_run() for scope in CRASH_SCOPES]
_REPORT_TIMEOUT = 120.0


def run_crashes(config: GraphMemConfig, runs: int, seed: int) -> dict[str, Any]:
    """`runs` rounds of open, check, write, SIGKILL on one data dir; then a last check."""
    rng = random.Random(seed)
    ledger = Ledger()
    rounds: list[dict[str, Any]] = []
    for number in range(runs + 1):
        last = number == runs
        report = _round(config, ledger, rng.randrange(2**31), None if last else rng)
        if rounds:  # this child's check is of the previous round's kill
            rounds[-1].update(report["check"])
        if not last:
            rounds.append({"round": number + 1, **report["writes"]})
    return {
        "store": config.graph_store,
        "kills": len(rounds),
        "acknowledged_writes": ledger.acknowledged,
        "lost_writes": sum(row["lost"] for row in rounds),
        "corruption": sum(row["corrupt"] for row in rounds),
        "rounds": rounds,
    }


def _round(
    config: GraphMemConfig, ledger: Ledger, seed: int, killer: random.Random | None
) -> dict[str, Any]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(os.fdopen(write_end, "w", buffering=1), config, ledger, seed, killer is not None)
    os.close(write_end)
    lines = _Lines(read_end)
    opened = json.loads(lines.expect("opened"))
    checked = json.loads(lines.expect("checked"))
    ledger.settle(checked.pop("present"))
    acked_before = ledger.acknowledged
    if killer is not None:
        lines.expect("writing")
        _first_acknowledged(lines, ledger)
        deadline = time.monotonic() + killer.uniform(0.05, 0.8)
        for line in lines.until(deadline):
            ledger.take(line)
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    for line in lines.rest():
        ledger.take(line)
    os.close(read_end)
    return {
        "check": {**opened, **checked},
        "writes": {"acknowledged": ledger.acknowledged - acked_before, **ledger.summary()},
    }


def _first_acknowledged(lines: _Lines, ledger: Ledger) -> None:
    """Take the writer's lines up to its first acknowledged write: the kill window starts
    there, so a slow first write (a cold Neo4j) cannot leave a round with nothing to check."""
    for line in lines.until(time.monotonic() + _REPORT_TIMEOUT):
        if line.startswith("failed "):
            raise RuntimeError(f"the writer failed: {line[:2000]}")
        ledger.take(line)
        if line.startswith("done "):
            return
    raise RuntimeError("the writer acknowledged no write")


def _child(out: TextIO, config: GraphMemConfig, ledger: Ledger, seed: int, write: bool) -> None:
    """Open, check, report; then write until killed (`write`) or exit. Never returns."""
    try:
        journal = HistoryLog(config.data_dir / "history.sqlite")
        undone = len(journal.pending_writes())
        journal.close()
        started = time.perf_counter()
        memory = Memory(config)
        _say(out, "opened", {"undone_on_open": undone, "open_s": time.perf_counter() - started})
        started = time.perf_counter()
        findings = check_data_dir(memory, ledger, PARTITIONS)
        present = _in_flight_present(memory, ledger)
        _say(
            out,
            "checked",
            {**_outcome(findings, time.perf_counter() - started), "present": present},
        )
        ledger.settle(present)
        if write:
            out.write("writing\n")
            _write_forever(memory, ledger, random.Random(seed), out)
        memory.close()
        os._exit(0)
    except BaseException:
        out.write("failed " + json.dumps(traceback.format_exc()) + "\n")
        out.flush()
        os._exit(1)


def _in_flight_present(memory: Memory, ledger: Ledger) -> dict[str, str]:
    flight = ledger.in_flight
    if flight is None:
        return {}
    wanted = set(flight.texts) | {flight.old_text}
    return {r.memory: r.id for r in all_memories(memory).values() if r.memory in wanted}


def _outcome(findings: Findings, seconds: float) -> dict[str, Any]:
    return {
        "lost": len(findings.lost),
        "corrupt": len(findings.corrupt),
        "check_s": seconds,
        "problems": findings.first(),
    }


def _write_forever(memory: Memory, ledger: Ledger, rng: random.Random, out: TextIO) -> None:
    while True:
        operation, write = _next_write(memory, ledger, rng)
        ledger.begin(operation)
        out.write(f"begin {operation.to_json()}\n")
        ids = write()
        ledger.done(ids)
        out.write(f"done {json.dumps(ids)}\n")


def _next_write(
    memory: Memory, ledger: Ledger, rng: random.Random
) -> tuple[Operation, Callable[[], list[str]]]:
    """The next write and the call that makes it (returning the ids an add stored)."""
    kind = rng.choice(WRITES)
    targets = [(text, memory_id) for text, memory_id in ledger.live.items() if memory_id]
    scope = rng.choice(CRASH_SCOPES)
    if kind in {"update", "delete"} and targets:
        old_text, memory_id = rng.choice(targets)
        if kind == "delete":
            return Operation("delete", (), memory_id, old_text), lambda: _delete(memory, memory_id)
        new = fact(rng).text
        return Operation("update", (new,), memory_id, old_text), lambda: _update(
            memory, memory_id, new
        )
    if kind == "import":
        facts = [fact(rng) for _ in range(rng.randint(3, 12))]
        records = [one.record(scope) for one in facts]
        texts = tuple(one.text for one in facts)
        return Operation("import", texts), lambda: _import(memory, records)
    one = fact(rng)
    return Operation("add", (one.text,)), lambda: _add(memory, one.add_arguments(), scope)


def _add(memory: Memory, arguments: dict[str, Any], scope: dict[str, Any]) -> list[str]:
    results = memory.add(**arguments, **scope)["results"]
    if [row["event"] for row in results] != ["ADD"]:
        raise RuntimeError(f"an add of a new fact answered {results}")
    return [row["id"] for row in results]


def _import(memory: Memory, records: list[dict[str, Any]]) -> list[str]:
    report = memory.import_records(records, progress=False)
    if report["errors"] or report["memories"] != len(records):
        raise RuntimeError(f"an import of {len(records)} good records answered {report}")
    return []


def _update(memory: Memory, memory_id: str, text: str) -> list[str]:
    memory.update(memory_id, text=text)
    return []


def _delete(memory: Memory, memory_id: str) -> list[str]:
    memory.delete(memory_id)
    return []


def _say(out: TextIO, verb: str, payload: dict[str, Any]) -> None:
    out.write(f"{verb} {json.dumps(payload)}\n")


class _Lines:
    """Lines from the child's pipe, read as they come (so the child never blocks on it)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = b""
        self._closed = False

    def expect(self, verb: str) -> str:
        """The payload of the next line, which must start with `verb`."""
        for line in self.until(time.monotonic() + _REPORT_TIMEOUT, stop_after_one=True):
            head, _, rest = line.partition(" ")
            if head == verb:
                return rest
            raise RuntimeError(f"the writer said {line[:2000]!r}, not {verb!r}")
        raise RuntimeError(f"the writer did not say {verb!r}")

    def until(self, deadline: float, stop_after_one: bool = False) -> Iterator[str]:
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                yield line.decode()
                if stop_after_one:
                    return
            left = deadline - time.monotonic()
            if self._closed or left <= 0:
                return
            if select.select([self._fd], [], [], left)[0]:
                chunk = os.read(self._fd, 1 << 16)
                self._closed = not chunk
                self._buffer += chunk

    def rest(self) -> Iterator[str]:
        """Every line left, once the child is gone (a line cut by the kill is dropped)."""
        while not self._closed:
            chunk = os.read(self._fd, 1 << 16)
            self._closed = not chunk
            self._buffer += chunk
        *lines, _cut = self._buffer.split(b"\n")
        self._buffer = b""
        yield from (line.decode() for line in lines)


def crash_config(data_dir: Path, store: str, neo4j_uri: str | None) -> GraphMemConfig:
    """The embedded default (hash embedder), its graph in networkx or on `neo4j_uri`."""
    if store == "neo4j":
        assert neo4j_uri, "the Neo4j crash soak needs --neo4j-uri"
        return GraphMemConfig(
            data_dir=data_dir,
            embedder="hash",
            extractor="offline",
            graph_store="neo4j",
            neo4j_uri=neo4j_uri,
        )
    return GraphMemConfig(data_dir=data_dir, embedder="hash", extractor="offline")


def run_crash_process(
    data_dir: Path, store: str, neo4j_uri: str | None, runs: int, seed: int
) -> dict[str, Any]:
    """`run_crashes` in a fresh interpreter (safe to fork from: no threads, no driver)."""
    command = [sys.executable, "-m", "bench.faults.crash", "--store", store, "--runs", str(runs)]
    command += ["--seed", str(seed), "--data-dir", str(data_dir)]
    command += ["--neo4j-uri", neo4j_uri] if neo4j_uri else []
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the crash soak failed: {done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def empty_graph(config: GraphMemConfig) -> None:
    """Delete every graphmem node of the Neo4j the config names."""
    from graphmem.stores.graph.neo4j_store import Neo4jGraphStore

    store = Neo4jGraphStore(
        config.neo4j_uri, (config.neo4j_user, config.neo4j_password.get_secret_value())
    )
    store.reset()
    store.close()


def _in_fork(action: Callable[[], None]) -> None:
    """Run `action` in a forked child, so this process opens no driver (and stays safe to
    fork); raise if it failed."""
    pid = os.fork()
    if pid == 0:
        try:
            action()
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    if os.waitpid(pid, 0)[1] != 0:
        raise RuntimeError("emptying the Neo4j graph failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", choices=("networkx", "neo4j"), default="networkx")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--neo4j-uri", default=None)
    args = parser.parse_args()
    config = crash_config(args.data_dir, args.store, args.neo4j_uri)
    if args.store == "neo4j":
        _in_fork(lambda: empty_graph(config))
    print(json.dumps(run_crashes(config, args.runs, args.seed)))


if __name__ == "__main__":
    main()
