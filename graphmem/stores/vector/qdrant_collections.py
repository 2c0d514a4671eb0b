"""Qdrant collections as graphmem makes them: DOT on unit vectors, scope payload indexes,
and the embedding model that made their vectors recorded in the collection's metadata.

Collection metadata (`create_collection(metadata=...)`, read back by `get_collection`) is
kept by qdrant-client's local mode in its folder's `meta.json` and by a Qdrant server
(1.16 or later) in the collection's config, so one mechanism serves both.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from qdrant_client import QdrantClient
from qdrant_client import models as qm

from graphmem.models.scope import SCOPE_FIELDS
from graphmem.stores.vector.base import EmbeddingModel, Vector

MODEL_KEY = "embedder"
DIMS_KEY = "embedding_dims"
UNIT_TOLERANCE = 1e-6
"""How far from 1 a vector's length may be for `unit_vectors` to take it as unit."""


def create_collection(
    client: QdrantClient,
    name: str,
    dims: int,
    model: EmbeddingModel | None,
    *,
    metadata: Mapping[str, Any] | None = None,
) -> None:
    """Create `name` for `dims`-d unit vectors, recording `model` (and `metadata`) with it."""
    recorded = {**model_metadata(model), **(metadata or {})}
    client.create_collection(
        name,
        vectors_config=qm.VectorParams(size=dims, distance=qm.Distance.DOT),
        metadata=recorded or None,
    )
    if not is_local(client):
        for field in SCOPE_FIELDS:
            client.create_payload_index(name, field, qm.PayloadSchemaType.KEYWORD)
    tune_local_persistence(client, [name])


def model_metadata(model: EmbeddingModel | None) -> dict[str, Any]:
    """The metadata entries that record `model` (none for None)."""
    return {} if model is None else {MODEL_KEY: model.name, DIMS_KEY: model.dims}


def collection_metadata(client: QdrantClient, name: str) -> dict[str, Any]:
    """The metadata stored with collection `name` (empty when it has none)."""
    metadata = client.get_collection(name).config.metadata
    return dict(metadata) if metadata else {}


def recorded_model(client: QdrantClient, name: str) -> EmbeddingModel | None:
    """The embedding model recorded with collection `name`; None for one made before
    graphmem recorded it (or on a server too old to keep collection metadata)."""
    metadata = collection_metadata(client, name)
    model_name, dims = metadata.get(MODEL_KEY), metadata.get(DIMS_KEY)
    if not isinstance(model_name, str) or not isinstance(dims, int):
        return None
    return EmbeddingModel(model_name, dims)


def record_model(client: QdrantClient, name: str, model: EmbeddingModel) -> None:
    """Record `model` with an existing collection (other metadata entries are kept)."""
    client.update_collection(name, metadata=model_metadata(model))


def stored_vector_size(client: QdrantClient, name: str) -> int | None:
    """The vector size of collection `name` (None for named or sparse vectors)."""
    vectors = client.get_collection(name).config.params.vectors
    return int(vectors.size) if isinstance(vectors, qm.VectorParams) else None


def tune_local_persistence(client: QdrantClient, names: Sequence[str]) -> None:
    """Local mode commits every point to SQLite; in WAL mode with synchronous=NORMAL a
    commit needs no fsync, so bulk writes run ~5x faster. A power cut may lose the last
    commits but never corrupts the file."""
    if not is_local(client):
        return
    for name in names:
        local: Any = client._client  # QdrantLocal: no public handle on its SQLite
        storage = local.collections[name].storage
        if storage is None:  # ":memory:" keeps nothing on disk
            continue
        storage.storage.execute("PRAGMA journal_mode=WAL")
        storage.storage.execute("PRAGMA synchronous=NORMAL")


def unit_vectors(vectors: Sequence[Vector]) -> list[list[float]]:
    """The vectors scaled to length 1 (a zero vector stays zero); already unit ones (as
    every embedder makes, within `UNIT_TOLERANCE`) are passed on as they are.

    Collections use the DOT distance on unit vectors, which is their cosine: local mode
    then ranks with one matrix product, where COSINE would re-normalise every stored
    vector on every search. (Collections made by older versions use COSINE; unit vectors
    give them the same scores.) Passing unit vectors on saves turning the scaled matrix
    back into lists, a third of what writing a point to Edge costs (and `math.hypot` checks
    a list's length three times faster than numpy can take the list in).
    """
    if all(abs(math.hypot(*vector) - 1.0) <= UNIT_TOLERANCE for vector in vectors):
        return [vector if isinstance(vector, list) else list(vector) for vector in vectors]
    matrix = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    scaled: list[list[float]] = (matrix / np.where(norms > 0.0, norms, 1.0)).tolist()
    return scaled


def is_local(client: QdrantClient) -> bool:
    """Whether `client` runs qdrant-client's local mode (in process) rather than a server."""
    return type(client._client).__name__ == "QdrantLocal"
