"""build_embedder: turn `GraphMemConfig.embedder` into a working Embedder, and say which.

`auto` picks the first that works, in this order:

1. `openai` when `embedding_base_url` or `embedding_api_key` is set and the endpoint
   answers a probe (the LLM's key alone does not choose it: reads stay on this machine, and
   a data dir's model does not change because a key appeared in the environment);
2. `fastembed` when `fastembed_model_path` is set and the model loads from it;
3. `local`, all-MiniLM-L6-v2 from the pinned model packages (`embedders/local.py`);
4. `hash`, which always works (lexical, no model).

An explicit choice is built as asked, without falling back: a misconfigured `fastembed`
raises ConfigError, and an `openai` endpoint that is down fails on first use with
StoreUnavailable rather than at start-up.
"""

from __future__ import annotations

import logging
from typing import TypeVar

from graphmem.config import GraphMemConfig
from graphmem.errors import ConfigError, GraphMemError
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.embedders.fastembed import DEFAULT_FASTEMBED_MODEL, FastEmbedEmbedder
from graphmem.stores.embedders.hash import HashEmbedder
from graphmem.stores.embedders.local import LocalEmbedder
from graphmem.stores.embedders.openai import OpenAIEmbedder

logger = logging.getLogger(__name__)

_PROBE_TEXT = "graphmem embedding probe"


def build_embedder(config: GraphMemConfig) -> Embedder:
    """Build the embedder `config.embedder` names, resolving `auto` by probing.

    Args:
        config: The one configuration object.

    Returns:
        An embedder whose `dims` equals `config.embedding_dims`.

    Raises:
        ConfigError: An explicitly chosen embedder cannot be built as configured.

    Example:
        >>> build_embedder(GraphMemConfig(embedder="hash", embedding_dims=64)).name
        'hash-64'
    """
    if config.embedder == "hash":
        return _chosen(HashEmbedder(config.embedding_dims), "embedder=hash")
    if config.embedder == "local":
        return _chosen(build_local_embedder(config), "embedder=local")
    if config.embedder == "openai":
        return _chosen(build_openai_embedder(config), "embedder=openai")
    if config.embedder == "fastembed":
        return _chosen(build_fastembed_embedder(config), "embedder=fastembed")
    return _build_auto(config)


def build_local_embedder(config: GraphMemConfig) -> LocalEmbedder:
    """The local model, checked against `embedding_dims`."""
    return _fitting(LocalEmbedder(), config, "the local model")


def build_openai_embedder(config: GraphMemConfig) -> OpenAIEmbedder:
    """An OpenAIEmbedder for `embedding_base_url` / `embedding_api_key`, or else the LLM's
    endpoint and key (not probed)."""
    secret = config.embedding_api_key or config.llm_api_key
    return OpenAIEmbedder(
        config.embedding_model,
        config.embedding_dims,
        api_key=secret.get_secret_value() if secret else None,
        base_url=config.embedding_base_url or config.llm_base_url,
        timeout=config.llm_timeout,
        max_retries=config.llm_max_retries,
    )


def build_fastembed_embedder(config: GraphMemConfig) -> FastEmbedEmbedder:
    """A FastEmbedEmbedder from `fastembed_model_path`, checked against `embedding_dims`.

    `embedding_model` names the fastembed model only when set explicitly; its default is
    an OpenAI model name, so fastembed then uses its own default.
    """
    if config.fastembed_model_path is None:
        raise ConfigError(
            "embedder 'fastembed' needs fastembed_model_path (GRAPHMEM_FASTEMBED_MODEL_PATH), "
            "the local folder of the ONNX model",
            field="fastembed_model_path",
        )
    explicit = "embedding_model" in config.model_fields_set
    model_name = config.embedding_model if explicit else DEFAULT_FASTEMBED_MODEL
    embedder = FastEmbedEmbedder(config.fastembed_model_path, model_name=model_name)
    return _fitting(embedder, config, f"fastembed model {model_name!r}")


_Fixed = TypeVar("_Fixed", LocalEmbedder, FastEmbedEmbedder)


def _fitting(embedder: _Fixed, config: GraphMemConfig, what: str) -> _Fixed:
    """`embedder`, whose vector size is its model's, if it is `embedding_dims`."""
    if embedder.dims != config.embedding_dims:
        raise ConfigError(
            f"{what} returns {embedder.dims}-dimensional vectors but embedding_dims is "
            f"{config.embedding_dims}; set GRAPHMEM_EMBEDDING_DIMS={embedder.dims}",
            field="embedding_dims",
        )
    return embedder


def _build_auto(config: GraphMemConfig) -> Embedder:
    if config.embedding_api_key is not None or config.embedding_base_url is not None:
        try:
            openai_embedder = build_openai_embedder(config)
            openai_embedder.embed([_PROBE_TEXT])
        except GraphMemError as exc:
            logger.warning("embedder=auto: openai endpoint unusable, trying the next: %s", exc)
        else:
            return _chosen(openai_embedder, "embedder=auto: the embedding endpoint answered")
    if config.fastembed_model_path is not None:
        try:
            fastembed_embedder = build_fastembed_embedder(config)
        except GraphMemError as exc:
            logger.warning("embedder=auto: fastembed unusable, trying the next: %s", exc)
        else:
            return _chosen(fastembed_embedder, "embedder=auto: the fastembed model loaded")
    try:
        local_embedder = build_local_embedder(config)
    except GraphMemError as exc:
        logger.warning("embedder=auto: the local model is unusable, trying the next: %s", exc)
    else:
        return _chosen(local_embedder, "embedder=auto: the local model loaded")
    return _chosen(
        HashEmbedder(config.embedding_dims),
        "embedder=auto: no working embedding endpoint or local model, using lexical hashing",
    )


def _chosen(embedder: Embedder, reason: str) -> Embedder:
    logger.info("using embedder %s (%d dims): %s", embedder.name, embedder.dims, reason)
    return embedder
