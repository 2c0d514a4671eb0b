"""A real `graphmem serve` (uvicorn, its own process) for the soak's HTTP parts, with the
soak's API keys: two tenants, keys restricted by agent, app, run and several fields, and
an admin key."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ADMIN_KEY = "k-admin"
KEYS: dict[str, object] = {
    "k-alice": {"user_id": ["alice"]},
    "k-bob": {"user_id": ["bob"]},
    "k-agent": {"agent_id": ["a-one"]},
    "k-app": {"app_id": ["app-one"]},
    "k-run": {"run_id": ["r-one"]},
    "k-multi": {"user_id": ["carol"], "agent_id": ["a-two"]},
    ADMIN_KEY: "*",
}
TENANT_KEYS = {"alice": "k-alice", "bob": "k-bob"}
_START_TIMEOUT = 120.0


@contextmanager
def graphmem_serve(
    data_dir: Path, *, graph_store: str = "networkx", neo4j_uri: str | None = None
) -> Iterator[str]:
    """Run `graphmem serve` on a free loopback port until the block ends; yields its URL.

    The hash embedder and the offline extractor; no GRAPHMEM_* or OPENAI_* setting of the
    caller leaks in. Stopped with SIGTERM, so the server closes the Memory as it would.
    """
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAPHMEM_", "OPENAI_"))}
    env |= {
        "GRAPHMEM_API_KEYS": json.dumps(KEYS),
        "GRAPHMEM_EMBEDDER": "hash",
        "GRAPHMEM_EXTRACTOR": "offline",
        "GRAPHMEM_GRAPH_STORE": graph_store,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    if neo4j_uri:
        env["GRAPHMEM_NEO4J_URI"] = neo4j_uri
    command = [sys.executable, "-m", "graphmem.cli", "serve", "--port", str(port)]
    data_dir.mkdir(parents=True, exist_ok=True)
    log = (data_dir.parent / f"{data_dir.name}-serve.log").open("wb")
    server = subprocess.Popen(
        [*command, "--data-dir", str(data_dir)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, server)
        yield url
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _wait_ready(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"graphmem serve exited with {server.returncode}")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("graphmem serve did not get ready")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
