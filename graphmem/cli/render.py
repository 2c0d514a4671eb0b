"""Rich tables for people; the `--json` path bypasses all of this."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table


def relations_table(title: str, relations: Sequence[dict[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("source", "relationship", "target", "fact"):
        table.add_column(column, overflow="fold")
    for relation in relations:
        table.add_row(
            relation["source"], relation["relationship"], relation["target"], relation["fact"]
        )
    return table


def memories_table(title: str, memories: Sequence[dict[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    has_scores = any("score" in memory for memory in memories)
    table.add_column("id", overflow="fold", max_width=36)
    table.add_column("memory", overflow="fold")
    if has_scores:
        table.add_column("score", justify="right")
    table.add_column("created", overflow="fold")
    for memory in memories:
        row = [memory["id"], memory["memory"]]
        if has_scores:
            row.append(f"{memory.get('score', 0):.3f}")
        row.append(memory["created_at"][:19])
        table.add_row(*row)
    return table


def answers_table(question: str, answer: dict[str, Any]) -> Table:
    table = Table(title=f"Q: {question}", title_justify="left")
    table.add_column("answer")
    table.add_column("type")
    table.add_column("score", justify="right")
    table.add_column("because", overflow="fold")
    for item in answer["answers"]:
        because = "; ".join(
            " ".join((r["source"], r["relationship"], r["target"])) for r in item["paths"][0]
        )
        table.add_row(item["entity"], item["type"], f"{item['score']:.2f}", because)
    if not answer["answers"]:
        table.add_row("(no answer in the graph)", "", "", "")
    return table


def events_table(title: str, events: Sequence[dict[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("when", "event", "old", "new"):
        table.add_column(column, overflow="fold")
    for event in events:
        table.add_row(
            event["created_at"][:19],
            event["event"],
            event.get("old_memory") or "",
            event.get("new_memory") or "",
        )
    return table


def stats_table(stats: dict[str, Any]) -> Table:
    """One row per stat; a nested one (`llm_usage`) gives a row per part, `llm_usage.*`."""
    table = Table(title="graphmem", title_justify="left", show_header=False)
    for key, value in stats.items():
        if isinstance(value, dict):
            for part, inner in value.items():
                table.add_row(f"{key}.{part}", str(inner))
        else:
            table.add_row(key, "-" if value is None else str(value))
    return table


def usage_line(usage: dict[str, Any]) -> str:
    """`1 LLM call, 522 tokens (400 prompt + 122 completion)`."""
    calls = usage["llm_calls"]
    return (
        f"[dim]{calls} LLM call{'' if calls == 1 else 's'}, {usage['total_tokens']} tokens "
        f"({usage['prompt_tokens']} prompt + {usage['completion_tokens']} completion)[/]"
    )


def add_results_table(title: str, results: Sequence[dict[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("event")
    table.add_column("memory", overflow="fold")
    table.add_column("id", overflow="fold", style="dim")
    for result in results:
        table.add_row(result["event"], result["memory"], result["id"])
    return table


MAX_ERROR_ROWS = 50


def import_summary_table(summary: dict[str, Any]) -> Table:
    table = Table(title="Import", title_justify="left", show_header=False)
    for key in ("records", "memories", "entities", "relations", "seconds", "records_per_second"):
        table.add_row(key.replace("_", " "), str(summary[key]))
    table.add_row("bad lines", str(len(summary["errors"])))
    return table


def import_errors_table(errors: Sequence[dict[str, Any]]) -> Table:
    """Bad lines, the first `MAX_ERROR_ROWS` of them (`--json` gives them all)."""
    table = Table(title="Bad lines (nothing of them was written)", title_justify="left")
    table.add_column("line", justify="right")
    table.add_column("field")
    table.add_column("detail", overflow="fold")
    for error in errors[:MAX_ERROR_ROWS]:
        table.add_row(str(error["line"]), error["field"] or "", error["detail"])
    if len(errors) > MAX_ERROR_ROWS:
        table.add_row("...", "", f"{len(errors) - MAX_ERROR_ROWS} more; use --json to see all")
    return table


def reembed_summary(summary: dict[str, Any]) -> str:
    before = summary["previous_embedder"]
    was = (
        f"; the data dir was {before} ({summary['previous_embedding_dims']} dims)"
        if before
        else "; the data dir recorded no model before"
    )
    return (
        f"re-embedded {summary['memories']} memories and {summary['entities']} entities "
        f"with {summary['embedder']} ({summary['embedding_dims']} dims){was}"
    )


def migrate_summary(summary: dict[str, Any]) -> str:
    if summary["kept_local_mode_at"] is None:
        return "the vectors are already on Qdrant Edge: nothing to migrate"
    return (
        f"moved {summary['memories']} memories and {summary['entities']} entity names to "
        f"Qdrant Edge; the local-mode folder is kept at {summary['kept_local_mode_at']} "
        "(delete it once you are happy)"
    )


@contextmanager
def step_progress(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """Rich bars on stderr, one per step a long job reports as `(step, done, total)`."""
    if not enabled:
        yield lambda step, done, total: None
        return
    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )
    tasks: dict[str, TaskID] = {}

    def show(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = bars.add_task(step, total=total)
        bars.update(tasks[step], completed=done, total=total)

    with bars:
        yield show
