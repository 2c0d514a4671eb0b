"""Pytest fixtures for the fake OpenAI-compatible server and an LLM config that uses it.

`tests/conftest.py` re-exports these (`from tests.fakes.fixtures import ...`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmem.config import GraphMemConfig
from tests.fakes.openai_server import FakeOpenAIServer

FAKE_LLM_TIMEOUT = 5.0


@pytest.fixture(scope="session")
def fake_openai_server_session() -> Iterator[FakeOpenAIServer]:
    """One fake server for the whole session; prefer `fake_openai_server`."""
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def fake_openai_server(fake_openai_server_session: FakeOpenAIServer) -> Iterator[FakeOpenAIServer]:
    """The session's fake server with an empty script and no recorded requests."""
    fake_openai_server_session.reset()
    yield fake_openai_server_session
    fake_openai_server_session.reset()


def make_llm_config(
    server: FakeOpenAIServer, data_dir: Path, **overrides: object
) -> GraphMemConfig:
    """A GraphMemConfig whose LLM and embedder point at `server` (no real network)."""
    values: dict[str, object] = {
        "data_dir": data_dir,
        "extractor": "llm",
        "llm_model": server.model,
        "llm_base_url": server.base_url,
        "llm_api_key": "test-key",
        "embedding_base_url": server.base_url,
        "embedding_api_key": "test-key",
        "llm_mode": "tools",
        "llm_timeout": FAKE_LLM_TIMEOUT,
        "llm_max_retries": 2,
    }
    values.update(overrides)
    return GraphMemConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
def fake_llm_config(fake_openai_server: FakeOpenAIServer, tmp_path: Path) -> GraphMemConfig:
    """Config with `extractor="llm"` pointing at `fake_openai_server`, data in tmp_path."""
    return make_llm_config(fake_openai_server, tmp_path / "graphmem")
