"""The Extractor and Reconciler contracts, and how they count LLM usage.

Each keeps its own running total (`usage`), and counts a call's usage into the meter the
caller hands it too: `Memory.add` gives each add its own meter, so concurrent adds never
see each other's tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from graphmem.models.extraction import Extraction
from graphmem.models.messages import Message
from graphmem.models.reconcile import Neighbours, Reconciliation
from graphmem.models.usage import LLMUsage

__all__ = ["Extractor", "LLMUsage", "Reconciler"]


class Extractor(Protocol):
    """Reads messages and returns the facts, entities and relations they state."""

    @property
    def name(self) -> str: ...

    @property
    def usage(self) -> LLMUsage:
        """Every LLM call this extractor made since it was built (none offline)."""
        ...

    def extract(
        self,
        messages: Sequence[Message],
        *,
        speaker: str | None = None,
        instructions: str | None = None,
        usage: LLMUsage | None = None,
        said_at: datetime | None = None,
    ) -> Extraction:
        """Extract from `messages`; `speaker` is who "I" / "me" / "my" refer to; `said_at`
        is when they were said (for "yesterday", "last May"; None: now); the LLM calls
        made, if any, are counted into `usage` too (even when extraction fails).

        Raises:
            ExtractionFailed: the extractor could not produce a valid result.
        """
        ...


class Reconciler(Protocol):
    """Judges new facts and relations against the neighbours the stores found (SPEC §4)."""

    def reconcile(
        self, facts: Sequence[str], neighbours: Neighbours, *, usage: LLMUsage | None = None
    ) -> Reconciliation:
        """ADD / UPDATE / DELETE / NONE per new fact, KEEP / INVALIDATE per conflict; the
        LLM calls made are counted into `usage` too (even when the call fails).

        Raises:
            ExtractionFailed: no valid decision could be had; nothing was stored.
        """
        ...
