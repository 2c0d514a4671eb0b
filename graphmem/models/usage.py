"""LLMUsage: LLM calls and tokens spent, as each `add` reports them (SPEC §4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class LLMUsage:
    """LLM calls and tokens spent, counted per call and summed.

    A call is one HTTP completion: the first answer and each re-ask count alike, and so
    does a request that failed (timed out, HTTP error), with the tokens its response
    reported (none). `total_tokens` is prompt plus completion tokens. Not thread-safe:
    whoever shares one guards it.

    Example:
        >>> usage = LLMUsage()
        >>> usage.record(120, 30)
        >>> usage.to_dict()
        {'llm_calls': 1, 'prompt_tokens': 120, 'completion_tokens': 30, 'total_tokens': 150}
    """

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def record(self, prompt_tokens: int, completion_tokens: int) -> None:
        """Count one call that cost these tokens."""
        self.calls += 1
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens

    def add(self, other: LLMUsage) -> None:
        """Count every call of `other` too."""
        self.calls += other.calls
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens

    def copy(self) -> LLMUsage:
        return LLMUsage(self.calls, self.prompt_tokens, self.completion_tokens)

    def to_dict(self) -> dict[str, Any]:
        """`{"llm_calls", "prompt_tokens", "completion_tokens", "total_tokens"}`, as an
        add's `usage` and `stats()["llm_usage"]` show it."""
        return {
            "llm_calls": self.calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
        }
