"""FastEmbedEmbedder: local ONNX embeddings from a model folder on disk, fully offline.

`fastembed` is an optional extra (`pip install 'graphmem[fastembed]'`), imported only when
this embedder is built, so the rest of graphmem never pays for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from graphmem.errors import ConfigError, StoreUnavailable

DEFAULT_FASTEMBED_MODEL = "BAAI/bge-small-en-v1.5"
_INSTALL_HINT = "install it with: pip install 'graphmem[fastembed]'"


class FastEmbedEmbedder:
    """Embeds texts with a fastembed model loaded from a local folder (no downloads).

    The folder holds the model's ONNX export and tokenizer files, as fastembed caches
    them (e.g. a copy of `Qdrant/bge-small-en-v1.5-onnx-Q`). The vector size is read
    from the model by embedding one probe text at load time.

    Args:
        model_path: Folder of the ONNX model.
        model_name: The fastembed model this folder is a copy of; it tells fastembed
            the pooling and normalisation to use.

    Raises:
        ConfigError: fastembed is not installed, the folder is missing, or the model
            does not load from it.

    Example:
        A folder of fastembed's model files is needed, so this one is not run:

        >>> folder = Path("~/models/bge-small-en-v1.5").expanduser()
        >>> FastEmbedEmbedder(folder).dims  # doctest: +SKIP
        384
    """

    def __init__(self, model_path: Path, model_name: str = DEFAULT_FASTEMBED_MODEL) -> None:
        path = Path(model_path).expanduser()
        module = _import_fastembed()
        if not path.is_dir():
            raise ConfigError(
                f"fastembed model folder {path} does not exist; download the ONNX export of "
                f"{model_name!r} there (or set GRAPHMEM_FASTEMBED_MODEL_PATH to its folder)",
                field="fastembed_model_path",
            )
        try:
            self._model: Any = module.TextEmbedding(
                model_name=model_name,
                specific_model_path=str(path),
                local_files_only=True,
            )
            probe = self._vectors(["graphmem"])
        except Exception as exc:  # fastembed/onnxruntime raise many unrelated types
            raise ConfigError(
                f"fastembed could not load {model_name!r} from {path}: {exc}",
                field="fastembed_model_path",
            ) from exc
        self._name = f"fastembed:{model_name}"
        self._dims = int(probe.shape[1])

    @property
    def name(self) -> str:
        return self._name

    @property
    def dims(self) -> int:
        return self._dims

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit-length vector per text, in order.

        Raises:
            StoreUnavailable: The ONNX runtime failed on this input.
        """
        if not texts:
            return []
        try:
            matrix = self._vectors(list(texts))
        except Exception as exc:  # onnxruntime errors share no base class
            raise StoreUnavailable(f"fastembed failed to embed: {exc}") from exc
        norms = np.linalg.norm(matrix, axis=1)
        empty = norms < 1e-12
        # A fixed unit vector keeps cosine defined for texts the model maps to zero.
        matrix[empty] = np.eye(1, matrix.shape[1])
        norms[empty] = 1.0
        rows: list[list[float]] = (matrix / norms[:, None]).tolist()
        return rows

    def _vectors(self, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
        return np.asarray(list(self._model.embed(texts)), dtype=np.float64)


def _import_fastembed() -> Any:
    try:
        return importlib.import_module("fastembed")
    except ImportError as exc:
        raise ConfigError(
            f"embedder 'fastembed' needs the optional package fastembed; {_INSTALL_HINT}",
            field="embedder",
        ) from exc
