"""The main BM25 index built in numpy: the Lucene scores bm25s would compute, in one pass.

`bm25s.BM25.index` scores a corpus one document at a time in Python (a `Counter` and a few
small arrays per document: 3 s for the 129k short facts of the MetaQA KB). The same
matrix comes out of a handful of whole-corpus array operations: each (term, document)
pair is one integer, `np.unique` counts them (the term frequencies) and sorts them by term
then document, which is the column order of bm25s's CSC matrix. Query-time scoring stays
bm25s's own (`get_scores` over the same `data` / `indices` / `indptr`). `idf` and
`term_weight` are the formula itself, for this build and for the index's delta alike.
"""

from __future__ import annotations

from typing import Any

import bm25s
import numpy as np
from numpy.typing import NDArray

K1 = 1.5
B = 0.75
EMPTY_TOKEN = ""
"""bm25s gives the empty token the last id, with no column: a query of nothing scores 0."""


def lucene_index(tokens: list[list[str]]) -> bm25s.BM25:
    """A `bm25s.BM25(method="lucene")` over `tokens` (one list per document), as
    `index(tokens)` would build it.

    Example:
        >>> index = lucene_index([["sarah", "googl"], ["googl"]])
        >>> [round(float(score), 3) for score in index.get_scores(["sarah"])]
        [0.241, 0.0]
    """
    vocab: dict[str, int] = {}
    term_ids = np.fromiter(
        (vocab.setdefault(token, len(vocab)) for document in tokens for token in document),
        dtype=np.int64,
    )
    lengths = np.fromiter((len(document) for document in tokens), dtype=np.int64, count=len(tokens))
    documents, terms = len(tokens), len(vocab)
    rows = np.repeat(np.arange(documents, dtype=np.int64), lengths)
    pairs, frequencies = np.unique(term_ids * documents + rows, return_counts=True)
    pair_terms, pair_rows = np.divmod(pairs, documents)
    doc_freqs = np.bincount(pair_terms, minlength=terms)
    average = lengths.mean() if documents else 1.0
    weights = term_weight(frequencies.astype(np.float64), lengths[pair_rows], average)
    data = (idf(doc_freqs, documents)[pair_terms] * weights).astype(np.float32)
    indptr = np.zeros(terms + 1, dtype=np.int64)
    np.cumsum(doc_freqs, out=indptr[1:])
    vocab.setdefault(EMPTY_TOKEN, terms)
    return retriever(data, pair_rows.astype(np.int32), indptr, documents, vocab)


def idf(doc_freq: Any, documents: int) -> Any:
    """Lucene's inverse document frequency, of a count or an array of counts."""
    return np.log1p((documents - doc_freq + 0.5) / (doc_freq + 0.5))


def term_weight(tf: Any, length: Any, average_length: float) -> Any:
    """Lucene BM25's saturated term frequency in a document of `length` tokens (numbers or
    arrays alike); a term's score in a document is its `idf` times this."""
    return tf / (tf + K1 * (1 - B + B * length / average_length))


def retriever(
    data: NDArray[np.float32],
    indices: NDArray[np.int32],
    indptr: NDArray[np.int64],
    documents: int,
    vocab: dict[str, int],
) -> bm25s.BM25:
    """A bm25s Lucene retriever over a score matrix already built (or restored)."""
    index = bm25s.BM25(method="lucene", k1=K1, b=B)
    index.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": documents}
    index.vocab_dict = vocab
    index.unique_token_ids_set = set(vocab.values())
    index.nonoccurrence_array = None
    return index
