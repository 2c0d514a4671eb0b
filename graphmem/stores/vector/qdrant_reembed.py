"""Re-embed graphmem's Qdrant collections with another model, never losing a point.

Qdrant cannot rename a collection, so the rebuild goes through a staging copy per
collection, `<name>_reembed`:

1. **build**: each staging collection is created for the new model's dims (metadata
   `reembed: building`) and filled page by page: the old points' texts are embedded, their
   ids and payloads copied exactly. The old collections are only read. A crash here leaves
   them whole; the next run drops the partial copies and starts again.
2. **complete**: once every copy holds as many points as its original, each is marked
   `reembed: complete`. From here on the copies are the truth.
3. **swap**: per collection, the original is dropped, made again for the new dims with
   the model recorded, the copy's points (vectors and payloads) are copied into it, and
   the copy is dropped. A crash here leaves complete copies, which an open refuses to
   ignore (`unfinished_swaps`) and the next run swaps in before anything else.

A run is in its swap phase when at least one staging copy exists and every one that
exists is complete (a copy is dropped only after its original was refilled, and every
copy was marked complete before the first swap).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from qdrant_client import QdrantClient
from qdrant_client import models as qm

from graphmem.errors import StoreUnavailable
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.vector.base import EmbeddingModel, StepProgress, ignore_progress
from graphmem.stores.vector.qdrant_collections import (
    collection_metadata,
    create_collection,
    recorded_model,
    unit_vectors,
)

logger = logging.getLogger(__name__)

STAGING_SUFFIX = "_reembed"
STATE_KEY = "reembed"
BUILDING = "building"
COMPLETE = "complete"


@dataclass(frozen=True)
class EmbeddedCollection:
    """A collection whose vectors embed the payload field `text_field` of each point;
    `label` names its points in progress reports ("memories")."""

    name: str
    text_field: str
    label: str

    @property
    def staging(self) -> str:
        return f"{self.name}{STAGING_SUFFIX}"


def reembed_collections(
    client: QdrantClient,
    collections: Sequence[EmbeddedCollection],
    embedder: Embedder,
    *,
    batch_size: int,
    progress: StepProgress | None = None,
) -> dict[str, int]:
    """Rebuild every vector of `collections` with `embedder`; points re-embedded by name.

    An earlier run interrupted in its swap phase is finished first; when it had re-embedded
    with this same model, that is all there is to do.
    """
    model = EmbeddingModel.of(embedder)
    report = progress or ignore_progress
    if unfinished_swaps(client, collections):
        logger.warning("finishing the swap of an interrupted reembed")
        _swap_in(client, collections, batch_size, report)
        if all(recorded_model(client, c.name) == model for c in collections):
            return {c.name: _count(client, c.name) for c in collections}
    for collection in collections:
        if client.collection_exists(collection.staging):
            logger.warning("dropping %s, left by an interrupted reembed", collection.staging)
            client.delete_collection(collection.staging)
    counts = {c.name: _build_staging(client, c, embedder, batch_size, report) for c in collections}
    for collection in collections:
        client.update_collection(collection.staging, metadata={STATE_KEY: COMPLETE})
    _swap_in(client, collections, batch_size, report)
    return counts


def unfinished_swaps(client: QdrantClient, collections: Sequence[EmbeddedCollection]) -> list[str]:
    """The complete staging copies an interrupted reembed had not yet swapped in (empty
    when none is pending; partial copies of an interrupted build do not count)."""
    staged = [c.staging for c in collections if client.collection_exists(c.staging)]
    states = [collection_metadata(client, name).get(STATE_KEY) for name in staged]
    return staged if staged and all(state == COMPLETE for state in states) else []


def _build_staging(
    client: QdrantClient,
    collection: EmbeddedCollection,
    embedder: Embedder,
    batch_size: int,
    report: StepProgress,
) -> int:
    """Fill `collection.staging` with the points of `collection`, re-embedded."""
    model = EmbeddingModel.of(embedder)
    create_collection(client, collection.staging, model.dims, model, metadata={STATE_KEY: BUILDING})
    step = f"re-embedding {collection.label}"
    total, done = _count(client, collection.name), 0
    report(step, 0, total)
    for page in _pages(client, collection.name, batch_size, with_vectors=False):
        texts = [_text_of(point, collection) for point in page]
        batch = qm.Batch(
            ids=[point.id for point in page],
            vectors=unit_vectors(embedder.embed(texts)),
            payloads=[point.payload or {} for point in page],
        )
        client.upsert(collection.staging, points=batch, wait=True)
        done += len(page)
        report(step, done, total)
    _check_count(client, collection.staging, total)
    return done


def _swap_in(
    client: QdrantClient,
    collections: Sequence[EmbeddedCollection],
    batch_size: int,
    report: StepProgress,
) -> None:
    """Replace each collection by its complete staging copy (those already swapped in
    have no copy left)."""
    for collection in collections:
        if not client.collection_exists(collection.staging):
            continue
        model = recorded_model(client, collection.staging)
        if model is None:
            raise StoreUnavailable(f"{collection.staging} records no embedding model")
        if client.collection_exists(collection.name):
            client.delete_collection(collection.name)
        create_collection(client, collection.name, model.dims, model)
        _copy_points(client, collection, batch_size, report)
        client.delete_collection(collection.staging)


def _copy_points(
    client: QdrantClient, collection: EmbeddedCollection, batch_size: int, report: StepProgress
) -> None:
    """Copy every point of the staging copy, as stored, into the collection itself."""
    step = f"swapping in {collection.label}"
    total, done = _count(client, collection.staging), 0
    report(step, 0, total)
    for page in _pages(client, collection.staging, batch_size, with_vectors=True):
        points = [qm.PointStruct(id=p.id, vector=p.vector or [], payload=p.payload) for p in page]
        client.upsert(collection.name, points=points, wait=True)
        done += len(page)
        report(step, done, total)
    _check_count(client, collection.name, total)


def _pages(
    client: QdrantClient, name: str, batch_size: int, *, with_vectors: bool
) -> Iterator[list[qm.Record]]:
    offset: Any = None
    while True:
        points, offset = client.scroll(
            name, limit=batch_size, offset=offset, with_payload=True, with_vectors=with_vectors
        )
        if points:
            yield points
        if offset is None:
            return


def _text_of(point: qm.Record, collection: EmbeddedCollection) -> str:
    text = (point.payload or {}).get(collection.text_field)
    if not isinstance(text, str):
        raise StoreUnavailable(
            f"point {point.id} of {collection.name} has no {collection.text_field!r} text to "
            "embed; nothing was changed"
        )
    return text


def _check_count(client: QdrantClient, name: str, expected: int) -> None:
    """A copy must hold every point: a write by another process meanwhile would be lost."""
    found = _count(client, name)
    if found != expected:
        raise StoreUnavailable(
            f"{name} holds {found} points where {expected} were copied; was the data dir "
            "written to during the reembed? Run `graphmem reembed` again with nothing else "
            "using it"
        )


def _count(client: QdrantClient, name: str) -> int:
    return int(client.count(name, exact=True).count)
