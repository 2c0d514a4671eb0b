"""Atomic on-disk snapshots of graph partitions: write a temp file, fsync, rename.

A crash leaves either the old snapshot or the new one, never half a graph.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from graphmem.models.records import Entity, Relation
from graphmem.models.scope import Partition
from graphmem.stores.atomic_file import atomic_text_file


class PartitionSnapshot(BaseModel):
    """Everything one partition holds, as written to disk."""

    model_config = ConfigDict(extra="forbid")

    partition: tuple[str | None, str | None, str | None]
    entities: list[Entity]
    relations: list[Relation]


def partition_file(folder: Path, partition: Partition) -> Path:
    """File name of a partition: a hash, so scope ids never become path parts."""
    digest = hashlib.sha256(json.dumps(list(partition)).encode("utf-8")).hexdigest()[:32]
    return folder / f"partition-{digest}.json"


def save_partition(folder: Path, snapshot: PartitionSnapshot) -> None:
    path = partition_file(folder, Partition(*snapshot.partition))
    if not snapshot.entities and not snapshot.relations:
        path.unlink(missing_ok=True)
        return
    with atomic_text_file(path) as stream:
        stream.write(snapshot.model_dump_json())


def load_partitions(folder: Path) -> Iterator[PartitionSnapshot]:
    for path in sorted(folder.glob("partition-*.json")):
        yield PartitionSnapshot.model_validate_json(path.read_bytes())
