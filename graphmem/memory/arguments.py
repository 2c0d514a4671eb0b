"""Check the facade's plain-Python arguments, raising InvalidInput that names the field.

The REST layer validates with pydantic first; these checks make the library itself safe
for direct callers (wrong types, empty text, out-of-range limits) before anything is read
or written.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from graphmem.config import Channel
from graphmem.errors import InvalidInput
from graphmem.models.extraction import EntityDraft, Extraction, RelationDraft
from graphmem.models.records import as_utc
from graphmem.models.validation import describe_validation_error
from graphmem.retrieval.retriever import CHANNELS
from graphmem.stores.graph.base import TimeView

MAX_METADATA_BYTES = 64 * 1024
MAX_QUERY_CHARS = 10_000
MAX_LIMIT = 1000
MAX_TIMESTAMP_CHARS = 64

Draft = TypeVar("Draft", EntityDraft, RelationDraft)

_ENTITY_LIST = TypeAdapter(list[EntityDraft])
_RELATION_LIST = TypeAdapter(list[RelationDraft])


def parse_json(text: str, field: str, *, label: str | None = None) -> Any:
    """A caller's JSON text, decoded; InvalidInput naming `field` when it is not JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{label or field} is not valid JSON: {exc.msg}", field=field) from exc


def check_metadata(metadata: object) -> dict[str, Any]:
    """A JSON object of at most 64 KiB (None means {})."""
    if metadata is None:
        return {}
    if not isinstance(metadata, dict) or not all(isinstance(key, str) for key in metadata):
        raise InvalidInput("metadata must be a JSON object with string keys", field="metadata")
    try:
        encoded = json.dumps(metadata, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"metadata is not JSON-serialisable: {exc}", field="metadata") from exc
    if len(encoded.encode("utf-8")) > MAX_METADATA_BYTES:
        raise InvalidInput(f"metadata exceeds {MAX_METADATA_BYTES} bytes", field="metadata")
    loaded: dict[str, Any] = json.loads(encoded)
    return loaded


def check_text(text: object, field: str, *, max_chars: int = MAX_QUERY_CHARS) -> str:
    """A non-empty string of at most `max_chars` characters, stripped."""
    if not isinstance(text, str):
        raise InvalidInput(f"{field} must be a string", field=field)
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(f"{field} must not be empty", field=field)
    if len(stripped) > max_chars:
        raise InvalidInput(f"{field} exceeds {max_chars} characters", field=field)
    return stripped


def check_limit(limit: object, field: str = "limit") -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"{field} must be an integer from 1 to {MAX_LIMIT}", field=field)
    return limit


def check_threshold(threshold: object) -> float | None:
    if threshold is None:
        return None
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise InvalidInput("threshold must be a number from 0 to 1", field="threshold")
    if not 0.0 <= float(threshold) <= 1.0:
        raise InvalidInput("threshold must be a number from 0 to 1", field="threshold")
    return float(threshold)


def check_channels(channels: object) -> tuple[Channel, ...]:
    if isinstance(channels, str) or not isinstance(channels, Iterable):
        raise InvalidInput(f"channels must be a list drawn from {list(CHANNELS)}", field="channels")
    chosen = tuple(channels)
    if not chosen or any(channel not in CHANNELS for channel in chosen):
        raise InvalidInput(f"channels must be a list drawn from {list(CHANNELS)}", field="channels")
    return tuple(channel for channel in CHANNELS if channel in chosen)


def check_as_of(as_of: object) -> date | None:
    """`YYYY-MM-DD` (or a date / datetime) to a date."""
    if as_of is None:
        return None
    if isinstance(as_of, datetime):
        return as_of.date()
    if isinstance(as_of, date):
        return as_of
    if isinstance(as_of, str):
        try:
            return date.fromisoformat(as_of[:10])
        except ValueError:
            pass
    raise InvalidInput("as_of must be a date like 2024-05-01", field="as_of")


def check_timestamp(timestamp: object, field: str = "timestamp") -> datetime | None:
    """When a memory was said or holds, as an aware UTC datetime (None stays None).

    Accepts ISO 8601 text (a date or a date-time, with or without a zone; naive is UTC),
    epoch seconds (an int or a float; not a bool), or a `datetime` / `date`.

    Example:
        >>> check_timestamp("2023-05-08T15:56:00+02:00").isoformat()
        '2023-05-08T13:56:00+00:00'
    """
    if timestamp is None:
        return None
    try:
        return as_utc(_instant(timestamp))
    except (ValueError, OverflowError, OSError) as exc:
        raise InvalidInput(
            f"{field} must be an ISO 8601 date or date-time (like 2023-05-08 or "
            "2023-05-08T13:56:00Z) or epoch seconds",
            field=field,
        ) from exc


def parse_timestamp_text(text: str | None) -> str | float | None:
    """A timestamp typed as text (a CLI option): a plain number is epoch seconds, anything
    else is left for `check_timestamp` to read as ISO 8601."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _instant(value: object) -> datetime:
    """`value` as a datetime; ValueError (or OverflowError / OSError) when it is none."""
    if isinstance(value, bool):  # an int to Python, but never meant as 1970-01-01T00:00:01
        raise ValueError("a bool is not a time")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str) and len(value) <= MAX_TIMESTAMP_CHARS:
        return datetime.fromisoformat(value.strip())
    raise ValueError("not a time")


def check_bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{field} must be true or false", field=field)
    return value


def parse_entities(entities: object) -> list[EntityDraft]:
    """Pre-extracted entities: a list of `{"name", "type"?, "aliases"?}`."""
    return _parse(_ENTITY_LIST, entities or [], "entities")


def parse_relations(relations: object) -> list[RelationDraft]:
    """Pre-extracted relations: a list of `{"source", "relationship", "target", ...}`."""
    return _parse(_RELATION_LIST, relations or [], "relations")


def _parse(adapter: TypeAdapter[list[Draft]], value: object, field: str) -> list[Draft]:
    if not isinstance(value, list):
        raise InvalidInput(f"{field} must be a list of objects", field=field)
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        raise InvalidInput(
            f"invalid {field}: {describe_validation_error(exc)}", field=field
        ) from exc


def pre_extracted(text: str | None, entities: object, relations: object) -> Extraction:
    """An Extraction from given text and pre-extracted items (no LLM).

    Without text, a readable fact is made from each relation; with neither, InvalidInput.
    """
    drafts, triples = parse_entities(entities), parse_relations(relations)
    if text is None and not triples:
        raise InvalidInput("give text, or relations to make facts from", field="text")
    try:
        return Extraction(facts=[text] if text else [], entities=drafts, relations=triples)
    except ValueError as exc:
        raise InvalidInput(f"invalid pre-extracted input: {exc}", field="relations") from exc


def time_view(as_of: object, include_history: object) -> TimeView:
    """The checked time arguments of a read."""
    return TimeView(check_as_of(as_of), check_bool(include_history, "include_history"))
