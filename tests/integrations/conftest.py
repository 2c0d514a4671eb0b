"""Fixtures of the LangGraph store tests: stores over the `memory` fixture (networkx and a
real Neo4j), one filed under a fixed user and one whose namespaces name the user."""

from __future__ import annotations

import pytest

from graphmem import Memory
from graphmem.integrations.langgraph_store import GraphMemStore


@pytest.fixture
def store(memory: Memory) -> GraphMemStore:
    """Every item under user "alice"; namespaces are free folders, as in LangGraph's tests."""
    return GraphMemStore(memory, scope={"user_id": "alice"})


@pytest.fixture
def user_store(memory: Memory) -> GraphMemStore:
    """An app's store whose namespace label 0 is the user: `("alice", "memories")`."""
    return GraphMemStore(
        memory,
        scope={"app_id": "travel-agent"},
        namespace_scope={"user_id": 0},
        index_fields=["text"],
    )
