"""`Memory.query` answers 1-, 2- and 3-hop relationship questions from a small typed KB."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from graphmem import GraphMemConfig, Memory, RetrievalConfig
from tests.retrieval.triples import typed_records

MOVIES: dict[str, dict[str, Any]] = {
    "Night Harbor": {
        "directed_by": ["Ana Ruiz"],
        "written_by": ["Sven Holm"],
        "starred_actors": ["Tom Reed", "Lia Park"],
        "has_genre": ["Drama"],
        "release_year": ["2001"],
    },
    "Cold Tide": {
        "directed_by": ["Ben Ode"],
        "written_by": ["Sven Holm"],
        "starred_actors": ["Tom Reed"],
        "has_genre": ["Thriller"],
        "release_year": ["2004"],
    },
    "Blue Hour": {
        "directed_by": ["Ana Ruiz"],
        "written_by": ["Kim Lo"],
        "starred_actors": ["Eva Sol"],
        "has_genre": ["Comedy"],
        "release_year": ["2010"],
    },
    "Still Water": {
        "directed_by": ["Kim Lo"],
        "written_by": ["Kim Lo"],
        "starred_actors": ["Eva Sol"],
        "has_genre": ["Drama"],
        "release_year": ["2015"],
    },
}
TAIL_TYPES = {
    "directed_by": "Person",
    "written_by": "Person",
    "starred_actors": "Person",
    "has_genre": "Genre",
    "release_year": "Year",
}


def kb_records(user_id: str) -> list[dict[str, Any]]:
    return [
        {
            "user_id": user_id,
            "entities": [
                {"name": movie, "type": "Movie"},
                {"name": tail, "type": TAIL_TYPES[kind]},
            ],
            "relations": [{"source": movie, "relationship": kind, "target": tail}],
        }
        for movie, facts in MOVIES.items()
        for kind, tails in facts.items()
        for tail in tails
    ]


@pytest.fixture
def movies(config: GraphMemConfig) -> Iterator[Memory]:
    deep = config.model_copy(update={"retrieval": RetrievalConfig(max_hops=3)})
    with Memory(deep) as memory:
        memory.import_records(kb_records("cinephile"), progress=False)
        yield memory


def answers(memory: Memory, question: str) -> list[str]:
    return [a["entity"] for a in memory.query(question, user_id="cinephile")["answers"]]


def top(memory: Memory, question: str) -> set[str]:
    found = memory.query(question, user_id="cinephile")["answers"]
    return {a["entity"] for a in found if a["score"] == found[0]["score"]}


def test_one_hop_follows_the_relation_the_question_names(movies: Memory) -> None:
    assert top(movies, "who directed Night Harbor") == {"Ana Ruiz"}
    assert top(movies, "which films did Sven Holm write") == {"Night Harbor", "Cold Tide"}
    assert top(movies, "when was Cold Tide released") == {"2004"}


def test_two_hops_follow_the_relations_in_the_question(movies: Memory) -> None:
    assert top(movies, "which person directed the films written by Sven Holm") == {
        "Ana Ruiz",
        "Ben Ode",
    }
    assert top(movies, "what genres do the movies written by Sven Holm fall under") == {
        "Drama",
        "Thriller",
    }


def test_walking_a_relation_out_and_back_finds_what_shares_it(movies: Memory) -> None:
    assert top(movies, "who co-starred with Lia Park") == {"Tom Reed"}
    assert top(movies, "which films share the same director of Night Harbor") == {"Blue Hour"}


def test_three_hops_reach_the_actors_of_the_directors_other_films(movies: Memory) -> None:
    assert top(movies, "who acted in the movies directed by the director of Blue Hour") == {
        "Tom Reed",
        "Lia Park",
    }


def test_a_path_may_end_on_a_node_it_passed(movies: Memory) -> None:
    # Blue Hour's writer Kim Lo wrote Still Water, which Kim Lo directed.
    question = "who directed the films written by the writer of Blue Hour"
    assert top(movies, question) == {"Kim Lo"}
    best = movies.query(question, user_id="cinephile")["answers"][0]
    assert [(r["source"], r["relationship"], r["target"]) for r in best["paths"][0]] == [
        ("Blue Hour", "WRITTEN_BY", "Kim Lo"),
        ("Still Water", "WRITTEN_BY", "Kim Lo"),
        ("Still Water", "DIRECTED_BY", "Kim Lo"),
    ]


def test_answers_carry_the_path_that_proves_them(movies: Memory) -> None:
    result = movies.query(
        "which person directed the films written by Sven Holm", user_id="cinephile"
    )
    best = next(a for a in result["answers"] if a["entity"] == "Ben Ode")
    path = best["paths"][0]
    assert [(r["source"], r["relationship"], r["target"]) for r in path] == [
        ("Cold Tide", "WRITTEN_BY", "Sven Holm"),
        ("Cold Tide", "DIRECTED_BY", "Ben Ode"),
    ]
    assert {"Cold Tide written by Sven Holm", "Cold Tide directed by Ben Ode"} <= {
        m["memory"] for m in result["memories"]
    }


def test_the_named_entity_is_never_its_own_answer(movies: Memory) -> None:
    assert "Lia Park" not in answers(movies, "who co-starred with Lia Park")


def test_another_scope_gets_no_answers(movies: Memory) -> None:
    assert movies.query("who directed Night Harbor", user_id="someone-else")["answers"] == []


def test_search_explains_the_graph_path_of_a_hit(movies: Memory) -> None:
    hits = movies.search("who directed Night Harbor", user_id="cinephile", explain=True)["results"]
    assert hits[0]["memory"] == "Night Harbor directed by Ana Ruiz"
    assert hits[0]["explain"]["channels"]["graph"]["rank"] == 1
    assert hits[0]["explain"]["paths"][0][0]["relationship"] == "DIRECTED_BY"


def test_a_word_the_graphs_facts_use_points_to_their_relation_type(memory: Memory) -> None:
    for person, company in (("Sarah Chen", "Google"), ("Tom Lee", "Google"), ("Lia Park", "Acme")):
        memory.add(
            f"{person} joined {company} last year.",
            user_id="alice",
            relations=[{"source": person, "relationship": "WORKS_AT", "target": company}],
        )
    memory.add(
        "Sarah Chen lives in Zurich.",
        user_id="alice",
        relations=[{"source": "Sarah Chen", "relationship": "LIVES_IN", "target": "Zurich"}],
    )
    answers = memory.query("what did Sarah Chen join?", user_id="alice")["answers"]
    assert {a["entity"] for a in answers if a["score"] == answers[0]["score"]} == {"Google"}


def test_a_possessive_names_its_owner_not_a_name_inside_it(memory: Memory) -> None:
    memory.import_records(
        [
            {
                "user_id": "alice",
                "entities": [
                    {"name": "Kestrel Aerospace", "type": "Company"},
                    {"name": "Aerospace", "type": "Industry"},
                ],
                "relations": [
                    {
                        "source": "Kestrel Aerospace",
                        "relationship": "INDUSTRY",
                        "target": "Aerospace",
                    }
                ],
            }
        ],
        progress=False,
    )
    answers = memory.query("Kestrel Aerospace's industry?", user_id="alice")["answers"]
    assert [a["entity"] for a in answers] == ["Aerospace"]
    assert (
        answers[0]["score"]
        == memory.query("What industry is Kestrel Aerospace in?", user_id="alice")["answers"][0][
            "score"
        ]
    )


TRIP_TYPES = {"Nora Vik": "Person", "Alpine Loop": "Trip", "Lake Week": "Trip"}
TRIP_TYPES |= {"Hotel Edelweiss": "Hotel", "Seehof": "Hotel", "Zurich": "City", "Bern": "City"}
TRIPS = [
    ("Nora Vik", "WENT_ON", "Alpine Loop"),
    ("Nora Vik", "WENT_ON", "Lake Week"),
    ("Alpine Loop", "STAYED_AT", "Hotel Edelweiss"),
    ("Lake Week", "STAYED_AT", "Seehof"),
    ("Hotel Edelweiss", "LOCATED_IN", "Bern"),
    ("Seehof", "LOCATED_IN", "Zurich"),
]


@pytest.fixture
def trips(memory: Memory) -> Memory:
    memory.import_records(typed_records("alice", TRIPS, TRIP_TYPES), progress=False)
    return memory


def test_a_type_asked_for_is_reached_through_relations_no_word_names(trips: Memory) -> None:
    # "book" names no relation: the hotels are two hops away, through the trips.
    answers = trips.query("What hotels did Nora Vik book?", user_id="alice")["answers"]
    assert {a["entity"] for a in answers[:2]} == {"Hotel Edelweiss", "Seehof"}


def test_a_type_asked_for_is_reached_past_the_relation_a_word_names(trips: Memory) -> None:
    # "stayed" names STAYED_AT; the trips before it and the cities after it are bridges.
    question = "In which cities were the hotels Nora Vik stayed at?"
    answers = trips.query(question, user_id="alice")["answers"]
    assert {a["entity"] for a in answers[:2]} == {"Bern", "Zurich"}


def test_a_first_name_links_to_the_one_person_who_has_it(memory: Memory) -> None:
    memory.add("Sarah Chen works at Google.", user_id="alice")
    memory.add("Tom Lee lives in Zurich.", user_id="alice")
    answers = memory.query("Where does Sarah work?", user_id="alice")["answers"]
    assert answers[0]["entity"] == "Google"


@pytest.fixture
def untyped_movies(config: GraphMemConfig) -> Iterator[Memory]:
    deep = config.model_copy(update={"retrieval": RetrievalConfig(max_hops=3)})
    with Memory(deep) as memory:
        records = kb_records("cinephile")
        for record in records:
            record["entities"] = [{"name": e["name"]} for e in record["entities"]]
        memory.import_records(records, progress=False)
        yield memory


def test_an_untyped_graph_tells_films_from_people_by_their_roles(untyped_movies: Memory) -> None:
    assert top(untyped_movies, "which films share the same director of Night Harbor") == {
        "Blue Hour"
    }
    assert top(untyped_movies, "which person directed the films written by Sven Holm") == {
        "Ana Ruiz",
        "Ben Ode",
    }
