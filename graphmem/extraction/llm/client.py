"""The typed call itself: Instructor over the `openai` client, every completion counted.

This is the only module of the LLM path that imports `openai` and `instructor` (about a
second of imports and set-up), so a Memory opens without them and builds its client on
the first extraction or reconcile.

Instructor re-asks the model on validation errors up to `llm_max_retries` times; every
HTTP completion (first answer and re-asks) is counted into the given meters. Every request
carries `max_tokens` (`llm_max_tokens`) and the client's timeout (`llm_timeout`); an answer
cut off at `max_tokens` is asked for once more, shorter, with the cut named. Whatever goes
wrong ends in one `ExtractionFailed` that says why and that the raw text was not stored.

Counting: Instructor emits `completion:response` with each attempt's raw response before
it folds that response's `usage` into its running total (it then overwrites the response's
`usage` with the total), so the hook reads each attempt's own tokens, and their sum is what
the provider bills. A request that failed (`completion:error`: timeout, HTTP error) counts
as a call with no tokens: nothing reported any.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any, TypeVar

import instructor
import openai
from instructor.core import HookName, Hooks, IncompleteOutputException, InstructorError

from graphmem.config import GraphMemConfig
from graphmem.errors import ExtractionFailed
from graphmem.extraction.llm.modes import ResolvedMode, require_endpoint
from graphmem.extraction.llm.reconcile import ReconcileAnswer
from graphmem.extraction.llm.schema import ExtractedMemory
from graphmem.models.usage import LLMUsage
from graphmem.models.validation import describe_validation_error

logger = logging.getLogger(__name__)

LOCAL_API_KEY = "not-needed"
"""Sent as the API key to local servers (Ollama, vLLM, LM Studio) that need none."""

INSTRUCTOR_MODES: dict[ResolvedMode, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
}

_NOT_STORED = "the raw text was NOT stored (nothing was written)"

CUT_OFF_NOTE = (
    "Your previous answer was cut off: it reached the limit of {limit} tokens before the "
    "JSON was complete. Answer again in the same JSON shape, but shorter (fewer and shorter "
    "facts, nothing repeated), so that the whole answer fits in {limit} tokens."
)
"""The re-ask after an answer hit `max_tokens` (finish_reason "length")."""

Answer = TypeVar("Answer", ExtractedMemory, ReconcileAnswer)


class TypedClient:
    """Typed Instructor calls in `mode`, every completion counted into the caller's meters.

    Raises (from `__init__`):
        ConfigError: neither a key nor a base URL is configured.
    """

    def __init__(
        self, config: GraphMemConfig, mode: ResolvedMode, client: openai.OpenAI | None = None
    ) -> None:
        self._config = config
        # A given client gets the config's timeout and no SDK retries too: one budget per call.
        client = (
            build_openai_client(config)
            if client is None
            else client.with_options(timeout=config.llm_timeout, max_retries=0)
        )
        self._llm: Any = instructor.from_openai(client, mode=INSTRUCTOR_MODES[mode])
        self._lock = threading.Lock()

    def ask(
        self,
        response_model: type[Answer],
        system: str,
        user: str,
        context: Any,
        step: str,
        meters: Sequence[LLMUsage],
    ) -> Answer:
        """One typed call, every completion counted into `meters`; a cut-off answer asked
        for once more, shorter; failures explained.

        Raises:
            ExtractionFailed: no valid answer after all re-asks, or the call failed.
        """
        hooks = self._counting_hooks(meters)
        messages: list[dict[str, str]] = [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
        ]
        try:
            try:
                return self._create(response_model, messages, context, hooks)
            except IncompleteOutputException:
                limit = self._config.llm_max_tokens
                logger.info("LLM %s answer cut off at max_tokens=%d; asking again", step, limit)
                cut = {"role": "user", "content": CUT_OFF_NOTE.format(limit=limit)}
                return self._create(response_model, [*messages, cut], context, hooks)
        except (InstructorError, openai.OpenAIError) as exc:
            reason = describe_llm_failure(exc, self._config)
            logger.warning("LLM %s failed: %s", step, reason)
            raise ExtractionFailed(f"LLM {step} failed: {reason}; {_NOT_STORED}.") from exc

    def _create(
        self,
        response_model: type[Answer],
        messages: list[dict[str, str]],
        context: Any,
        hooks: Hooks,
    ) -> Answer:
        answer: Answer = self._llm.chat.completions.create(
            model=self._config.llm_model,
            response_model=response_model,
            messages=messages,
            max_tokens=self._config.llm_max_tokens,
            max_retries=self._config.llm_max_retries,
            context=context,
            strict=False,
            hooks=hooks,
        )
        return answer

    def _counting_hooks(self, meters: Sequence[LLMUsage]) -> Hooks:
        """Hooks that count every completion, and every failed request as a call."""

        def record_completion(response: Any) -> None:
            self._record(meters, *_tokens_of(response))

        def record_failed_call(error: Exception, **_: Any) -> None:
            # A request that timed out or failed may still have cost the provider a call.
            logger.debug("LLM call failed: %s", error)
            self._record(meters, 0, 0)

        hooks = Hooks()
        hooks.on(HookName.COMPLETION_RESPONSE, record_completion)
        hooks.on(HookName.COMPLETION_ERROR, record_failed_call)
        return hooks

    def _record(self, meters: Sequence[LLMUsage], prompt: int, completion: int) -> None:
        with self._lock:
            for meter in meters:
                meter.record(prompt, completion)


def build_openai_client(config: GraphMemConfig) -> openai.OpenAI:
    """The OpenAI client for `config`: its own timeout, no retries of its own.

    Instructor owns re-asking; letting the SDK retry too would multiply calls and hide
    timeouts. A base URL without a key (local servers) gets a placeholder key.

    Raises:
        ConfigError: neither a key nor a base URL is configured (and none in the env).
    """
    require_endpoint(config)
    api_key = config.llm_api_key.get_secret_value() if config.llm_api_key else LOCAL_API_KEY
    return openai.OpenAI(
        api_key=api_key, base_url=config.llm_base_url, timeout=config.llm_timeout, max_retries=0
    )


def describe_llm_failure(exc: BaseException, config: GraphMemConfig) -> str:
    """Why the call failed, in words an operator can act on (never the API key)."""
    cause = _root_api_error(exc)
    if isinstance(cause, openai.APITimeoutError):
        return f"the LLM did not answer within llm_timeout={config.llm_timeout}s"
    if isinstance(cause, openai.APIConnectionError):
        where = config.llm_base_url or "the OpenAI API"
        return f"could not reach the LLM at {where}"
    if isinstance(cause, openai.APIStatusError):
        return f"the LLM endpoint answered HTTP {cause.status_code}: {_short(cause.message)}"
    if isinstance(exc, IncompleteOutputException):
        return (
            f"the LLM output was cut off at llm_max_tokens={config.llm_max_tokens} before "
            "it was complete, and again when asked for a shorter answer"
        )
    attempts = getattr(exc, "n_attempts", None) or 1 + config.llm_max_retries
    last = exc.__cause__ or exc
    detail = describe_validation_error(last) if isinstance(last, ValueError) else str(last)
    return f"the LLM output failed validation after {attempts} attempt(s): {_short(detail)}"


def _tokens_of(response: Any) -> tuple[int, int]:
    """Prompt and completion tokens a raw completion reports (0 where it says nothing)."""
    usage = getattr(response, "usage", None)
    prompt = getattr(usage, "prompt_tokens", None) or 0
    completion = getattr(usage, "completion_tokens", None) or 0
    return int(prompt), int(completion)


def _root_api_error(exc: BaseException) -> BaseException | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, openai.OpenAIError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
