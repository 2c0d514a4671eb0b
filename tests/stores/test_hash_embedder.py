"""HashEmbedder: deterministic, lexical, unit-length vectors without a model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from graphmem.stores.embedders.hash import HashEmbedder, light_stem

REPO_ROOT = Path(__file__).resolve().parents[2]


def _cosine(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b))


def test_vectors_have_the_configured_size_and_unit_length() -> None:
    vectors = HashEmbedder(dims=128).embed(["Sarah works at Google", "Paris"])

    assert [len(v) for v in vectors] == [128, 128]
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)


def test_same_text_gives_the_same_vector_in_another_process() -> None:
    code = (
        "from graphmem.stores.embedders.hash import HashEmbedder;"
        "print(HashEmbedder(64).embed(['Sarah works at Google'])[0][:8])"
    )
    here = str(HashEmbedder(64).embed(["Sarah works at Google"])[0][:8])
    there = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    ).stdout.strip()

    assert here == there


def test_inflected_forms_share_their_word_feature() -> None:
    assert light_stem("works") == light_stem("working") == light_stem("worked") == "work"


def test_texts_sharing_words_are_closer_than_unrelated_texts() -> None:
    a, b, c = HashEmbedder().embed(
        ["Sarah works at Google", "sarah working at google", "the weather is mild today"]
    )

    assert _cosine(a, b) > 0.8
    assert _cosine(a, b) > _cosine(a, c) + 0.5


def test_empty_text_gets_a_fixed_unit_vector() -> None:
    embedder = HashEmbedder(dims=32)
    empty, punctuation = embedder.embed(["", "  ?! "])

    assert np.isclose(np.linalg.norm(empty), 1.0)
    assert empty == punctuation


def test_embedding_no_texts_returns_no_vectors() -> None:
    assert HashEmbedder().embed([]) == []


def test_batches_larger_than_one_chunk_match_one_by_one_embedding() -> None:
    embedder = HashEmbedder(dims=64)
    texts = [f"person {i} works at company {i % 7}" for i in range(5000)]

    batch = embedder.embed_array(texts)
    single = np.vstack([embedder.embed_array([t]) for t in (texts[0], texts[4097])])

    assert np.allclose(batch[[0, 4097]], single)


def test_name_and_dims_describe_the_embedder() -> None:
    embedder = HashEmbedder(dims=96)

    assert (embedder.name, embedder.dims) == ("hash-96", 96)
