"""The soak's table, and which of its counts are failures (every one must be 0)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

COLUMNS = (
    ("part", None),
    ("ops", ("operations", "requests", "reads", "inputs", "acknowledged_writes")),
    ("kills", ("kills",)),
    ("lost", ("lost_writes",)),
    ("corrupt", ("corruption",)),
    ("x-tenant", ("cross_tenant",)),
    ("5xx", ("server_errors",)),
    ("errors", ("errors", "unclear")),
    ("refused", ("refused",)),
    ("inject", ("injections",)),
    ("s", ("seconds",)),
)
MUST_BE_ZERO = (
    "lost_writes",
    "corruption",
    "cross_tenant",
    "server_errors",
    "errors",
    "unclear",
    "injections",
)


def value(part: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        if key in part:
            found = part[key]
            return str(len(found)) if isinstance(found, list) else str(found)
    return "-"


def show(results: dict[str, Any], console: Console) -> None:
    table = Table(
        title=f"fault soak: {results['seconds']:.0f} s, seed {results['seed']}",
        title_justify="left",
        caption="ops: acknowledged writes (crash), operations, requests, reads or inputs; "
        "errors: failures of valid requests, and refusals naming no field; refused: "
        "hostile input refused with a 4xx / InvalidInput naming the field",
        caption_justify="left",
    )
    for name, _keys in COLUMNS:
        table.add_column(name, justify="left" if name == "part" else "right")
    for name, part in results["parts"].items():
        table.add_row(name, *(value(part, keys) for _name, keys in COLUMNS[1:] if keys))
    console.print(table)
    for name, problem in failures(results):
        console.print(f"[red]{name}[/]: {problem}")


def failures(results: dict[str, Any]) -> list[tuple[str, str]]:
    """(part, what) for every count that is not 0, with the part's first problems."""
    found = []
    for name, part in results["parts"].items():
        for key in MUST_BE_ZERO:
            count = part.get(key, 0)
            if (len(count) if isinstance(count, list) else count) != 0:
                found.append((name, f"{key} = {value(part, (key,))}: {part.get('problems')}"))
    return found
