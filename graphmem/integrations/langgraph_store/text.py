"""The text graphmem searches for an item: the value's fields, as LangGraph's `index` names them.

LangGraph's index fields are JSON paths into the value (`"text"`, `"profile.city"`,
`"notes[*].body"`, `"$"` for the whole value); they are read with LangGraph's own path
reader, so a path means what it means in LangGraph. The whole value (`"$"`, the default)
reads as one `path: value` line per scalar leaf, in the value's order ("food: pizza"),
which BM25, the embedder and the extractor all read better than JSON.

Example:
    >>> search_text({"food": "pizza", "tags": ["fast", "hot"]}, None)
    'food: pizza\\ntags: fast, hot'
    >>> search_text({"text": "Alice likes tea", "n": 1}, ["text"])
    'Alice likes tea'
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from langgraph.store.base import get_text_at_path

from graphmem.models.messages import MAX_INPUT_CHARS

WHOLE_VALUE = "$"


def search_text(value: Mapping[str, Any], fields: Sequence[str] | None) -> str:
    """The searchable text of `value` under index `fields` (None: the whole value); empty
    when none of the fields is there, and cut to the longest text a memory may hold."""
    if fields is None:
        fields = [WHOLE_VALUE]
    parts: list[str] = []
    for field in fields:
        if field == WHOLE_VALUE:
            parts.extend(_leaf_lines(value, ""))
        else:
            parts.extend(get_text_at_path(dict(value), field))
    text = "\n".join(part.strip() for part in parts if part.strip())
    return text[:MAX_INPUT_CHARS]


def _leaf_lines(node: object, path: str) -> Iterator[str]:
    if isinstance(node, Mapping):
        for name, child in node.items():
            yield from _leaf_lines(child, f"{path}.{name}" if path else str(name))
    elif isinstance(node, list) and all(_is_scalar(item) for item in node):
        if node:
            yield f"{path}: {', '.join(_scalar_text(item) for item in node)}"
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _leaf_lines(item, f"{path}[{index}]")
    elif node is not None:
        yield f"{path}: {_scalar_text(node)}" if path else _scalar_text(node)


def _is_scalar(node: object) -> bool:
    return node is None or isinstance(node, str | int | float | bool)


def _scalar_text(node: object) -> str:
    if isinstance(node, str):
        return node
    return json.dumps(node)
