"""A real Neo4j 5.26 server for the tests, from tools/neo4j (started here if not running)."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "neo4j"
URI = os.environ.get("GRAPHMEM_NEO4J_URI", "bolt://127.0.0.1:7687")
AUTH = ("neo4j", os.environ.get("GRAPHMEM_NEO4J_PASSWORD", "graphmem"))


def bolt_answers(host: str = "127.0.0.1", port: int = 7687) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def ensure_neo4j() -> str:
    """The Bolt URI of a running server; starts tools/neo4j's server when none answers."""
    if not bolt_answers():
        subprocess.run([str(TOOLS / "ctl.sh"), "start"], check=True, timeout=600)
    return URI
