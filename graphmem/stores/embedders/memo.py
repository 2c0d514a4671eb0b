"""MemoEmbedder: embed each distinct text once while it is remembered.

One `add` embeds its facts to find neighbours, its entity names to find look-alikes, and
then the same texts again to store them. Wrapped for the length of one add, the embedder
is asked once per distinct text: with a paid embedding API, one request instead of three.
The retriever keeps a bounded one (`max_texts`) for the whole process: the words of
questions and the names of relation types recur, so most reads embed only what is new.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from graphmem.stores.embedders.base import Embedder


class MemoEmbedder:
    """Delegates to `inner`, remembering the vectors it returned: all of them (keep it
    short-lived), or the `max_texts` used most recently.

    Each `embed` asks `inner` at most once, for the texts it does not remember, so
    `calls` counts the embedding calls made through it.

    Example:
        >>> from graphmem.stores.embedders.hash import HashEmbedder
        >>> memo = MemoEmbedder(HashEmbedder(dims=8), max_texts=2)
        >>> memo.embed(["a", "b"]) == memo.embed(["a", "b"]), memo.calls
        (True, 1)
    """

    def __init__(self, inner: Embedder, *, max_texts: int | None = None) -> None:
        self._inner = inner
        self._max_texts = max_texts
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()
        self.calls = 0

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def dims(self) -> int:
        return self._inner.dims

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        with self._lock:
            known = {text: self._vectors[text] for text in texts if text in self._vectors}
            for text in known:
                self._vectors.move_to_end(text)
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if missing:
            fresh = dict(zip(missing, self._inner.embed(missing), strict=True))
            known.update(fresh)
            with self._lock:
                self.calls += 1
                self._vectors.update(fresh)
                while self._max_texts is not None and len(self._vectors) > self._max_texts:
                    self._vectors.popitem(last=False)
        return [known[text] for text in texts]
