"""`graphmem add` reports the LLM usage of its add; `graphmem stats` sums the data dir's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graphmem.cli.app import app
from tests.fakes.openai_server import FakeOpenAIServer

runner = CliRunner()

EXTRACTED = {
    "facts": ["Sarah Chen works at Google"],
    "entities": [
        {"name": "Sarah Chen", "type": "person"},
        {"name": "Google", "type": "organization"},
    ],
    "relations": [{"source": "Sarah Chen", "relationship": "works at", "target": "Google"}],
}


@pytest.fixture
def llm_environment(fake_openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's config, from the environment, points its LLM at the fake server."""
    monkeypatch.setenv("GRAPHMEM_EXTRACTOR", "llm")
    monkeypatch.setenv("GRAPHMEM_LLM_MODEL", fake_openai_server.model)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai_server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("GRAPHMEM_EMBEDDER", "hash")


def invoke(data_dir: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    return result.stdout


def run_json(data_dir: Path, *args: str) -> Any:
    return json.loads(invoke(data_dir, *args, "--json"))


@pytest.mark.usefixtures("llm_environment")
def test_stats_sum_the_usage_of_adds_made_by_earlier_commands(
    tmp_path: Path, fake_openai_server: FakeOpenAIServer
) -> None:
    fake_openai_server.script_json(EXTRACTED)
    first = run_json(tmp_path, "add", "Sarah Chen works at Google.", "--user-id", "alice")
    fake_openai_server.script_text("not json")
    fake_openai_server.script_json(EXTRACTED)
    second = run_json(tmp_path, "add", "Sarah Chen works at Google.", "--user-id", "bob")
    sent = fake_openai_server.completion_usages
    assert first["usage"]["llm_calls"] == 1 and second["usage"]["llm_calls"] == 2

    stats = run_json(tmp_path, "stats")
    prompt = sum(u["prompt_tokens"] for u in sent)
    completion = sum(u["completion_tokens"] for u in sent)
    assert stats["llm_usage"] == {
        "llm_calls": 3,
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    assert run_json(tmp_path, "stats", "--user-id", "bob")["llm_usage"] == second["usage"]


@pytest.mark.usefixtures("llm_environment")
def test_the_tables_show_the_llm_usage(
    tmp_path: Path, fake_openai_server: FakeOpenAIServer
) -> None:
    fake_openai_server.script_json(EXTRACTED)
    added = invoke(tmp_path, "add", "Sarah Chen works at Google.", "--user-id", "alice")
    tokens = fake_openai_server.completion_usages[0]["total_tokens"]
    assert f"1 LLM call, {tokens} tokens" in added
    stats = invoke(tmp_path, "stats")
    assert "llm_calls" in stats and f"{tokens}" in stats
