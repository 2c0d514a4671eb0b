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


OPEN_AGAIN = """
    from graphmem import GraphMemConfig, Memory, StoreUnavailable
    try:
        Memory(GraphMemConfig(data_dir=DATA_DIR, embedder="hash", extractor="offline"))
    except StoreUnavailable as exc:
        print("refused:", exc)
"""


def test_a_second_process_is_refused_naming_the_lock_and_the_first_keeps_working(
    data_dir: Path,
) -> None:
    config = GraphMemConfig(data_dir=data_dir, embedder="hash", extractor="offline")
    with Memory(config) as first:
        first.add("Sarah Chen works at Google.", user_id="alice")
        refusal = run_python(OPEN_AGAIN, data_dir)
        assert "refused:" in refusal and "graphmem.lock" in refusal
        first.add("Tom Lee works at Initech.", user_id="alice")
        answers = first.query("Who works at Initech?", user_id="alice")["answers"]
        assert answers[0]["entity"] == "Tom Lee"
    assert json.loads(run_python(READ, data_dir))[0] == "Sarah Chen"
