"""LangGraph's search filters, and the store's own conditions, in graphmem's filter grammar.

LangGraph filters a value: `{"color": "red"}` (equality; a list equals a list), nested
objects without operators match field by field (`{"profile": {"city": "Zurich"}}`), and
operator objects `{"score": {"$gt": 4.99}}` with `$eq $ne $gt $gte $lt $lte`. Each becomes
a condition on the stored value's path (`langgraph.value.color`), so graphmem's one filter
evaluator, the same on every store, decides. A dotted field (`"profile.city"`) is read as
that nested path, as LangGraph's newer stores do. Comparisons follow graphmem: a number
compares with a number, a string with a string; another type simply does not match.

Example:
    >>> value_conditions({"color": "red", "score": {"$gt": 3}})
    [{'langgraph.value.color': 'red'}, {'langgraph.value.score': {'gt': 3}}]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphmem.errors import InvalidInput
from graphmem.integrations.langgraph_store.items import METADATA_KEY, Role
from graphmem.models.scope import Scope

OPERATORS = {"$eq": "eq", "$ne": "ne", "$gt": "gt", "$gte": "gte", "$lt": "lt", "$lte": "lte"}
VALUE_PATH = f"{METADATA_KEY}.value"

Condition = dict[str, Any]


def value_conditions(filter: Mapping[str, Any] | None) -> list[Condition]:
    """The conditions a LangGraph `filter` sets on item values, to be ANDed.

    Raises:
        InvalidInput: an unknown `$` operator, an empty object, or operators mixed with
            fields in one object (`field="filter"`).
    """
    if filter is None:
        return []
    if not isinstance(filter, Mapping):
        raise InvalidInput("a filter must be a mapping of value fields", field="filter")
    conditions: list[Condition] = []
    for field, expected in filter.items():
        conditions.extend(_field_conditions(f"{VALUE_PATH}.{_field(field)}", expected))
    return conditions


def scope_conditions(scope: Scope) -> list[Condition]:
    """Exactly `scope`: its ids, and no other user / agent / app id (a reading scope alone
    would also match memories filed under more ids than it names)."""
    return [{name: value} for name, value in scope.partition().as_dict().items()]


def prefix_conditions(prefix: tuple[str, ...]) -> list[Condition]:
    """Items whose namespace starts with `prefix` (all items for the empty prefix)."""
    return [{f"{METADATA_KEY}.prefixes": {"contains": ".".join(prefix)}}] if prefix else []


def role_condition(role: Role) -> Condition:
    return {f"{METADATA_KEY}.role": role}


def indexed_condition() -> Condition:
    return {f"{METADATA_KEY}.indexed": True}


def all_of(conditions: list[Condition]) -> dict[str, Any] | None:
    """One graphmem filter ANDing `conditions` (None when there are none)."""
    return {"AND": conditions} if conditions else None


def _field(field: object) -> str:
    if not isinstance(field, str) or not field or field.startswith("$"):
        raise InvalidInput(f"filter field {field!r} is not a value field name", field="filter")
    return field


def _field_conditions(path: str, expected: object) -> list[Condition]:
    if not isinstance(expected, Mapping):
        return [{path: expected}]
    if not expected:
        raise InvalidInput(f"filter on {path}: an empty object matches nothing", field="filter")
    operators = [key for key in expected if isinstance(key, str) and key.startswith("$")]
    if not operators:
        return [
            condition
            for field, nested in expected.items()
            for condition in _field_conditions(f"{path}.{_field(field)}", nested)
        ]
    if len(operators) != len(expected):
        raise InvalidInput(f"filter on {path}: operators mixed with fields", field="filter")
    unknown = [op for op in operators if op not in OPERATORS]
    if unknown:
        raise InvalidInput(
            f"filter on {path}: unknown operator {unknown[0]!r} (use {sorted(OPERATORS)})",
            field="filter",
        )
    return [{path: {OPERATORS[op]: operand}} for op, operand in expected.items()]
