"""Atomic on-disk snapshots of graph partitions: write a temp file, fsync, rename.

A crash leaves either the old snapshot or the new one, never half a graph.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from graphmem.models.records import Entity, Relation
from graphmem.models.scope import Partition


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


def write_atomically(path: Path, payload: bytes) -> None:
    """Replace `path` with `payload` so readers see the old or the new file, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def save_partition(folder: Path, snapshot: PartitionSnapshot) -> None:
    path = partition_file(folder, Partition(*snapshot.partition))
    if not snapshot.entities and not snapshot.relations:
        path.unlink(missing_ok=True)
        return
    write_atomically(path, snapshot.model_dump_json().encode("utf-8"))


def load_partitions(folder: Path) -> Iterator[PartitionSnapshot]:
    for path in sorted(folder.glob("partition-*.json")):
        yield PartitionSnapshot.model_validate_json(path.read_bytes())
