"""The `graphmem` commands that start a server and run until stopped: the REST API
(`serve`) and MCP over stdio (`mcp`). `app.py` registers them."""

from __future__ import annotations

from typing import Annotated

import typer

from graphmem.cli.options import (
    AgentId,
    AppId,
    DataDir,
    RunId,
    UserId,
    errors,
    report_error,
    scope,
)
from graphmem.config import GraphMemConfig
from graphmem.errors import GraphMemError
from graphmem.models.scope import Scope


def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    data_dir: DataDir = None,
) -> None:
    """Run the REST API (uvicorn). API keys come from GRAPHMEM_API_KEYS (JSON).

    Without API keys the server is open, so it binds loopback only: another --host is
    refused.
    """
    import uvicorn

    from api.app import create_app
    from api.auth import is_loopback, load_api_keys

    try:
        keys = load_api_keys(None)
        config = GraphMemConfig(data_dir=data_dir) if data_dir else GraphMemConfig()
    except GraphMemError as exc:
        report_error(exc, as_json=False)
        raise typer.Exit(code=2) from exc
    if keys.open and not is_loopback(host):
        errors.print(
            f"[bold red]refusing to serve on {host}[/]: no API keys are configured; "
            "set GRAPHMEM_API_KEYS or bind 127.0.0.1"
        )
        raise typer.Exit(code=2)
    uvicorn.run(create_app(config), host=host, port=port)


def mcp(
    user_id: UserId = None,
    agent_id: AgentId = None,
    run_id: RunId = None,
    app_id: AppId = None,
    data_dir: DataDir = None,
) -> None:
    """Serve the memory to agents over MCP (stdio), in the scope given here.

    Every call works in this scope: give --user-id (or --agent-id, --run-id,
    --app-id). Tools: add_memory, search_memories, ask_graph, list_memories,
    get_memory, update_memory, delete_memory, memory_history, entity_neighbors.
    Resources: graphmem://entities, graphmem://entities/{entity}.
    Over HTTP, `graphmem serve` serves the same at /mcp, behind the API keys.
    """
    import anyio

    try:
        from graphmem.mcp_server import serve_stdio
    except ImportError as exc:
        errors.print(
            f"[bold red]graphmem mcp needs the MCP SDK[/] ({exc.name} is missing): "
            "pip install 'graphmem[mcp]'"
        )
        raise typer.Exit(code=2) from exc
    if not any((user_id, agent_id, run_id, app_id)):
        errors.print(
            "[bold red]graphmem mcp needs a scope[/]: give --user-id "
            "(or --agent-id, --run-id, --app-id)"
        )
        raise typer.Exit(code=2)
    try:
        bound = Scope.of(**scope(user_id, agent_id, run_id, app_id))
        config = GraphMemConfig(data_dir=data_dir) if data_dir else GraphMemConfig()
    except GraphMemError as exc:
        report_error(exc, as_json=False)
        raise typer.Exit(code=2) from exc
    try:
        anyio.run(serve_stdio, config, bound)
    except KeyboardInterrupt:
        raise typer.Exit(code=130) from None
