"""`Memory.add` through a real model server: llama.cpp's llama-server with SmolLM2-135M.

These tests check mechanics, not the model's quality (a 135M model extracts little of
use): a schema-valid answer is parsed and written; an answer cut off at `max_tokens`, an
answer of the wrong shape and a timeout each end in `ExtractionFailed` with nothing
written; reads make no LLM call. The server samples greedily (`tools/llama/ctl.sh`) and
the prompt's `<today>` is pinned, so an answer repeats; the valid answer comes from a
conversation that is itself the JSON to copy (without a speaker, whose name the model
would otherwise weave in), which SmolLM2 copies under the schema's grammar once the
prompt's shared start is in the server's KV cache. (llama.cpp's numbers depend on how a
prompt was batched: on a cold cache the same prompt gets another greedy answer, which runs
on to `max_tokens`. So a warm-up add, which fails, goes first.)
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphmem import ExtractionFailed, GraphMemConfig, Memory
from graphmem.extraction.llm import prompts
from tests.llama_server import get_text

pytestmark = pytest.mark.timeout(900)  # the first test may build llama-server (cold: ~10 min)

COPY_ME = json.dumps(
    {
        "facts": ["Sarah works at Google"],
        "entities": [
            {"name": "Sarah", "type": "Person"},
            {"name": "Google", "type": "Organization"},
        ],
        "relations": [],
        "nothing_to_remember": False,
    }
)
TODAY = datetime.date(2027, 6, 1)
"""The prompt's `<today>`, pinned: the greedy answer to COPY_ME was checked on this date."""
SENTENCE = "John Smith, a chemist from Boston, has worked for Dow Chemical since 1998."


class PinnedDate(datetime.date):
    @classmethod
    def today(cls) -> PinnedDate:
        return cls(TODAY.year, TODAY.month, TODAY.day)


def llama_config(url: str, data_dir: Path, **overrides: Any) -> GraphMemConfig:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "extractor": "llm",
        "embedder": "hash",
        "llm_base_url": url,
        "llm_model": "SmolLM2-135M-Instruct",
        "llm_mode": "auto",
        "llm_max_tokens": 256,
        "llm_timeout": 120.0,
        "llm_max_retries": 1,
    }
    values.update(overrides)
    return GraphMemConfig(**values)


def nothing_written(memory: Memory, **scope: str) -> bool:
    stats = memory.stats(**(scope or {"user_id": "alice"}))
    return stats["memories"] == stats["entities"] == stats["relations"] == 0


def server_work() -> dict[str, float]:
    """llama-server's counters of prompt tokens read and tokens generated so far."""
    names = ("llamacpp:prompt_tokens_total", "llamacpp:tokens_predicted_total")
    text = get_text("/metrics")
    found = (re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE) for name in names)
    return {name: float(match.group(1)) for name, match in zip(names, found, strict=True) if match}


@pytest.fixture(scope="module")
def copied(llama_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Memory]:
    """A memory whose one add (auto mode: json_schema) had the model copy COPY_ME."""
    config = llama_config(llama_url, tmp_path_factory.mktemp("copied"), llm_max_retries=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(prompts, "date", PinnedDate)
        warm_up_prompt_cache(llama_url, tmp_path_factory.mktemp("warm-up"))
        with Memory(config) as memory:
            memory.add(COPY_ME, agent_id="copier")
            yield memory


def warm_up_prompt_cache(url: str, data_dir: Path) -> None:
    """One short add (cut off, so it fails) that leaves the prompt's start in the KV cache."""
    config = llama_config(url, data_dir, llm_max_tokens=64, llm_max_retries=0)
    with Memory(config) as memory, contextlib.suppress(ExtractionFailed):
        memory.add(SENTENCE, agent_id="copier")


def test_a_schema_valid_answer_is_parsed_and_written(copied: Memory) -> None:
    listed = [item["memory"] for item in copied.get_all(agent_id="copier")["results"]]
    names = {entity["name"] for entity in copied.graph.entities(agent_id="copier")}

    assert "Sarah works at Google" in listed
    assert {"Sarah", "Google"} <= names


def test_reads_make_no_llm_call(copied: Memory) -> None:
    before = server_work()
    calls = copied.llm_usage.calls
    copied.search("Where does Sarah work?", agent_id="copier")
    copied.query("Who works at Google?", agent_id="copier")

    assert server_work() == before
    assert copied.llm_usage.calls == calls


def test_an_answer_cut_off_twice_fails_and_writes_nothing(llama_url: str, tmp_path: Path) -> None:
    config = llama_config(llama_url, tmp_path, llm_mode="json_schema", llm_max_tokens=64)
    with Memory(config) as memory:
        with pytest.raises(ExtractionFailed) as failure:
            memory.add(COPY_ME, user_id="alice")  # the copy needs ~75 tokens

        assert "cut off at llm_max_tokens=64" in failure.value.message
        assert memory.llm_usage.calls == 2
        assert nothing_written(memory)


def test_a_json_mode_add_extracts_or_fails_with_nothing_written(
    llama_url: str, tmp_path: Path
) -> None:
    """`json` mode: nothing holds the model to the shape, so its answer is checked only
    after parsing (json_schema's failures are the cut-off test's)."""
    config = llama_config(llama_url, tmp_path, llm_mode="json", llm_max_tokens=64)
    with Memory(config) as memory:
        try:
            result = memory.add(SENTENCE, user_id="alice")
        except ExtractionFailed as failure:
            assert "NOT stored" in failure.message
            assert nothing_written(memory)
        else:
            assert result["results"] or result["relations"]["added"]
            assert not nothing_written(memory)


def test_tools_mode_fails_when_the_model_makes_no_tool_call(llama_url: str, tmp_path: Path) -> None:
    config = llama_config(llama_url, tmp_path, llm_mode="tools", llm_max_tokens=128)
    with Memory(config) as memory:
        with pytest.raises(ExtractionFailed) as failure:  # SmolLM2 answers in plain text
            memory.add(SENTENCE, user_id="alice")

        message = failure.value.message
        assert "No tool calls" in message or "cut off at llm_max_tokens=128" in message
        assert nothing_written(memory)


def test_a_timeout_is_honoured_and_writes_nothing(llama_url: str, tmp_path: Path) -> None:
    with Memory(llama_config(llama_url, tmp_path, llm_timeout=0.3)) as memory:
        started = time.perf_counter()
        with pytest.raises(ExtractionFailed) as failure:
            memory.add(SENTENCE, user_id="alice")

        assert time.perf_counter() - started < 5.0
        assert "llm_timeout=0.3s" in failure.value.message
        assert nothing_written(memory)
