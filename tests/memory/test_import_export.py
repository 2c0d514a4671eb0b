"""Bulk import of pre-extracted JSONL records, and export in the same format (SPEC §3)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphmem import GraphMemConfig, Memory
from graphmem.errors import InvalidInput
from graphmem.memory.backends import Backends
from graphmem.memory.write import bulk_import
from graphmem.memory.write.plan import WritePlan
from graphmem.memory.write.writer import apply_plan
from tests.fakes.openai_server import FakeOpenAIServer

FIXTURES = Path(__file__).parent.parent / "fixtures"
PEOPLE = FIXTURES / "people.jsonl"
WITH_BAD_LINES = FIXTURES / "with_bad_lines.jsonl"
USERS = ("alice", "bob")


def graph_counts(memory: Memory, user_id: str) -> dict[str, int]:
    stats = memory.stats(user_id=user_id)
    return {key: stats[key] for key in ("memories", "entities", "relations")}


def answers(memory: Memory, question: str, user_id: str) -> set[str]:
    return {answer["entity"] for answer in memory.query(question, user_id=user_id)["answers"]}


def entity_names(memory: Memory, user_id: str) -> set[str]:
    return {entity["name"] for entity in memory.graph.entities(user_id=user_id)}


def test_importing_the_fixture_reports_exact_counts(memory: Memory) -> None:
    summary = memory.import_records(PEOPLE, progress=False)

    assert {key: summary[key] for key in ("records", "memories", "entities", "relations")} == {
        "records": 20,
        "memories": 21,
        "entities": 16,
        "relations": 18,
    }
    assert summary["errors"] == []
    seconds, rate = summary["seconds"], summary["records_per_second"]  # seconds: 3 decimals
    assert seconds > 0
    assert 20 / (seconds + 0.0005) - 0.1 <= rate <= 20 / max(seconds - 0.0005, 1e-9) + 0.1
    assert graph_counts(memory, "alice") == {"memories": 12, "entities": 8, "relations": 10}
    assert graph_counts(memory, "bob") == {"memories": 9, "entities": 8, "relations": 8}


def test_a_bad_line_is_reported_by_line_number_and_nothing_of_it_is_written(
    memory: Memory,
) -> None:
    summary = memory.import_records(WITH_BAD_LINES, progress=False)

    assert [(error["line"], error["field"]) for error in summary["errors"]] == [
        (2, None),  # invalid JSON
        (3, "scope"),  # no scope
        (5, "relations"),  # a relation without a target
        (6, "source"),  # an unknown key
    ]
    assert "invalid JSON" in summary["errors"][0]["detail"]
    assert summary["records"] == 2
    assert entity_names(memory, "alice") == {"Sarah Chen", "Google", "Tom Lee"}
    texts = {item["memory"] for item in memory.get_all(user_id="alice")["results"]}
    assert texts == {"Sarah Chen works at Google.", "Tom Lee works at Google"}
    assert memory.stats()["memories"] == 2


def test_importing_the_same_file_twice_adds_nothing_the_second_time(memory: Memory) -> None:
    memory.import_records(PEOPLE, progress=False)
    before = {user: graph_counts(memory, user) for user in USERS}

    again = memory.import_records(PEOPLE, progress=False)

    assert (again["records"], again["memories"], again["entities"], again["relations"]) == (
        20,
        0,
        0,
        0,
    )
    assert {user: graph_counts(memory, user) for user in USERS} == before


def test_reimporting_a_relation_that_ended_in_the_past_adds_no_twin(memory: Memory) -> None:
    record = {
        "user_id": "alice",
        "relations": [
            {
                "source": "Bob",
                "relationship": "visited",
                "target": "Paris",
                "valid_from": "2024-05-01",
                "valid_to": "2024-05-31",
            }
        ],
    }
    memory.import_records([record], progress=False)

    assert memory.import_records([record], progress=False)["relations"] == 0


def test_an_iterable_of_dicts_imports_like_a_file(memory: Memory) -> None:
    def records() -> Iterator[dict[str, Any]]:  # a generator: no length, no total
        with PEOPLE.open() as lines:
            for line in lines:
                yield json.loads(line)

    summary = memory.import_records(records(), progress=False, batch_size=7)

    assert (summary["records"], summary["memories"], summary["relations"]) == (20, 21, 18)
    assert graph_counts(memory, "alice") == {"memories": 12, "entities": 8, "relations": 10}


def test_a_bad_dict_in_an_iterable_is_reported_by_its_position(memory: Memory) -> None:
    good = {"text": "Sarah Chen works at Google.", "user_id": "alice"}

    summary = memory.import_records([good, {"text": 42, "user_id": "alice"}], progress=False)

    assert summary["errors"] == [{"line": 2, "field": "text", "detail": "text must be a string"}]
    assert summary["records"] == 1


def test_a_record_a_store_refuses_is_reported_and_the_rest_of_its_batch_is_written(
    memory: Memory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse_globex(plan: WritePlan, backends: Backends) -> None:
        if any(r and "Globex" in r.memory for r in plan.memories_after.values()):
            raise InvalidInput("the store refused Globex", field="relations")
        apply_plan(plan, backends)

    monkeypatch.setattr(bulk_import, "apply_plan", refuse_globex)
    records = [
        {"text": f"{name} works at {company}.", "user_id": "alice"}
        for name, company in (("Sarah Chen", "Google"), ("Nina Park", "Globex"), ("Tom", "Hooli"))
    ]

    summary = memory.import_records(records, progress=False)

    assert summary["errors"] == [
        {"line": 2, "field": "relations", "detail": "the store refused Globex"}
    ]
    assert (summary["records"], summary["memories"]) == (2, 2)
    assert memory.stats()["memories"] == 2


def test_a_record_may_give_messages_instead_of_text(memory: Memory) -> None:
    record = {
        "user_id": "alice",
        "messages": [{"role": "user", "content": "Sarah Chen works at Google."}],
        "relations": [{"source": "Sarah Chen", "relationship": "works at", "target": "Google"}],
    }

    memory.import_records([record], progress=False)

    assert answers(memory, "who works at Google?", "alice") == {"Sarah Chen"}


def test_a_record_created_at_becomes_the_memory_created_at(memory: Memory) -> None:
    record = {
        "text": "Alice likes hiking.",
        "user_id": "alice",
        "created_at": "2024-06-01T09:00:00Z",
    }

    memory.import_records([record], progress=False)

    stored = memory.get_all(user_id="alice")["results"][0]
    assert stored["created_at"].startswith("2024-06-01T09:00:00")


def test_export_then_import_into_a_new_data_dir_gives_the_same_graph(
    memory: Memory, tmp_path: Path
) -> None:
    memory.import_records(PEOPLE, progress=False)
    exported = memory.export(tmp_path / "export.jsonl")

    other_config = GraphMemConfig(data_dir=tmp_path / "other", embedder="hash", extractor="offline")
    with Memory(other_config) as other:
        summary = other.import_records(exported["path"], progress=False)

        assert summary["errors"] == []
        for user in USERS:
            assert graph_counts(other, user) == graph_counts(memory, user)
            assert entity_names(other, user) == entity_names(memory, user)
        for question, user in (
            ("who works at Google?", "alice"),
            ("who works at Acme Corp?", "bob"),
            ("where does Priya Patel live?", "alice"),
        ):
            assert answers(other, question, user) == answers(memory, question, user)
        assert answers(other, "who works at Google?", "alice") == {"Sarah Chen", "Tom Lee"}


def test_export_writes_one_import_record_per_memory(memory: Memory, tmp_path: Path) -> None:
    memory.import_records(PEOPLE, progress=False)

    result = memory.export(tmp_path / "export.jsonl")

    lines = [json.loads(line) for line in Path(result["path"]).read_text().splitlines()]
    assert result["records"] == len(lines) == 21
    assert sum(len(line["relations"]) for line in lines) == 18
    visit = next(line for line in lines if line["text"].startswith("Bob is visiting Paris"))
    assert visit["user_id"] == "bob"
    assert visit["created_at"].startswith("2024-06-01T09:00:00")
    assert visit["relations"] == [
        {
            "source": "Bob",
            "relationship": "VISITED",
            "target": "Paris",
            "valid_from": "2024-05-01",
            "valid_to": "2030-05-31",
        }
    ]
    assert {"name": "Paris", "type": "Location"} in visit["entities"]


def test_export_replaces_the_file_whole(memory: Memory, tmp_path: Path) -> None:
    target = tmp_path / "export.jsonl"
    target.write_text("old content\n")
    memory.add("Alice likes hiking.", user_id="alice", infer=False)

    memory.export(target)

    assert [json.loads(line)["text"] for line in target.read_text().splitlines()] == [
        "Alice likes hiking."
    ]
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".tmp-")] == []


def test_search_and_query_find_imported_facts(memory: Memory) -> None:
    memory.import_records(PEOPLE, progress=False)

    hits = memory.search("Where is Google headquartered?", user_id="alice")["results"]
    assert hits[0]["memory"] == "Google is headquartered in Mountain View."
    assert answers(memory, "who works at Initech?", "alice") == {"Priya Patel", "Marco Rossi"}


def test_import_makes_no_llm_call(
    fake_llm_config: GraphMemConfig, fake_openai_server: FakeOpenAIServer
) -> None:
    with Memory(fake_llm_config) as memory:
        summary = memory.import_records(PEOPLE, progress=False)

    assert summary["records"] == 20
    assert fake_openai_server.chat_requests == []


def test_importing_a_missing_file_is_invalid_input(memory: Memory, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as raised:
        memory.import_records(tmp_path / "missing.jsonl", progress=False)

    assert raised.value.field == "path"


def test_a_batch_size_below_one_is_invalid_input(memory: Memory) -> None:
    with pytest.raises(InvalidInput) as raised:
        memory.import_records(PEOPLE, progress=False, batch_size=0)

    assert raised.value.field == "batch_size"


def test_the_progress_bar_writes_to_stderr_only(
    memory: Memory, capsys: pytest.CaptureFixture[str]
) -> None:
    memory.import_records(PEOPLE, progress=True)

    captured = capsys.readouterr()
    assert captured.out == ""
    assert "20/20" in captured.err


def test_an_ended_relation_comes_back_ended_after_export_and_import(
    memory: Memory, tmp_path: Path
) -> None:
    memory.add("Sarah Chen lives in Paris.", user_id="alice")
    memory.add("Sarah Chen lives in Berlin.", user_id="alice")
    exported = memory.export(tmp_path / "export.jsonl")

    def homes(store: Memory) -> dict[str, tuple[bool, object, object]]:
        found = store.search("Sarah Chen lives in", user_id="alice", include_history=True)
        return {
            r["target"]: (r["current"], r["valid_to"], r["invalidated_at"])
            for r in found["relations"]
            if r["relationship"] == "LIVES_IN"
        }

    before = homes(memory)
    assert before["Paris"][0] is False and before["Berlin"][0] is True
    other_config = GraphMemConfig(data_dir=tmp_path / "other", embedder="hash", extractor="offline")
    with Memory(other_config) as other:
        other.import_records(exported["path"], progress=False)
        assert homes(other) == before
        again = other.import_records(exported["path"], progress=False)
        assert (again["memories"], again["relations"]) == (0, 0)
        assert homes(other) == before
