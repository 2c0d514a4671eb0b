"""OpenAIEmbedder: vectors from any OpenAI-compatible `/embeddings` endpoint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from graphmem.errors import ConfigError, StoreUnavailable

if TYPE_CHECKING:
    from openai import OpenAI

# Models that accept the `dimensions` parameter (they can shorten their native vectors).
_RESIZABLE_PREFIXES = ("text-embedding-3",)
# A key the client sends when the endpoint (e.g. a local server) needs none.
_NO_KEY = "not-needed"


class OpenAIEmbedder:
    """Embeds texts through the `openai` client, in batches, as unit vectors.

    Every response is checked against `dims` (so the first one already fails fast): a
    mismatch raises ConfigError naming both sizes, because vectors of another size cannot
    share the vector collection.

    Args:
        model: Embedding model name, e.g. "text-embedding-3-small".
        dims: Expected vector size; sent as `dimensions` to models that accept it.
        api_key: API key; None for endpoints that need none.
        base_url: OpenAI-compatible base URL; None for api.openai.com.
        timeout: Seconds per request.
        max_retries: Client-side retries per request.
        batch_size: Texts per request.

    Example:
        >>> embedder = OpenAIEmbedder("text-embedding-3-small", 384, api_key="sk-...")
        >>> embedder.name
        'openai:text-embedding-3-small'
    """

    def __init__(
        self,
        model: str,
        dims: int,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        *,
        max_retries: int = 2,
        batch_size: int = 256,
    ) -> None:
        from openai import OpenAI

        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._model = model
        self._dims = dims
        self._batch_size = batch_size
        self._endpoint = base_url or "https://api.openai.com/v1"
        self._send_dims = model.startswith(_RESIZABLE_PREFIXES)
        self._client: OpenAI = OpenAI(
            api_key=api_key or _NO_KEY,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
        )

    @property
    def name(self) -> str:
        return f"openai:{self._model}"

    @property
    def dims(self) -> int:
        return self._dims

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit-length vector per text, in order.

        Raises:
            StoreUnavailable: The endpoint failed or answered with something unusable.
            ConfigError: The endpoint's vectors are not `dims` long.
        """
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self._batch_size):
            vectors.extend(self._embed_batch(list(texts[start : start + self._batch_size])))
        return vectors

    def _embed_batch(self, batch: list[str]) -> list[list[float]]:
        kwargs: dict[str, Any] = {"model": self._model, "input": batch}
        if self._send_dims:
            kwargs["dimensions"] = self._dims
        try:
            response = self._client.embeddings.create(**kwargs)
            items = sorted(response.data, key=lambda item: item.index)
            vectors = [list(item.embedding) for item in items]
        except Exception as exc:  # openai errors, and malformed bodies the client lets through
            raise StoreUnavailable(
                f"embedding endpoint {self._endpoint} failed for model {self._model!r}: {exc}"
            ) from exc
        if len(vectors) != len(batch):
            raise StoreUnavailable(
                f"embedding endpoint {self._endpoint} returned {len(vectors)} vectors "
                f"for {len(batch)} texts"
            )
        sizes = {len(vector) for vector in vectors}
        if len(sizes) != 1:
            raise StoreUnavailable(f"embedding endpoint {self._endpoint} returned ragged vectors")
        self._check_dims(sizes.pop())
        try:
            matrix = np.asarray(vectors, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise StoreUnavailable(
                f"embedding endpoint {self._endpoint} returned non-numeric vectors"
            ) from exc
        return _unit_rows(matrix)

    def _check_dims(self, got: int) -> None:
        if got != self._dims:
            raise ConfigError(
                f"embedding model {self._model!r} returns {got}-dimensional vectors but "
                f"embedding_dims is {self._dims}; set GRAPHMEM_EMBEDDING_DIMS={got}"
            )


def _unit_rows(matrix: np.ndarray[Any, np.dtype[np.float64]]) -> list[list[float]]:
    """L2-normalise each row; an all-zero row is an endpoint fault, not a vector."""
    norms = np.linalg.norm(matrix, axis=1)
    if np.any(norms < 1e-12) or not np.all(np.isfinite(norms)):
        raise StoreUnavailable("embedding endpoint returned a zero or non-finite vector")
    rows: list[list[float]] = (matrix / norms[:, None]).tolist()
    return rows
