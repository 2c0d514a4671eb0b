"""Neo4j mode: read-only scoped Cypher, the saved Browser queries, hostile names and types."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmem import GraphMemConfig, InvalidInput, Memory
from graphmem.models.records import Entity, Relation
from graphmem.stores.graph.base import GraphWrite
from graphmem.stores.graph.cypher_files import cypher
from tests.conftest import empty_neo4j, neo4j_config

HOSTILE = "x`}) DETACH DELETE n //"


@pytest.fixture
def neo4j_memory(neo4j_uri: str, data_dir: Path) -> Iterator[Memory]:
    with Memory(neo4j_config(data_dir, neo4j_uri)) as memory:
        memory.add("Sarah Chen works at Google.", user_id="alice")
        memory.add("Sarah Chen lives in Zurich.", user_id="alice")
        memory.add("Bob Smith works at Initech.", user_id="bob")
        yield memory


def test_read_only_cypher_returns_the_scopes_rows(neo4j_memory: Memory) -> None:
    rows = neo4j_memory.graph.cypher(
        "MATCH (p:Person {user_id: $user_id})-[:WORKS_AT]->(o) "
        "RETURN p.name AS person, o.name AS org",
        user_id="alice",
    )
    assert rows == [{"person": "Sarah Chen", "org": "Google"}]


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (e:Entity {user_id: $user_id}) DETACH DELETE e",
        "CREATE (e:Entity {user_id: $user_id}) RETURN e",
        "MATCH (e:Entity {user_id: $user_id}) SET e.name = 'x' RETURN e",
        "CALL db.createLabel('Hacked') RETURN $user_id",
    ],
)
def test_writing_cypher_is_refused_and_changes_nothing(neo4j_memory: Memory, query: str) -> None:
    before = neo4j_memory.stats()
    with pytest.raises(InvalidInput):
        neo4j_memory.graph.cypher(query, user_id="alice")
    assert neo4j_memory.stats() == before


def test_cypher_must_use_its_scope(neo4j_memory: Memory) -> None:
    with pytest.raises(InvalidInput, match=r"\$user_id"):
        neo4j_memory.graph.cypher("MATCH (e:Entity) RETURN e.name AS name", user_id="alice")


def test_the_scope_parameter_cannot_be_overridden(neo4j_memory: Memory) -> None:
    rows = neo4j_memory.graph.cypher(
        "MATCH (e:Entity {user_id: $user_id}) RETURN e.name AS name",
        {"user_id": "bob"},
        user_id="alice",
    )
    assert {row["name"] for row in rows} == {"Sarah Chen", "Google", "Zurich"}


def test_rows_with_another_scopes_nodes_are_dropped(neo4j_memory: Memory) -> None:
    rows = neo4j_memory.graph.cypher(
        "MATCH (e:Entity) WHERE $user_id IS NOT NULL RETURN e", user_id="alice"
    )
    assert {row["e"]["user_id"] for row in rows} == {"alice"}


def test_cypher_needs_the_neo4j_store(data_dir: Path) -> None:
    config = GraphMemConfig(data_dir=data_dir, embedder="hash", extractor="offline")
    with Memory(config) as memory, pytest.raises(InvalidInput, match="Neo4j"):
        memory.graph.cypher("MATCH (e {user_id: $user_id}) RETURN e", user_id="alice")


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        ("browser/users_graph", {}, 2),
        ("browser/who_works_where", {}, 1),
        ("browser/entity_history", {"name": "Sarah Chen"}, 2),
        ("browser/shortest_path", {"from": "Google", "to": "Zurich"}, 1),
    ],
)
def test_each_saved_browser_query_runs_read_only_and_scoped(
    neo4j_memory: Memory, name: str, params: dict[str, str], expected: int
) -> None:
    rows = neo4j_memory.graph.cypher(cypher(name), params, user_id="alice")
    assert len(rows) == expected


def test_hostile_entity_type_is_refused_before_any_write(neo4j_uri: str) -> None:
    store = empty_neo4j(neo4j_uri)
    bad = Entity(name="Mallory", key="mallory", type=HOSTILE, user_id="mallory")
    with pytest.raises(InvalidInput):
        store.apply(GraphWrite(entities=[bad]))
    assert store.counts().entities == 0
    store.close()


def test_hostile_relation_type_is_refused_before_any_write(neo4j_uri: str) -> None:
    store = empty_neo4j(neo4j_uri)
    a = Entity(name="A", key="a", type="Person", user_id="mallory")
    b = Entity(name="B", key="b", type="Person", user_id="mallory")
    store.apply(GraphWrite(entities=[a, b]))
    bad = Relation(
        source_id=a.id, target_id=b.id, type="KNOWS]->() DETACH DELETE", user_id="mallory"
    )
    with pytest.raises(InvalidInput):
        store.apply(GraphWrite(relations=[bad]))
    assert store.counts().relations == 0
    store.close()


def test_hostile_text_is_stored_as_data_and_touches_no_other_scope(neo4j_memory: Memory) -> None:
    before = neo4j_memory.stats(user_id="alice")
    neo4j_memory.add(
        f"{HOSTILE} works at {HOSTILE}",
        user_id="mallory",
        entities=[{"name": HOSTILE, "type": "Person`) DETACH DELETE n //"}],
        relations=[
            {
                "source": HOSTILE,
                "relationship": "knows`]->() DETACH DELETE x",
                "target": "Eve [admin]",
            }
        ],
    )
    assert neo4j_memory.stats(user_id="alice") == before
    entities = {e["name"]: e["type"] for e in neo4j_memory.graph.entities(user_id="mallory")}
    assert entities == {HOSTILE: "PersonDetachDeleteN", "Eve [admin]": "Entity"}
    edges = neo4j_memory.graph.neighbors(HOSTILE, user_id="mallory")["edges"]
    assert [e["relationship"] for e in edges] == ["KNOWS_DETACH_DELETE_X"]
