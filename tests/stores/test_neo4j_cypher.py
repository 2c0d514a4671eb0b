"""Neo4j mode: free Cypher (unscoped only), saved queries (scoped), hostile names and types."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from graphmem import GraphMemConfig, InvalidInput, Memory, NotFound, ScopeViolation
from graphmem.models.records import Entity, Relation
from graphmem.stores.graph.base import GraphWrite
from tests.conftest import empty_neo4j, neo4j_config
from tests.neo4j_server import AUTH

HOSTILE = "x`}) DETACH DELETE n //"
# What a scoped call might return instead of nodes: each carried bob's data past the old
# row filter, which looked only at nodes, relationships and paths.
LEAKING_SHAPES = {
    "scalar": "MATCH (e:Entity) WHERE $user_id IS NOT NULL RETURN e.name AS name",
    "aggregate": "MATCH (e:Entity) WHERE $user_id IS NOT NULL RETURN count(e) AS entities",
    "map": "MATCH (e:Entity) WHERE $user_id IS NOT NULL RETURN e {.name} AS e",
    "list": "MATCH (e:Entity) WHERE $user_id IS NOT NULL RETURN collect(e.name) AS names",
    "path": "MATCH p = (:Entity)-[]->(:Entity) WHERE $user_id IS NOT NULL "
    "RETURN [n IN nodes(p) | n.name] AS path",
}


@pytest.fixture
def neo4j_memory(neo4j_uri: str, data_dir: Path) -> Iterator[Memory]:
    with Memory(neo4j_config(data_dir, neo4j_uri)) as memory:
        memory.add("Sarah Chen works at Google.", user_id="alice")
        memory.add("Sarah Chen lives in Zurich.", user_id="alice")
        memory.add("Bob Smith works at Initech.", user_id="bob")
        yield memory


@pytest.mark.parametrize("query", LEAKING_SHAPES.values(), ids=LEAKING_SHAPES.keys())
def test_a_scoped_cypher_call_is_refused_whatever_it_returns(
    neo4j_memory: Memory, query: str
) -> None:
    with pytest.raises(ScopeViolation, match="saved_query"):
        rows = neo4j_memory.graph.cypher(query, user_id="alice")
        assert "Bob Smith" not in str(rows)


def test_unscoped_cypher_reads_the_whole_graph(neo4j_memory: Memory) -> None:
    rows = neo4j_memory.graph.cypher(
        "MATCH (p:Person)-[:WORKS_AT]->(o) RETURN p.name AS person, o.name AS org ORDER BY person"
    )
    assert rows == [
        {"person": "Bob Smith", "org": "Initech"},
        {"person": "Sarah Chen", "org": "Google"},
    ]


def test_unscoped_cypher_takes_its_parameters(neo4j_memory: Memory) -> None:
    rows = neo4j_memory.graph.cypher(
        "MATCH (e:Entity {user_id: $user_id}) RETURN e.name AS name", {"user_id": "bob"}
    )
    assert {row["name"] for row in rows} == {"Bob Smith", "Initech"}


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
        neo4j_memory.graph.cypher(query, {"user_id": "alice"})
    assert neo4j_memory.stats() == before


def test_cypher_needs_the_neo4j_store(data_dir: Path) -> None:
    config = GraphMemConfig(data_dir=data_dir, embedder="hash", extractor="offline")
    with Memory(config) as memory, pytest.raises(InvalidInput, match="Neo4j"):
        memory.graph.cypher("MATCH (e) RETURN e")


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        ("users_graph", {}, 2),
        ("who_works_where", {}, 1),
        ("entity_history", {"name": "Sarah Chen"}, 2),
        ("shortest_path", {"from": "Google", "to": "Zurich"}, 1),
    ],
)
def test_each_saved_query_runs_in_the_callers_scope(
    neo4j_memory: Memory, name: str, params: dict[str, str], expected: int
) -> None:
    rows = neo4j_memory.graph.saved_query(name, params, user_id="alice")
    assert len(rows) == expected
    assert "Bob Smith" not in str(rows)
    assert "Initech" not in str(rows)


def test_the_saved_queries_are_listed_with_their_parameters(neo4j_memory: Memory) -> None:
    listed = {query["name"]: query for query in neo4j_memory.graph.saved_queries()}
    assert {name: query["params"] for name, query in listed.items()} == {
        "users_graph": [],
        "who_works_where": [],
        "entity_history": ["name"],
        "shortest_path": ["from", "to"],
    }
    assert all(query["description"] for query in listed.values())


def test_saved_queries_keep_to_the_whole_scope_not_just_the_user(neo4j_memory: Memory) -> None:
    neo4j_memory.add("Sarah Chen works at Initech.", user_id="alice", agent_id="bot2")
    rows = neo4j_memory.graph.saved_query("who_works_where", user_id="alice", agent_id="bot1")
    assert rows == []
    rows = neo4j_memory.graph.saved_query("who_works_where", user_id="alice", agent_id="bot2")
    assert [(row["person"], row["organization"]) for row in rows] == [("Sarah Chen", "Initech")]


def test_saved_queries_do_not_follow_an_edge_planted_across_tenants(
    neo4j_memory: Memory,
) -> None:
    planted = neo4j_memory.graph.cypher(
        "MATCH (a:Entity {user_id: 'alice', key: 'sarah chen'}), "
        "(b:Entity {user_id: 'bob', key: 'bob smith'}) "
        "RETURN a.id AS a, b.id AS b"
    )[0]
    with neo4j.GraphDatabase.driver(neo4j_memory.config.neo4j_uri, auth=AUTH) as driver:
        driver.execute_query(
            "MATCH (a:Entity {id: $a}), (b:Entity {id: $b}) "
            "CREATE (a)-[:KNOWS {id: 'planted', user_id: 'alice'}]->(b)",
            planted,
        )
    seen = [
        neo4j_memory.graph.saved_query("users_graph", user_id="alice"),
        neo4j_memory.graph.saved_query("entity_history", {"name": "Sarah Chen"}, user_id="alice"),
        neo4j_memory.graph.saved_query(
            "shortest_path", {"from": "Sarah Chen", "to": "Bob Smith"}, user_id="alice"
        ),
    ]
    assert "Bob Smith" not in str(seen)
    assert "KNOWS" not in str(seen)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"user_id": "bob"}, "params.user_id"),
        ({"agent_id": "bot"}, "params.agent_id"),
        ({"name": "Sarah Chen", "limit": 5}, "params.limit"),
        ({"name": ["Sarah Chen"]}, "params.name"),
    ],
)
def test_saved_query_parameters_are_its_own_scalars_never_a_scope(
    neo4j_memory: Memory, params: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        neo4j_memory.graph.saved_query("entity_history", params, user_id="alice")
    assert raised.value.field == field


def test_an_unknown_saved_query_is_not_found(neo4j_memory: Memory) -> None:
    with pytest.raises(NotFound) as raised:
        neo4j_memory.graph.saved_query("../schema", user_id="alice")
    assert raised.value.field == "name"


def test_a_saved_query_needs_a_scope(neo4j_memory: Memory) -> None:
    with pytest.raises(InvalidInput):
        neo4j_memory.graph.saved_query("users_graph")


def test_in_memory_mode_cypher_is_refused_scoped_first(data_dir: Path) -> None:
    config = GraphMemConfig(data_dir=data_dir, embedder="hash", extractor="offline")
    with Memory(config) as memory:
        with pytest.raises(ScopeViolation):
            memory.graph.cypher("MATCH (e) RETURN e", user_id="alice")
        with pytest.raises(InvalidInput, match="Neo4j"):
            memory.graph.saved_query("users_graph", user_id="alice")


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


@pytest.mark.parametrize("entity_type", ["Person\n", "Person\nX"])
def test_an_entity_type_with_a_line_break_is_not_a_label(neo4j_uri: str, entity_type: str) -> None:
    store = empty_neo4j(neo4j_uri)
    bad = Entity(name="Mallory", key="mallory", type=entity_type, user_id="mallory")
    with pytest.raises(InvalidInput):
        store.apply(GraphWrite(entities=[bad]))
    assert store.counts().entities == 0
    store.close()


def test_a_relation_type_with_a_trailing_line_break_is_not_a_type(neo4j_uri: str) -> None:
    store = empty_neo4j(neo4j_uri)
    a = Entity(name="A", key="a", type="Person", user_id="mallory")
    b = Entity(name="B", key="b", type="Person", user_id="mallory")
    store.apply(GraphWrite(entities=[a, b]))
    bad = Relation(source_id=a.id, target_id=b.id, type="KNOWS\n", user_id="mallory")
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
