"""Write a file so readers see the old version or the new one, never half of either."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def atomic_text_file(path: Path) -> Iterator[IO[str]]:
    """A text stream that replaces `path` on success: temp file, fsync, rename, fsync dir.

    On an exception the temp file is removed and `path` is left as it was.

    Example:
        >>> with atomic_text_file(Path("/tmp/graphmem-doc.txt")) as stream:
        ...     _ = stream.write("all or nothing")
    """
    with _atomic_file(path, binary=False) as stream:
        yield stream


@contextmanager
def atomic_binary_file(path: Path) -> Iterator[IO[bytes]]:
    """A binary stream that replaces `path` on success, as `atomic_text_file` does.

    Example:
        >>> with atomic_binary_file(Path("/tmp/graphmem-doc.bin")) as stream:
        ...     _ = stream.write(b"all or nothing")
    """
    with _atomic_file(path, binary=True) as stream:
        yield stream


@contextmanager
def _atomic_file(path: Path, *, binary: bool) -> Iterator[IO[Any]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    mode, encoding = ("wb", None) if binary else ("w", "utf-8")
    try:
        with os.fdopen(handle, mode, encoding=encoding) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
