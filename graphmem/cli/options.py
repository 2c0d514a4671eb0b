"""What every `graphmem` command shares: its options, opening a Memory or a closed data
dir, printing for people or `--json`, and errors as a clear message with exit code 2."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypedDict

import typer
from rich.console import Console

from graphmem.cli import render
from graphmem.config import GraphMemConfig
from graphmem.errors import GraphMemError
from graphmem.memory.arguments import parse_json
from graphmem.memory.facade import Memory

console = Console()
errors = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data folder (default: GRAPHMEM_DATA_DIR or ~/.graphmem)."),
]
UserId = Annotated[str | None, typer.Option("--user-id", help="Scope: user id.")]
AgentId = Annotated[str | None, typer.Option("--agent-id", help="Scope: agent id.")]
RunId = Annotated[str | None, typer.Option("--run-id", help="Scope: run id.")]
AppId = Annotated[str | None, typer.Option("--app-id", help="Scope: app id.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for scripts and agents.")]
Limit = Annotated[int, typer.Option("--limit", help="How many results.")]


@contextmanager
def open_memory(data_dir: Path | None, as_json: bool) -> Iterator[Memory]:
    """Open a Memory; turn graphmem errors into a clear message and exit code 2."""
    try:
        config = GraphMemConfig(data_dir=data_dir) if data_dir else GraphMemConfig()
        with Memory(config) as memory:
            yield memory
    except GraphMemError as exc:
        report_error(exc, as_json)
        raise typer.Exit(code=2) from exc


def run_data_dir_job(
    data_dir: Path | None,
    as_json: bool,
    progress: bool,
    job: Callable[[GraphMemConfig, Callable[[str, int, int], None]], Any],
) -> dict[str, Any]:
    """Run a long job on a closed data dir (reembed, migrate) with progress bars; its
    summary as a dict, or a clear message and exit code 2."""
    try:
        config = GraphMemConfig(data_dir=data_dir) if data_dir else GraphMemConfig()
        with render.step_progress(progress) as show:
            summary: dict[str, Any] = job(config, show).as_dict()
    except GraphMemError as exc:
        report_error(exc, as_json)
        raise typer.Exit(code=2) from exc
    return summary


def report_error(exc: GraphMemError, as_json: bool) -> None:
    if as_json:
        payload = {"error": type(exc).__name__, "detail": exc.message, "field": exc.field}
        print(json.dumps(payload))
    else:
        errors.print(f"[bold red]{type(exc).__name__}[/]: {exc.message}")


def emit(data: Any, as_json: bool, show: Callable[[], None]) -> None:
    if as_json:
        print(json.dumps(data, indent=2, default=str))
    else:
        show()


def parse_json_option(value: str | None, field: str) -> Any:
    if value is None:
        return None
    return parse_json(value, field, label=f"--{field}")


class ScopeIds(TypedDict):
    user_id: str | None
    agent_id: str | None
    run_id: str | None
    app_id: str | None


def scope(
    user_id: str | None, agent_id: str | None, run_id: str | None, app_id: str | None
) -> ScopeIds:
    return {"user_id": user_id, "agent_id": agent_id, "run_id": run_id, "app_id": app_id}
