"""LocalEmbedder: the pinned all-MiniLM-L6-v2 from site-packages, checked, never fetched."""

from __future__ import annotations

import os
import socket
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from graphmem.errors import ConfigError
from graphmem.stores.embedders.local import (
    ONNX_MODEL,
    TOKENIZER,
    LocalEmbedder,
    ModelFile,
    model_files,
    verified_path,
)

_SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"]).resolve()
_WATCHED: list[tuple[str, Any]] = []
_RECORDING: list[bool] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _RECORDING and event in ("open", "socket.connect", "socket.getaddrinfo"):
        _WATCHED.append((event, args[0] if args else None))


sys.addaudithook(_audit)  # audit hooks cannot be removed; it records only while asked


@pytest.fixture
def recorded_io() -> Iterator[list[tuple[str, Any]]]:
    """Every file opened and every connection tried from Python while the test runs."""
    _WATCHED.clear()
    _RECORDING.append(True)
    yield _WATCHED
    _RECORDING.clear()


@pytest.fixture(scope="module")
def embedder() -> LocalEmbedder:
    return LocalEmbedder()


def _cosine(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b))


def test_model_files_come_from_site_packages() -> None:
    model, tokenizer = model_files()

    assert model.resolve().is_relative_to(_SITE_PACKAGES)
    assert tokenizer.resolve().is_relative_to(_SITE_PACKAGES)
    assert (model.name, tokenizer.name) == ("model.onnx", "tokenizer.json")


def test_loading_and_embedding_touch_no_network_and_no_model_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded_io: list[tuple[str, Any]]
) -> None:
    hub = tmp_path / "hf-home"
    for name in ("HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "SENTENCE_TRANSFORMERS_HOME"):
        monkeypatch.setenv(name, str(hub))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    LocalEmbedder().embed(["Alice works at Google."])

    connections = [args for event, args in recorded_io if event.startswith("socket")]
    opened = [Path(os.fsdecode(args)) for event, args in recorded_io if event == "open"]
    assert connections == []
    assert not any(path.is_relative_to(hub) for path in opened if not isinstance(path, int))
    assert not hub.exists()


def test_vectors_are_unit_length_and_of_the_model_size(embedder: LocalEmbedder) -> None:
    vectors = embedder.embed(["short", "a much longer sentence about a trip to Lisbon in May"])

    assert (embedder.name, embedder.dims) == ("local:all-MiniLM-L6-v2-int8", 384)
    assert [len(v) for v in vectors] == [384, 384]
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_batch_embeds_each_text_as_it_would_alone(embedder: LocalEmbedder) -> None:
    texts = ["wife", "Sarah Chen joined Google as a product manager in 2021.", "kid"]

    batched = embedder.embed(texts)
    alone = [embedder.embed([text])[0] for text in texts]

    assert np.allclose(batched, alone, atol=1e-5)


def test_words_of_one_meaning_are_closer_than_unrelated_words(embedder: LocalEmbedder) -> None:
    wife, spouse, employer = embedder.embed(["wife", "spouse", "employer"])

    assert _cosine(wife, spouse) > _cosine(wife, employer) + 0.2


def test_a_file_with_other_bytes_is_refused(tmp_path: Path) -> None:
    altered = ModelFile(ONNX_MODEL.package, ONNX_MODEL.relative_path, "0" * 64)

    with pytest.raises(ConfigError, match="not the pinned"):
        verified_path(altered)


def test_a_missing_package_is_a_config_error_naming_it() -> None:
    absent = ModelFile("graphmem_no_such_model_package", "model.onnx", TOKENIZER.sha256)

    with pytest.raises(ConfigError, match="graphmem_no_such_model_package"):
        verified_path(absent)


def test_embedding_does_not_connect_anywhere(
    embedder: LocalEmbedder, recorded_io: list[tuple[str, Any]]
) -> None:
    embedder.embed(["who is the other half of Alice?"] * 40)

    assert [e for e, _ in recorded_io if e.startswith("socket")] == []
    assert socket.getdefaulttimeout() is None
