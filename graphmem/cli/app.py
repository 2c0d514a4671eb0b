"""The `graphmem` command: rich tables for people, `--json` for scripts and agents (SPEC §8)."""

from __future__ import annotations

import json
import logging
import tempfile
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from graphmem.cli import render
from graphmem.cli.options import (
    AgentId,
    AppId,
    AsJson,
    DataDir,
    Limit,
    RunId,
    UserId,
    console,
    emit,
    open_memory,
    parse_json_option,
    run_data_dir_job,
    scope,
)
from graphmem.cli.servers import mcp, serve
from graphmem.errors import InvalidInput
from graphmem.memory.arguments import parse_timestamp_text
from graphmem.memory.reembed import DEFAULT_BATCH_SIZE, reembed_data_dir
from graphmem.stores.vector.migrate import migrate_data_dir

app = typer.Typer(
    help="graphmem: graph-centric long-term memory for AI agents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.command()
def demo(data_dir: DataDir = None, as_json: AsJson = False) -> None:
    """Read a bundled sample conversation, show its graph, answer relationship questions."""
    sample = json.loads(
        resources.files("graphmem.sample").joinpath("conversation.json").read_text()
    )
    with (
        tempfile.TemporaryDirectory(prefix="graphmem-demo-") as scratch,
        open_memory(data_dir or Path(scratch), as_json) as memory,
    ):
        user = sample["user_id"]
        added = memory.add(sample["messages"], user_id=user)
        answers = {q: memory.query(q, user_id=user) for q in sample["questions"]}
        stats = memory.stats(user_id=user)

    def show() -> None:
        console.print(
            f"[bold]graphmem demo[/]: {stats['extractor']} extractor, "
            f"{stats['embedder']} embedder, {stats['graph_store']} graph, "
            f"{stats['vector_store']} vectors, no API key"
        )
        console.print(render.add_results_table("Memories from the sample", added["results"]))
        console.print(render.relations_table("Knowledge graph", added["relations"]["added"]))
        for question, answer in answers.items():
            console.print(render.answers_table(question, answer))

    emit({"added": added, "answers": answers, "stats": stats}, as_json, show)


@app.command()
def add(
    text: Annotated[str, typer.Argument(help="What to remember.")],
    user_id: UserId = None,
    agent_id: AgentId = None,
    run_id: RunId = None,
    app_id: AppId = None,
    metadata: Annotated[
        str | None, typer.Option(help="JSON object stored with the memory.")
    ] = None,
    infer: Annotated[
        bool, typer.Option("--infer/--no-infer", help="Extract a graph (default) or store as is.")
    ] = True,
    timestamp: Annotated[
        str | None,
        typer.Option(
            help="When it was said: ISO 8601 date or date-time (naive is UTC), or epoch "
            "seconds as a plain number."
        ),
    ] = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Remember a text (facts, entities and relations are extracted)."""
    with open_memory(data_dir, as_json) as memory:
        result = memory.add(
            text,
            metadata=parse_json_option(metadata, "metadata"),
            infer=infer,
            timestamp=parse_timestamp_text(timestamp),
            **scope(user_id, agent_id, run_id, app_id),
        )

    def show() -> None:
        console.print(render.add_results_table("Added", result["results"]))
        if result["relations"]["added"]:
            console.print(render.relations_table("Relations added", result["relations"]["added"]))
        if result["usage"]["llm_calls"]:
            console.print(render.usage_line(result["usage"]))

    emit(result, as_json, show)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    user_id: UserId = None,
    agent_id: AgentId = None,
    run_id: RunId = None,
    app_id: AppId = None,
    limit: Limit = 10,
    filters: Annotated[
        str | None, typer.Option(help='JSON filter, e.g. \'{"topic": "work"}\'.')
    ] = None,
    explain: Annotated[bool, typer.Option(help="Show channel ranks and graph paths.")] = False,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Search memories (graph + vector + BM25, no LLM call)."""
    with open_memory(data_dir, as_json) as memory:
        result = memory.search(
            query,
            limit=limit,
            filters=parse_json_option(filters, "filters"),
            explain=explain,
            **scope(user_id, agent_id, run_id, app_id),
        )

    def show() -> None:
        console.print(render.memories_table(f"Search: {query}", result["results"]))
        if result["relations"]:
            console.print(render.relations_table("Relations", result["relations"]))

    emit(result, as_json, show)


@app.command()
def query(
    question: Annotated[
        str, typer.Argument(help="A relationship question, e.g. 'who works at Google?'.")
    ],
    user_id: UserId = None,
    agent_id: AgentId = None,
    run_id: RunId = None,
    app_id: AppId = None,
    limit: Limit = 10,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Answer a relationship question with entities and the relations that prove them."""
    with open_memory(data_dir, as_json) as memory:
        result = memory.query(question, limit=limit, **scope(user_id, agent_id, run_id, app_id))
    emit(result, as_json, lambda: console.print(render.answers_table(question, result)))


@app.command(name="list")
def list_memories(
    user_id: UserId = None,
    agent_id: AgentId = None,
    run_id: RunId = None,
    app_id: AppId = None,
    limit: Limit = 100,
    cursor: Annotated[str | None, typer.Option(help="next_cursor of the previous page.")] = None,
    filters: Annotated[str | None, typer.Option(help="JSON filter.")] = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """List a scope's memories, a page at a time."""
    with open_memory(data_dir, as_json) as memory:
        result = memory.get_all(
            limit=limit,
            cursor=cursor,
            filters=parse_json_option(filters, "filters"),
            **scope(user_id, agent_id, run_id, app_id),
        )

    def show() -> None:
        console.print(render.memories_table("Memories", result["results"]))
        if result["next_cursor"]:
            console.print(f"next page: --cursor {result['next_cursor']}")

    emit(result, as_json, show)


@app.command()
def get(memory_id: str, data_dir: DataDir = None, as_json: AsJson = False) -> None:
    """Show one memory."""
    with open_memory(data_dir, as_json) as memory:
        result = memory.get(memory_id)
    emit(result, as_json, lambda: console.print_json(data=result))


@app.command()
def update(
    memory_id: str,
    text: Annotated[str | None, typer.Option(help="New text.")] = None,
    metadata: Annotated[str | None, typer.Option(help="New metadata (JSON object).")] = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Change a memory's text or metadata (history keeps the old one)."""
    with open_memory(data_dir, as_json) as memory:
        result = memory.update(
            memory_id, text=text, metadata=parse_json_option(metadata, "metadata")
        )
    emit(
        result,
        as_json,
        lambda: console.print(f"[green]UPDATE[/] {result['id']}  {result['memory']}"),
    )


@app.command()
def delete(
    memory_id: Annotated[str | None, typer.Argument(help="The memory to delete.")] = None,
    all_in_scope: Annotated[
        bool, typer.Option("--all", help="Delete every memory of the scope.")
    ] = False,
    user_id: UserId = None,
    agent_id: AgentId = None,
    run_id: RunId = None,
    app_id: AppId = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Delete one memory, or with --all every memory of a scope."""
    with open_memory(data_dir, as_json) as memory:
        if all_in_scope:
            result = memory.delete_all(**scope(user_id, agent_id, run_id, app_id))
        elif memory_id is not None:
            result = memory.delete(memory_id)
        else:
            raise InvalidInput("give a memory id, or --all with a scope", field="memory_id")
    emit(result, as_json, lambda: console.print(f"[red]deleted[/] {json.dumps(result)}"))


@app.command()
def history(memory_id: str, data_dir: DataDir = None, as_json: AsJson = False) -> None:
    """Every change to a memory or relation, oldest first."""
    with open_memory(data_dir, as_json) as memory:
        result = memory.history(memory_id)
    emit(
        result,
        as_json,
        lambda: console.print(render.events_table(f"History of {memory_id}", result)),
    )


@app.command()
def stats(
    user_id: UserId = None,
    agent_id: AgentId = None,
    run_id: RunId = None,
    app_id: AppId = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Counts of memories, entities and relations, and the LLM calls and tokens adds spent.

    The LLM usage is kept in the data dir: every add since it was made or last reset.
    """
    with open_memory(data_dir, as_json) as memory:
        result = memory.stats(**scope(user_id, agent_id, run_id, app_id))
    emit(result, as_json, lambda: console.print(render.stats_table(result)))


@app.command()
def reembed(
    batch_size: Annotated[
        int, typer.Option("--batch-size", help="Texts per embedding call.")
    ] = DEFAULT_BATCH_SIZE,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show progress bars on stderr.")
    ] = True,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Re-embed every memory and entity name with the configured embedder, after changing it.

    A data dir refuses to open with another embedding model than the one its vectors were
    made by; this rebuilds them all (every scope) and records the new model. Payloads are
    kept exactly; an interrupted run is finished or started over by the next one.
    """
    summary = run_data_dir_job(
        data_dir,
        as_json,
        progress,
        lambda config, show: reembed_data_dir(config, batch_size=batch_size, progress=show),
    )
    emit(summary, as_json, lambda: console.print(render.reembed_summary(summary)))


@app.command()
def migrate(
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show progress bars on stderr.")
    ] = True,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Move the data dir's vectors from Qdrant local mode to Qdrant Edge (the embedded default).

    Points are copied as stored (nothing is re-embedded); the local-mode folder is kept
    beside the new one until you delete it. An interrupted run is finished by the next one.
    """
    summary = run_data_dir_job(
        data_dir, as_json, progress, lambda config, show: migrate_data_dir(config, progress=show)
    )
    emit(summary, as_json, lambda: console.print(render.migrate_summary(summary)))


@app.command(name="import")
def import_file(
    path: Annotated[
        Path, typer.Argument(help="A .jsonl file: one pre-extracted record a line (SPEC §3).")
    ],
    batch_size: Annotated[
        int, typer.Option("--batch-size", help="Records planned and written together.")
    ] = 1000,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show a progress bar on stderr.")
    ] = True,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Import pre-extracted records with no LLM call; bad lines are reported, not fatal.

    Exits 0 when at least one line was imported (or there was nothing to import), 1 when
    every line was bad, 2 when the import could not run (missing file, store down).
    """
    with open_memory(data_dir, as_json) as memory:
        summary = memory.import_records(path, progress=progress, batch_size=batch_size)

    def show() -> None:
        console.print(render.import_summary_table(summary))
        if summary["errors"]:
            console.print(render.import_errors_table(summary["errors"]))

    emit(summary, as_json, show)
    if summary["errors"] and summary["records"] == 0:
        raise typer.Exit(code=1)


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="The .jsonl file to write (replaced atomically).")],
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Write every memory, with its entities and relations, as JSONL `graphmem import` reads."""
    with open_memory(data_dir, as_json) as memory:
        result = memory.export(path)
    emit(
        result,
        as_json,
        lambda: console.print(f"exported {result['records']} memories to {result['path']}"),
    )


app.command()(serve)
app.command()(mcp)


def main() -> None:
    """Entry point of the `graphmem` script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()
