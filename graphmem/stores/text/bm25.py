"""BM25Index: keyword search over memory texts and relation facts, kept in step cheaply.

The main index is immutable, so this keeps three parts:

- the **main** index, a `bm25s.BM25` over the documents known at the last build (built
  in numpy, `bm25_build`);
- a **delta** of documents added or updated since, scored here with the same Lucene BM25
  formula (`bm25_build.idf`, `term_weight`), using the main index's statistics plus the
  delta's own;
- **tombstones**: main-index positions whose document was removed or updated.

`add` and `remove` only touch the delta and tombstones. At the next `search` after they
outgrow `max(min_merge_size, merge_fraction * main size)`, the live documents are re-indexed
in one go. Scope filtering is exact: the main index is scored for every document and masked
by scope codes in numpy, so other scopes' documents can never crowd a scope's hits out.

`export_state` and `restore_state` turn all three parts into plain arrays and back, so a
saved index (`bm25_snapshot`) resumes without tokenizing or indexing anything again.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

import bm25s
import numpy as np
import Stemmer
from numpy.typing import NDArray

from graphmem.models.scope import SCOPE_FIELDS, Scope
from graphmem.stores.heap import loading_long_lived
from graphmem.stores.text.bm25_build import K1, B, idf, lucene_index, retriever, term_weight
from graphmem.stores.text.bm25_state import BM25State

BM25Document = tuple[str, str, Mapping[str, str | None]]
"""`(doc_id, text, scope_ids)`; scope keys other than user/agent/run/app ids are ignored."""

ScopeKey = tuple[str | None, ...]

_NO_SCORES: dict[str, Any] = {
    "data": np.empty(0, dtype=np.float32),
    "indices": np.empty(0, dtype=np.int32),
    "indptr": np.zeros(1, dtype=np.int64),
}


def scoring_fingerprint() -> str:
    """What tokens and scores depend on; a saved state made under another one is stale."""
    return f"bm25s {bm25s.__version__}, PyStemmer {Stemmer.version()}, en, lucene {K1} {B}"


class _MainIndex:
    """One immutable bm25s build and the per-position facts needed to mask it."""

    def __init__(
        self,
        doc_ids: list[str],
        codes: NDArray[np.int32],
        total_length: int,
        retriever: bm25s.BM25 | None,
    ):
        self.doc_ids = doc_ids
        self.positions = {doc_id: pos for pos, doc_id in enumerate(doc_ids)}
        self.alive = np.ones(len(doc_ids), dtype=bool)
        self.codes = codes  # shape (len(SCOPE_FIELDS), n): scope value codes, -1 for None
        self.total_length = total_length
        self.retriever = retriever
        self.vocab: dict[str, int] = retriever.vocab_dict if retriever is not None else {}
        self.doc_freq: dict[str, int] = {}
        if retriever is not None:
            counts = np.diff(retriever.scores["indptr"])
            self.doc_freq = {token: int(counts[tid]) for token, tid in self.vocab.items() if token}

    @classmethod
    def build(
        cls, doc_ids: list[str], tokens: list[list[str]], codes: NDArray[np.int32]
    ) -> _MainIndex:
        """Index `tokens` (one list per doc id) with bm25s."""
        total_length = sum(len(doc) for doc in tokens)
        return cls(doc_ids, codes, total_length, lucene_index(tokens) if total_length else None)

    @classmethod
    def from_state(cls, state: BM25State) -> _MainIndex:
        """The build `state` holds, without indexing again (as `bm25s.BM25.load` restores one)."""
        restored = None
        if state.vocab_size:
            restored = retriever(
                state.score_data,
                state.score_indices,
                state.score_indptr,
                len(state.main_doc_ids),
                {state.terms[i]: i for i in range(state.vocab_size)},
            )
        main = cls(state.main_doc_ids, state.main_codes, state.main_total_length, restored)
        main.alive = state.main_alive.copy()
        return main

    def __len__(self) -> int:
        return len(self.doc_ids)

    def scores(self, query: list[str]) -> NDArray[np.float32] | None:
        known = [token for token in query if token in self.doc_freq]
        if not known or self.retriever is None:
            return None
        scores: NDArray[np.float32] = self.retriever.get_scores(known)
        return scores


class BM25Index:
    """Scoped BM25 over `(doc_id, text, scope_ids)` documents, English-stemmed, thread-safe.

    An in-memory derived index: rebuild it from the stores with `bulk_load` at start-up,
    or resume a saved one with `restore_state`. Adding a doc id that exists replaces its
    text and scope.

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
        self._main = _MainIndex.build([], [], np.empty((len(SCOPE_FIELDS), 0), dtype=np.int32))
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

    def export_state(self) -> BM25State:
        """The whole content as arrays; merges first if a merge is due (as `search` would)."""
        with self._lock:
            self._merge_if_due()
            main = self._main
            term_ids = dict(main.vocab)
            doc_ids = list(self._tokens)
            flat = [
                term_ids.setdefault(token, len(term_ids))
                for doc_id in doc_ids
                for token in self._tokens[doc_id]
            ]
            lengths = [len(self._tokens[doc_id]) for doc_id in doc_ids]
            positions = [self._main_position(doc_id) for doc_id in doc_ids]
            terms = [""] * len(term_ids)
            for token, term_id in term_ids.items():
                terms[term_id] = token
            scores = main.retriever.scores if main.retriever is not None else _NO_SCORES
            return BM25State(
                terms=terms,
                vocab_size=len(main.vocab),
                score_data=scores["data"],
                score_indices=scores["indices"],
                score_indptr=scores["indptr"],
                main_doc_ids=list(main.doc_ids),
                main_alive=main.alive.copy(),
                main_codes=main.codes,
                main_total_length=main.total_length,
                doc_positions=np.array(positions, dtype=np.int64),
                delta_doc_ids=[d for d, pos in zip(doc_ids, positions, strict=True) if pos < 0],
                doc_codes=self._codes_of(doc_ids),
                token_ids=np.array(flat, dtype=np.int32),
                token_offsets=np.concatenate(([0], np.cumsum(lengths, dtype=np.int64))),
                scope_values=[list(codes) for codes in self._value_codes],
            )

    def restore_state(self, state: BM25State) -> None:
        """Replace the whole content with `state` (from `export_state`), indexing nothing;
        the token lists it rebuilds are frozen as long-lived (`loading_long_lived`)."""
        with self._lock, loading_long_lived():
            self._reset()
            self._main = _MainIndex.from_state(state)
            self._tombstones = int(np.count_nonzero(~state.main_alive))
            self._value_codes = [
                {value: code for code, value in enumerate(values)} for values in state.scope_values
            ]
            tokens = np.array(state.terms, dtype=object)[state.token_ids].tolist()
            positions = state.doc_positions.tolist()
            delta_ids = iter(state.delta_doc_ids)
            doc_ids = [
                self._main.doc_ids[pos] if pos >= 0 else next(delta_ids) for pos in positions
            ]
            self._tokens = {
                doc_id: tokens[start:end]
                for doc_id, (start, end) in zip(
                    doc_ids, pairwise(state.token_offsets.tolist()), strict=True
                )
            }
            self._scopes = dict(
                zip(doc_ids, _decode_scopes(state.doc_codes, state.scope_values), strict=True)
            )
            for doc_id in state.delta_doc_ids:
                self._add_to_delta(doc_id, self._tokens[doc_id])

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
        codes = self._codes_of(doc_ids)
        self._main = _MainIndex.build(doc_ids, [self._tokens[d] for d in doc_ids], codes)
        self._tombstones = 0
        self._delta = {}
        self._delta_postings = {}
        self._delta_length = 0
        self.rebuild_count += 1

    def _main_position(self, doc_id: str) -> int:
        """The live main position of `doc_id`, or -1 when the delta holds it."""
        pos = self._main.positions.get(doc_id)
        return pos if pos is not None and self._main.alive[pos] else -1

    def _codes_of(self, doc_ids: list[str]) -> NDArray[np.int32]:
        """Scope value codes, one column per doc; each distinct scope is encoded once."""
        encoded: dict[ScopeKey, list[int]] = {}
        columns = []
        for doc_id in doc_ids:
            key = self._scopes[doc_id]
            column = encoded.get(key)
            if column is None:
                column = encoded[key] = self._encode(key)
            columns.append(column)
        codes = np.array(columns, dtype=np.int32).reshape(len(doc_ids), len(SCOPE_FIELDS))
        return np.ascontiguousarray(codes.T)

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
            weight = float(idf(main.doc_freq.get(token, 0) + len(posting), n_docs))
            for doc_id in posting:
                counts = self._delta[doc_id]
                tf = term_weight(counts[token], counts.total(), avg_length)
                scores[doc_id] = scores.get(doc_id, 0.0) + weight * tf
        return [
            (doc_id, score)
            for doc_id, score in scores.items()
            if score > 0
            and (doc_ids is None or doc_id in doc_ids)
            and scope.matches(dict(zip(SCOPE_FIELDS, self._scopes[doc_id], strict=True)))
        ]


def _scope_key(scope_ids: Mapping[str, str | None]) -> ScopeKey:
    return tuple(scope_ids.get(name) for name in SCOPE_FIELDS)


def _decode_scopes(codes: NDArray[np.int32], values: list[list[str]]) -> list[ScopeKey]:
    """The scope key of each column of `codes`; code -1 (None) picks each table's last cell."""
    columns = [
        np.array([*field_values, None], dtype=object)[row].tolist()
        for field_values, row in zip(values, codes, strict=True)
    ]
    return list(zip(*columns, strict=True))
