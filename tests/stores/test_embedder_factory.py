"""build_embedder: each `embedder` choice, and how `auto` picks the first that works."""

from __future__ import annotations

import logging
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from graphmem.config import GraphMemConfig
from graphmem.errors import ConfigError
from graphmem.stores.embedders.factory import build_embedder
from graphmem.stores.embedders.hash import HashEmbedder
from graphmem.stores.embedders.local import LocalEmbedder
from graphmem.stores.embedders.openai import OpenAIEmbedder
from tests.fakes.openai_server import FakeOpenAIServer


def _config(tmp_path: Path, **values: Any) -> GraphMemConfig:
    """A config that ignores the environment's OpenAI / GraphMem settings."""
    base: dict[str, Any] = {
        "data_dir": tmp_path,
        "llm_api_key": None,
        "llm_base_url": None,
        "fastembed_model_path": None,
        "llm_max_retries": 0,
        "llm_timeout": 2.0,
    }
    return GraphMemConfig(**{**base, **values})


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_auto_uses_the_local_model_when_nothing_is_configured(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="graphmem.stores.embedders.factory"):
        embedder = build_embedder(_config(tmp_path, embedder="auto"))

    assert isinstance(embedder, LocalEmbedder)
    assert "local:all-MiniLM-L6-v2-int8 (384 dims)" in caplog.text


def test_auto_falls_back_to_hash_when_the_local_model_does_not_fit_the_dims(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="graphmem.stores.embedders.factory"):
        embedder = build_embedder(_config(tmp_path, embedder="auto", embedding_dims=128))

    assert isinstance(embedder, HashEmbedder)
    assert embedder.dims == 128
    assert "hash-128" in caplog.text


def test_local_choice_with_other_dims_is_a_config_error_naming_the_field(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError, match="GRAPHMEM_EMBEDDING_DIMS=384"):
        build_embedder(_config(tmp_path, embedder="local", embedding_dims=128))


def test_hash_choice_builds_a_hash_embedder_of_the_configured_size(tmp_path: Path) -> None:
    embedder = build_embedder(_config(tmp_path, embedder="hash", embedding_dims=64))

    assert (embedder.name, embedder.dims) == ("hash-64", 64)


def test_fastembed_without_the_package_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fastembed", None)  # makes `import fastembed` fail
    config = _config(tmp_path, embedder="fastembed", fastembed_model_path=tmp_path)

    with pytest.raises(ConfigError, match=r"pip install 'graphmem\[fastembed\]'"):
        build_embedder(config)


def test_fastembed_without_a_model_path_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="fastembed_model_path"):
        build_embedder(_config(tmp_path, embedder="fastembed"))


def test_auto_skips_fastembed_that_cannot_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fastembed", None)

    embedder = build_embedder(_config(tmp_path, fastembed_model_path=tmp_path))

    assert isinstance(embedder, LocalEmbedder)


def test_auto_falls_back_to_the_local_model_when_the_endpoint_is_down(tmp_path: Path) -> None:
    config = _config(tmp_path, embedding_base_url=f"http://127.0.0.1:{_closed_port()}/v1")

    assert isinstance(build_embedder(config), LocalEmbedder)


def test_auto_uses_the_embedding_endpoint_when_it_answers(tmp_path: Path) -> None:
    with FakeOpenAIServer() as server:
        config = _config(tmp_path, embedding_base_url=server.base_url, embedding_api_key="sk-e")

        embedder = build_embedder(config)

    assert isinstance(embedder, OpenAIEmbedder)
    assert server.requests[0].body["input"] == ["graphmem embedding probe"]
    assert server.requests[0].headers["authorization"] == "Bearer sk-e"


def test_auto_does_not_send_embeddings_to_the_llm_endpoint(tmp_path: Path) -> None:
    with FakeOpenAIServer() as server:
        config = _config(tmp_path, llm_base_url=server.base_url, llm_api_key="sk-llm")

        embedder = build_embedder(config)

    assert isinstance(embedder, LocalEmbedder)
    assert server.requests == []


def test_openai_choice_uses_the_llm_endpoint_when_no_embedding_endpoint_is_set(
    tmp_path: Path,
) -> None:
    with FakeOpenAIServer() as server:
        config = _config(tmp_path, embedder="openai", llm_base_url=server.base_url)

        build_embedder(config).embed(["hello"])

    assert server.requests[0].body["input"] == ["hello"]


def test_openai_choice_is_built_without_probing(tmp_path: Path) -> None:
    config = _config(
        tmp_path, embedder="openai", llm_base_url=f"http://127.0.0.1:{_closed_port()}/v1"
    )

    assert isinstance(build_embedder(config), OpenAIEmbedder)
