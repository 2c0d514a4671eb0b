"""LLMExtractor: one Instructor-typed call per `add` over any OpenAI-compatible endpoint,
and a second one, the reconcile step, only when the stores found neighbours.

The endpoint is checked and the mode picked when the extractor is made; the client (and
the `openai` and `instructor` imports, about a second) waits for the first call, so a
Memory that only reads never pays for them. `client.py` makes the call and explains its
failures.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from graphmem.config import GraphMemConfig
from graphmem.extraction.llm.modes import require_endpoint, resolve_mode
from graphmem.extraction.llm.prompts import (
    TypeSchema,
    build_system_prompt,
    build_user_prompt,
    validate_type_schema,
)
from graphmem.extraction.llm.reconcile import RECONCILE_SYSTEM_PROMPT, ReconcileAnswer, References
from graphmem.extraction.llm.schema import ExtractedMemory
from graphmem.models.extraction import Extraction
from graphmem.models.messages import Message
from graphmem.models.naming import clean_name
from graphmem.models.reconcile import Neighbours, Reconciliation
from graphmem.models.usage import LLMUsage

if TYPE_CHECKING:
    import openai

    from graphmem.extraction.llm.client import Answer, TypedClient

logger = logging.getLogger(__name__)


class LLMExtractor:
    """Extracts facts, entities and relations with one typed LLM call (SPEC §4).

    Example:
        >>> cfg = GraphMemConfig(llm_base_url="http://127.0.0.1:11434/v1", llm_model="qwen3")
        >>> extractor = LLMExtractor(cfg)
        >>> extractor.name
        'llm:qwen3'

    Raises (from `__init__`):
        ConfigError: a configured type name is unsafe, or neither an API key nor a base
            URL is configured.
    """

    def __init__(self, config: GraphMemConfig, client: openai.OpenAI | None = None) -> None:
        self._config = config
        self._schema: TypeSchema = validate_type_schema(config.entity_types, config.relation_types)
        require_endpoint(config)
        self._mode = resolve_mode(config.llm_mode, config.llm_base_url)
        self._given_client = client
        self._typed: TypedClient | None = None
        self._typed_lock = threading.Lock()
        self._usage = LLMUsage()

    @property
    def name(self) -> str:
        return f"llm:{self._config.llm_model}"

    @property
    def mode(self) -> str:
        """The mode requests are made in: `llm_mode`, with `auto` resolved."""
        return self._mode

    @property
    def usage(self) -> LLMUsage:
        return self._usage

    def extract(
        self,
        messages: Sequence[Message],
        *,
        speaker: str | None = None,
        instructions: str | None = None,
        usage: LLMUsage | None = None,
        said_at: datetime | None = None,
    ) -> Extraction:
        """Extract from `messages` in one call (plus re-asks); "I" / "me" become `speaker`;
        `said_at` is not sent (the write path dates undated relations by it).

        Args:
            messages: the conversation turns, already validated.
            speaker: whose "I" the user turns use; `User` when None.
            instructions: per-call custom instructions, added after the configured ones.
            usage: also counts this call's completions (an add's own meter), even when
                the extraction fails.

        Returns:
            The extraction, restricted to the configured type schema (drops counted).

        Raises:
            ExtractionFailed: invalid output after all re-asks, a timeout, an HTTP error,
                or an unreachable endpoint. Nothing was stored.
        """
        speaker = clean_name(speaker) if speaker and clean_name(speaker) else None
        custom = [text for text in (self._config.custom_instructions, instructions) if text]
        system = build_system_prompt(self._schema, custom)
        user = build_user_prompt(messages, speaker)
        result = self._ask(ExtractedMemory, system, user, {"speaker": speaker}, "extraction", usage)
        extraction = result.to_extraction()  # the Memory enforces a type schema, for any extractor
        if result.nothing_to_remember:
            logger.info("%s says the conversation holds nothing to remember", self.name)
        logger.debug("extracted %s with %s", extraction.summary(), self.name)
        return extraction

    def reconcile(
        self, facts: Sequence[str], neighbours: Neighbours, *, usage: LLMUsage | None = None
    ) -> Reconciliation:
        """Decide ADD / UPDATE / DELETE / NONE per new fact and KEEP / INVALIDATE per
        conflicting relation, in one call (plus re-asks); the second call of an `add`.
        Its completions are counted into `usage` too, when given.

        Raises:
            ExtractionFailed: no valid answer after all re-asks, or the call failed.
                Nothing was stored.
        """
        refs = References.of(list(facts), neighbours)
        answer = self._ask(
            ReconcileAnswer,
            RECONCILE_SYSTEM_PROMPT,
            refs.prompt(),
            refs.context(),
            "reconcile",
            usage,
        )
        return answer.to_reconciliation(refs)

    def _ask(
        self,
        response_model: type[Answer],
        system: str,
        user: str,
        context: object,
        step: str,
        usage: LLMUsage | None,
    ) -> Answer:
        meters = [self._usage] if usage is None else [self._usage, usage]
        return self._client().ask(response_model, system, user, context, step, meters)

    def _client(self) -> TypedClient:
        """The typed client, built (and `openai`, `instructor` imported) on first use."""
        with self._typed_lock:
            if self._typed is None:
                from graphmem.extraction.llm.client import TypedClient

                self._typed = TypedClient(self._config, self._mode, self._given_client)
            return self._typed
