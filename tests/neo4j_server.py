"""The tests' own Neo4j 5.26 server (tools/neo4j), apart from the development one.

It listens on 127.0.0.1:7688 with its data in tools/neo4j/test-data, so running the tests
never empties the database a developer inspects on 7687. `make test` starts it and stops
it after; a bare `pytest` starts it when it does not answer and stops it when the session
ends, so no server is left holding the port for another checkout.

A run that needs a server of its own (another checkout testing beside this one) sets the
`tools/neo4j/ctl.sh` variables for it, e.g. `GRAPHMEM_NEO4J_BOLT_PORT=7690
GRAPHMEM_NEO4J_HTTP_PORT=7477 GRAPHMEM_NEO4J_DATA=/tmp/x/data GRAPHMEM_NEO4J_RUN=/tmp/x/run
tools/neo4j/ctl.sh with pytest`: they are read once, when the tests are collected (before
any test clears the environment), and the tests then use that server instead.
"""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "neo4j"
_DEFAULTS = {
    "GRAPHMEM_NEO4J_BOLT_PORT": "7688",
    "GRAPHMEM_NEO4J_HTTP_PORT": "7475",
    "GRAPHMEM_NEO4J_DATA": str(TOOLS / "test-data"),
    "GRAPHMEM_NEO4J_RUN": str(TOOLS / "test-run"),
}
SERVER_ENV = {name: os.environ.get(name) or default for name, default in _DEFAULTS.items()}
URI = f"bolt://127.0.0.1:{SERVER_ENV['GRAPHMEM_NEO4J_BOLT_PORT']}"
AUTH = ("neo4j", "graphmem")


def bolt_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def start_neo4j_unless_running() -> bool:
    """Start the tests' server from tools/neo4j unless it answers; True if started here."""
    if bolt_answers(int(SERVER_ENV["GRAPHMEM_NEO4J_BOLT_PORT"])):
        return False
    _ctl("start")
    return True


def stop_neo4j() -> None:
    _ctl("stop")


def _ctl(command: str) -> None:
    env = {**os.environ, **SERVER_ENV}
    subprocess.run([str(TOOLS / "ctl.sh"), command], check=True, timeout=600, env=env)
