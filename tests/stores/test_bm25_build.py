"""bm25_build: the numpy build of the main index scores exactly as bm25s's own build."""

from __future__ import annotations

import random
from itertools import pairwise

import bm25s
import numpy as np
import pytest

from graphmem.stores.text.bm25_build import EMPTY_TOKEN, K1, B, lucene_index


def _corpus(seed: int, documents: int) -> list[list[str]]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(documents // 4 + 2)]
    corpus = [[rng.choice(words) for _ in range(rng.randint(0, 9))] for _ in range(documents)]
    corpus[0] = ["repeat", "repeat", "once"]  # a term twice in one document
    return corpus


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scores_equal_those_of_a_bm25s_build(seed: int) -> None:
    corpus = _corpus(seed, 2_000)
    reference = bm25s.BM25(method="lucene", k1=K1, b=B)
    reference.index(corpus, show_progress=False)

    built = lucene_index(corpus)

    assert set(built.vocab_dict) == set(reference.vocab_dict)
    assert built.vocab_dict[EMPTY_TOKEN] == len(built.vocab_dict) - 1
    for query in (["repeat"], ["once", "w1"], ["w2", "w2", "w3"], ["w0", "repeat", "w4"]):
        expected, got = reference.get_scores(query), built.get_scores(query)
        assert got.dtype == expected.dtype == np.float32
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)
        assert got.max() > 0


def test_the_matrix_has_bm25s_layout() -> None:
    corpus = _corpus(4, 500)
    reference = bm25s.BM25(method="lucene", k1=K1, b=B)
    reference.index(corpus, show_progress=False)

    built = lucene_index(corpus).scores

    assert built["num_docs"] == reference.scores["num_docs"] == 500
    for part in ("data", "indices", "indptr"):
        assert built[part].dtype == reference.scores[part].dtype
        assert built[part].shape == reference.scores[part].shape
    # Within a term's column the documents are in order, as a CSC matrix has them.
    indptr, indices = built["indptr"], built["indices"]
    assert all(np.all(np.diff(indices[a:b]) > 0) for a, b in pairwise(indptr))
