"""BM25Index: keyword search over memory texts and relation facts, kept in step cheaply.

bm25s builds an immutable index, so this keeps three parts:

- the **main** index, a `bm25s.BM25` over the documents known at the last build;
- a **delta** of documents added or updated since, scored here with the same Lucene BM25
  formula, using the main index's statistics plus the delta's own;
- **tombstones**: main-index positions whose document was removed or updated.

`add` and `remove` only touch the delta and tombstones. At the next `search` after they
outgrow `max(min_merge_size, merge_fraction * main size)`, the live documents are re-indexed
in one go. Scope filtering is exact: the main index is scored for every document and masked
by scope codes in numpy, so other scopes' documents can never crowd a scope's hits out.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import bm25s
import numpy as np
import Stemmer
from numpy.typing import NDArray

from graphmem.models.scope import SCOPE_FIELDS, Scope

BM25Document = tuple[str, str, Mapping[str, str | None]]
"""`(doc_id, text, scope_ids)`; scope keys other than user/agent/run/app ids are ignored."""

ScopeKey = tuple[str | None, ...]

_K1 = 1.5
_B = 0.75


class _MainIndex:
    """One immutable bm25s build and the per-position facts needed to mask it."""

    def __init__(self, doc_ids: list[str], tokens: list[list[str]], codes: NDArray[np.int32]):
        self.doc_ids = doc_ids
        self.positions = {doc_id: pos for pos, doc_id in enumerate(doc_ids)}
        self.alive = np.ones(len(doc_ids), dtype=bool)
        self.codes = codes  # shape (len(SCOPE_FIELDS), n): scope value codes, -1 for None
        self.total_length = sum(len(doc) for doc in tokens)
        self.retriever: Any = None
        self.doc_freq: dict[str, int] = {}
        if self.total_length:
            self.retriever = bm25s.BM25(method="lucene", k1=_K1, b=_B)
            self.retriever.index(tokens, show_progress=False)
            counts = np.diff(self.retriever.scores["indptr"])
            vocab: dict[str, int] = self.retriever.vocab_dict
            self.doc_freq = {token: int(counts[tid]) for token, tid in vocab.items() if token}

    def __len__(self) -> int:
        return len(self.doc_ids)

    def scores(self, query: list[str]) -> NDArray[np.float32] | None:
        known = [token for token in query if token in self.doc_freq]
        if not known:
            return None
        scores: NDArray[np.float32] = self.retriever.get_scores(known)
        return scores


class BM25Index:
    """Scoped BM25 over `(doc_id, text, scope_ids)` documents, English-stemmed, thread-safe.

    An in-memory derived index: rebuild it from the stores with `bulk_load` at start-up.
    Adding a doc id that exists replaces its text and scope.

    Args:
        min_merge_size: Pending delta docs plus tombstones that always trigger a merge.
        merge_fraction: Pending changes, as a fraction of the main index, that trigger one.

    Example:
        >>> index = BM25Index()
        >>> index.add([("m1", "Sarah works at Google", {"user_id": "alice"})])
        >>> [doc for doc, _ in index.search("google", Scope(user_id="alice"), limit=5)]
        ['m1']
    """

    def __init__(self, *, min_merge_size: int = 512, merge_fraction: float = 0.1) -> None:
        if min_merge_size < 1 or merge_fraction < 0:
            raise ValueError("min_merge_size must be >= 1 and merge_fraction >= 0")
        self._min_merge_size = min_merge_size
        self._merge_fraction = merge_fraction
        self._lock = threading.RLock()
        self._stemmer = Stemmer.Stemmer("english")
        self.rebuild_count = 0
        """How many times the main index was built (bulk loads and merges)."""
        self._reset()

    def _reset(self) -> None:
        self._tokens: dict[str, list[str]] = {}
        self._scopes: dict[str, ScopeKey] = {}
        self._value_codes: list[dict[str, int]] = [{} for _ in SCOPE_FIELDS]
        self._main = _MainIndex([], [], np.empty((len(SCOPE_FIELDS), 0), dtype=np.int32))
        self._tombstones = 0
        self._delta: dict[str, Counter[str]] = {}
        self._delta_postings: dict[str, set[str]] = {}
        self._delta_length = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._tokens)

    @property
    def pending_changes(self) -> int:
        """Delta documents plus tombstones not yet merged into the main index."""
        with self._lock:
            return len(self._delta) + self._tombstones

    def clear(self) -> None:
        """Forget every document."""
        with self._lock:
            self._reset()

    def bulk_load(self, docs: Iterable[BM25Document]) -> None:
        """Replace the whole content with `docs`, indexed in one build (last duplicate wins)."""
        with self._lock:
            self._reset()
            docs = list(docs)
            token_lists = self._tokenize([text for _, text, _ in docs])
            for (doc_id, _, scope_ids), tokens in zip(docs, token_lists, strict=True):
                self._tokens.pop(doc_id, None)
                self._tokens[doc_id] = tokens
                self._scopes[doc_id] = _scope_key(scope_ids)
            self._rebuild()

    def add(self, docs: Iterable[BM25Document]) -> None:
        """Index new documents, or replace existing ones with the same id; no re-index."""
        with self._lock:
            docs = list(docs)
            token_lists = self._tokenize([text for _, text, _ in docs])
            for (doc_id, _, scope_ids), tokens in zip(docs, token_lists, strict=True):
                self._forget(doc_id)
                self._tokens[doc_id] = tokens
                self._scopes[doc_id] = _scope_key(scope_ids)
                self._add_to_delta(doc_id, tokens)

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Drop documents by id; unknown ids are ignored."""
        with self._lock:
            for doc_id in doc_ids:
                self._forget(doc_id)

    def search(
        self,
        query: str,
        scope: Scope,
        *,
        limit: int,
        doc_ids: set[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Best-first `(doc_id, score)` of documents in `scope` (and in `doc_ids`, if given).

        Args:
            query: Free text; stemmed and stop-worded like the documents.
            scope: Only documents whose scope ids satisfy `scope.matches` are returned.
            limit: Maximum number of hits.
            doc_ids: Optional allow-list of document ids.

        Returns:
            Up to `limit` hits with score > 0, highest first, ties by doc id.
        """
        if limit < 1:
            return []
        with self._lock:
            self._merge_if_due()
            tokens = self._tokenize([query])[0]
            if not tokens:
                return []
            hits = self._search_main(tokens, scope, doc_ids, limit)
            hits.extend(self._search_delta(tokens, scope, doc_ids))
        hits.sort(key=lambda hit: (-hit[1], hit[0]))
        return hits[:limit]

    def _tokenize(self, texts: list[str]) -> list[list[str]]:
        if not texts:
            return []
        tokens: list[list[str]] = bm25s.tokenize(
            texts,
            stopwords="en",
            stemmer=self._stemmer,
            return_ids=False,
            show_progress=False,
        )
        return tokens

    def _forget(self, doc_id: str) -> None:
        if self._tokens.pop(doc_id, None) is None:
            return
        del self._scopes[doc_id]
        if doc_id in self._delta:
            self._remove_from_delta(doc_id)
            return
        pos = self._main.positions.get(doc_id)
        if pos is not None and self._main.alive[pos]:
            self._main.alive[pos] = False
            self._tombstones += 1

    def _add_to_delta(self, doc_id: str, tokens: list[str]) -> None:
        counts = Counter(tokens)
        self._delta[doc_id] = counts
        self._delta_length += len(tokens)
        for token in counts:
            self._delta_postings.setdefault(token, set()).add(doc_id)

    def _remove_from_delta(self, doc_id: str) -> None:
        counts = self._delta.pop(doc_id)
        self._delta_length -= sum(counts.values())
        for token in counts:
            posting = self._delta_postings[token]
            posting.discard(doc_id)
            if not posting:
                del self._delta_postings[token]

    def _merge_if_due(self) -> None:
        threshold = max(self._min_merge_size, self._merge_fraction * len(self._main))
        if len(self._delta) + self._tombstones > threshold:
            self._rebuild()

    def _rebuild(self) -> None:
        """Index every live document into a new main index; empties delta and tombstones."""
        doc_ids = list(self._tokens)
        codes = np.empty((len(SCOPE_FIELDS), len(doc_ids)), dtype=np.int32)
        for pos, doc_id in enumerate(doc_ids):
            codes[:, pos] = self._encode(self._scopes[doc_id])
        self._main = _MainIndex(doc_ids, [self._tokens[d] for d in doc_ids], codes)
        self._tombstones = 0
        self._delta = {}
        self._delta_postings = {}
        self._delta_length = 0
        self.rebuild_count += 1

    def _encode(self, key: ScopeKey) -> list[int]:
        codes = []
        for field_codes, value in zip(self._value_codes, key, strict=True):
            if value is None:
                codes.append(-1)
            else:
                codes.append(field_codes.setdefault(value, len(field_codes)))
        return codes

    def _search_main(
        self, tokens: list[str], scope: Scope, doc_ids: set[str] | None, limit: int
    ) -> list[tuple[str, float]]:
        main = self._main
        scores = main.scores(tokens)
        if scores is None:
            return []
        mask = main.alive & self._scope_mask(scope)
        if doc_ids is not None:
            allowed = np.zeros(len(main), dtype=bool)
            allowed[[main.positions[d] for d in doc_ids if d in main.positions]] = True
            mask &= allowed
        candidates = np.flatnonzero(mask & (scores > 0))
        if len(candidates) > limit:
            # Keep every candidate tied with the limit-th score, so ties break by doc id.
            cutoff = np.partition(scores[candidates], -limit)[-limit]
            candidates = candidates[scores[candidates] >= cutoff]
        return [(main.doc_ids[pos], float(scores[pos])) for pos in candidates]

    def _scope_mask(self, scope: Scope) -> NDArray[np.bool_]:
        mask = np.ones(len(self._main), dtype=bool)
        for field, value in scope.ids().items():
            row = SCOPE_FIELDS.index(field)
            code = self._value_codes[row].get(value)
            if code is None:
                return np.zeros(len(self._main), dtype=bool)
            mask &= self._main.codes[row] == code
        return mask

    def _search_delta(
        self, tokens: list[str], scope: Scope, doc_ids: set[str] | None
    ) -> list[tuple[str, float]]:
        """Score delta documents with Lucene BM25 over main-build plus delta statistics."""
        main = self._main
        n_docs = len(main) + len(self._delta)
        if not self._delta or n_docs == 0:
            return []
        avg_length = (main.total_length + self._delta_length) / n_docs
        scores: dict[str, float] = {}
        for token in tokens:
            posting = self._delta_postings.get(token)
            if not posting:
                continue
            doc_freq = main.doc_freq.get(token, 0) + len(posting)
            idf = math.log(1 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5))
            for doc_id in posting:
                counts = self._delta[doc_id]
                tf = counts[token]
                norm = _K1 * (1 - _B + _B * counts.total() / avg_length)
                scores[doc_id] = scores.get(doc_id, 0.0) + idf * tf / (tf + norm)
        return [
            (doc_id, score)
            for doc_id, score in scores.items()
            if score > 0
            and (doc_ids is None or doc_id in doc_ids)
            and scope.matches(dict(zip(SCOPE_FIELDS, self._scopes[doc_id], strict=True)))
        ]


def _scope_key(scope_ids: Mapping[str, str | None]) -> ScopeKey:
    return tuple(scope_ids.get(name) for name in SCOPE_FIELDS)
