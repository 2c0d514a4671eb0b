"""Write a file so readers see the old version or the new one, never half of either."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_text_file(path: Path) -> Iterator[IO[str]]:
    """A text stream that replaces `path` on success: temp file, fsync, rename, fsync dir.

    On an exception the temp file is removed and `path` is left as it was.

    Example:
        >>> with atomic_text_file(Path("/tmp/graphmem-doc.txt")) as stream:
        ...     _ = stream.write("all or nothing")
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
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
