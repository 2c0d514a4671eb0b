"""Convert graphmem records to Neo4j properties and back, checking labels and types.

Entity types become node labels and relation types relationship types, through Cypher
5.26 dynamic labels; they are checked against the strict patterns of `models.naming`
first, so no LLM-made text can become anything but a well-formed name.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from graphmem.errors import InvalidInput
from graphmem.models.naming import ENTITY_TYPE_PATTERN, RELATION_TYPE_PATTERN, entity_key
from graphmem.models.records import Entity, Relation
from graphmem.models.scope import Partition


def partition_key(partition: Partition) -> str:
    """One indexable string for a partition (ids may be absent)."""
    return json.dumps(list(partition))


def checked_entity_type(name: str) -> str:
    if name == "Entity" or not ENTITY_TYPE_PATTERN.fullmatch(name):
        if name == "Entity":
            return name
        raise InvalidInput(f"entity type {name!r} is not a PascalCase name", field="type")
    return name


def checked_relation_type(name: str) -> str:
    if not RELATION_TYPE_PATTERN.fullmatch(name):
        raise InvalidInput(f"relation type {name!r} is not UPPER_SNAKE_CASE", field="type")
    return name


def entity_row(entity: Entity) -> dict[str, Any]:
    """Parameters of `entities_upsert`: the type label and the node's properties."""
    return {
        "id": entity.id,
        "type": checked_entity_type(entity.type),
        "properties": {
            "id": entity.id,
            "name": entity.name,
            "key": entity.key,
            "type": entity.type,
            "aliases": list(entity.aliases),
            "alias_keys": sorted({entity_key(alias) for alias in entity.aliases}),
            "has_aliases": bool(entity.aliases),
            "user_id": entity.user_id,
            "agent_id": entity.agent_id,
            "app_id": entity.app_id,
            "partition_key": partition_key(entity.partition()),
            "created_at": entity.created_at,
            "updated_at": entity.updated_at,
            "mentions": entity.mentions,
        },
    }


def relation_row(relation: Relation) -> dict[str, Any]:
    """Parameters of `relations_upsert`: ends, the relationship type, its properties."""
    return {
        "source_id": relation.source_id,
        "target_id": relation.target_id,
        "type": checked_relation_type(relation.type),
        "id": relation.id,
        "properties": {
            "id": relation.id,
            "fact": relation.fact,
            "memory_ids": list(relation.memory_ids),
            "user_id": relation.user_id,
            "agent_id": relation.agent_id,
            "run_id": relation.run_id,
            "app_id": relation.app_id,
            "valid_from": relation.valid_from,
            "valid_to": relation.valid_to,
            "created_at": relation.created_at,
            "invalidated_at": relation.invalidated_at,
        },
    }


def entity_from(node: Any) -> Entity:
    values = dict(node)
    return Entity(
        id=values["id"],
        name=values["name"],
        key=values["key"],
        type=values["type"],
        aliases=list(values.get("aliases") or []),
        user_id=values.get("user_id"),
        agent_id=values.get("agent_id"),
        app_id=values.get("app_id"),
        created_at=_native(values["created_at"]),
        updated_at=_native(values["updated_at"]),
        mentions=int(values.get("mentions", 0)),
    )


def relation_from(record: Any) -> Relation:
    """A Relation from a row with `r`, `type`, `source_id` and `target_id`."""
    values = dict(record["r"])
    return Relation(
        id=values["id"],
        source_id=record["source_id"],
        target_id=record["target_id"],
        type=record["type"],
        fact=values.get("fact", ""),
        memory_ids=list(values.get("memory_ids") or []),
        user_id=values.get("user_id"),
        agent_id=values.get("agent_id"),
        run_id=values.get("run_id"),
        app_id=values.get("app_id"),
        valid_from=_native(values.get("valid_from")),
        valid_to=_native(values.get("valid_to")),
        created_at=_native(values["created_at"]),
        invalidated_at=_native(values.get("invalidated_at")),
    )


def _native(value: Any) -> Any:
    """neo4j.time values to Python's datetime / date (None stays None)."""
    if value is None or isinstance(value, datetime | date):
        return value
    return value.to_native()
