"""Save a BM25Index's state as one `.npz` file and read it back, never half-written.

`<folder>/index.npz` holds the state's numpy arrays plus `meta`, one array of UTF-8 JSON:
the format version, the scoring fingerprint, what the snapshot reflects (the history
watermark and the vector store) and the state's string lists. It is replaced atomically
(temp file, fsync, rename) and read with `allow_pickle=False`. A bad byte fails the zip's
CRC, a short file fails to open, and the arrays are checked to fit together before
anything indexes with them: each of these is a `SnapshotUnusable`, never a wrong answer.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, ValidationError

from graphmem.errors import GraphMemError
from graphmem.models.scope import SCOPE_FIELDS
from graphmem.stores.atomic_file import atomic_binary_file
from graphmem.stores.history import HistoryMark
from graphmem.stores.text.bm25 import scoring_fingerprint
from graphmem.stores.text.bm25_state import BM25State

FORMAT_VERSION = 1
SNAPSHOT_FILE = "index.npz"

_ARRAYS: dict[str, type[np.generic]] = {
    "score_data": np.float32,
    "score_indices": np.int32,
    "score_indptr": np.int64,
    "main_alive": np.bool_,
    "main_codes": np.int32,
    "doc_positions": np.int64,
    "doc_codes": np.int32,
    "token_ids": np.int32,
    "token_offsets": np.int64,
}


class SnapshotUnusable(GraphMemError):
    """The snapshot cannot be read, is of another format or scoring, or does not fit together."""


@dataclass(frozen=True)
class BM25Snapshot:
    """A saved BM25State and what it reflects.

    Attributes:
        state: The index's content.
        history_mark: The history's watermark at the save: the state holds every memory
            write up to it.
        source: The vector store its documents came from.
    """

    state: BM25State
    history_mark: HistoryMark
    source: str


class _Meta(BaseModel):
    """The JSON part of the file: scalars and the state's string lists."""

    model_config = ConfigDict(extra="forbid")

    format: int
    fingerprint: str
    history_rowid: int
    history_event_id: str | None
    source: str
    vocab_size: int
    main_total_length: int
    terms: list[str]
    main_doc_ids: list[str]
    delta_doc_ids: list[str]
    scope_values: list[list[str]]


def write_snapshot(folder: Path, snapshot: BM25Snapshot) -> None:
    """Replace `folder`/index.npz with `snapshot`; readers see the old file or the new one.

    Raises:
        OSError: The folder or file cannot be written (the old file is left as it was).
    """
    state = snapshot.state
    meta = _Meta(
        format=FORMAT_VERSION,
        fingerprint=scoring_fingerprint(),
        history_rowid=snapshot.history_mark.rowid,
        history_event_id=snapshot.history_mark.event_id,
        source=snapshot.source,
        vocab_size=state.vocab_size,
        main_total_length=state.main_total_length,
        terms=state.terms,
        main_doc_ids=state.main_doc_ids,
        delta_doc_ids=state.delta_doc_ids,
        scope_values=state.scope_values,
    )
    arrays = {name: getattr(state, name) for name in _ARRAYS}
    encoded = np.frombuffer(meta.model_dump_json().encode(), dtype=np.uint8)
    with atomic_binary_file(folder / SNAPSHOT_FILE) as stream:
        np.savez(stream, meta=encoded, **arrays)


def read_snapshot(folder: Path) -> BM25Snapshot | None:
    """The snapshot saved in `folder`, or None when there is none.

    Raises:
        SnapshotUnusable: The file is unreadable or corrupt, of another format version or
            scoring fingerprint, or its arrays do not fit together.
    """
    path = folder / SNAPSHOT_FILE
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            raw = json.loads(npz["meta"].tobytes())
            _check_version(raw)
            meta = _Meta.model_validate(raw)
            arrays = {name: np.asarray(npz[name], dtype=kind) for name, kind in _ARRAYS.items()}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        # ValueError covers bad JSON, a failed validation and an array that is not one.
        reason = "its meta does not validate" if isinstance(exc, ValidationError) else exc
        raise SnapshotUnusable(f"{path} cannot be read: {reason}") from exc
    state = BM25State(
        terms=meta.terms,
        vocab_size=meta.vocab_size,
        main_doc_ids=meta.main_doc_ids,
        main_total_length=meta.main_total_length,
        delta_doc_ids=meta.delta_doc_ids,
        scope_values=meta.scope_values,
        **arrays,
    )
    problem = _misfit(state)
    if problem is not None:
        raise SnapshotUnusable(f"{path} does not fit together: {problem}")
    return BM25Snapshot(state, HistoryMark(meta.history_rowid, meta.history_event_id), meta.source)


def _check_version(raw: Any) -> None:
    version = raw.get("format") if isinstance(raw, dict) else None
    if version != FORMAT_VERSION:
        raise SnapshotUnusable(f"snapshot format {version!r}, this graphmem reads {FORMAT_VERSION}")
    fingerprint = raw.get("fingerprint")
    if fingerprint != scoring_fingerprint():
        raise SnapshotUnusable(
            f"snapshot scored by {fingerprint!r}, this graphmem by {scoring_fingerprint()!r}"
        )


def _misfit(state: BM25State) -> str | None:
    """Why `state`'s parts do not fit together, or None when every index is in range.

    The checks run in order and each may rely on the ones before it.
    """
    fields, n_main, n_docs = len(SCOPE_FIELDS), len(state.main_doc_ids), state.documents
    positions, indptr = state.doc_positions, state.score_indptr
    in_main = positions[positions >= 0]
    checks: list[tuple[str, Callable[[], bool]]] = [
        ("scope value tables", lambda: len(state.scope_values) == fields),
        ("main doc ids", lambda: len(set(state.main_doc_ids)) == n_main),
        ("main alive flags", lambda: state.main_alive.shape == (n_main,)),
        ("main scope codes", lambda: _codes_fit(state.main_codes, n_main, state.scope_values)),
        ("document scope codes", lambda: _codes_fit(state.doc_codes, n_docs, state.scope_values)),
        ("terms", lambda: len(set(state.terms)) == len(state.terms)),
        ("vocabulary size", lambda: 0 <= state.vocab_size <= len(state.terms)),
        ("score pointers", lambda: _scores_cover_vocabulary(state)),
        ("score pointer values", lambda: _ascending(indptr, len(state.score_data))),
        ("score indices", lambda: state.score_indices.shape == state.score_data.shape),
        ("score index values", lambda: _within(state.score_indices, 0, n_main)),
        ("document positions", lambda: positions.ndim == 1 and _within(positions, -1, n_main)),
        ("delta doc ids", lambda: len(positions) - len(in_main) == len(state.delta_doc_ids)),
        ("live positions", lambda: _live_positions_fit(state.main_alive, in_main)),
        ("live doc ids", lambda: _unique_live_ids(state, in_main)),
        ("token offsets", lambda: _ascending(state.token_offsets, len(state.token_ids))),
        ("token offset count", lambda: len(state.token_offsets) == n_docs + 1),
        ("token ids", lambda: _within(state.token_ids, 0, len(state.terms))),
        ("main total length", lambda: state.main_total_length >= 0),
    ]
    return next((f"bad {what}" for what, fits in checks if not fits()), None)


def _scores_cover_vocabulary(state: BM25State) -> bool:
    """One score column per vocabulary token, but for bm25s's empty token, kept last."""
    scored = len(state.score_indptr) - 1
    size = state.vocab_size
    return scored == size or (scored == size - 1 and state.terms[scored] == "")


def _live_positions_fit(alive: NDArray[np.bool_], in_main: NDArray[np.int64]) -> bool:
    """Each live main position holds exactly one live document."""
    return bool(np.all(alive[in_main])) and len(np.unique(in_main)) == np.count_nonzero(alive)


def _unique_live_ids(state: BM25State, in_main: NDArray[np.int64]) -> bool:
    live = {state.main_doc_ids[pos] for pos in in_main.tolist()} | set(state.delta_doc_ids)
    return len(live) == state.documents


def _within(values: NDArray[Any], low: int, high: int) -> bool:
    """Every value in [low, high)."""
    return values.size == 0 or (int(values.min()) >= low and int(values.max()) < high)


def _ascending(offsets: NDArray[Any], end: int) -> bool:
    """Offsets from 0 to `end`, never decreasing."""
    return (
        offsets.ndim == 1
        and offsets.size > 0
        and int(offsets[0]) == 0
        and int(offsets[-1]) == end
        and bool(np.all(np.diff(offsets) >= 0))
    )


def _codes_fit(codes: NDArray[np.int32], columns: int, values: list[list[str]]) -> bool:
    """Shape (scope fields, `columns`), each code -1 or an index into its field's table."""
    return codes.shape == (len(values), columns) and all(
        _within(row, -1, len(table)) for row, table in zip(codes, values, strict=True)
    )
