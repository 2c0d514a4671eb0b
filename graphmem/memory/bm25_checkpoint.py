"""Load a Memory's BM25 index from its snapshot plus the history since, or rebuild it.

BM25 is derived from the memories in the vector store, the source of truth; indexing them
all again costs seconds at 100k memories. So `Memory.close` and `import_records` save the
index in `<data_dir>/bm25/` with the history's watermark, and the next open resumes it:
every memory write appends its history events in the same unit of work, so the memories
named by events after the watermark are the only ones that can differ from the snapshot
(also after a crash that skipped the save). Their current records are read from the
vector store and re-added, or removed when gone.

It indexes every memory from the vector store instead, and logs why, when:

- there is no snapshot, or it is unreadable, of another format or scoring, or of other
  vectors (another `qdrant_path` or `collection_prefix`);
- the history no longer holds the watermark (`reset`, or a replaced history file);
- more memories changed than `max_replay_fraction` of the snapshot's documents;
- caught up, the index counts other documents than the vector store counts memories (a
  write this history never saw).

Vectors on a Qdrant server are never snapshotted: other processes may write them, and
their history lives in other data dirs.
"""

from __future__ import annotations

import logging
from pathlib import Path

from graphmem.config import GraphMemConfig
from graphmem.errors import StoreUnavailable
from graphmem.memory.backends import Backends
from graphmem.stores.history import HistoryMark
from graphmem.stores.text.bm25 import BM25Document
from graphmem.stores.text.bm25_snapshot import (
    BM25Snapshot,
    SnapshotUnusable,
    read_snapshot,
    write_snapshot,
)
from graphmem.stores.vector.base import VectorStore, memory_pages

logger = logging.getLogger(__name__)

MAX_REPLAY_FRACTION = 0.2
"""Changed memories, as a fraction of the snapshot, above which indexing all is as cheap."""
_PAGE = 1024


class BM25Checkpoint:
    """Where a Memory's BM25 snapshot lives, and which snapshot its index matches.

    Args:
        folder: The snapshot's folder; None never saves one (vectors on a server).
        source: Names the vector store the documents come from.
        max_replay_fraction: See `MAX_REPLAY_FRACTION`.

    Example:
        >>> checkpoint = BM25Checkpoint.for_config(GraphMemConfig(data_dir="/tmp/gm"))
        >>> # checkpoint.load(backends) on first need; checkpoint.save(backends) at close
    """

    def __init__(
        self,
        folder: Path | None,
        source: str,
        *,
        max_replay_fraction: float = MAX_REPLAY_FRACTION,
    ) -> None:
        self._folder = folder
        self._source = source
        self._max_replay_fraction = max_replay_fraction
        self._saved: HistoryMark | None = None
        """The watermark of the snapshot on disk, while the index holds nothing newer."""

    @classmethod
    def for_config(cls, config: GraphMemConfig) -> BM25Checkpoint:
        """`<data_dir>/bm25/` for embedded vectors; no snapshot for a Qdrant server."""
        if config.qdrant_url:
            return cls(None, config.qdrant_url)
        vectors = str(config.qdrant_path.resolve()) if config.qdrant_path else "<data_dir>/qdrant"
        return cls(config.data_dir / "bm25", f"{config.collection_prefix} in {vectors}")

    def load(self, backends: Backends) -> None:
        """Fill `backends.bm25` from the snapshot and the history since, else from scratch."""
        if self._folder is None or not self._resume(self._folder, backends):
            backends.bm25.bulk_load(_all_documents(backends.vectors))
            self._saved = None

    def save(self, backends: Backends) -> None:
        """Snapshot the index, unless the one on disk already matches it; failures are
        logged, not raised (the next open rebuilds, or replays more history)."""
        if self._folder is None:
            return
        try:
            mark = backends.history.watermark()
            if mark == self._saved:
                return
            snapshot = BM25Snapshot(backends.bm25.export_state(), mark, self._source)
            write_snapshot(self._folder, snapshot)
        except (OSError, StoreUnavailable) as exc:
            logger.warning("BM25 snapshot not saved in %s: %s", self._folder, exc)
            return
        self._saved = mark
        logger.info("BM25 snapshot saved: %d documents", snapshot.state.documents)

    def _resume(self, folder: Path, backends: Backends) -> bool:
        """Restore the snapshot and catch it up; False (index unspecified) to rebuild."""
        try:
            snapshot = read_snapshot(folder)
        except SnapshotUnusable as exc:
            return _rebuilding(exc.message, logging.WARNING)
        if snapshot is None:
            return _rebuilding("no snapshot yet")
        if snapshot.source != self._source:
            return _rebuilding(f"the snapshot is of {snapshot.source!r}, not {self._source!r}")
        changed = backends.history.memory_ids_since(snapshot.history_mark)
        if changed is None:
            return _rebuilding("the history no longer holds the snapshot's watermark")
        documents = snapshot.state.documents
        if len(changed) > self._max_replay_fraction * documents:
            return _rebuilding(f"{len(changed)} memories changed since the snapshot of {documents}")
        backends.bm25.restore_state(snapshot.state)
        _catch_up(backends, sorted(changed))
        memories = backends.vectors.count_memories(None)
        if len(backends.bm25) != memories:
            return _rebuilding(
                f"caught up, the index holds {len(backends.bm25)} documents for {memories} "
                "memories",
                logging.WARNING,
            )
        self._saved = snapshot.history_mark
        logger.info("BM25 index resumed: %d documents, %d changed since", memories, len(changed))
        return True


def _rebuilding(reason: str, level: int = logging.INFO) -> bool:
    """Log why the index is built from the vector store; False, for `_resume` to return."""
    logger.log(level, "BM25 index built from the vector store: %s", reason)
    return False


def _catch_up(backends: Backends, memory_ids: list[str]) -> None:
    """Re-add the current records of `memory_ids`; remove those that are gone."""
    for start in range(0, len(memory_ids), _PAGE):
        batch = memory_ids[start : start + _PAGE]
        records = backends.vectors.get_memories(batch)  # unknown ids: none
        present = {record.id for record in records}
        backends.bm25.remove([memory_id for memory_id in batch if memory_id not in present])
        backends.bm25.add([(record.id, record.memory, record.scope_ids()) for record in records])


def _all_documents(vectors: VectorStore) -> list[BM25Document]:
    """Every memory of every scope, as BM25 documents."""
    return [
        (record.id, record.memory, record.scope_ids())
        for page in memory_pages(vectors, None, page_size=_PAGE)
        for record in page
    ]
