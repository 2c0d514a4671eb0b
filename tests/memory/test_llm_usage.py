"""LLM token usage (SPEC §4): counted per call, reported per `add`, summed in `stats`.

Through the real openai + instructor client against the fake server, whose every
completion carries a `usage` block (`completion_usages` keeps what it sent), so the
numbers asserted here are exactly the ones a provider would bill.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from graphmem import ExtractionFailed, GraphMemConfig, Memory
from tests.fakes.fixtures import make_llm_config
from tests.fakes.openai_server import FakeOpenAIServer

GOOGLE = {
    "facts": ["Sarah Chen works at Google"],
    "entities": [
        {"name": "Sarah Chen", "type": "person"},
        {"name": "Google", "type": "organization"},
    ],
    "relations": [{"source": "Sarah Chen", "relationship": "works at", "target": "Google"}],
}
META = {
    "facts": ["Sarah Chen works at Meta"],
    "entities": [
        {"name": "Sarah Chen", "type": "person"},
        {"name": "Meta", "type": "organization"},
    ],
    "relations": [{"source": "Sarah Chen", "relationship": "works at", "target": "Meta"}],
}
LEFT_GOOGLE = {
    "facts": [{"fact": "f1", "event": "DELETE", "memory": "m1"}],
    "relations": [{"relation": "r1", "decision": "INVALIDATE"}],
}
NO_USAGE = {"llm_calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}


def billed(server: FakeOpenAIServer) -> dict[str, int]:
    """What the fake server's completions so far said they cost, summed."""
    sent = server.completion_usages
    prompt = sum(usage["prompt_tokens"] for usage in sent)
    completion = sum(usage["completion_tokens"] for usage in sent)
    return {
        "llm_calls": len(sent),
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


@pytest.fixture
def llm_config(fake_openai_server: FakeOpenAIServer, tmp_path: Path) -> GraphMemConfig:
    """LLM extraction on the fake server; lexical vectors, so close facts are neighbours
    and the reconcile call happens."""
    return make_llm_config(fake_openai_server, tmp_path / "graphmem", embedder="hash")


@pytest.fixture
def memory(llm_config: GraphMemConfig) -> Iterator[Memory]:
    with Memory(llm_config) as opened:
        yield opened


def add_with(memory: Memory, server: FakeOpenAIServer, *replies: Any) -> dict[str, Any]:
    """One add of alice's with scripted replies (dicts are JSON, strings raw text)."""
    server.reset()
    for reply in replies:
        if isinstance(reply, str):
            server.script_text(reply)
        else:
            server.script_json(reply)
    result = memory.add("(the conversation)", user_id="alice")
    assert server.pending == 0
    return result


def test_an_add_reports_the_tokens_of_its_extraction_call(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    result = add_with(memory, fake_openai_server, GOOGLE)
    assert result["usage"] == billed(fake_openai_server)
    assert result["usage"]["llm_calls"] == 1
    assert result["usage"]["prompt_tokens"] > 0 and result["usage"]["completion_tokens"] > 0


def test_an_add_counts_every_reask_and_the_reconcile_call(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    add_with(memory, fake_openai_server, GOOGLE)
    result = add_with(memory, fake_openai_server, '{"facts": ["Sarah', META, LEFT_GOOGLE)
    assert [row["event"] for row in result["results"]] == ["ADD", "DELETE"]  # reconciled
    assert len(fake_openai_server.completion_usages) == 3  # a re-ask, then the reconcile call
    assert result["usage"] == billed(fake_openai_server)


def test_concurrent_adds_each_report_only_their_own_call(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    texts = [f"Turn {i}: " + "word " * (20 * i) for i in range(1, 7)]  # prompts of other sizes
    with ThreadPoolExecutor(max_workers=6) as pool:
        usages = list(pool.map(lambda t: memory.add(t, user_id="alice")["usage"], texts))
    assert [usage["llm_calls"] for usage in usages] == [1] * 6
    sent = sorted(usage["prompt_tokens"] for usage in fake_openai_server.completion_usages)
    assert sorted(usage["prompt_tokens"] for usage in usages) == sent
    assert memory.llm_usage.prompt_tokens == sum(sent)


def test_an_add_without_llm_calls_reports_zero_usage(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    assert memory.add("Sarah Chen works at Google.", user_id="alice", infer=False)["usage"] == (
        NO_USAGE
    )
    given = [{"source": "Sarah Chen", "relationship": "works at", "target": "Google"}]
    assert memory.add(None, user_id="alice", relations=given)["usage"] == NO_USAGE
    assert fake_openai_server.chat_requests == []


def test_the_offline_extractor_reports_zero_usage(memory_offline: Memory) -> None:
    result = memory_offline.add("Sarah Chen works at Google.", user_id="alice")
    assert result["usage"] == NO_USAGE
    assert memory_offline.stats()["llm_usage"] == NO_USAGE


def test_stats_sum_the_usage_of_every_add_and_keep_it_across_reopening(
    llm_config: GraphMemConfig, fake_openai_server: FakeOpenAIServer
) -> None:
    with Memory(llm_config) as memory:
        first = add_with(memory, fake_openai_server, GOOGLE)["usage"]
        second = add_with(memory, fake_openai_server, META, LEFT_GOOGLE)["usage"]
    total = {key: first[key] + second[key] for key in NO_USAGE}
    with Memory(llm_config) as reopened:
        assert reopened.stats()["llm_usage"] == total
        assert reopened.stats(user_id="alice")["llm_usage"] == total
        assert reopened.stats(user_id="bob")["llm_usage"] == NO_USAGE
        assert reopened.llm_usage.calls == 0  # since this open: nothing yet


def test_a_failed_add_still_counts_the_tokens_it_spent(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    fake_openai_server.script_text("garbage", "more garbage", "still garbage")
    with pytest.raises(ExtractionFailed):
        memory.add("(the conversation)", user_id="alice")
    assert memory.stats()["memories"] == 0
    assert memory.stats()["llm_usage"] == billed(fake_openai_server)
    assert memory.llm_usage.calls == 3


def test_llm_usage_sums_every_add_since_open(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    first = add_with(memory, fake_openai_server, GOOGLE)["usage"]
    second = add_with(memory, fake_openai_server, META, LEFT_GOOGLE)["usage"]
    since_open = memory.llm_usage
    assert since_open.calls == first["llm_calls"] + second["llm_calls"] == 3
    assert since_open.prompt_tokens == first["prompt_tokens"] + second["prompt_tokens"]
    assert since_open.completion_tokens == first["completion_tokens"] + second["completion_tokens"]


def test_reset_forgets_the_usage_with_everything_else(
    memory: Memory, fake_openai_server: FakeOpenAIServer
) -> None:
    add_with(memory, fake_openai_server, GOOGLE)
    memory.reset()
    assert memory.stats()["llm_usage"] == NO_USAGE


@pytest.fixture
def memory_offline(tmp_path: Path) -> Iterator[Memory]:
    config = GraphMemConfig(data_dir=tmp_path / "offline", embedder="hash", extractor="offline")
    with Memory(config) as opened:
        yield opened
