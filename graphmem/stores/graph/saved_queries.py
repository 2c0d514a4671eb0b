"""Saved read queries, by name: the only Cypher a scoped caller runs (SPEC §10, §11).

Free Cypher cannot be confined to a scope (see `read_only_cypher`), so a scoped caller (a
scoped API key, a `Memory.graph` call that names a scope) picks one of the fixed statements
in `cypher/browser/`, the same ones people paste into Neo4j Browser. Each was written to
bind every node it reads to one partition: the first by the scope parameters (`$user_id`,
`$agent_id`, `$app_id`; null means any), every other by the first's `partition_key`.
graphmem sets those three from the caller's scope, never from the caller's parameters; the
caller's parameters are the statement's own (`$name`, `$from`, ...), scalar values only,
so they can change what is matched inside the scope and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from graphmem.errors import InvalidInput, NotFound
from graphmem.models.scope import PARTITION_FIELDS, Scope
from graphmem.stores.graph.cypher_files import cypher, cypher_names, cypher_summary

SAVED_QUERY_FOLDER = "browser"
MAX_TEXT_PARAMETER = 1024
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class SavedQuery:
    """A saved statement: its name, what it is for, and the parameters a caller gives."""

    name: str
    description: str
    params: tuple[str, ...]

    @property
    def statement(self) -> str:
        return cypher(f"{SAVED_QUERY_FOLDER}/{self.name}")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "params": list(self.params)}

    def bind(self, params: Mapping[str, Any], scope: Scope) -> dict[str, Any]:
        """The statement's parameters: the caller's own, checked, and the scope's ids.

        Raises:
            InvalidInput: a scope id, an unknown name, a list or map, a missing parameter.
        """
        return {**query_parameters(self, params), **scope.partition().as_dict()}


@cache
def saved_queries() -> Mapping[str, SavedQuery]:
    """Every saved query by name, from the files of `cypher/browser/`."""
    found: dict[str, SavedQuery] = {}
    for path in cypher_names(SAVED_QUERY_FOLDER):
        name = path.removeprefix(f"{SAVED_QUERY_FOLDER}/")
        used = dict.fromkeys(_PARAMETER.findall(cypher(path)))
        params = tuple(param for param in used if param not in PARTITION_FIELDS)
        found[name] = SavedQuery(name, cypher_summary(path), params)
    return MappingProxyType(found)


def saved_query(name: str) -> SavedQuery:
    """The saved query called `name`.

    Raises:
        NotFound: no saved query has that name.
    """
    known = saved_queries()
    if not isinstance(name, str) or name not in known:
        raise NotFound(
            f"no saved query {name!r}; the saved queries are {', '.join(sorted(known))}",
            field="name",
        )
    return known[name]


def query_parameters(query: SavedQuery, params: Mapping[str, Any]) -> dict[str, Any]:
    """The caller's parameters, checked: the query's own names, scalar values, none missing."""
    for name, value in params.items():
        field = f"params.{name}"
        if name in PARTITION_FIELDS or name == "run_id":
            raise InvalidInput(
                f"the scope is set by {name} beside params, not in them", field=field
            )
        if name not in query.params:
            takes = ", ".join(query.params) or "no parameters"
            raise InvalidInput(f"{query.name} takes {takes}, not {name!r}", field=field)
        if not _is_scalar(value):
            raise InvalidInput(
                f"{name} must be a string (up to {MAX_TEXT_PARAMETER} characters), "
                "a number, a boolean or null",
                field=field,
            )
    missing = [name for name in query.params if name not in params]
    if missing:
        raise InvalidInput(f"{query.name} needs {', '.join(missing)}", field=f"params.{missing[0]}")
    return dict(params)


def _is_scalar(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_TEXT_PARAMETER
    return value is None or isinstance(value, bool | int | float)
