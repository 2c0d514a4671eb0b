"""One pre-extracted record of SPEC §3, validated whole before anything of it is planned.

A record is `{"text"? | "messages"?, user_id / agent_id / run_id / app_id, "metadata"?,
"entities"?, "relations"?, "timestamp"?, "created_at"?}`; `text` is optional when
relations are given (a readable fact is then made from each triple), and a record with
text only is stored as given, with no extraction (as `add(..., infer=False)`).
`timestamp` is as in `add(..., timestamp=...)`: when the record was said (its relations
without a `valid_from` hold from that day). Any other key is an error naming it.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graphmem.errors import InvalidInput
from graphmem.memory.arguments import check_metadata, check_text, check_timestamp, pre_extracted
from graphmem.models.extraction import Extraction
from graphmem.models.messages import MAX_INPUT_CHARS, messages_text, normalize_messages
from graphmem.models.scope import SCOPE_FIELDS, Scope

RECORD_KEYS = frozenset(
    {
        "text",
        "messages",
        "metadata",
        "entities",
        "relations",
        "timestamp",
        "created_at",
        *SCOPE_FIELDS,
    }
)

ScopeCache = dict[tuple[object, ...], Scope]


@dataclass(frozen=True)
class ImportRecord:
    """One validated record, ready to plan."""

    line: int
    extraction: Extraction
    scope: Scope
    metadata: dict[str, Any]
    created_at: datetime | None
    timestamp: datetime | None = None


def parse_record(raw: object, line: int = 0, scopes: ScopeCache | None = None) -> ImportRecord:
    """Validate one record whole (keys, scope, metadata, text, entities, relations, dates).

    Args:
        raw: The decoded record (or the InvalidInput of a line that was not JSON).
        line: Its line number, kept on the result.
        scopes: Scopes already validated in this import, by their ids (scopes repeat).

    Raises:
        InvalidInput: naming the first bad field (or the unknown key).
    """
    if isinstance(raw, InvalidInput):  # the line was not JSON
        raise raw
    if not isinstance(raw, dict):
        raise InvalidInput("a record must be a JSON object", field=None)
    unknown = sorted(str(key) for key in raw if key not in RECORD_KEYS)
    if unknown:
        raise InvalidInput(
            f"unknown key {unknown[0]!r}; a record may have {sorted(RECORD_KEYS)}",
            field=unknown[0],
        )
    scope = _scope(raw, {} if scopes is None else scopes)
    metadata = check_metadata(raw.get("metadata"))
    text = _record_text(raw)
    extraction = pre_extracted(text, raw.get("entities"), raw.get("relations"))
    timestamp = check_timestamp(raw.get("timestamp"))
    if timestamp is not None:
        extraction = extraction.said_on(timestamp.date())
    created_at = _parse_created_at(raw.get("created_at"))
    return ImportRecord(line, extraction, scope, metadata, created_at, timestamp)


def _scope(raw: dict[str, Any], scopes: ScopeCache) -> Scope:
    ids = tuple(raw.get(name) for name in SCOPE_FIELDS)
    cacheable = all(value is None or isinstance(value, str) for value in ids)
    scope = scopes.get(ids) if cacheable else None
    if scope is None:
        scope = Scope.of(**dict(zip(SCOPE_FIELDS, ids, strict=True)))
        if cacheable:
            scopes[ids] = scope
    return scope


def _record_text(raw: dict[str, Any]) -> str | None:
    """The record's text: `text` (a string) or `messages` (a list of turns), not both."""
    text, messages = raw.get("text"), raw.get("messages")
    if text is not None and messages is not None:
        raise InvalidInput("give text or messages, not both", field="messages")
    if messages is not None:
        if not isinstance(messages, list):
            raise InvalidInput("messages must be a list of {role, content}", field="messages")
        return messages_text(normalize_messages(messages))
    if text is None or text == "":
        return None
    return check_text(text, "text", max_chars=MAX_INPUT_CHARS)


def _parse_created_at(value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        with suppress(ValueError):
            value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise InvalidInput(
            "created_at must be an ISO date-time like 2024-05-01T12:00:00+00:00",
            field="created_at",
        )
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
