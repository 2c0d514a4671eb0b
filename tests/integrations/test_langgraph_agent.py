"""A LangGraph agent compiled with `store=GraphMemStore(...)` remembers between runs, and the
store's async API (what async graphs call) behaves as the sync one."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.store.base import BaseStore

from graphmem import AsyncMemory, GraphMemConfig, Memory
from graphmem.integrations.langgraph_store import GraphMemStore


@dataclass
class Context:
    user_id: str


class Turn(TypedDict, total=False):
    message: str
    recalled: list[str]
    reply: str


def recall(state: Turn, runtime: Runtime[Context]) -> Turn:
    """Read what the store remembers about the message, before answering."""
    store = runtime.store
    assert store is not None
    found = store.search((runtime.context.user_id, "memories"), query=state["message"], limit=3)
    return {"recalled": [item.value["text"] for item in found]}


def remember(state: Turn, runtime: Runtime[Context]) -> Turn:
    """Keep a statement ("remember: ...") as a memory; answer questions from recall."""
    store = runtime.store
    assert store is not None
    message = state["message"]
    if message.startswith("remember: "):
        text = message.removeprefix("remember: ")
        store.put((runtime.context.user_id, "memories"), str(uuid.uuid4()), {"text": text})
        return {"reply": "noted"}
    return {"reply": state["recalled"][0] if state["recalled"] else "I don't know"}


def agent(store: BaseStore) -> CompiledStateGraph[Turn, Context, Turn, Turn]:
    builder = StateGraph(Turn, context_schema=Context)
    builder.add_node("recall", recall)
    builder.add_node("remember", remember)
    builder.add_edge(START, "recall")
    builder.add_edge("recall", "remember")
    builder.add_edge("remember", END)
    return builder.compile(store=store)


def user_store(memory: Memory) -> GraphMemStore:
    return GraphMemStore(memory, namespace_scope={"user_id": 0}, index_fields=["text"])


def test_an_agent_remembers_between_runs_and_reopens(config: GraphMemConfig) -> None:
    with Memory(config) as memory:
        graph = agent(user_store(memory))
        alice, bob = Context("alice"), Context("bob")
        graph.invoke({"message": "remember: Alice prefers window seats"}, context=alice)
        graph.invoke({"message": "remember: Alice is vegetarian"}, context=alice)
        graph.invoke({"message": "remember: Bob prefers aisle seats"}, context=bob)
    with Memory(config) as reopened:  # another run of the program, same data
        graph = agent(user_store(reopened))
        answer = graph.invoke({"message": "which seats does Alice prefer?"}, context=alice)
        assert answer["reply"] == "Alice prefers window seats"
        assert "Bob prefers aisle seats" not in answer["recalled"]
        assert graph.invoke({"message": "seats?"}, context=Context("carol"))["reply"] == (
            "I don't know"
        )


def test_the_async_api_puts_gets_searches_lists_and_deletes(config: GraphMemConfig) -> None:
    async def scenario() -> None:
        async with await AsyncMemory.open(config) as memory:
            store = GraphMemStore(memory, scope={"user_id": "alice"}, index_fields=["text"])
            await store.aput(("docs",), "a", {"text": "graph databases"})
            await store.aput(("docs", "old"), "b", {"text": "cooking pasta"})
            item = await store.aget(("docs",), "a")
            assert item is not None and item.value == {"text": "graph databases"}
            found = await store.asearch(("docs",), query="pasta")
            assert found[0].key == "b"
            assert await store.alist_namespaces(prefix=("docs",)) == [("docs",), ("docs", "old")]
            await store.adelete(("docs",), "a")
            assert await store.aget(("docs",), "a") is None

    asyncio.run(scenario())


def test_concurrent_async_puts_of_distinct_keys_all_land(config: GraphMemConfig) -> None:
    async def scenario() -> list[str]:
        with Memory(config) as memory:
            store = GraphMemStore(memory, scope={"user_id": "alice"})
            await asyncio.gather(
                *(store.aput(("docs",), f"k{n}", {"n": n}) for n in range(20)),
                store.aput(("docs",), "k0", {"n": 100}),
            )
            found = await store.asearch(("docs",), limit=100)
            return sorted(item.key for item in found)

    assert asyncio.run(scenario()) == sorted(f"k{n}" for n in range(20))
