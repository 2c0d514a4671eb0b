"""What the response models' JSON schemas may say, so that every grammar engine compiles them.

Local servers turn the schema of `response_format` (and of a tool) into a decoding grammar:
llama.cpp (llama-server, and Ollama on top of it) and vLLM (xgrammar / outlines). Some
keywords break them: with `maxLength` in the schema `llama_cpp.server` built a null grammar
and crashed (issue 15), `format` and `pattern` are supported unevenly. So the schemas name
only types, properties, required keys, enums and descriptions (`GRAMMAR_KEYWORDS`), and
limits are checked after parsing, by validators that raise (and so re-ask) like any other.

Example:
    >>> check_length("Google", 200, "name")
    'Google'
    >>> sorted(schema_keywords({"type": "object", "properties": {"a": {"type": "string"}}}))
    ['properties', 'type']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pydantic import WithJsonSchema

GRAMMAR_KEYWORDS = frozenset(
    {
        "$defs",
        "$ref",
        "additionalProperties",
        "anyOf",
        "default",
        "description",
        "enum",
        "items",
        "properties",
        "required",
        "title",
        "type",
    }
)
"""The JSON Schema keywords the response schemas use; all compile on llama.cpp and vLLM."""

OPTIONAL_ISO_DATE = WithJsonSchema(
    {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
    mode="validation",
)
"""A date as the schema asks for it: a plain string (no `format`), parsed after."""


def require_in_schema(*names: str) -> Callable[[dict[str, Any]], None]:
    """A `json_schema_extra` that lists `names` as required in the schema sent to the model.

    Grammar engines emit only required keys reliably, so the schema asks for these keys
    even where the parser has a default for them (what an answer must carry is checked by
    the model's validators, with an error the model is re-asked with).
    """

    def require(schema: dict[str, Any]) -> None:
        required = list(schema.get("required", []))
        schema["required"] = required + [name for name in names if name not in required]

    return require


def check_length(value: str, limit: int, what: str) -> str:
    """`value` if it has at most `limit` characters; else a ValueError naming `what`."""
    if len(value) > limit:
        raise ValueError(f"{what} is {len(value)} characters long; at most {limit} are allowed")
    return value


def schema_keywords(schema: Any) -> set[str]:
    """Every keyword used anywhere in `schema` (property names themselves are not keywords)."""
    return set(_keywords(schema))


def _keywords(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _keywords(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        yield key
        if key in ("properties", "$defs") and isinstance(value, dict):
            for child in value.values():
                yield from _keywords(child)
        elif key not in ("default", "enum", "required", "description", "title"):
            yield from _keywords(value)
