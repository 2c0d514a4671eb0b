"""BM25State: a BM25Index's whole content as plain arrays, to save it and resume it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class BM25State:
    """A BM25Index's whole content as plain arrays (no re-indexing needed to resume it).

    Tokens are ids into `terms`: the main build's bm25s vocabulary first (ids below
    `vocab_size`), then tokens only delta documents use. Scope codes are indices into
    `scope_values` (one list per scope field), -1 for None.

    Attributes:
        terms: Every token, by id.
        vocab_size: How many leading `terms` are the main build's vocabulary.
        score_data: bm25s's precomputed scores (CSC over the vocabulary): data,
        score_indices: indices (main positions),
        score_indptr: and one offset per vocabulary token, plus one.
        main_doc_ids: The doc id at each main position, live or not.
        main_alive: False where the main position's document was removed or replaced.
        main_codes: Scope codes of the main positions, shape (len(SCOPE_FIELDS), n).
        main_total_length: Tokens in the main build, for BM25's average length.
        doc_positions: Each live document's main position, or -1 when it is in the delta.
        delta_doc_ids: The ids of the -1 documents, in order.
        doc_codes: Scope codes of the live documents, shape (len(SCOPE_FIELDS), n).
        token_ids: The live documents' tokens, concatenated.
        token_offsets: Document i's tokens are `token_ids[token_offsets[i]:token_offsets[i+1]]`.
        scope_values: For each scope field, the value of each code.
    """

    terms: list[str]
    vocab_size: int
    score_data: NDArray[np.float32]
    score_indices: NDArray[np.int32]
    score_indptr: NDArray[np.int64]
    main_doc_ids: list[str]
    main_alive: NDArray[np.bool_]
    main_codes: NDArray[np.int32]
    main_total_length: int
    doc_positions: NDArray[np.int64]
    delta_doc_ids: list[str]
    doc_codes: NDArray[np.int32]
    token_ids: NDArray[np.int32]
    token_offsets: NDArray[np.int64]
    scope_values: list[list[str]]

    @property
    def documents(self) -> int:
        """How many live documents the state holds."""
        return len(self.doc_positions)
