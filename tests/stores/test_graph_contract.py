"""The GraphStore contract: every implementation must pass this suite unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from graphmem.errors import GraphMemError
from graphmem.models.naming import entity_key
from graphmem.models.records import Entity, Relation
from graphmem.models.scope import Scope
from graphmem.stores.graph.base import GraphStore, GraphWrite
from graphmem.stores.graph.networkx_store import NetworkxGraphStore
from tests.conftest import GRAPH_STORES, empty_neo4j

ALICE = Scope(user_id="alice")
BOB = Scope(user_id="bob")


@pytest.fixture(params=GRAPH_STORES)
def graph_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    store: GraphStore
    if request.param == "networkx":
        store = NetworkxGraphStore(tmp_path / "graph")
    else:
        store = empty_neo4j(request.getfixturevalue("neo4j_uri"))
    yield store
    store.close()


def entity(name: str, scope: Scope = ALICE, entity_type: str = "Person", **extra: object) -> Entity:
    return Entity(
        name=name, key=entity_key(name), type=entity_type, **scope.partition().as_dict(), **extra
    )  # type: ignore[arg-type]


def relation(
    source: Entity, kind: str, target: Entity, scope: Scope = ALICE, **extra: object
) -> Relation:
    return Relation(
        source_id=source.id,
        target_id=target.id,
        type=kind,
        fact=f"{source.name} {kind} {target.name}",
        **scope.ids(),
        **extra,
    )  # type: ignore[arg-type]


def test_applied_entities_and_relations_read_back(graph_store: GraphStore) -> None:
    sarah, google = entity("Sarah Chen"), entity("Google", entity_type="Organization")
    works = relation(sarah, "WORKS_AT", google)
    graph_store.apply(GraphWrite(entities=[sarah, google], relations=[works]))
    assert {e.name for e in graph_store.get_entities([sarah.id, google.id])} == {
        "Sarah Chen",
        "Google",
    }
    assert graph_store.get_relations([works.id]) == [works]


def test_find_entities_matches_key_and_alias_within_exact_partition(
    graph_store: GraphStore,
) -> None:
    ibm = entity("IBM", entity_type="Organization", aliases=["International Business Machines"])
    bobs_ibm = entity("IBM", BOB, entity_type="Organization")
    graph_store.apply(GraphWrite(entities=[ibm, bobs_ibm]))
    found = graph_store.find_entities(ALICE.partition(), ["international business MACHINES"])
    assert [e.id for e in found] == [ibm.id]
    assert [e.id for e in graph_store.find_entities(BOB.partition(), ["ibm"])] == [bobs_ibm.id]


def test_match_entities_sees_every_partition_the_scope_matches(graph_store: GraphStore) -> None:
    plain = entity("Paris", ALICE, "Location")
    with_agent = entity("Paris", Scope(user_id="alice", agent_id="travel"), "Location")
    other = entity("Paris", BOB, "Location")
    graph_store.apply(GraphWrite(entities=[plain, with_agent, other]))
    assert {e.id for e in graph_store.match_entities(ALICE, ["paris"])} == {plain.id, with_agent.id}
    assert {e.id for e in graph_store.match_entities(BOB, ["paris"])} == {other.id}


def test_list_entities_is_scoped_ordered_and_paged(graph_store: GraphStore) -> None:
    names = ["Carol", "alice", "Bob"]
    graph_store.apply(GraphWrite(entities=[entity(n) for n in names] + [entity("Zed", BOB)]))
    listed = graph_store.list_entities(ALICE, limit=2, offset=1)
    assert [e.name for e in listed] == ["Bob", "Carol"]
    assert [e.name for e in graph_store.list_entities(ALICE, entity_type="Organization")] == []


def test_find_relation_returns_only_relations_not_invalidated(graph_store: GraphStore) -> None:
    sarah, google = entity("Sarah"), entity("Google")
    ended = relation(sarah, "WORKS_AT", google, invalidated_at=datetime(2024, 1, 1, tzinfo=UTC))
    graph_store.apply(GraphWrite(entities=[sarah, google], relations=[ended]))
    assert graph_store.find_relation(ALICE.partition(), sarah.id, "WORKS_AT", google.id) is None
    current = relation(sarah, "WORKS_AT", google)
    graph_store.apply(GraphWrite(relations=[current]))
    assert graph_store.find_relation(ALICE.partition(), sarah.id, "WORKS_AT", google.id) == current


def test_relations_of_follows_direction_and_type(graph_store: GraphStore) -> None:
    sarah, google, paris = entity("Sarah"), entity("Google"), entity("Paris")
    works, lives = relation(sarah, "WORKS_AT", google), relation(sarah, "LIVES_IN", paris)
    graph_store.apply(GraphWrite(entities=[sarah, google, paris], relations=[works, lives]))
    assert {r.id for r in graph_store.relations_of(ALICE, [sarah.id], direction="out")} == {
        works.id,
        lives.id,
    }
    assert graph_store.relations_of(ALICE, [sarah.id], direction="in") == []
    assert [r.id for r in graph_store.relations_of(ALICE, [google.id], direction="in")] == [
        works.id
    ]
    typed = graph_store.relations_of(ALICE, [sarah.id], relation_types=["LIVES_IN"])
    assert [r.id for r in typed] == [lives.id]


def test_relations_of_hides_other_scopes(graph_store: GraphStore) -> None:
    sarah, google = entity("Sarah"), entity("Google")
    graph_store.apply(
        GraphWrite(entities=[sarah, google], relations=[relation(sarah, "WORKS_AT", google)])
    )
    assert graph_store.relations_of(BOB, [sarah.id]) == []


def test_relations_of_filters_by_run_when_the_scope_names_one(graph_store: GraphStore) -> None:
    sarah, google = entity("Sarah"), entity("Google")
    run_scope = Scope(user_id="alice", run_id="r1")
    graph_store.apply(
        GraphWrite(
            entities=[sarah, google], relations=[relation(sarah, "WORKS_AT", google, run_scope)]
        )
    )
    assert len(graph_store.relations_of(run_scope, [sarah.id])) == 1
    assert graph_store.relations_of(Scope(user_id="alice", run_id="r2"), [sarah.id]) == []
    assert len(graph_store.relations_of(ALICE, [sarah.id])) == 1


def test_invalidated_relations_show_only_with_history_or_as_of(graph_store: GraphStore) -> None:
    sarah, acme = entity("Sarah"), entity("Acme")
    old = relation(
        sarah,
        "WORKS_AT",
        acme,
        valid_from=date(2020, 1, 1),
        valid_to=date(2022, 1, 1),
        invalidated_at=datetime(2022, 1, 1, tzinfo=UTC),
    )
    graph_store.apply(GraphWrite(entities=[sarah, acme], relations=[old]))
    assert graph_store.relations_of(ALICE, [sarah.id]) == []
    assert [r.id for r in graph_store.relations_of(ALICE, [sarah.id], include_history=True)] == [
        old.id
    ]
    assert [r.id for r in graph_store.relations_of(ALICE, [sarah.id], as_of=date(2021, 6, 1))] == [
        old.id
    ]
    assert graph_store.relations_of(ALICE, [sarah.id], as_of=date(2023, 6, 1)) == []


def test_a_write_with_a_dangling_relation_changes_nothing(graph_store: GraphStore) -> None:
    sarah, ghost = entity("Sarah"), entity("Ghost")
    with pytest.raises(GraphMemError):
        graph_store.apply(GraphWrite(entities=[sarah], relations=[relation(sarah, "KNOWS", ghost)]))
    assert graph_store.get_entities([sarah.id]) == []
    assert graph_store.counts().entities == 0


def test_relations_cannot_cross_scopes(graph_store: GraphStore) -> None:
    sarah, bobs_google = entity("Sarah"), entity("Google", BOB)
    with pytest.raises(GraphMemError):
        graph_store.apply(
            GraphWrite(
                entities=[sarah, bobs_google], relations=[relation(sarah, "WORKS_AT", bobs_google)]
            )
        )
    assert graph_store.counts().entities == 0


def test_deleting_an_entity_deletes_its_relations(graph_store: GraphStore) -> None:
    sarah, google = entity("Sarah"), entity("Google")
    works = relation(sarah, "WORKS_AT", google)
    graph_store.apply(GraphWrite(entities=[sarah, google], relations=[works]))
    graph_store.apply(GraphWrite(delete_entity_ids=[google.id]))
    assert graph_store.get_relations([works.id]) == []
    assert graph_store.degrees([sarah.id]) == {sarah.id: 0}


def test_upserting_a_relation_replaces_it(graph_store: GraphStore) -> None:
    sarah, google = entity("Sarah"), entity("Google")
    works = relation(sarah, "WORKS_AT", google)
    graph_store.apply(GraphWrite(entities=[sarah, google], relations=[works]))
    grown = works.model_copy(update={"memory_ids": ["m1", "m2"]})
    graph_store.apply(GraphWrite(relations=[grown]))
    assert graph_store.get_relations([works.id])[0].memory_ids == ["m1", "m2"]
    assert graph_store.counts(ALICE).relations == 1


def test_renaming_an_entity_moves_its_keys(graph_store: GraphStore) -> None:
    acme = entity("Acme")
    graph_store.apply(GraphWrite(entities=[acme]))
    graph_store.apply(
        GraphWrite(entities=[acme.model_copy(update={"name": "Apex Labs", "key": "apex labs"})])
    )
    assert graph_store.find_entities(ALICE.partition(), ["acme"]) == []
    assert len(graph_store.find_entities(ALICE.partition(), ["apex labs"])) == 1


def test_counts_are_scoped(graph_store: GraphStore) -> None:
    a1, a2, b1 = entity("A1"), entity("A2"), entity("B1", BOB)
    graph_store.apply(GraphWrite(entities=[a1, a2, b1], relations=[relation(a1, "KNOWS", a2)]))
    assert graph_store.counts(ALICE).entities == 2
    assert graph_store.counts(ALICE).relations == 1
    assert graph_store.counts(BOB).relations == 0
    assert graph_store.counts().entities == 3


def test_reset_forgets_everything(graph_store: GraphStore) -> None:
    graph_store.apply(GraphWrite(entities=[entity("A")]))
    graph_store.reset()
    assert graph_store.counts().entities == 0


def test_schema_counts_the_types_a_scope_uses(graph_store: GraphStore) -> None:
    sarah, google, acme = (
        entity("Sarah"),
        entity("Google", entity_type="Organization"),
        entity("Acme", BOB),
    )
    works = relation(sarah, "WORKS_AT", google)
    graph_store.apply(GraphWrite(entities=[sarah, google, acme], relations=[works]))
    schema = graph_store.schema(ALICE)
    assert schema.entity_types == {"Person": 1, "Organization": 1}
    assert schema.relation_types == {"WORKS_AT": 1}
    graph_store.apply(GraphWrite(delete_entity_ids=[google.id]))
    assert graph_store.schema(ALICE) == type(schema)(entity_types={"Person": 1}, relation_types={})


def test_find_relations_looks_up_many_triples_at_once(graph_store: GraphStore) -> None:
    sarah, google, zurich = entity("Sarah"), entity("Google"), entity("Zurich")
    works, lives = relation(sarah, "WORKS_AT", google), relation(sarah, "LIVES_IN", zurich)
    graph_store.apply(GraphWrite(entities=[sarah, google, zurich], relations=[works, lives]))
    found = graph_store.find_relations(
        ALICE.partition(),
        [
            (sarah.id, "WORKS_AT", google.id),
            (sarah.id, "KNOWS", google.id),
            (sarah.id, "LIVES_IN", zurich.id),
        ],
    )
    assert {r.id for r in found} == {works.id, lives.id}
    assert graph_store.find_relations(BOB.partition(), [(sarah.id, "WORKS_AT", google.id)]) == []
