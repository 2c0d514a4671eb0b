"""Qdrant Edge shards as graphmem lays them out in one folder, and the lock that guards it.

    <folder>/graphmem.lock              held (flock) by the one process using the folder
    <folder>/<prefix>_memories/         an Edge shard: the memory records
    <folder>/<prefix>_entities/         an Edge shard: the entity names
    <folder>/<shard>/graphmem.json      the embedding model that made the shard's vectors

Edge has no collections and no collection metadata, so each collection is a shard folder
and the model is recorded in a small file beside Edge's own. A memory point's payload is
its scope ids and the record as one JSON string (`memory_payload`). Every shard gets keyword
indexes on its scope fields when it is made: without them a filtered search scans every
point's payload (75x slower at 100k points, and it once returned fewer hits than asked).

Edge's own WAL lock fails a second open of a shard and then breaks the first holder's
flushes, so graphmem takes its own lock on the folder before Edge sees it.

Vectors are stored as 8-bit TurboQuant codes (`VECTOR_DATATYPE`): Edge never builds an HNSW
index on a request path (see edge_store.py), so a search scans every point of the scope,
and the codes make that scan 3.5x faster than float32 (100k 384-d points, filtered top-30:
12.3 -> 3.5 ms) at recall@10 0.995-1.0 against the exact float scan and score errors below
0.003 (bench numbers in the README). Shards made before keep the datatype they were made
with; `graphmem reembed` rebuilds them with this one.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from qdrant_edge import (
    Distance,
    EdgeConfig,
    EdgeShard,
    EdgeVectorParams,
    FieldCondition,
    Filter,
    HasIdCondition,
    MatchValue,
    PayloadSchemaType,
    UpdateOperation,
    VectorStorageDatatype,
)

from graphmem.errors import StoreUnavailable
from graphmem.models.records import MemoryRecord
from graphmem.models.scope import Scope
from graphmem.stores.atomic_file import atomic_text_file
from graphmem.stores.vector.base import EmbeddingModel

LOCK_FILE = "graphmem.lock"
MODEL_FILE = "graphmem.json"
MODEL_KEY = "embedder"
DIMS_KEY = "embedding_dims"
STATE_KEY = "reembed"
RECORD_KEY = "record"
VECTOR_DATATYPE = VectorStorageDatatype.Turbo8


class FolderLock:
    """An exclusive lock on an Edge folder, held from open to close.

    Raises:
        StoreUnavailable: Another process (or another open Memory in this one) holds it.

    Example:
        >>> lock = FolderLock(Path("/tmp/graphmem-doc-edge"))
        >>> lock.release()
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / LOCK_FILE
        self._stream: IO[str] | None = self.path.open("a", encoding="utf-8")
        try:
            fcntl.flock(self._stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self._stream.close()
            self._stream = None
            raise StoreUnavailable(
                f"the data dir's vector folder is locked by another graphmem process "
                f"({self.path}): close it, or share one memory through the REST service"
            ) from exc

    def release(self) -> None:
        if self._stream is not None:
            self._stream.close()  # closing the file drops the flock
            self._stream = None


def is_edge_folder(folder: Path) -> bool:
    """Whether `folder` holds graphmem's Edge shards (rather than local mode's files)."""
    return (folder / LOCK_FILE).exists() or any(folder.glob(f"*/{MODEL_FILE}"))


def create_shard(
    path: Path, dims: int, indexed_fields: Sequence[str], *, model: str | None, **meta: Any
) -> EdgeShard:
    """A new, empty shard at `path` for `dims`-d unit vectors, its scope fields indexed,
    recording the model that makes them (None: not known, the first open adopts it)."""
    vectors = EdgeVectorParams(size=dims, distance=Distance.Dot, datatype=VECTOR_DATATYPE)
    config = EdgeConfig(vectors=vectors)
    shard = EdgeShard.create(str(path), config)
    for field in indexed_fields:
        shard.update(UpdateOperation.create_field_index(field, PayloadSchemaType.Keyword))
    shard.flush()
    recorded = {DIMS_KEY: dims} if model is None else {MODEL_KEY: model, DIMS_KEY: dims}
    write_meta(path, {**recorded, **meta})
    return shard


def load_shard(path: Path) -> EdgeShard:
    return EdgeShard.load(str(path))


def read_meta(path: Path) -> dict[str, Any]:
    """What graphmem recorded beside shard `path` (empty when nothing is)."""
    try:
        meta = json.loads((path / MODEL_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise StoreUnavailable(f"cannot read {path / MODEL_FILE}: {exc}") from exc
    return meta if isinstance(meta, dict) else {}


def write_meta(path: Path, meta: dict[str, Any]) -> None:
    with atomic_text_file(path / MODEL_FILE) as stream:
        json.dump(meta, stream)


def recorded_model(path: Path) -> EmbeddingModel | None:
    """The model recorded beside shard `path`; None when it records none."""
    meta = read_meta(path)
    name, dims = meta.get(MODEL_KEY), meta.get(DIMS_KEY)
    if not isinstance(name, str) or not isinstance(dims, int):
        return None
    return EmbeddingModel(name, dims)


def recorded_dims(path: Path) -> int | None:
    """The vector size recorded beside shard `path` (known even when the model is not)."""
    dims = read_meta(path).get(DIMS_KEY)
    return dims if isinstance(dims, int) else None


def record_model(path: Path, model: EmbeddingModel) -> None:
    """Record `model` beside shard `path`, keeping its other entries."""
    write_meta(path, {**read_meta(path), MODEL_KEY: model.name, DIMS_KEY: model.dims})


def memory_payload(record: MemoryRecord) -> dict[str, Any]:
    """A memory point's payload: its scope ids, for the filter, and the record as JSON.

    One JSON string instead of the record's fields: Edge's binding converts each payload
    value on its own, so a point with one string and its scope costs a third of one with
    the record's dozen fields, and the read side parses it with pydantic's JSON parser.
    """
    return {**record.scope_ids(), RECORD_KEY: record.model_dump_json()}


def memory_of(payload: dict[str, Any] | None) -> MemoryRecord:
    """The memory record a point's payload holds."""
    return MemoryRecord.model_validate_json((payload or {})[RECORD_KEY])


def memory_text(payload: dict[str, Any] | None) -> object:
    """What a memory point's vector embeds: the memory's text."""
    return memory_of(payload).memory


def entity_text(payload: dict[str, Any] | None) -> object:
    """What an entity point's vector embeds: the entity's name."""
    return (payload or {}).get("name")


def scope_filter(
    scope: Scope | None,
    fields: Sequence[str] | None = None,
    *,
    among: Sequence[str] | None = None,
) -> Filter | None:
    """Edge filter requiring every id the scope sets (limited to `fields` when given),
    and a point id `among` the given ones when given."""
    if scope is None:
        return None
    conditions: list[Any] = [
        FieldCondition(key=name, match=MatchValue(value))
        for name, value in scope.ids().items()
        if fields is None or name in fields
    ]
    if among is not None:
        conditions.append(HasIdCondition(set(among)))
    return Filter(must=conditions)


def replace_folder(staging: Path, target: Path) -> None:
    """Put `staging` where `target` is, by renames: `target` moves aside first, so a crash
    leaves either folder whole (`<target>.old` is dropped once the swap is done)."""
    aside = target.with_name(f"{target.name}.old")
    if aside.exists():
        shutil.rmtree(aside)
    if target.exists():
        os.replace(target, aside)
    os.replace(staging, target)
    if aside.exists():
        shutil.rmtree(aside)
