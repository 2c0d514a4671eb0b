"""HashEmbedder: deterministic lexical vectors with no model, the offline fallback.

Each word contributes a signed, hashed feature for its light stem (so "works" and
"working" share one) plus smaller features for its character trigrams (so typos and
inflections still overlap). Hashes come from blake2b, never Python's salted `hash`, so a
text maps to the same vector in every process and on every machine.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

_WORD = re.compile(r"\w+")
_WORD_WEIGHT = 1.0
# Total L2 weight of one word's trigrams; below the word itself so whole-word matches lead.
_TRIGRAM_WEIGHT = 0.5
_FEATURE_CACHE_SIZE = 200_000
# Texts per bincount pass; bounds the scratch array to _CHUNK * dims floats.
_CHUNK = 4096

TokenFeatures = tuple[NDArray[np.int64], NDArray[np.float64]]


def light_stem(word: str) -> str:
    """Strip one common English suffix so inflected forms share a feature.

    Example:
        >>> [light_stem(w) for w in ("works", "working", "worked", "cities")]
        ['work', 'work', 'work', 'city']
    """
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _stable_hash(feature: str) -> int:
    return int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "big")


class HashEmbedder:
    """Embeds texts by signed feature hashing of word stems and character trigrams.

    Vectors are L2-normalised; a text with no word characters gets a fixed unit vector,
    so cosine similarity never divides by zero.

    Args:
        dims: Vector size; at least 8.

    Example:
        >>> embedder = HashEmbedder(dims=64)
        >>> a, b = embedder.embed(["Sarah works at Google", "sarah working at google"])
        >>> round(sum(x * y for x, y in zip(a, b)), 2) > 0.8
        True
    """

    def __init__(self, dims: int = 384) -> None:
        if dims < 8:
            raise ValueError("dims must be at least 8")
        self._dims = dims
        self._empty = np.zeros(dims, dtype=np.float64)
        self._empty[0] = 1.0
        self._token_features = lru_cache(maxsize=_FEATURE_CACHE_SIZE)(self._compute_features)

    @property
    def name(self) -> str:
        return f"hash-{self._dims}"

    @property
    def dims(self) -> int:
        return self._dims

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit-length vector per text, in order."""
        if not texts:
            return []
        matrix: list[list[float]] = self.embed_array(texts).tolist()
        return matrix

    def embed_array(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Like `embed`, as a `(len(texts), dims)` numpy array (no list conversion)."""
        if len(texts) <= _CHUNK:
            return self._embed_chunk(texts)
        chunks = [self._embed_chunk(texts[i : i + _CHUNK]) for i in range(0, len(texts), _CHUNK)]
        return np.vstack(chunks)

    def _embed_chunk(self, texts: Sequence[str]) -> NDArray[np.float64]:
        slots: list[NDArray[np.int64]] = []
        weights: list[NDArray[np.float64]] = []
        per_text = np.zeros(len(texts), dtype=np.int64)
        for row, text in enumerate(texts):
            count = 0
            for word in _WORD.findall(text.lower()):
                slot, weight = self._token_features(word)
                slots.append(slot)
                weights.append(weight)
                count += slot.shape[0]
            per_text[row] = count
        size = len(texts) * self._dims
        if slots:
            rows = np.repeat(np.arange(len(texts), dtype=np.int64), per_text)
            flat = rows * self._dims + np.concatenate(slots)
            summed = np.bincount(flat, weights=np.concatenate(weights), minlength=size)
        else:
            summed = np.zeros(size, dtype=np.float64)
        matrix = summed.reshape(len(texts), self._dims)
        norms = np.linalg.norm(matrix, axis=1)
        empty = norms < 1e-12
        matrix[empty] = self._empty
        norms[empty] = 1.0
        normalised: NDArray[np.float64] = matrix / norms[:, None]
        return normalised

    def _compute_features(self, word: str) -> TokenFeatures:
        """Slots and signed weights of one lower-cased word: its stem, then its trigrams."""
        padded = f"#{word}#"
        trigrams = [padded[i : i + 3] for i in range(len(padded) - 2)]
        features = [f"w:{light_stem(word)}"] + [f"t:{gram}" for gram in trigrams]
        trigram_weight = _TRIGRAM_WEIGHT / np.sqrt(len(trigrams)) if trigrams else 0.0
        slots = np.empty(len(features), dtype=np.int64)
        weights = np.empty(len(features), dtype=np.float64)
        for i, feature in enumerate(features):
            digest = _stable_hash(feature)
            slots[i] = digest % self._dims
            sign = 1.0 if (digest >> 63) & 1 else -1.0
            weights[i] = sign * (_WORD_WEIGHT if i == 0 else trigram_weight)
        return slots, weights
