"""MemoEmbedder: embed each distinct text once while it lives.

One `add` embeds its facts to find neighbours, its entity names to find look-alikes, and
then the same texts again to store them. Wrapped for the length of one add, the embedder
is asked once per distinct text: with a paid embedding API, one request instead of three.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphmem.stores.embedders.base import Embedder


class MemoEmbedder:
    """Delegates to `inner`, remembering every vector it returned (so: keep it short-lived).

    Example:
        >>> from graphmem.stores.embedders.hash import HashEmbedder
        >>> memo = MemoEmbedder(HashEmbedder(dims=8))
        >>> memo.embed(["a", "b"]) == memo.embed(["a", "b"])
        True
    """

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner
        self._vectors: dict[str, list[float]] = {}

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def dims(self) -> int:
        return self._inner.dims

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._inner.embed(missing), strict=True))
        return [self._vectors[text] for text in texts]
