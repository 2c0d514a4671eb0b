"""`graphmem add --timestamp`: when the memory was said, as ISO 8601 text or epoch seconds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from graphmem.cli.app import app

runner = CliRunner()


def add_json(data_dir: Path, *args: str) -> Any:
    result = runner.invoke(app, ["add", *args, "--data-dir", str(data_dir), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def stored_timestamp(data_dir: Path, memory_id: str) -> str:
    result = runner.invoke(app, ["get", memory_id, "--data-dir", str(data_dir), "--json"])
    assert result.exit_code == 0, result.output
    timestamp: str = json.loads(result.stdout)["timestamp"]
    return timestamp


def test_add_timestamp_takes_an_iso_date_time(tmp_path: Path) -> None:
    added = add_json(
        tmp_path, "Ann likes tea.", "--user-id", "alice", "--timestamp", "2023-05-08T13:56:00"
    )
    assert stored_timestamp(tmp_path, added["results"][0]["id"]) == "2023-05-08T13:56:00+00:00"


def test_add_timestamp_takes_epoch_seconds_as_a_plain_number(tmp_path: Path) -> None:
    added = add_json(tmp_path, "Ann likes tea.", "--user-id", "alice", "--timestamp", "1683554160")
    assert stored_timestamp(tmp_path, added["results"][0]["id"]) == "2023-05-08T13:56:00+00:00"


def test_a_bad_add_timestamp_is_an_error_naming_it(tmp_path: Path) -> None:
    args = ["add", "Ann likes tea.", "--user-id", "alice", "--timestamp", "last May"]
    result = runner.invoke(app, [*args, "--data-dir", str(tmp_path), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["field"] == "timestamp"
