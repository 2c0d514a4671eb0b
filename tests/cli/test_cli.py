"""The `graphmem` command for people and for scripts (`--json`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from graphmem.cli.app import app

runner = CliRunner()


def run_json(data_dir: Path, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_demo_prints_the_graph_and_answers_who_works_at_google() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graphmem.cli", "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Knowledge graph" in done.stdout
    assert "WORKS_AT" in done.stdout
    assert "Q: Who works at Google?" in done.stdout


def test_demo_json_answers_every_sample_question() -> None:
    result = runner.invoke(app, ["demo", "--json"])
    assert result.exit_code == 0, result.output
    answers = json.loads(result.stdout)["answers"]
    top = {question: a["answers"][0]["entity"] for question, a in answers.items() if a["answers"]}
    assert top["Where does Alice live?"] == "Zurich"
    assert top["Who is Sarah Chen married to?"] == "Tom Lee"
    assert {x["entity"] for x in answers["Who works at Google?"]["answers"]} == {
        "Alice",
        "Sarah Chen",
    }


def test_add_then_search_list_get_history_update_delete(tmp_path: Path) -> None:
    added = run_json(tmp_path, "add", "Sarah Chen works at Google.", "--user-id", "alice")
    memory_id = added["results"][0]["id"]
    hits = run_json(tmp_path, "search", "Google", "--user-id", "alice")
    assert hits["results"][0]["id"] == memory_id
    answer = run_json(tmp_path, "query", "Who works at Google?", "--user-id", "alice")
    assert answer["answers"][0]["entity"] == "Sarah Chen"
    assert run_json(tmp_path, "list", "--user-id", "alice")["results"][0]["id"] == memory_id
    assert run_json(tmp_path, "get", memory_id)["memory"] == "Sarah Chen works at Google."
    run_json(tmp_path, "update", memory_id, "--text", "Sarah Chen works at Initech.")
    events = run_json(tmp_path, "history", memory_id)
    assert [e["event"] for e in events] == ["ADD", "UPDATE"]
    assert run_json(tmp_path, "stats", "--user-id", "alice")["memories"] == 1
    run_json(tmp_path, "delete", memory_id)
    assert run_json(tmp_path, "list", "--user-id", "alice")["results"] == []


def test_delete_all_empties_a_scope(tmp_path: Path) -> None:
    run_json(tmp_path, "add", "Sarah Chen works at Google.", "--user-id", "alice")
    assert run_json(tmp_path, "delete", "--all", "--user-id", "alice")["deleted"] == 1


def test_an_error_is_reported_as_json_with_exit_code_two(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["add", "  ", "--user-id", "alice", "--data-dir", str(tmp_path), "--json"]
    )
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {
        "error": "InvalidInput",
        "detail": "messages contain no text",
        "field": "messages",
    }


def test_tables_for_people_show_the_answer(tmp_path: Path) -> None:
    runner.invoke(
        app,
        ["add", "Sarah Chen works at Google.", "--user-id", "alice", "--data-dir", str(tmp_path)],
    )
    result = runner.invoke(
        app, ["query", "Who works at Google?", "--user-id", "alice", "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 0
    assert "Sarah Chen" in result.stdout
