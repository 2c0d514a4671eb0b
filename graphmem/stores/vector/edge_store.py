"""The embedded VectorStore on Qdrant Edge: Qdrant's own engine, in process, on disk.

Two shards in one folder (`edge_shards.py`), as the server has two collections:
`<prefix>_memories` (payload = the memory record) and `<prefix>_entities` (payload =
entity id, name, type and partition). Every read carries the caller's scope in the filter,
which keyword indexes on the scope fields answer.

Durability: Edge writes each update to its WAL before it returns, so an acknowledged write
survives a crash of the process. The WAL is replayed on open; to keep that replay short,
the shards are flushed on close and whenever the points written since the last flush reach
FLUSH_FRACTION of the points stored (at least MIN_FLUSH): a flush costs time in proportion
to the shard's size, so a fixed interval would make writes slower as the store grows.

Edge's optimizer (HNSW building, vacuum) holds the GIL for its whole run, so it never runs
on a request path: filtered search on the appendable segment is sub-millisecond at 100k
points.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from qdrant_edge import (
    CountRequest,
    EdgeShard,
    Point,
    Query,
    QueryRequest,
    ScrollRequest,
    UpdateOperation,
)

from graphmem.errors import ConfigError, StoreUnavailable
from graphmem.models.records import Entity, MemoryRecord
from graphmem.models.scope import PARTITION_FIELDS, SCOPE_FIELDS, Scope
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.vector.base import (
    REEMBED_REMEDY,
    EmbeddingModel,
    MemoryPage,
    ReembedCounts,
    ScoredId,
    StepProgress,
    Vector,
)
from graphmem.stores.vector.edge_reembed import (
    EdgeCollection,
    reembed_shards,
    unfinished_swaps,
)
from graphmem.stores.vector.edge_shards import (
    FolderLock,
    create_shard,
    entity_text,
    load_shard,
    memory_of,
    memory_payload,
    memory_text,
    record_model,
    recorded_dims,
    recorded_model,
    scope_filter,
)
from graphmem.stores.vector.point_ids import page_cursor, point_ids
from graphmem.stores.vector.qdrant_collections import unit_vectors

if TYPE_CHECKING:
    from qdrant_edge import PointId  # a type in Edge's stubs only

logger = logging.getLogger(__name__)

MIN_FLUSH = 2_000
FLUSH_FRACTION = 0.1


T = TypeVar("T")


class EdgeVectorStore:
    """VectorStore over two Qdrant Edge shards under `folder`, locked for this process.

    Args:
        folder: The data dir's vector folder (made if missing).
        model: The embedder's name and dims, recorded with new shards and checked
            against existing ones.
        prefix: Shard folder name prefix.
        verify_model: False opens shards of any model without checking them: only for
            `reembed`, which is about to rebuild them.

    Raises:
        StoreUnavailable: Another process holds the folder, or Edge cannot open it.
        ConfigError: The shards were embedded by another model, or an interrupted
            `graphmem reembed` has not finished swapping in its copies.

    Example:
        >>> store = EdgeVectorStore(Path("/tmp/graphmem-doc-edge"), EmbeddingModel("hash-8", 8))
        >>> str(store.recorded_model())
        'hash-8 (8 dims)'
        >>> store.close()
    """

    def __init__(
        self,
        folder: Path,
        model: EmbeddingModel,
        *,
        prefix: str = "graphmem",
        verify_model: bool = True,
    ) -> None:
        self._folder = folder
        self._model = model
        self._memories = EdgeCollection(
            folder / f"{prefix}_memories", memory_text, "memories", SCOPE_FIELDS
        )
        self._entities = EdgeCollection(
            folder / f"{prefix}_entities", entity_text, "entity names", PARTITION_FIELDS
        )
        self._guard = threading.RLock()
        self._shards: dict[Path, EdgeShard] = {}
        self._unflushed = 0
        self._flush_at = MIN_FLUSH
        self._lock = FolderLock(folder)
        try:
            self._open_shards(verify_model)
        except BaseException:
            self._close_shards()
            self._lock.release()
            raise

    @property
    def engine(self) -> str:
        return "qdrant-edge"

    # -- opening ------------------------------------------------------------------------

    def _open_shards(self, verify_model: bool) -> None:
        collections = (self._memories, self._entities)
        if verify_model:
            staged = unfinished_swaps(collections)
            if staged:
                raise ConfigError(
                    f"an interrupted `graphmem reembed` left complete re-embedded copies "
                    f"({', '.join(path.name for path in staged)}) that are not yet swapped "
                    "in; run `graphmem reembed` again to finish (nothing is lost: the "
                    "copies hold every point)"
                )
        for collection in collections:
            path = collection.path
            try:
                if not path.exists():
                    self._shards[path] = create_shard(
                        path, self._model.dims, collection.indexed, model=self._model.name
                    )
                    continue
                self._shards[path] = load_shard(path)
            except Exception as exc:
                raise StoreUnavailable(f"cannot open the Qdrant Edge shard {path}: {exc}") from exc
            if verify_model:
                self._check_model(path)

    def _check_model(self, path: Path) -> None:
        """Refuse `path` if another model made its vectors; adopt it if it records none
        (migrated from local-mode collections made before models were recorded)."""
        recorded, dims = recorded_model(path), recorded_dims(path)
        if recorded is not None and recorded != self._model:
            raise ConfigError(
                f"shard {path.name} holds vectors of {recorded}, but the configured embedder "
                f"is {self._model}; vectors of two models never mix: {REEMBED_REMEDY}",
                field="embedder" if recorded.dims == self._model.dims else "embedding_dims",
            )
        if dims is not None and dims != self._model.dims:
            raise ConfigError(
                f"shard {path.name} holds {dims}-d vectors, but the configured embedder "
                f"{self._model.name} makes {self._model.dims}-d ones: {REEMBED_REMEDY}",
                field="embedding_dims",
            )
        if recorded is None:
            record_model(path, self._model)
            logger.info("shard %s recorded no embedding model: adopted as %s", path, self._model)

    def _call(self, action: Callable[[], T]) -> T:
        with self._guard:
            if not self._shards:
                raise StoreUnavailable("the Qdrant Edge store is closed")
            try:
                return action()
            except (ConfigError, StoreUnavailable):
                raise
            except Exception as exc:
                raise StoreUnavailable(f"Qdrant Edge call failed: {exc}") from exc

    def _shard(self, collection: EdgeCollection) -> EdgeShard:
        return self._shards[collection.path]

    def recorded_model(self) -> EmbeddingModel | None:
        return recorded_model(self._memories.path)

    def reembed(
        self,
        embedder: Embedder,
        *,
        batch_size: int = 256,
        progress: StepProgress | None = None,
    ) -> ReembedCounts:
        with self._guard:
            self._close_shards()
            try:
                counts = reembed_shards(
                    (self._memories, self._entities),
                    embedder,
                    batch_size=batch_size,
                    progress=progress,
                )
                self._model = EmbeddingModel.of(embedder)
            except (ConfigError, StoreUnavailable):
                raise
            except Exception as exc:
                raise StoreUnavailable(f"re-embedding the Edge shards failed: {exc}") from exc
            finally:
                self._open_shards(verify_model=False)
        return ReembedCounts(
            memories=counts[self._memories.path], entities=counts[self._entities.path]
        )

    # -- writes -------------------------------------------------------------------------

    def _update(self, collection: EdgeCollection, operation: UpdateOperation, points: int) -> None:
        def apply() -> None:
            shard = self._shard(collection)
            shard.update(operation)
            self._unflushed += points
            if self._unflushed >= self._flush_at:
                self._flush()

        self._call(apply)

    def _flush(self) -> None:
        stored = 0
        for shard in self._shards.values():
            shard.flush()
            stored += shard.info().points_count
        self._unflushed = 0
        self._flush_at = max(MIN_FLUSH, int(stored * FLUSH_FRACTION))

    def upsert_memories(self, records: Sequence[MemoryRecord], vectors: Sequence[Vector]) -> None:
        if records:
            points = [
                Point(id=record.id, vector=vector, payload=memory_payload(record))
                for record, vector in zip(records, unit_vectors(vectors), strict=True)
            ]
            self._update(self._memories, UpdateOperation.upsert_points(points), len(points))

    def delete_memories(self, memory_ids: Sequence[str]) -> None:
        ids = _ids(memory_ids)
        if ids:
            self._update(self._memories, UpdateOperation.delete_points(ids), len(ids))

    def upsert_entities(self, entities: Sequence[Entity], vectors: Sequence[Vector]) -> None:
        if entities:
            points = [
                Point(
                    id=entity.id,
                    vector=vector,
                    payload={
                        "name": entity.name,
                        "type": entity.type,
                        **entity.partition().as_dict(),
                    },
                )
                for entity, vector in zip(entities, unit_vectors(vectors), strict=True)
            ]
            self._update(self._entities, UpdateOperation.upsert_points(points), len(points))

    def delete_entities(self, entity_ids: Sequence[str]) -> None:
        ids = _ids(entity_ids)
        if ids:
            self._update(self._entities, UpdateOperation.delete_points(ids), len(ids))

    # -- reads --------------------------------------------------------------------------

    def get_memories(self, memory_ids: Sequence[str]) -> list[MemoryRecord]:
        ids = _ids(memory_ids)
        if not ids:
            return []
        shard = self._memories
        records = self._call(
            lambda: self._shard(shard).retrieve(ids, with_payload=True, with_vector=False)
        )
        by_id = {str(point.id): memory_of(point.payload) for point in records}
        return [by_id[memory_id] for memory_id in memory_ids if memory_id in by_id]

    def scroll_memories(
        self, scope: Scope | None, *, cursor: str | None = None, limit: int = 256
    ) -> MemoryPage:
        request = ScrollRequest(
            offset=page_cursor(cursor), limit=limit, filter=scope_filter(scope), with_payload=True
        )
        records, next_offset = self._call(lambda: self._shard(self._memories).scroll(request))
        page = [memory_of(record.payload) for record in records]
        return MemoryPage(page, str(next_offset) if next_offset is not None else None)

    def search_memories(
        self,
        vector: Vector,
        scope: Scope,
        *,
        limit: int,
        memory_ids: Sequence[str] | None = None,
    ) -> list[ScoredId]:
        allowed = None if memory_ids is None else point_ids(memory_ids)
        if allowed is not None and not allowed:
            return []
        return self._nearest(self._memories, vector, scope, limit, allowed)

    def search_entities(self, vector: Vector, scope: Scope, *, limit: int) -> list[ScoredId]:
        return self._nearest(self._entities, vector, scope, limit)

    def _nearest(
        self,
        collection: EdgeCollection,
        vector: Vector,
        scope: Scope,
        limit: int,
        allowed: Sequence[str] | None = None,
    ) -> list[ScoredId]:
        request = QueryRequest(
            limit=limit,
            query=Query.Nearest(unit_vectors([vector])[0]),
            filter=scope_filter(scope, collection.indexed, among=allowed),
            with_payload=False,
        )
        points = self._call(lambda: self._shard(collection).query(request))
        return [ScoredId(str(point.id), float(point.score)) for point in points]

    def count_memories(self, scope: Scope | None = None) -> int:
        request = CountRequest(exact=True, filter=scope_filter(scope))
        return int(self._call(lambda: self._shard(self._memories).count(request)))

    # -- lifecycle ----------------------------------------------------------------------

    def reset(self) -> None:
        with self._guard:
            self._close_shards()
            for collection in (self._memories, self._entities):
                for path in (collection.path, collection.staging):
                    if path.exists():
                        shutil.rmtree(path)
            self._open_shards(verify_model=False)

    def close(self) -> None:
        with self._guard:
            self._close_shards()
            self._lock.release()

    def _close_shards(self) -> None:
        shards, self._shards = self._shards, {}
        for path, shard in shards.items():
            try:
                shard.flush()
                shard.close()
            except Exception as exc:  # closing must never mask the caller's own error
                logger.warning("closing the Qdrant Edge shard %s failed: %s", path, exc)
        self._unflushed = 0


def _ids(ids: Sequence[str]) -> list[PointId]:
    return list(point_ids(ids))
