"""How an LLM call asks for its answer's shape: the `llm_mode`, with `auto` resolved.

- `tools`: a forced function call whose parameters are the schema (OpenAI, Azure).
- `json_schema`: structured outputs, `response_format={"type": "json_schema", ...}`; the
  server decodes with a grammar made from the schema (llama-server, vLLM, Ollama, OpenAI).
- `json`: `response_format={"type": "json_object"}`, the schema only in the prompt (any
  server with a JSON mode; nothing enforces the shape, so validation does).
- `auto`: tools for OpenAI and Azure, json_schema for every other endpoint. Local servers
  handle a named `tool_choice` badly (llama-server rejects one; Ollama ignores it) but all
  of them support structured outputs. The choice is logged once, when the extractor starts.

Nothing here imports `openai` or `instructor`: the extractor checks its endpoint and picks
its mode when a Memory opens, and builds its client on the first call.

Example:
    >>> resolve_mode("auto", "http://127.0.0.1:11434/v1")
    'json_schema'
    >>> resolve_mode("auto", None)
    'tools'
"""

from __future__ import annotations

import logging
from typing import Literal
from urllib.parse import urlsplit

from graphmem.config import GraphMemConfig
from graphmem.errors import ConfigError

logger = logging.getLogger(__name__)

ResolvedMode = Literal["tools", "json_schema", "json"]

RESOLVED_MODES: tuple[ResolvedMode, ...] = ("tools", "json_schema", "json")

OPENAI_HOSTS = ("api.openai.com",)
AZURE_HOST_SUFFIXES = (".openai.azure.com", ".openai.azure.us", ".cognitiveservices.azure.com")


def resolve_mode(mode: str, base_url: str | None) -> ResolvedMode:
    """The mode to call `base_url` with (None is the OpenAI API): `mode`, or `auto`'s pick."""
    if mode != "auto":
        for known in RESOLVED_MODES:
            if mode == known:
                return known
        raise ValueError(f"unknown llm_mode {mode!r}")
    picked: ResolvedMode = "tools" if is_openai_or_azure(base_url) else "json_schema"
    logger.info(
        "llm_mode auto: %s for %s (%s)",
        picked,
        base_url or "the OpenAI API",
        "OpenAI or Azure" if picked == "tools" else "not OpenAI or Azure: structured outputs",
    )
    return picked


def is_openai_or_azure(base_url: str | None) -> bool:
    """Whether `base_url` is OpenAI's own API or an Azure OpenAI resource (None: OpenAI)."""
    if base_url is None:
        return True
    host = (urlsplit(base_url).hostname or "").lower()
    return host in OPENAI_HOSTS or host.endswith(AZURE_HOST_SUFFIXES)


def require_endpoint(config: GraphMemConfig) -> None:
    """Raises `ConfigError` unless `config` names an LLM: a key (OpenAI) or a base URL.

    A base URL without a key is a local server (Ollama, vLLM, llama-server): it gets a
    placeholder key.
    """
    if config.llm_api_key is None and config.llm_base_url is None:
        raise ConfigError(
            "the LLM extractor needs llm_api_key (OPENAI_API_KEY) or llm_base_url "
            "(OPENAI_BASE_URL)",
            field="llm_api_key",
        )
