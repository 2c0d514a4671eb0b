"""Bulk import of pre-extracted records (the JSONL format of SPEC §3), with no LLM call.

Each record is validated whole before it is planned, so a bad line is reported by its line
number and nothing of it is written, while the good lines go on. Good records are planned
in batches (one `AddPlanner` and one `apply_plan` per batch, so each store writes a batch
in one go), with the cyclic GC paused (`stores/heap.py`).
A record's `created_at`, when given, becomes the created_at of the memories it adds; its
`timestamp` (when it was said) goes on them as `add(..., timestamp=...)` puts it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from graphmem.errors import InvalidInput
from graphmem.memory.backends import Backends
from graphmem.memory.write.add_planner import AddPlanner
from graphmem.memory.write.import_record import ImportRecord, ScopeCache, parse_record
from graphmem.memory.write.plan import WritePlan
from graphmem.memory.write.writer import apply_plan
from graphmem.models.cardinality import NO_SINGLE_VALUED, SingleValued
from graphmem.models.records import utc_now
from graphmem.stores.heap import cyclic_gc_paused

MAX_BATCH_SIZE = 100_000

ShowDone = Callable[[int], None]  # "every line up to this one is done"


@dataclass
class ImportSummary:
    """What an import wrote, and the lines it refused."""

    records: int = 0
    memories: int = 0
    entities: int = 0
    relations: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def refuse(self, line: int, error: InvalidInput) -> None:
        self.errors.append({"line": line, "field": error.field, "detail": error.message})

    def to_dict(self, seconds: float) -> dict[str, Any]:
        return {
            "records": self.records,
            "memories": self.memories,
            "entities": self.entities,
            "relations": self.relations,
            "seconds": round(seconds, 3),
            "errors": sorted(self.errors, key=lambda error: int(error["line"])),
            "records_per_second": round(self.records / seconds, 1) if seconds > 0 else 0.0,
        }


def import_records(
    backends: Backends,
    source: str | Path | Iterable[dict[str, Any]],
    *,
    progress: bool,
    batch_size: int,
    single_valued: SingleValued = NO_SINGLE_VALUED,
) -> dict[str, Any]:
    """Validate, plan and write every record of `source` (a `.jsonl` path, or dicts).

    Args:
        backends: The stores to write to (BM25 already loaded by the caller).
        source: A path to a JSONL file (one record a line, blank lines skipped), or an
            iterable of record dicts (numbered from 1 like lines).
        progress: Show a rich progress bar on stderr.
        batch_size: Records planned and written together.

    Returns:
        `{"records", "memories", "entities", "relations", "seconds", "errors",
        "records_per_second"}`: valid records (including ones already stored), memories
        added, new entities, new relations; `errors` lists `{"line", "field", "detail"}`.

    Raises:
        InvalidInput: `source` is not a readable file, or `batch_size` is out of range.
        StoreUnavailable: a store failed; batches written before it stay written.
    """
    size = _check_batch_size(batch_size)
    items, total = _open_source(source)
    started = time.perf_counter()
    summary = ImportSummary()
    batch: list[ImportRecord] = []
    scopes: ScopeCache = {}
    line = 0
    with _progress_bar(progress, total) as show_done, cyclic_gc_paused():
        for line, raw in items:
            try:
                batch.append(parse_record(raw, line, scopes))
            except InvalidInput as error:
                summary.refuse(line, error)
            if len(batch) >= size:
                _write_batch(backends, batch, summary, single_valued)
                batch = []
                show_done(line)
        _write_batch(backends, batch, summary, single_valued)
        show_done(max(line, total or 0))
    return summary.to_dict(time.perf_counter() - started)


# -- writing ------------------------------------------------------------------------------


def _write_batch(
    backends: Backends,
    batch: list[ImportRecord],
    summary: ImportSummary,
    single_valued: SingleValued,
) -> None:
    """Plan and write `batch` as one unit; if a store refuses it, find the culprits one by one."""
    if not batch:
        return
    try:
        plan = _plan_batch(backends, batch, single_valued)
        apply_plan(plan, backends)
    except InvalidInput as error:
        if len(batch) == 1:
            summary.refuse(batch[0].line, error)
            return
        for record in batch:
            _write_batch(backends, [record], summary, single_valued)
        return
    summary.records += len(batch)
    summary.memories += sum(1 for row in plan.results if row["event"] == "ADD")
    summary.entities += len(plan.graph.new_entities())
    summary.relations += len(plan.graph.added_relations())


def _plan_batch(
    backends: Backends, batch: list[ImportRecord], single_valued: SingleValued
) -> WritePlan:
    planner = AddPlanner(
        [(record.extraction, record.scope) for record in batch],
        graph=backends.graph,
        vectors=backends.vectors,
        now=utc_now(),
        single_valued=single_valued,
    )
    for record in batch:
        rows = planner.add(
            record.extraction, record.scope, record.metadata, timestamp=record.timestamp
        )
        if record.created_at is not None:
            _backdate(planner.plan, rows, record.created_at)
    return planner.finish()


def _backdate(plan: WritePlan, rows: list[dict[str, Any]], created_at: datetime) -> None:
    """Give the memories a record adds the record's own `created_at`."""
    for row in rows:
        planned = plan.memory(row["id"]) if row["event"] == "ADD" else None
        if planned is not None:
            plan.memories_after[row["id"]] = planned.model_copy(update={"created_at": created_at})


# -- reading and progress -----------------------------------------------------------------


def _check_batch_size(batch_size: object) -> int:
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, int)
        or not 1 <= batch_size <= MAX_BATCH_SIZE
    ):
        raise InvalidInput(
            f"batch_size must be an integer from 1 to {MAX_BATCH_SIZE}", field="batch_size"
        )
    return batch_size


def _open_source(
    source: str | Path | Iterable[dict[str, Any]],
) -> tuple[Iterator[tuple[int, object]], int | None]:
    """Numbered records of `source` and, when known up front, how many lines it has."""
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise InvalidInput(f"no such file: {path}", field="path")
        return _read_lines(path), _count_lines(path)
    if isinstance(source, dict) or not isinstance(source, Iterable):
        raise InvalidInput("give a .jsonl path or an iterable of record dicts", field="path")
    total = len(source) if isinstance(source, Sized) else None
    return enumerate(source, start=1), total


def _read_lines(path: Path) -> Iterator[tuple[int, object]]:
    """Each non-blank line parsed as JSON; a line that is not JSON yields its error instead."""
    with path.open(encoding="utf-8", errors="replace") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, InvalidInput(f"invalid JSON: {exc.msg} at character {exc.pos}")


def _count_lines(path: Path) -> int:
    lines, last = 0, b"\n"
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            lines, last = lines + chunk.count(b"\n"), chunk[-1:]
    return lines + (last != b"\n")


@contextmanager
def _progress_bar(enabled: bool, total: int | None) -> Iterator[ShowDone]:
    """A rich bar on stderr (indeterminate when `total` is None), or a no-op."""
    if not enabled:
        yield lambda _: None
        return
    bar = Progress(
        SpinnerColumn(),
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )
    with bar:
        task = bar.add_task("import", total=total)
        yield lambda line: bar.update(task, completed=line)
