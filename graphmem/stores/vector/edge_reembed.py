"""Re-embed graphmem's Qdrant Edge shards with another model, never losing a point.

A shard is a folder, so the rebuild goes through a staging copy per shard,
`<shard>.reembed`, and ends with renames:

1. **build**: each staging shard is made for the new model (`reembed: building` in its
   graphmem.json) and filled page by page: the old points' texts are embedded, their ids
   and payloads copied exactly. The old shards are only read; a crash leaves them whole
   and the next run drops the partial copies.
2. **complete**: once every copy holds as many points as its original, each is marked
   `reembed: complete`. From here on the copies are the truth.
3. **swap**: per shard, the original moves aside and the copy takes its name
   (`edge_shards.replace_folder`). A crash here leaves complete copies, which an open
   refuses to ignore and the next run swaps in before anything else.

The caller (`EdgeVectorStore.reembed`) closes its shards first and reopens them after.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qdrant_edge import CountRequest, EdgeShard, Point, Record, ScrollRequest, UpdateOperation

from graphmem.errors import StoreUnavailable
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.vector.base import EmbeddingModel, StepProgress, ignore_progress
from graphmem.stores.vector.edge_shards import (
    STATE_KEY,
    create_shard,
    load_shard,
    read_meta,
    recorded_model,
    replace_folder,
    write_meta,
)
from graphmem.stores.vector.qdrant_collections import unit_vectors

logger = logging.getLogger(__name__)

STAGING_SUFFIX = ".reembed"
BUILDING = "building"
COMPLETE = "complete"


@dataclass(frozen=True)
class EdgeCollection:
    """A shard whose vectors embed `text_of(payload)` of each point; `label` names its
    points in progress reports, `indexed` its keyword-indexed scope fields."""

    path: Path
    text_of: Callable[[dict[str, Any] | None], object]
    label: str
    indexed: tuple[str, ...]

    @property
    def staging(self) -> Path:
        return self.path.with_name(f"{self.path.name}{STAGING_SUFFIX}")


def unfinished_swaps(collections: Sequence[EdgeCollection]) -> list[Path]:
    """The complete staging copies an interrupted reembed had not yet swapped in (empty
    when none is pending; partial copies of an interrupted build do not count)."""
    staged = [c.staging for c in collections if c.staging.exists()]
    complete = [read_meta(path).get(STATE_KEY) == COMPLETE for path in staged]
    return staged if staged and all(complete) else []


def reembed_shards(
    collections: Sequence[EdgeCollection],
    embedder: Embedder,
    *,
    batch_size: int,
    progress: StepProgress | None = None,
) -> dict[Path, int]:
    """Rebuild every vector of `collections` (closed shards) with `embedder`.

    An earlier run interrupted in its swap phase is finished first; when it had re-embedded
    with this same model, that is all there is to do.
    """
    model = EmbeddingModel.of(embedder)
    report = progress or ignore_progress
    if unfinished_swaps(collections):
        logger.warning("finishing the swap of an interrupted reembed")
        _swap_in(collections, report)
        if all(recorded_model(c.path) == model for c in collections):
            return {c.path: _count_at(c.path) for c in collections}
    for collection in collections:
        if collection.staging.exists():
            logger.warning("dropping %s, left by an interrupted reembed", collection.staging)
            shutil.rmtree(collection.staging)
    counts = {c.path: _build_staging(c, embedder, batch_size, report) for c in collections}
    for collection in collections:
        write_meta(collection.staging, {**read_meta(collection.staging), STATE_KEY: COMPLETE})
    _swap_in(collections, report)
    return counts


def _build_staging(
    collection: EdgeCollection, embedder: Embedder, batch_size: int, report: StepProgress
) -> int:
    """Fill `collection.staging` with the points of `collection`, re-embedded."""
    step = f"re-embedding {collection.label}"
    source = load_shard(collection.path)
    target = create_shard(
        collection.staging,
        embedder.dims,
        collection.indexed,
        model=embedder.name,
        **{STATE_KEY: BUILDING},
    )
    try:
        total, done = source.count(CountRequest(exact=True)), 0
        report(step, 0, total)
        for page in pages(source, batch_size, with_vector=False):
            texts = [_text_of(record, collection) for record in page]
            points = [
                Point(id=record.id, vector=vector, payload=record.payload or {})
                for record, vector in zip(page, unit_vectors(embedder.embed(texts)), strict=True)
            ]
            target.update(UpdateOperation.upsert_points(points))
            done += len(page)
            report(step, done, total)
        _check_count(target, collection.staging, total)
        return done
    finally:
        for shard in (source, target):
            shard.flush()
            shard.close()


def _swap_in(collections: Sequence[EdgeCollection], report: StepProgress) -> None:
    """Replace each shard by its complete staging copy (those already swapped in have no
    copy left)."""
    for collection in collections:
        if not collection.staging.exists():
            continue
        step = f"swapping in {collection.label}"
        total = _count_at(collection.staging)
        report(step, 0, total)
        replace_folder(collection.staging, collection.path)
        meta = read_meta(collection.path)
        meta.pop(STATE_KEY, None)
        write_meta(collection.path, meta)
        report(step, total, total)


def pages(shard: EdgeShard, batch_size: int, *, with_vector: bool) -> Iterator[list[Record]]:
    """Every point of `shard`, `batch_size` at a time, in id order."""
    offset: Any = None
    while True:
        records, offset = shard.scroll(
            ScrollRequest(
                offset=offset, limit=batch_size, with_payload=True, with_vector=with_vector
            )
        )
        if records:
            yield records
        if offset is None:
            return


def _count_at(path: Path) -> int:
    shard = load_shard(path)
    try:
        return int(shard.count(CountRequest(exact=True)))
    finally:
        shard.close()


def _text_of(record: Record, collection: EdgeCollection) -> str:
    try:
        text = collection.text_of(record.payload)
    except (KeyError, ValueError) as exc:
        text = exc
    if not isinstance(text, str):
        raise StoreUnavailable(
            f"point {record.id} of {collection.path.name} has no text to embed; nothing was changed"
        )
    return text


def _check_count(shard: EdgeShard, path: Path, expected: int) -> None:
    found = int(shard.count(CountRequest(exact=True)))
    if found != expected:
        raise StoreUnavailable(
            f"{path.name} holds {found} points where {expected} were copied; run "
            "`graphmem reembed` again with nothing else using the data dir"
        )
