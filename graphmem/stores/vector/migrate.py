"""Move a data dir's vectors from qdrant-client's local mode to Qdrant Edge: what
`graphmem migrate` runs.

Points are copied as stored (ids, vectors, payloads): nothing is re-embedded, so the
recorded embedding model carries over. The copy is built beside the old folder, then put
in its place by renames:

1. **build** `<folder>.edge-migrating/` from local mode's collections (only read);
   a crash leaves the old folder whole and the next run starts the copy again;
2. **complete**: every shard holds as many points as its collection; `migrated.json`
   is written in the copy;
3. **swap**: the local-mode folder becomes `<folder>.local-mode` (kept, to be deleted by
   hand once you are happy) and the copy takes its name. A crash between the two renames
   leaves a complete copy and no folder, which the next run puts in place.

An open refuses a folder with an unfinished copy beside it (`factory.embedded_engine`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from qdrant_client import QdrantClient
from qdrant_edge import CountRequest, EdgeShard, Point, UpdateOperation

from graphmem.config import GraphMemConfig
from graphmem.errors import ConfigError, StoreUnavailable
from graphmem.models.records import MemoryRecord
from graphmem.models.scope import PARTITION_FIELDS, SCOPE_FIELDS
from graphmem.stores.atomic_file import atomic_text_file
from graphmem.stores.vector.base import StepProgress, ignore_progress
from graphmem.stores.vector.edge_shards import create_shard, is_edge_folder, memory_payload
from graphmem.stores.vector.factory import (
    MIGRATION_COMPLETE,
    holds_local_mode,
    migration_folder,
    migration_pending,
)
from graphmem.stores.vector.qdrant_collections import recorded_model, stored_vector_size
from graphmem.stores.vector.qdrant_store import open_qdrant

logger = logging.getLogger(__name__)

BACKUP_SUFFIX = ".local-mode"
PAGE = 1024


@dataclass(frozen=True)
class MigrateSummary:
    """What a migration copied, and where the local-mode folder was kept (None when the
    data dir was already on Edge)."""

    memories: int
    entities: int
    embedder: str | None
    kept_local_mode_at: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def migrate_data_dir(
    config: GraphMemConfig, *, progress: StepProgress | None = None
) -> MigrateSummary:
    """Move `config`'s embedded vectors from local mode to Qdrant Edge.

    Raises:
        ConfigError: The vectors are on a Qdrant server (`qdrant_url`), or the local-mode
            collections record no embedding model and their vector size is unknown.
        StoreUnavailable: The folder is in use by another process, or a copy fell short.

    Example:
        >>> # migrate_data_dir(GraphMemConfig(data_dir="~/.graphmem")).kept_local_mode_at
    """
    if config.qdrant_url:
        raise ConfigError(
            "the vectors live on a Qdrant server; there is nothing to migrate", field="qdrant_url"
        )
    folder = config.qdrant_location()
    staging = migration_folder(folder)
    backup = folder.with_name(f"{folder.name}{BACKUP_SUFFIX}")
    report = progress or ignore_progress
    if migration_pending(folder) and not folder.exists():
        logger.warning("finishing an interrupted migrate: putting %s in place", staging)
        return _put_in_place(staging, folder, backup)
    if not holds_local_mode(folder):
        if staging.exists():
            shutil.rmtree(staging)
        state = "on Qdrant Edge" if is_edge_folder(folder) else "empty"
        logger.info("%s is %s: nothing to migrate", folder, state)
        return MigrateSummary(0, 0, None, None)
    if backup.exists():
        raise ConfigError(
            f"{backup} exists from an earlier migrate; move or delete it first",
            field="qdrant_path",
        )
    if staging.exists():
        logger.warning("dropping %s, left by an interrupted migrate", staging)
        shutil.rmtree(staging)
    client = open_qdrant(folder, None, None)
    try:
        prefix = config.collection_prefix
        counts = {
            label: _copy_collection(client, f"{prefix}_{label}", staging, fields, report)
            for label, fields in (("memories", SCOPE_FIELDS), ("entities", PARTITION_FIELDS))
        }
        model = recorded_model(client, f"{prefix}_memories")
    finally:
        client.close()
    with atomic_text_file(staging / MIGRATION_COMPLETE) as stream:
        json.dump(counts, stream)
    summary = _put_in_place(staging, folder, backup)
    return MigrateSummary(
        counts["memories"],
        counts["entities"],
        model.name if model else None,
        summary.kept_local_mode_at,
    )


def _copy_collection(
    client: QdrantClient, name: str, staging: Path, fields: tuple[str, ...], report: StepProgress
) -> int:
    """Copy collection `name`'s points into a new Edge shard under `staging`."""
    label = "memories" if name.endswith("_memories") else "entity names"
    if not client.collection_exists(name):
        return 0
    model = recorded_model(client, name)
    dims = model.dims if model else stored_vector_size(client, name)
    if dims is None:
        raise ConfigError(f"collection {name} has no single vector size; cannot migrate it")
    shard = create_shard(staging / name, dims, fields, model=model.name if model else None)
    as_edge = _memory_payload if label == "memories" else dict
    try:
        total, done = int(client.count(name, exact=True).count), 0
        step = f"copying {label}"
        report(step, 0, total)
        offset: Any = None
        while True:
            records, offset = client.scroll(
                name, limit=PAGE, offset=offset, with_payload=True, with_vectors=True
            )
            points = [
                Point(id=str(r.id), vector=_dense(r.vector), payload=as_edge(r.payload or {}))
                for r in records
            ]
            if points:
                shard.update(UpdateOperation.upsert_points(points))
            done += len(points)
            report(step, done, total)
            if offset is None:
                break
        _check_count(shard, name, total)
        return done
    finally:
        shard.flush()
        shard.close()


def _memory_payload(payload: dict[str, Any]) -> dict[str, Any]:
    return memory_payload(MemoryRecord.model_validate(payload))


def _dense(vector: Any) -> list[float]:
    if not isinstance(vector, list):
        raise StoreUnavailable("a local-mode point has no single dense vector; cannot migrate it")
    return [float(value) for value in vector]


def _check_count(shard: EdgeShard, name: str, expected: int) -> None:
    found = int(shard.count(CountRequest(exact=True)))
    if found != expected:
        raise StoreUnavailable(
            f"the Edge copy of {name} holds {found} points where {expected} were read; "
            "run `graphmem migrate` again with nothing else using the data dir"
        )


def _put_in_place(staging: Path, folder: Path, backup: Path) -> MigrateSummary:
    counts = json.loads((staging / MIGRATION_COMPLETE).read_text(encoding="utf-8"))
    if folder.exists():
        os.replace(folder, backup)
    os.replace(staging, folder)
    (folder / MIGRATION_COMPLETE).unlink()
    return MigrateSummary(
        int(counts.get("memories", 0)), int(counts.get("entities", 0)), None, str(backup)
    )
