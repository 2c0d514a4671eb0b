"""Run a write across several stores as one unit: on any failure, undo what already ran.

Each step is an action with its compensating undo; undos run newest first, so a failed
`add` leaves no orphan vectors, graph edges, BM25 documents or history lines.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from graphmem.errors import GraphMemError, StoreUnavailable

logger = logging.getLogger(__name__)

Step = Callable[[], object]


class UnitOfWork:
    """Collects completed steps so they can be compensated.

    Example:
        >>> done = []
        >>> with UnitOfWork() as work:
        ...     work.run(lambda: done.append("graph"), undo=done.clear)
        >>> done
        ['graph']
    """

    def __init__(self) -> None:
        self._undos: list[Step] = []

    def run(self, action: Step, *, undo: Step) -> None:
        """Run `action`; remember `undo` for when a later step fails."""
        action()
        self._undos.append(undo)

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        if exc is None:
            return
        for undo in reversed(self._undos):
            try:
                undo()
            except Exception as undo_error:  # keep compensating; the original error wins
                logger.error("compensation step failed: %s", undo_error)
        if isinstance(exc, Exception) and not isinstance(exc, GraphMemError):
            raise StoreUnavailable(f"write failed and was rolled back: {exc}") from exc
