"""/health, /ready, /metrics, and an open server (no keys) serving loopback clients."""

from __future__ import annotations

from pathlib import Path

import httpx
from typer.testing import CliRunner

from api.app import create_app
from graphmem.cli.app import app as cli
from tests.api.conftest import add_memory, offline_config
from tests.api.live_server import serve


def test_health_is_ok(admin: httpx.Client) -> None:
    assert admin.get("/health").json() == {"status": "ok"}


def test_ready_pings_every_store(base_url: str) -> None:
    body = httpx.get(f"{base_url}/ready").json()
    assert body["status"] == "ready"
    assert body["stores"] == {name: {"status": "up"} for name in ("graph", "vectors", "history")}


def test_metrics_count_requests_per_route_and_stored_items(admin: httpx.Client) -> None:
    memory_id = add_memory(admin, "Sarah Chen works at Google.", "u-metrics")
    admin.get(f"/v1/memories/{memory_id}")
    response = admin.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert (
        'graphmem_http_requests_total{method="GET",route="/v1/memories/{memory_id}",status="200"}'
        in text
    )
    assert (
        'graphmem_http_request_duration_seconds_bucket{le="0.1",method="POST",route="/v1/memories"}'
        in text
    )
    for kind in ("memories", "entities", "relations"):
        assert f'graphmem_stored_items{{kind="{kind}"}}' in text


def test_a_server_without_keys_is_open_to_loopback_clients(tmp_path: Path) -> None:
    app = create_app(offline_config(tmp_path / "graphmem"), api_keys={})
    with serve(app) as url:
        response = httpx.post(
            f"{url}/v1/memories", json={"messages": "Ann likes tea.", "user_id": "u"}
        )
        assert response.status_code == 201


def test_serve_refuses_a_public_host_without_keys(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "refusing to serve on 0.0.0.0" in result.output
