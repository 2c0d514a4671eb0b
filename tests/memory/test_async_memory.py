"""AsyncMemory: the Memory behaviours as coroutines, with the same typed errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest

from graphmem import AsyncMemory, GraphMemConfig, InvalidInput, NotFound

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def amemory(config: GraphMemConfig) -> AsyncIterator[AsyncMemory]:
    async with await AsyncMemory.open(config) as opened:
        yield opened


async def _add(memory: AsyncMemory, text: str, user: str = "alice") -> str:
    added = await memory.add(text, user_id=user)
    memory_id: str = added["results"][0]["id"]
    return memory_id


async def test_add_then_get_returns_the_stored_memory(amemory: AsyncMemory) -> None:
    memory_id = await _add(amemory, "Sarah Chen works at Google.")
    stored = await amemory.get(memory_id)
    assert (stored["memory"], stored["user_id"]) == ("Sarah Chen works at Google.", "alice")


async def test_search_finds_the_memory_in_its_scope_only(amemory: AsyncMemory) -> None:
    await _add(amemory, "Sarah Chen works at Google.")
    await _add(amemory, "Tom Baker works at Google.", user="bob")
    found = await amemory.search("Where does Sarah work?", user_id="alice")
    assert [hit["memory"] for hit in found["results"]] == ["Sarah Chen works at Google."]


async def test_query_answers_a_relationship_question(amemory: AsyncMemory) -> None:
    await _add(amemory, "Sarah Chen works at Google.")
    answered = await amemory.query("who works at Google?", user_id="alice")
    assert answered["answers"][0]["entity"] == "Sarah Chen"


async def test_get_all_pages_with_a_cursor(amemory: AsyncMemory) -> None:
    for name in ("Ann", "Ben", "Cid"):
        await _add(amemory, f"{name} likes tea.")
    first = await amemory.get_all(user_id="alice", limit=2)
    rest = await amemory.get_all(user_id="alice", limit=2, cursor=first["next_cursor"])
    assert len(first["results"]) == 2
    assert [len(rest["results"]), rest["next_cursor"]] == [1, None]


async def test_update_then_history_lists_add_and_update(amemory: AsyncMemory) -> None:
    memory_id = await _add(amemory, "Sarah Chen works at Google.")
    await amemory.update(memory_id, text="Sarah Chen works at Google as a director.")
    events = await amemory.history(memory_id)
    assert [event["event"] for event in events] == ["ADD", "UPDATE"]


async def test_delete_makes_get_raise_not_found(amemory: AsyncMemory) -> None:
    memory_id = await _add(amemory, "Sarah Chen works at Google.")
    await amemory.delete(memory_id)
    with pytest.raises(NotFound):
        await amemory.get(memory_id)


async def test_delete_all_empties_one_scope_only(amemory: AsyncMemory) -> None:
    await _add(amemory, "Sarah Chen works at Google.")
    await _add(amemory, "Tom Baker works at Google.", user="bob")
    assert (await amemory.delete_all(user_id="alice"))["deleted"] == 1
    assert (await amemory.get_all(user_id="alice"))["results"] == []
    assert len((await amemory.get_all(user_id="bob"))["results"]) == 1


async def test_graph_neighbors_are_read_through_the_async_view(amemory: AsyncMemory) -> None:
    await _add(amemory, "Sarah Chen works at Google.")
    around = await amemory.graph.neighbors("Sarah Chen", user_id="alice")
    assert [edge["relationship"] for edge in around["edges"]] == ["WORKS_AT"]


async def test_bad_input_raises_the_same_typed_error(amemory: AsyncMemory) -> None:
    with pytest.raises(InvalidInput) as empty:
        await amemory.add("   ", user_id="alice")
    with pytest.raises(InvalidInput) as unscoped:
        await amemory.search("anything")
    assert (empty.value.field, unscoped.value.field) == ("messages", "scope")


async def test_unknown_id_raises_not_found(amemory: AsyncMemory) -> None:
    with pytest.raises(NotFound):
        await amemory.history("no-such-id")


async def test_concurrent_adds_are_all_stored(amemory: AsyncMemory) -> None:
    async with anyio.create_task_group() as group:
        for number in range(8):
            group.start_soon(_add, amemory, f"Person {number} likes tea.")
    assert len((await amemory.get_all(user_id="alice"))["results"]) == 8


async def test_ping_reports_every_store_up(amemory: AsyncMemory) -> None:
    assert await amemory.ping() == {"graph": None, "vectors": None, "history": None}


async def test_import_and_export_round_trip(amemory: AsyncMemory, tmp_path: Path) -> None:
    record = {
        "text": "Sarah Chen works at Google.",
        "user_id": "alice",
        "relations": [{"source": "Sarah Chen", "relationship": "works at", "target": "Google"}],
    }
    imported = await amemory.import_records([record])
    exported = await amemory.export(tmp_path / "out.jsonl")
    assert (imported["memories"], exported["records"]) == (1, 1)
