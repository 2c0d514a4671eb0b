"""Memory filters: validated once, then evaluated the same way for every store.

Grammar (SPEC §3):
    {"field": value}                      equality
    {"field": {"op": value, ...}}         ops: eq ne gt gte lt lte in nin contains icontains
    {"AND": [f, ...]} {"OR": [f, ...]} {"NOT": [f, ...]}   (NOT: none of the list holds)
Several keys in one object are ANDed. Fields are metadata keys (`metadata.` prefix
optional), `timestamp` / `created_at` / `updated_at` (compared as instants: values are
ISO 8601 dates or date-times, a naive one is UTC, so "2023-05-01" is midnight UTC and
matches whatever the stored value's precision), or a scope id. A memory without a
`timestamp` matches no comparison on it; `{"timestamp": None}` finds those memories. A
value of the wrong kind for its operator is an InvalidInput; a stored value of another
type than the filter's simply does not match.

Example:
    >>> match = compile_filters({"priority": {"gte": 2}, "NOT": [{"tag": "old"}]})
    >>> match({"metadata": {"priority": 3, "tag": "new"}})
    True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from graphmem.errors import InvalidInput

Predicate = Callable[[Mapping[str, Any]], bool]

OPERATORS = frozenset({"eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "contains", "icontains"})
ORDERINGS = frozenset({"gt", "gte", "lt", "lte"})
TIME_FIELDS = frozenset({"timestamp", "created_at", "updated_at"})
OPTIONAL_TIME_FIELDS = frozenset({"timestamp"})
RECORD_FIELDS = frozenset({"user_id", "agent_id", "run_id", "app_id", "id", "memory"})
_MAX_DEPTH = 16
_MISSING = object()


def compile_filters(filters: object) -> Predicate:
    """Validate `filters` and return a predicate over memory dicts (as `MemoryRecord.to_dict`).

    Raises:
        InvalidInput: the filter is not of the grammar above (`field="filters"`).
    """
    if filters is None:
        return lambda _record: True
    return _compile_node(filters, depth=0)


def all_of(*predicates: Predicate | None) -> Predicate | None:
    """The predicates ANDed (None ones left out); None when there are none."""
    chosen = [predicate for predicate in predicates if predicate is not None]
    if not chosen:
        return None
    if len(chosen) == 1:
        return chosen[0]
    return lambda record: all(predicate(record) for predicate in chosen)


def said_by(day: date) -> Predicate:
    """Memories said on or before `day` (UTC): by their `timestamp`, else, untimed, by when
    graphmem stored them (`created_at`). What `search(..., as_of=day)` may return."""

    def test(record: Mapping[str, Any]) -> bool:
        said = _as_instant(record.get("timestamp")) or _as_instant(record.get("created_at"))
        return said is not None and said.astimezone(UTC).date() <= day

    return test


def _fail(message: str) -> InvalidInput:
    return InvalidInput(f"invalid filters: {message}", field="filters")


def _compile_node(node: object, depth: int) -> Predicate:
    if depth > _MAX_DEPTH:
        raise _fail("nested too deeply")
    if not isinstance(node, Mapping) or not node:
        raise _fail("each filter must be a non-empty object")
    parts = [_compile_entry(key, value, depth) for key, value in node.items()]
    return lambda record: all(part(record) for part in parts)


def _compile_entry(key: object, value: object, depth: int) -> Predicate:
    if not isinstance(key, str) or not key:
        raise _fail("field names must be non-empty strings")
    if key in ("AND", "OR", "NOT"):
        if not isinstance(value, list) or not value:
            raise _fail(f"{key} takes a non-empty list of filters")
        children = [_compile_node(child, depth + 1) for child in value]
        if key == "AND":
            return lambda record: all(child(record) for child in children)
        if key == "OR":
            return lambda record: any(child(record) for child in children)
        return lambda record: not any(child(record) for child in children)
    read = _field_reader(key)
    if isinstance(value, Mapping):
        if not value:
            raise _fail(f"{key}: empty operator object")
        tests = [_compile_operator(key, op, operand) for op, operand in value.items()]
    else:
        tests = [_compile_operator(key, "eq", value)]
    return lambda record: all(test(read(record)) for test in tests)


def _field_reader(field: str) -> Callable[[Mapping[str, Any]], object]:
    if field in TIME_FIELDS:
        return lambda record: _as_instant(record.get(field))
    if field in RECORD_FIELDS:
        return lambda record: record.get(field, _MISSING)
    path = field.removeprefix("metadata.").split(".")

    def read(record: Mapping[str, Any]) -> object:
        value: object = record.get("metadata") or {}
        for step in path:
            if not isinstance(value, Mapping) or step not in value:
                return _MISSING
            value = value[step]
        return value

    return read


def _compile_operator(field: str, op: object, operand: object) -> Callable[[object], bool]:
    if op not in OPERATORS:
        raise _fail(f"{field}: unknown operator {op!r} (use one of {sorted(OPERATORS)})")
    untimed = field in OPTIONAL_TIME_FIELDS and op in ("eq", "ne") and operand is None
    if field in TIME_FIELDS and op not in ("in", "nin", "contains", "icontains") and not untimed:
        instant = _as_instant(operand)
        if instant is None:
            raise _fail(f"{field}: {operand!r} is not an ISO 8601 date or time")
        operand = instant
    if op in ("in", "nin"):
        if not isinstance(operand, list):
            raise _fail(f"{field}: {op} takes a list")
        members = list(operand)
        if op == "in":
            return lambda value: value is not _MISSING and _member(value, members)
        return lambda value: value is _MISSING or not _member(value, members)
    if op in ("contains", "icontains"):
        if not isinstance(operand, str | int | float | bool):
            raise _fail(f"{field}: {op} takes a string or a scalar")
        return _contains(operand, fold=op == "icontains")
    if isinstance(operand, Mapping):
        raise _fail(f"{field}: {op} takes a scalar or a list, not an object")
    if op in ORDERINGS and isinstance(operand, list):
        # Lists order element by element, so a stored list would meet None or a string.
        raise _fail(f"{field}: {op} takes a scalar (a number, a string or a date), not a list")
    return _comparison(str(op), operand)


def _member(value: object, members: list[object]) -> bool:
    return any(_equal(value, member) for member in members)


def _equal(value: object, operand: object) -> bool:
    # bool is an int in Python; a filter for True must not match 1.
    if isinstance(value, bool) != isinstance(operand, bool):
        return False
    return value == operand


def _comparison(op: str, operand: object) -> Callable[[object], bool]:
    if op == "eq":
        return lambda value: _equal(value, operand)
    if op == "ne":
        return lambda value: not _equal(value, operand)

    def compare(value: object) -> bool:
        if value is _MISSING or value is None or not _comparable(value, operand):
            return False
        left: Any = value
        right: Any = operand
        if op == "gt":
            return bool(left > right)
        if op == "gte":
            return bool(left >= right)
        if op == "lt":
            return bool(left < right)
        return bool(left <= right)

    return compare


def _comparable(value: object, operand: object) -> bool:
    numbers = (int, float)
    if isinstance(value, bool) or isinstance(operand, bool):
        return False
    if isinstance(value, numbers) and isinstance(operand, numbers):
        return True
    return type(value) is type(operand)


def _contains(operand: object, *, fold: bool) -> Callable[[object], bool]:
    def test(value: object) -> bool:
        if isinstance(value, str) and isinstance(operand, str):
            return operand.casefold() in value.casefold() if fold else operand in value
        if isinstance(value, list):
            if fold and isinstance(operand, str):
                return any(
                    isinstance(item, str) and item.casefold() == operand.casefold()
                    for item in value
                )
            return any(_equal(item, operand) for item in value)
        return False

    return test


def _as_instant(value: object) -> datetime | None:
    if isinstance(value, datetime):
        instant = value
    elif isinstance(value, str):
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)
