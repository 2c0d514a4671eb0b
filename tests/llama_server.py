"""The tests' own llama.cpp `llama-server` with SmolLM2-135M-Instruct (tools/llama).

It listens on 127.0.0.1:8090 with its pid file and output in tools/llama/test-run, apart
from a development server on 8089. `make test` starts it and stops it after; a bare
`pytest` starts it when it does not answer (building it first, once per machine: the
build is cached in ~/.cache/graphmem/llama) and stops it when the session ends.

Like `tests/neo4j_server.py`, the `tools/llama/ctl.sh` variables are read once, when the
tests are collected, so another checkout can test beside this one on its own port.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "llama"
_DEFAULTS = {
    "GRAPHMEM_LLAMA_PORT": "8090",
    "GRAPHMEM_LLAMA_RUN": str(TOOLS / "test-run"),
}
SERVER_ENV = {name: os.environ.get(name) or default for name, default in _DEFAULTS.items()}
if os.environ.get("GRAPHMEM_LLAMA_CACHE"):
    SERVER_ENV["GRAPHMEM_LLAMA_CACHE"] = os.environ["GRAPHMEM_LLAMA_CACHE"]
BASE_URL = f"http://127.0.0.1:{SERVER_ENV['GRAPHMEM_LLAMA_PORT']}"
BUILD_TIMEOUT = 3600
"""Seconds a cold build (download and compile llama.cpp) may take on a slow machine."""


def get_text(path: str) -> str:
    """The body of GET `path` on the server (e.g. `/metrics`)."""
    with urllib.request.urlopen(BASE_URL + path, timeout=10) as answer:
        return str(answer.read().decode("utf-8"))


def server_answers() -> bool:
    try:
        get_text("/health")
        return True
    except OSError:
        return False


def start_llama_unless_running() -> bool:
    """Start the tests' server from tools/llama unless it answers; True if started here."""
    if server_answers():
        return False
    _ctl("start")
    return True


def stop_llama() -> None:
    _ctl("stop")


def _ctl(command: str) -> None:
    env = {**os.environ, **SERVER_ENV, "PYTHON": os.environ.get("PYTHON", sys.executable)}
    subprocess.run([str(TOOLS / "ctl.sh"), command], check=True, timeout=BUILD_TIMEOUT, env=env)
