"""The Extractor contract and its usage counters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from graphmem.models.extraction import Extraction
from graphmem.models.messages import Message
from graphmem.models.reconcile import Neighbours, Reconciliation


@dataclass
class LLMUsage:
    """LLM calls and tokens spent, counted per call and summed (SPEC §4)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def record(self, prompt_tokens: int, completion_tokens: int) -> None:
        self.calls += 1
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens


class Extractor(Protocol):
    """Reads messages and returns the facts, entities and relations they state."""

    @property
    def name(self) -> str: ...

    @property
    def usage(self) -> LLMUsage: ...

    def extract(
        self,
        messages: Sequence[Message],
        *,
        speaker: str | None = None,
        instructions: str | None = None,
    ) -> Extraction:
        """Extract from `messages`; `speaker` is who "I" / "me" / "my" refer to.

        Raises:
            ExtractionFailed: the extractor could not produce a valid result.
        """
        ...


class Reconciler(Protocol):
    """Judges new facts and relations against the neighbours the stores found (SPEC §4)."""

    def reconcile(self, facts: Sequence[str], neighbours: Neighbours) -> Reconciliation:
        """ADD / UPDATE / DELETE / NONE per new fact, KEEP / INVALIDATE per conflict.

        Raises:
            ExtractionFailed: no valid decision could be had; nothing was stored.
        """
        ...
