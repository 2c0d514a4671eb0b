"""A LangGraph item as graphmem memories: the metadata that files it, and the way back.

An item `(namespace, key, value)` is one memory of role `item` in the item's own run: its
text is what search reads (see `text.py`), its metadata holds everything LangGraph gives
back, under one reserved key:

    {"langgraph": {"namespace": ["alice", "memories"], "key": "food",
                   "prefixes": ["alice", "alice.memories"], "role": "item",
                   "indexed": true, "value": {...}}}

`prefixes` are the namespace's leading paths, so a prefix read is one `contains` filter
(LangGraph forbids periods in labels, which makes the joined path unambiguous). Facts
extracted from the value (`infer=True`) are memories of role `fact` in the item's facts
run, with the same metadata, so value filters and namespace prefixes apply to them too.

Example:
    >>> ref = ItemRef(("alice", "memories"), "food")
    >>> item_metadata(ref, {"likes": "tea"}, role="item", indexed=True)["langgraph"]["prefixes"]
    ['alice', 'alice.memories']
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from langgraph.store.base import Item, SearchItem

from graphmem.errors import InvalidInput
from graphmem.integrations.langgraph_store.layout import item_runs
from graphmem.memory.arguments import MAX_METADATA_BYTES
from graphmem.models.scope import Scope

METADATA_KEY = "langgraph"
Role = Literal["item", "fact"]
ROLES: tuple[Role, ...] = ("item", "fact")


@dataclass(frozen=True)
class ItemRef:
    """Where an item lives: its namespace and its key."""

    namespace: tuple[str, ...]
    key: str


def prefixes(namespace: tuple[str, ...]) -> list[str]:
    """The joined leading paths of `namespace`: ("a", "b") -> ["a", "a.b"]."""
    return [".".join(namespace[: depth + 1]) for depth in range(len(namespace))]


def check_value(value: object) -> dict[str, Any]:
    """A put's value as the JSON object it will be stored as.

    Raises:
        InvalidInput: not a mapping with string keys, or not JSON-serialisable (`field="value"`).
    """
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise InvalidInput("a value must be a mapping with string keys", field="value")
    try:
        encoded = json.dumps(dict(value), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"the value is not JSON-serialisable: {exc}", field="value") from exc
    return cast(dict[str, Any], json.loads(encoded))


def item_metadata(
    ref: ItemRef, value: dict[str, Any], *, role: Role, indexed: bool
) -> dict[str, Any]:
    """The metadata of one memory of the item at `ref`.

    Raises:
        InvalidInput: the value is too large to be stored as memory metadata.
    """
    metadata = {
        METADATA_KEY: {
            "namespace": list(ref.namespace),
            "key": ref.key,
            "prefixes": prefixes(ref.namespace),
            "role": role,
            "indexed": indexed,
            "value": value,
        }
    }
    size = len(json.dumps(metadata, allow_nan=False).encode("utf-8"))
    if size > MAX_METADATA_BYTES:
        raise InvalidInput(
            f"the value takes {size} bytes with its namespace and key; at most "
            f"{MAX_METADATA_BYTES} fit in a memory's metadata",
            field="value",
        )
    return metadata


def owned_ref(record: Mapping[str, Any], scope: Scope) -> tuple[ItemRef, Role] | None:
    """The item a memory dict belongs to, with its role; None unless this store wrote it in
    exactly `scope` (same ids, nothing more) and in the run its namespace and key imply."""
    entry = (record.get("metadata") or {}).get(METADATA_KEY)
    if not isinstance(entry, Mapping):
        return None
    namespace, key, role = entry.get("namespace"), entry.get("key"), entry.get("role")
    if not isinstance(namespace, list) or not all(isinstance(label, str) for label in namespace):
        return None
    if not isinstance(key, str) or role not in ROLES:
        return None
    if any(record.get(name) != scope_value for name, scope_value in _partition(scope).items()):
        return None
    ref = ItemRef(tuple(namespace), key)
    runs = item_runs(scope, ref.namespace, ref.key)
    if record.get("run_id") != (runs.item if role == "item" else runs.facts):
        return None
    return ref, cast(Role, role)


def to_item(record: Mapping[str, Any], ref: ItemRef) -> Item:
    """The LangGraph item a role-`item` memory dict stores."""
    return Item(
        value=dict(record["metadata"][METADATA_KEY]["value"]),
        key=ref.key,
        namespace=ref.namespace,
        created_at=datetime.fromisoformat(record["created_at"]),
        updated_at=datetime.fromisoformat(record["updated_at"]),
    )


def to_search_item(item: Item, score: float | None) -> SearchItem:
    return SearchItem(
        namespace=item.namespace,
        key=item.key,
        value=item.value,
        created_at=item.created_at,
        updated_at=item.updated_at,
        score=score,
    )


def _partition(scope: Scope) -> dict[str, str | None]:
    return scope.partition().as_dict()
