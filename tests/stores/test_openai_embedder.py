"""OpenAIEmbedder against a local OpenAI-compatible server."""

from __future__ import annotations

import math

import pytest

from graphmem.errors import ConfigError, StoreUnavailable
from graphmem.stores.embedders.openai import OpenAIEmbedder
from tests.fakes.openai_server import FakeOpenAIServer, fake_embedding


def _embedder(
    server: FakeOpenAIServer,
    *,
    model: str = "text-embedding-3-small",
    dims: int | None = None,
    batch_size: int = 256,
) -> OpenAIEmbedder:
    return OpenAIEmbedder(
        model,
        dims or server.embedding_dims,
        api_key="sk-test",
        base_url=server.base_url,
        timeout=5.0,
        max_retries=0,
        batch_size=batch_size,
    )


def test_vectors_are_unit_length_and_in_input_order() -> None:
    with FakeOpenAIServer(embedding_dims=8) as server:
        first, second = _embedder(server).embed(["ab", "abcd"])

    assert math.fsum(x * x for x in first) == pytest.approx(1.0)
    assert first == pytest.approx(fake_embedding("ab", 8))
    assert second == pytest.approx(fake_embedding("abcd", 8))


def test_texts_are_sent_in_batches() -> None:
    with FakeOpenAIServer(embedding_dims=8) as server:
        vectors = _embedder(server, batch_size=2).embed(["a", "b", "c", "d", "e"])

    assert len(vectors) == 5
    assert [len(r.body["input"]) for r in server.requests] == [2, 2, 1]


def test_dims_are_sent_to_models_that_can_shorten_vectors() -> None:
    with FakeOpenAIServer(embedding_dims=8) as server:
        _embedder(server).embed(["a"])

    assert server.requests[0].body["dimensions"] == 8


def test_dims_are_not_sent_to_other_models() -> None:
    with FakeOpenAIServer(embedding_dims=8) as server:
        _embedder(server, model="nomic-embed-text").embed(["a"])

    assert "dimensions" not in server.requests[0].body


def test_vectors_of_another_size_are_a_config_error() -> None:
    with FakeOpenAIServer(embedding_dims=8) as server, pytest.raises(ConfigError, match="DIMS=8"):
        _embedder(server, model="other-model", dims=16).embed(["a"])


def test_a_server_error_is_store_unavailable() -> None:
    with FakeOpenAIServer(embedding_status=500) as server, pytest.raises(StoreUnavailable):
        _embedder(server).embed(["a"])


def test_an_unreachable_endpoint_is_store_unavailable() -> None:
    embedder = OpenAIEmbedder(
        "text-embedding-3-small", 8, base_url="http://127.0.0.1:9/v1", timeout=2.0, max_retries=0
    )

    with pytest.raises(StoreUnavailable, match=r"127\.0\.0\.1:9"):
        embedder.embed(["a"])
