"""GraphMemConfig: the one configuration object, built once and handed down.

Sources, highest priority first: keyword arguments / dict, environment variables
`GRAPHMEM_*` (nested with `__`, e.g. `GRAPHMEM_RETRIEVAL__RRF_K=30`), then a TOML or YAML
file: `GraphMemConfig.from_file(path)`, or the file `GRAPHMEM_CONFIG_FILE` names (so the
CLI and the REST server read it too). `OPENAI_API_KEY` and `OPENAI_BASE_URL` are honoured
for the LLM too.

Example file (`graphmem.toml`; YAML takes the same keys):

    graph_store = "neo4j"
    neo4j_uri = "bolt://127.0.0.1:7687"
    [retrieval]
    max_hops = 3
"""

from __future__ import annotations

import os
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import AliasChoices, BaseModel, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
    YamlConfigSettingsSource,
)

from graphmem.errors import ConfigError
from graphmem.models.cardinality import SingleValued
from graphmem.stores.embedders.base import is_lexical

Channel = Literal["graph", "vector", "bm25"]


CONFIG_FILE_ENV = "GRAPHMEM_CONFIG_FILE"
_config_file: ContextVar[Path | None] = ContextVar("graphmem_config_file", default=None)


def _file_source(settings_cls: type[BaseSettings], path: Path) -> PydanticBaseSettingsSource:
    """The settings source reading `path`: TOML or YAML by its suffix, checked first so a
    missing or malformed file is a ConfigError naming it, never silently ignored."""
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".yaml", ".yml"):
        raise ConfigError(f"config file {path} must end in .toml, .yaml or .yml", field="config")
    try:
        text = path.read_text(encoding="utf-8")
        parsed = tomllib.loads(text) if suffix == ".toml" else yaml.safe_load(text)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}", field="config") from exc
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"config file {path} is not valid: {exc}", field="config") from exc
    if parsed is not None and not isinstance(parsed, dict):
        raise ConfigError(f"config file {path} must hold a table of settings", field="config")
    if suffix == ".toml":
        return TomlConfigSettingsSource(settings_cls, toml_file=path)
    return YamlConfigSettingsSource(settings_cls, yaml_file=path)


def default_weights(embedder_name: str) -> dict[str, float]:
    """The fusion weights for an embedder (`RetrievalConfig.weights`)."""
    vector = 0.35 if is_lexical(embedder_name) else 0.7
    return {"graph": 1.0, "vector": vector, "bm25": 1.0}


class RetrievalConfig(BaseModel):
    """How the hybrid retriever fuses its channels.

    `fusion="weighted"` (the default) sums min-max normalised channel scores times their
    weights; `"rrf"` scores a hit sum(weight_c / (rrf_k + rank_c)). Normalised scores let a
    channel's confident hits count for more than a weak channel's low-ranked ones.

    `weights=None` (the default) takes the embedder's (`default_weights`): graph and BM25
    1.0, and the vector channel 0.35 under the hash embedder, whose cosines are word
    overlap, or 0.7 under a sentence model. Chosen on LoCoMo dev (bench/locomo.py,
    evidence recall@10): the hash embedder's fused search is 0.752 at 0.35 against BM25's
    0.730 and falls to BM25's level at 1.0; the local model's is 0.816 at 0.7 (0.800 at
    0.35, 0.813 at 1.0) against its vector channel's 0.752. Equal-weight RRF was below
    both (0.682 and 0.791).
    """

    fusion: Literal["rrf", "weighted"] = "weighted"
    rrf_k: int = Field(default=60, ge=1)
    weights: dict[str, float] | None = None

    @field_validator("weights", mode="after")
    @classmethod
    def _known_channels(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is None:
            return None
        unknown = set(value) - {"graph", "vector", "bm25"}
        if unknown or any(weight < 0 for weight in value.values()):
            raise ValueError("weights take the channels graph, vector, bm25 with values >= 0")
        return value

    def weights_for(self, embedder_name: str) -> dict[str, float]:
        """The channel weights searches use under the embedder of this name."""
        return self.weights if self.weights is not None else default_weights(embedder_name)

    max_hops: int = Field(default=3, ge=1, le=3)
    candidates_per_channel: int = Field(default=50, ge=1, le=1000)


class GraphMemConfig(BaseSettings):
    """Every setting graphmem reads. Secrets are `SecretStr` and never printed.

    Example:
        >>> cfg = GraphMemConfig(data_dir="/tmp/gm", embedder="hash")
        >>> cfg.qdrant_location().name
        'qdrant'
    """

    model_config = SettingsConfigDict(
        env_prefix="GRAPHMEM_",
        env_nested_delimiter="__",
        extra="forbid",
        populate_by_name=True,
    )

    data_dir: Path = Field(default_factory=lambda: Path.home() / ".graphmem")

    graph_store: Literal["networkx", "neo4j"] = "networkx"
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("graphmem")
    neo4j_database: str = "neo4j"

    qdrant_path: Path | None = None
    qdrant_url: str | None = None
    """A Qdrant server; without one the vectors stay embedded in `qdrant_location()`."""
    vector_store: Literal["auto", "edge", "local"] = "auto"
    """The embedded engine: Qdrant Edge, or qdrant-client's local mode. `auto` keeps a
    folder local mode made on local mode (`graphmem migrate` moves it to Edge) and puts
    every new one on Edge."""
    qdrant_api_key: SecretStr | None = None
    collection_prefix: str = Field(default="graphmem", pattern=r"^[a-zA-Z][a-zA-Z0-9_]{0,40}$")

    embedder: Literal["auto", "local", "hash", "openai", "fastembed"] = "auto"
    """`auto`: an embedding endpoint if `embedding_base_url` / `embedding_api_key` is set,
    else the local model, else `hash` (see `stores/embedders/factory.py`)."""
    embedding_model: str = "text-embedding-3-small"
    embedding_dims: int = Field(default=384, ge=8, le=8192)
    embedding_base_url: str | None = None
    """OpenAI-compatible `/embeddings` endpoint (Ollama, TEI, vLLM); else the LLM's."""
    embedding_api_key: SecretStr | None = None
    """Key of `embedding_base_url`; else the LLM's key."""
    fastembed_model_path: Path | None = None

    extractor: Literal["auto", "llm", "offline"] = "auto"
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("llm_api_key", "OPENAI_API_KEY")
    )
    llm_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("llm_base_url", "OPENAI_BASE_URL")
    )
    llm_mode: Literal["auto", "tools", "json_schema", "json"] = "auto"
    """How the answer's shape is asked for: `tools` (a forced function call; OpenAI, Azure),
    `json_schema` (structured outputs, `response_format` with the schema: llama-server,
    vLLM, Ollama, OpenAI), `json` (a JSON object, the schema only in the prompt), or `auto`:
    tools for OpenAI and Azure, json_schema for any other endpoint (logged at start-up)."""
    llm_timeout: float = Field(default=30.0, gt=0)
    llm_max_tokens: int = Field(default=2048, ge=64, le=131072)
    """`max_tokens` of every LLM request: room for the answer to a long turn (some 40 facts
    with their entities and relations), and a stop for a model that runs on. An answer cut
    off at it is re-asked once, shorter, then fails; raise it for reasoning models, whose
    thinking counts too."""
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    custom_instructions: str | None = None
    entity_types: list[str] | None = None
    relation_types: list[str] | None = None

    single_valued_relations: list[str] = Field(
        default_factory=lambda: ["LIVES_IN", "MARRIED_TO", "CEO_OF", "BORN_IN", "BASED_IN"]
    )
    """Relation types a source has one of at a time: a new value ends the old one."""
    single_holder_relations: list[str] = Field(default_factory=lambda: ["CEO_OF", "MARRIED_TO"])
    """Relation types a target has one source of at a time: a new CEO ends the old one."""

    reconcile_min_similarity: float = Field(default=0.5, ge=0.0, le=1.0)
    """Cosine a stored memory needs to a new fact to be put to the LLM's reconcile call;
    it must also state something the new extraction could repeat or contradict about an
    entity both name (`memory/write/neighbours.py`), unless it is a near-duplicate."""
    reconcile_duplicate_similarity: float = Field(default=0.9, ge=0.0, le=1.0)
    """Cosine at which a close stored memory is a near-duplicate of a new fact: put to the
    reconcile call even when they share no entity (facts with no entities, names the key
    lookup misses)."""
    reconcile_neighbours: int = Field(default=3, ge=1, le=20)
    """Stored memories looked at per new fact by the reconcile step."""

    retrieval: RetrievalConfig = Field(default_factory=RetrievalConfig)

    @field_validator("data_dir", "qdrant_path", "fastembed_model_path", mode="after")
    @classmethod
    def _expand_user(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Keyword arguments, then env vars, then the config file if one is named."""
        named = _config_file.get() or os.environ.get(CONFIG_FILE_ENV)
        file_sources = (_file_source(settings_cls, Path(named).expanduser()),) if named else ()
        return (init_settings, env_settings, *file_sources)

    @classmethod
    def from_file(cls, path: str | Path, **overrides: Any) -> GraphMemConfig:
        """Settings from a TOML or YAML file; env vars override it, `overrides` win.

        Raises:
            ConfigError: the file is missing, malformed, or holds an unknown or invalid
                setting (named).
        """
        token = _config_file.set(Path(path).expanduser())
        try:
            return cls.from_mapping(overrides)
        finally:
            _config_file.reset(token)

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> GraphMemConfig:
        """Build a config from a plain dict, raising ConfigError with the failing field."""
        try:
            return cls(**values)
        except ValueError as exc:
            raise ConfigError(f"invalid configuration: {exc}") from exc

    def single_valued(self) -> SingleValued:
        """The single-valued relation rules, types normalised."""
        return SingleValued.of(self.single_valued_relations, self.single_holder_relations)

    def qdrant_location(self) -> Path:
        """Folder of the embedded vectors: `qdrant_path`, or `<data_dir>/qdrant`."""
        return self.qdrant_path or self.data_dir / "qdrant"

    def uses_llm(self) -> bool:
        """Whether extraction goes to an LLM: forced by `extractor`, or by a key / base URL."""
        if self.extractor != "auto":
            return self.extractor == "llm"
        return self.llm_api_key is not None or self.llm_base_url is not None
