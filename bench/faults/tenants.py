"""Tenants and their tags, and how the soak tells a reply that carries another scope's data.

Each cell (one combination of scope ids) writes facts whose names and texts end with the
cell's tag, so any reply, whatever its shape (rows, scalars, facts, errors), shows which
cells it drew from. A reply to a request in scope S may carry a cell's tag only when the
cell is visible to S: it matches every partition id S names (entities and relations are
shared by a partition's runs), and, when S names no partition id, its run too. A memory
row must match S exactly, run included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphmem.models.scope import PARTITION_FIELDS, SCOPE_FIELDS

_TAG = re.compile(r"zq[a-z0-9]+x")


@dataclass(frozen=True)
class Cell:
    """One combination of scope ids, and the tag its facts carry."""

    ids: Mapping[str, str]

    @property
    def tag(self) -> str:
        """e.g. `zqabotualicex` (agent bot, user alice): letters and digits only, so text
        search and tokenizers keep it whole."""
        parts = "".join(f"{field[0]}{value}" for field, value in sorted(self.ids.items()))
        return "zq" + re.sub(r"[^a-z0-9]", "", parts.lower()) + "x"

    def visible_to(self, scope: Mapping[str, str | None]) -> bool:
        """Whether a reply in `scope` may carry this cell's data (module docstring)."""
        named = {field: value for field, value in scope.items() if value}
        if not any(field in PARTITION_FIELDS for field in named):
            return all(self.ids.get(field) == value for field, value in named.items())
        return all(
            self.ids.get(field) == value for field, value in named.items() if field != "run_id"
        )


def leaks(reply: Any, scope: Mapping[str, str | None], cells: Sequence[Cell]) -> list[str]:
    """The tags in `reply` of cells `scope` may not see, and memory rows outside `scope`."""
    text = reply if isinstance(reply, str) else json.dumps(reply, default=str)
    by_tag = {cell.tag: cell for cell in cells}
    found = [
        tag
        for tag in set(_TAG.findall(text))
        if tag in by_tag and not by_tag[tag].visible_to(scope)
    ]
    found += [
        f"memory row {row.get('id')}" for row in memory_rows(reply) if not _row_in(row, scope)
    ]
    return found


def memory_rows(reply: Any) -> list[dict[str, Any]]:
    """The memory dicts of a reply (search and list results, query memories)."""
    if not isinstance(reply, dict):
        return []
    rows = [*reply.get("results", []), *reply.get("memories", [])]
    return [row for row in rows if isinstance(row, dict) and "memory" in row]


def _row_in(row: Mapping[str, Any], scope: Mapping[str, str | None]) -> bool:
    return all(
        row.get(field) == value for field, value in scope.items() if value and field in SCOPE_FIELDS
    )
