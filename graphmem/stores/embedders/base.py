"""The Embedder contract: texts in, L2-normalised float vectors of a fixed size out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Embedder(Protocol):
    """Turns texts into vectors; `name` says which model, for start-up logs and stats."""

    @property
    def name(self) -> str: ...

    @property
    def dims(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit-length vector per text, in order; raises StoreUnavailable on failure."""
        ...


def is_lexical(embedder_name: str) -> bool:
    """Whether the embedder of this name is the hash embedder, whose cosines measure word
    overlap rather than meaning (retrieval weighs and calibrates its vectors apart).

    Example:
        >>> is_lexical("hash-384"), is_lexical("local:all-MiniLM-L6-v2-int8")
        (True, False)
    """
    return embedder_name.startswith("hash-")
