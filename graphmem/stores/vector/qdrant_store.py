"""The VectorStore on Qdrant: local mode on disk by default, a server by URL.

Two collections: `<prefix>_memories` (payload = the memory record) and `<prefix>_entities`
(payload = entity id, name, type and partition, for entity linking). Every read carries
the caller's scope in the payload filter.

Both collections record the embedding model (name and dims) that made their vectors
(`qdrant_collections.py`); an open with another model is refused, and collections made
before models were recorded are adopted by the first open whose dims fit.
`graphmem reembed` moves them to another model (`qdrant_reembed.py`).

Local mode keeps each collection in numpy arrays, lists and dicts that an upsert or delete
changes in several steps, with no lock of its own: a search in another thread meanwhile
fails ("index 6 is out of bounds", "operands could not be broadcast") or reads a torn
point. So in local mode every call holds the store's lock (calls are in-process and short;
a server client is thread-safe and takes none).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from qdrant_client import QdrantClient
from qdrant_client import models as qm

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
from graphmem.stores.vector.point_ids import page_cursor, point_ids
from graphmem.stores.vector.qdrant_collections import (
    create_collection,
    is_local,
    record_model,
    recorded_model,
    stored_vector_size,
    tune_local_persistence,
    unit_vectors,
)
from graphmem.stores.vector.qdrant_reembed import (
    EmbeddedCollection,
    reembed_collections,
    unfinished_swaps,
)

logger = logging.getLogger(__name__)


# Local mode ranks this many times the asked-for points unfiltered before it falls back
# to Qdrant's filter (see `QdrantVectorStore._nearest`); at least MIN_OVERFETCH points.
OVERFETCH = 4
MIN_OVERFETCH = 64


def open_qdrant(path: Path | None, url: str | None, api_key: str | None) -> QdrantClient:
    """Open Qdrant local mode at `path` or a server at `url`; a locked folder: StoreUnavailable."""
    try:
        if url:
            return QdrantClient(url=url, api_key=api_key, timeout=30)
        assert path is not None
        path.mkdir(parents=True, exist_ok=True)
        return QdrantClient(path=str(path))
    except RuntimeError as exc:
        if "already accessed" in str(exc):
            raise StoreUnavailable(
                f"the data dir's Qdrant folder {path} is locked by another graphmem process "
                "(Qdrant local mode allows one process per folder): close it, or share one "
                "memory through the REST service or a Qdrant server"
            ) from exc
        raise StoreUnavailable(f"cannot open Qdrant: {exc}") from exc
    except Exception as exc:
        raise StoreUnavailable(f"cannot open Qdrant at {url or path}: {exc}") from exc


def scope_ids(scope: Scope, fields: Sequence[str] | None = None) -> dict[str, str]:
    """The ids `scope` sets, limited to `fields` when given (entities have no run_id)."""
    return {name: value for name, value in scope.ids().items() if fields is None or name in fields}


def scope_filter(scope: Scope | None, *, fields: Sequence[str] | None = None) -> qm.Filter | None:
    """Qdrant filter requiring every id the scope sets (limited to `fields` when given)."""
    if scope is None:
        return None
    ids = scope_ids(scope, fields)
    return qm.Filter(
        must=[
            qm.FieldCondition(key=name, match=qm.MatchValue(value=value))
            for name, value in ids.items()
        ]
    )


class QdrantVectorStore:
    """VectorStore over one Qdrant client.

    Args:
        client: Qdrant local mode or a server.
        dims: Vector size of the embedder.
        prefix: Collection name prefix.
        model: The embedder's name, recorded with new collections and checked against
            existing ones; None (bare stores in tests) records nothing and checks dims only.
        verify_model: False opens collections of any model without checking or adopting
            them: only for `reembed`, which is about to rebuild them.

    Raises:
        ConfigError: The collections were embedded by another model or for other dims, or
            an interrupted `graphmem reembed` has not finished swapping in its copies.

    Example:
        >>> store = QdrantVectorStore(QdrantClient(":memory:"), dims=8, model="hash-8")
        >>> store.count_memories(), str(store.recorded_model())
        (0, 'hash-8 (8 dims)')
    """

    def __init__(
        self,
        client: QdrantClient,
        *,
        dims: int,
        prefix: str = "graphmem",
        model: str | None = None,
        verify_model: bool = True,
    ) -> None:
        self._client = client
        self._guard: AbstractContextManager[object] = (
            threading.RLock() if is_local(client) else nullcontext()
        )
        self._dims = dims
        self._model_name = model
        self._verify_model = verify_model
        self._memories = f"{prefix}_memories"
        self._entities = f"{prefix}_entities"
        self._embedded = (
            EmbeddedCollection(self._memories, text_field="memory", label="memories"),
            EmbeddedCollection(self._entities, text_field="name", label="entity names"),
        )
        self._call(self._ensure_collections)

    @property
    def engine(self) -> str:
        return "qdrant-local" if is_local(self._client) else "qdrant-server"

    def _call(self, action: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            with self._guard:
                return action(*args, **kwargs)
        except (ConfigError, StoreUnavailable):
            raise
        except Exception as exc:
            raise StoreUnavailable(f"Qdrant call failed: {exc}") from exc

    @property
    def _model(self) -> EmbeddingModel | None:
        return None if self._model_name is None else EmbeddingModel(self._model_name, self._dims)

    def _ensure_collections(self) -> None:
        if self._verify_model:
            self._refuse_unfinished_reembed()
        for name in (self._memories, self._entities):
            if not self._client.collection_exists(name):
                create_collection(self._client, name, self._dims, self._model)
            elif self._verify_model:
                self._check_model(name)
        tune_local_persistence(self._client, [self._memories, self._entities])

    def _refuse_unfinished_reembed(self) -> None:
        staged = unfinished_swaps(self._client, self._embedded)
        if staged:
            raise ConfigError(
                f"an interrupted `graphmem reembed` left complete re-embedded copies "
                f"({', '.join(staged)}) that are not yet swapped in; run `graphmem reembed` "
                "again to finish (nothing is lost: the copies hold every point)"
            )

    def _check_model(self, name: str) -> None:
        """Refuse `name` if another model made its vectors; adopt it if it records none."""
        recorded = recorded_model(self._client, name)
        size = stored_vector_size(self._client, name)
        current = self._model
        if recorded is not None and current is not None and recorded != current:
            raise ConfigError(
                f"collection {name} holds vectors of {recorded}, but the configured "
                f"embedder is {current}; vectors of two models never mix: {REEMBED_REMEDY}",
                field="embedder",
            )
        if size is not None and size != self._dims:
            made_by = "" if recorded else " (made before graphmem recorded the model)"
            embedder = f"embedder {current.name}" if current else "embedder"
            raise ConfigError(
                f"collection {name} holds {size}-d vectors{made_by}, but the configured "
                f"{embedder} makes {self._dims}-d ones: {REEMBED_REMEDY}",
                field="embedding_dims",
            )
        if recorded is None and current is not None:
            record_model(self._client, name, current)
            logger.info("collection %s recorded no embedding model: adopted as %s", name, current)

    def recorded_model(self) -> EmbeddingModel | None:
        model: EmbeddingModel | None = self._call(recorded_model, self._client, self._memories)
        return model

    def reembed(
        self,
        embedder: Embedder,
        *,
        batch_size: int = 256,
        progress: StepProgress | None = None,
    ) -> ReembedCounts:
        counts = self._call(
            reembed_collections,
            self._client,
            self._embedded,
            embedder,
            batch_size=batch_size,
            progress=progress,
        )
        self._dims, self._model_name = embedder.dims, embedder.name
        return ReembedCounts(memories=counts[self._memories], entities=counts[self._entities])

    # -- memories -----------------------------------------------------------------------

    def upsert_memories(self, records: Sequence[MemoryRecord], vectors: Sequence[Vector]) -> None:
        if not records:
            return
        batch = qm.Batch(
            ids=[record.id for record in records],
            vectors=unit_vectors(vectors),
            payloads=[record.model_dump(mode="json") for record in records],
        )
        self._call(self._client.upsert, self._memories, points=batch, wait=True)

    def get_memories(self, memory_ids: Sequence[str]) -> list[MemoryRecord]:
        ids = point_ids(memory_ids)
        if not ids:
            return []
        points = self._call(self._client.retrieve, self._memories, ids=ids)
        by_id = {str(point.id): MemoryRecord.model_validate(point.payload) for point in points}
        return [by_id[memory_id] for memory_id in memory_ids if memory_id in by_id]

    def scroll_memories(
        self, scope: Scope | None, *, cursor: str | None = None, limit: int = 256
    ) -> MemoryPage:
        points, next_offset = self._call(
            self._client.scroll,
            self._memories,
            scroll_filter=scope_filter(scope),
            limit=limit,
            offset=page_cursor(cursor),
        )
        records = [MemoryRecord.model_validate(point.payload) for point in points]
        return MemoryPage(records, str(next_offset) if next_offset is not None else None)

    def search_memories(
        self,
        vector: Vector,
        scope: Scope,
        *,
        limit: int,
        memory_ids: Sequence[str] | None = None,
    ) -> list[ScoredId]:
        allowed = set(point_ids(memory_ids)) if memory_ids is not None else None
        if allowed is not None and not allowed:
            return []
        return self._nearest(self._memories, vector, scope, SCOPE_FIELDS, limit, allowed)

    def _nearest(
        self,
        collection: str,
        vector: Vector,
        scope: Scope,
        fields: Sequence[str],
        limit: int,
        allowed: set[str] | None = None,
    ) -> list[ScoredId]:
        """The `limit` nearest points of `collection` that `scope` sees (on `fields`),
        among the `allowed` ids when given.

        Qdrant's local mode checks a filter point by point in Python (2.6 s per search at
        100k points), but ranks unfiltered points in numpy. So in local mode the nearest
        `OVERFETCH`-times-more points are ranked unfiltered and kept if in scope: when at
        least `limit` of them are, they are exactly the scope's nearest (every other point
        of the scope ranks below them); when the collection holds fewer points than were
        asked for, every point was seen. Otherwise, and on a server, Qdrant filters.
        """
        wanted = scope_ids(scope, fields)
        query = unit_vectors([vector])[0]
        if is_local(self._client):
            asked = max(limit * OVERFETCH, MIN_OVERFETCH)
            response = self._call(
                self._client.query_points,
                collection,
                query=query,
                limit=asked,
                with_payload=list(wanted),
            )
            seen = [
                point
                for point in response.points
                if (allowed is None or str(point.id) in allowed)
                and all((point.payload or {}).get(name) == value for name, value in wanted.items())
            ]
            if len(seen) >= limit or len(response.points) < asked:
                return [ScoredId(str(point.id), float(point.score)) for point in seen[:limit]]
        query_filter = scope_filter(scope, fields=fields)
        assert query_filter is not None
        if allowed is not None:
            query_filter.must = [
                *_as_list(query_filter.must),
                qm.HasIdCondition(has_id=sorted(allowed)),
            ]
        response = self._call(
            self._client.query_points,
            collection,
            query=query,
            query_filter=query_filter,
            limit=limit,
            with_payload=False,
        )
        return [ScoredId(str(point.id), float(point.score)) for point in response.points]

    def delete_memories(self, memory_ids: Sequence[str]) -> None:
        ids: list[qm.ExtendedPointId] = list(point_ids(memory_ids))
        if ids:
            self._call(
                self._client.delete,
                self._memories,
                points_selector=qm.PointIdsList(points=ids),
                wait=True,
            )

    def count_memories(self, scope: Scope | None = None) -> int:
        result = self._call(
            self._client.count, self._memories, count_filter=scope_filter(scope), exact=True
        )
        return int(result.count)

    # -- entity names -------------------------------------------------------------------

    def upsert_entities(self, entities: Sequence[Entity], vectors: Sequence[Vector]) -> None:
        if not entities:
            return
        batch = qm.Batch(
            ids=[entity.id for entity in entities],
            vectors=unit_vectors(vectors),
            payloads=[
                {"name": entity.name, "type": entity.type, **entity.partition().as_dict()}
                for entity in entities
            ],
        )
        self._call(self._client.upsert, self._entities, points=batch, wait=True)

    def search_entities(self, vector: Vector, scope: Scope, *, limit: int) -> list[ScoredId]:
        return self._nearest(self._entities, vector, scope, PARTITION_FIELDS, limit)

    def delete_entities(self, entity_ids: Sequence[str]) -> None:
        ids: list[qm.ExtendedPointId] = list(point_ids(entity_ids))
        if ids:
            self._call(
                self._client.delete,
                self._entities,
                points_selector=qm.PointIdsList(points=ids),
                wait=True,
            )

    def reset(self) -> None:
        for collection in self._embedded:
            for name in (collection.name, collection.staging):
                if self._call(self._client.collection_exists, name):
                    self._call(self._client.delete_collection, name)
        self._call(self._ensure_collections)

    def close(self) -> None:
        try:
            with self._guard:
                self._client.close()
        except Exception as exc:  # closing must never mask the caller's own error
            logger.warning("closing Qdrant failed: %s", exc)


def _as_list(conditions: Any) -> list[Any]:
    if conditions is None:
        return []
    return list(conditions) if isinstance(conditions, list) else [conditions]
