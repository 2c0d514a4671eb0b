"""What one process writes, a new process reads; a locked data dir is a clear error."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from graphmem import GraphMemConfig, Memory, StoreUnavailable


def run_python(code: str, data_dir: Path) -> str:
    script = textwrap.dedent(code).replace("DATA_DIR", repr(str(data_dir)))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


WRITE = """
    import json
    from graphmem import GraphMemConfig, Memory
    with Memory(GraphMemConfig(data_dir=DATA_DIR, embedder="hash", extractor="offline")) as m:
        added = m.add("Sarah Chen works at Google.", user_id="alice")
    print(json.dumps(added["results"][0]["id"]))
"""

READ = """
    import json
    from graphmem import GraphMemConfig, Memory
    with Memory(GraphMemConfig(data_dir=DATA_DIR, embedder="hash", extractor="offline")) as m:
        answer = m.query("Who works at Google?", user_id="alice")
        hits = m.search("Google", user_id="alice", channels=["bm25"])
    print(json.dumps([answer["answers"][0]["entity"], hits["results"][0]["id"]]))
"""


def test_a_new_process_reads_what_another_wrote(data_dir: Path) -> None:
    memory_id = json.loads(run_python(WRITE, data_dir))
    entity, hit = json.loads(run_python(READ, data_dir))
    assert entity == "Sarah Chen"
    assert hit == memory_id


def test_a_second_opener_of_a_data_dir_gets_store_unavailable(config: GraphMemConfig) -> None:
    with Memory(config), pytest.raises(StoreUnavailable, match="locked by another graphmem"):
        Memory(config)


def test_after_close_the_data_dir_opens_again(config: GraphMemConfig) -> None:
    Memory(config).close()
    with Memory(config) as reopened:
        assert reopened.stats()["memories"] == 0
