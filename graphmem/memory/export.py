"""Export every memory, with its entities and relations, as the JSONL that import reads.

One line per memory: `{"text", <scope ids>, "metadata"?, "entities", "relations",
"timestamp"?, "created_at"}`. Each relation is written once, on the line of its first
provenance memory, with `fact` only when it differs from that memory's text. Importing the
file into an empty data dir gives the same memories (same ids: they derive from scope and
text; the same `timestamp`), entities and relations, ended ones with their `valid_to`
and `invalidated_at`. Not carried over: a relation's further provenance. The file is
written to a temporary sibling and renamed, so a reader never sees half of it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from graphmem.errors import InvalidInput
from graphmem.memory.backends import Backends
from graphmem.models.records import Entity, MemoryRecord, Relation
from graphmem.stores.atomic_file import atomic_text_file
from graphmem.stores.vector.base import memory_pages

PAGE_SIZE = 8192  # Qdrant local mode scans every id per scroll call: few, big pages


def export_records(backends: Backends, path: Path) -> dict[str, Any]:
    """Write every memory of every scope to `path` (replaced atomically).

    Args:
        backends: The stores to read.
        path: The `.jsonl` file to write; its folder must exist.

    Returns:
        `{"records": int, "path": str}`.

    Raises:
        InvalidInput: `path` is a folder or its folder does not exist.
    """
    target = Path(path)
    if target.is_dir() or not target.parent.is_dir():
        raise InvalidInput(
            f"cannot write {target}: give a file in an existing folder", field="path"
        )
    with atomic_text_file(target) as stream:
        written = _write_records(backends, stream)
    return {"records": written, "path": str(target)}


def _write_records(backends: Backends, stream: IO[str]) -> int:
    written = 0
    for page in memory_pages(backends.vectors, None, page_size=PAGE_SIZE):
        for line in export_page(backends, page):
            stream.write(json.dumps(line, ensure_ascii=False))
            stream.write("\n")
            written += 1
    return written


def export_page(backends: Backends, records: list[MemoryRecord]) -> list[dict[str, Any]]:
    """The export lines of a page of memories, reading the graph once per page."""
    relations = backends.graph.get_relations(
        sorted({rid for record in records for rid in record.relation_ids})
    )
    entity_ids = {eid for record in records for eid in record.entity_ids}
    entity_ids |= {end for r in relations for end in (r.source_id, r.target_id)}
    entities = {entity.id: entity for entity in backends.graph.get_entities(sorted(entity_ids))}
    first_of: dict[str, list[Relation]] = {}
    for relation in relations:
        if relation.memory_ids:
            first_of.setdefault(relation.memory_ids[0], []).append(relation)
    return [export_line(record, entities, first_of.get(record.id, [])) for record in records]


def export_line(
    record: MemoryRecord, entities: dict[str, Entity], relations: list[Relation]
) -> dict[str, Any]:
    """One memory as an import record (SPEC §3)."""
    line: dict[str, Any] = {"text": record.memory}
    line.update({name: value for name, value in record.scope_ids().items() if value})
    if record.metadata:
        line["metadata"] = record.metadata
    line["entities"] = [_entity_item(entities[eid]) for eid in record.entity_ids if eid in entities]
    line["relations"] = [
        _relation_item(relation, entities, record.memory)
        for relation in relations
        if relation.source_id in entities and relation.target_id in entities
    ]
    if record.timestamp is not None:
        line["timestamp"] = record.timestamp.isoformat()
    line["created_at"] = record.created_at.isoformat()
    return line


def _entity_item(entity: Entity) -> dict[str, Any]:
    item: dict[str, Any] = {"name": entity.name, "type": entity.type}
    if entity.aliases:
        item["aliases"] = list(entity.aliases)
    return item


def _relation_item(relation: Relation, entities: dict[str, Entity], text: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "source": entities[relation.source_id].name,
        "relationship": relation.type,
        "target": entities[relation.target_id].name,
    }
    if relation.fact and relation.fact != text:
        item["fact"] = relation.fact
    if relation.valid_from is not None:
        item["valid_from"] = relation.valid_from.isoformat()
    if relation.valid_to is not None:
        item["valid_to"] = relation.valid_to.isoformat()
    if relation.invalidated_at is not None:
        item["invalidated_at"] = relation.invalidated_at.isoformat()
    return item
