"""`graphmem import` and `graphmem export`, for scripts (`--json`) and for people."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graphmem.cli.app import app

runner = CliRunner()

FIXTURES = Path(__file__).parent.parent / "fixtures"
PEOPLE = FIXTURES / "people.jsonl"
WITH_BAD_LINES = FIXTURES / "with_bad_lines.jsonl"


def invoke(data_dir: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    return result.exit_code, result.stdout


def test_import_json_prints_the_summary(tmp_path: Path) -> None:
    code, out = invoke(tmp_path, "import", str(PEOPLE), "--json", "--no-progress")

    assert code == 0, out
    summary = json.loads(out)
    assert (summary["records"], summary["memories"], summary["entities"]) == (20, 21, 16)
    assert (summary["relations"], summary["errors"]) == (18, [])


def test_import_reports_bad_lines_by_number_and_exits_zero(tmp_path: Path) -> None:
    code, out = invoke(tmp_path, "import", str(WITH_BAD_LINES), "--json", "--batch-size", "2")

    assert code == 0, out
    summary = json.loads(out)
    assert [error["line"] for error in summary["errors"]] == [2, 3, 5, 6]
    assert summary["records"] == 2


def test_import_exits_one_when_every_line_is_bad(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "no scope"}\nnot json\n')

    code, out = invoke(tmp_path / "data", "import", str(bad), "--json")

    assert code == 1
    assert [error["line"] for error in json.loads(out)["errors"]] == [1, 2]


def test_import_of_a_missing_file_exits_two_naming_the_path(tmp_path: Path) -> None:
    code, out = invoke(tmp_path, "import", str(tmp_path / "missing.jsonl"), "--json")

    assert code == 2
    assert json.loads(out)["field"] == "path"


def test_import_shows_a_summary_table_and_the_bad_lines_to_people(tmp_path: Path) -> None:
    code, out = invoke(tmp_path, "import", str(WITH_BAD_LINES), "--no-progress")

    assert code == 0, out
    assert "records" in out
    assert "Bad lines" in out
    assert "unknown key 'source'" in out


def test_export_then_import_round_trips_through_the_cli(tmp_path: Path) -> None:
    invoke(tmp_path / "first", "import", str(PEOPLE), "--json", "--no-progress")
    target = tmp_path / "export.jsonl"

    code, out = invoke(tmp_path / "first", "export", str(target), "--json")
    assert code == 0, out
    assert json.loads(out) == {"records": 21, "path": str(target)}

    code, out = invoke(tmp_path / "second", "import", str(target), "--json", "--no-progress")
    assert code == 0, out
    for user in ("alice", "bob"):
        first = json.loads(invoke(tmp_path / "first", "stats", "--user-id", user, "--json")[1])
        second = json.loads(invoke(tmp_path / "second", "stats", "--user-id", user, "--json")[1])
        assert first == second
