"""The tests' own Neo4j 5.26 server (tools/neo4j), apart from the development one.

It listens on 127.0.0.1:7688 with its data in tools/neo4j/test-data, so running the tests
never empties the database a developer inspects on 7687. `make test` starts it and stops
it after; a bare `pytest` starts it when it does not answer (and leaves it running).
"""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "neo4j"
SERVER_ENV = {
    "GRAPHMEM_NEO4J_BOLT_PORT": "7688",
    "GRAPHMEM_NEO4J_HTTP_PORT": "7475",
    "GRAPHMEM_NEO4J_DATA": str(TOOLS / "test-data"),
    "GRAPHMEM_NEO4J_RUN": str(TOOLS / "test-run"),
}
URI = f"bolt://127.0.0.1:{SERVER_ENV['GRAPHMEM_NEO4J_BOLT_PORT']}"
AUTH = ("neo4j", "graphmem")


def bolt_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def ensure_neo4j() -> str:
    """The Bolt URI of the tests' server, started from tools/neo4j if it does not answer."""
    if not bolt_answers(int(SERVER_ENV["GRAPHMEM_NEO4J_BOLT_PORT"])):
        env = {**os.environ, **SERVER_ENV}
        subprocess.run([str(TOOLS / "ctl.sh"), "start"], check=True, timeout=600, env=env)
    return URI
