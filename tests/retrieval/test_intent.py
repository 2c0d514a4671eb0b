"""Relation intent and answer types come from the graph's own types."""

from __future__ import annotations

import numpy as np

from graphmem.models.records import Entity
from graphmem.retrieval.closeness import HASH_CALIBRATION, MODEL_CALIBRATION, Closeness
from graphmem.retrieval.graph_channel import unexplained_question
from graphmem.retrieval.intent import analyse_intent, phrases_to_embed
from graphmem.retrieval.linking import LinkedEntity, tokenize
from graphmem.retrieval.type_vectors import SchemaVectors, TypeVector
from graphmem.retrieval.word_meaning import SIBLING, sibling_strength, type_signature
from graphmem.stores.graph.base import GraphSchema

SCHEMA = GraphSchema(
    entity_types={"Movie": 5, "Person": 5, "Genre": 2, "Year": 3},
    relation_types={
        "DIRECTED_BY": 5,
        "WRITTEN_BY": 5,
        "STARRED_ACTORS": 5,
        "HAS_GENRE": 5,
        "RELEASE_YEAR": 5,
    },
)


def intent_of(question: str, topic: str = "X"):  # type: ignore[no-untyped-def]
    tokens = tokenize(question)
    named = {i for i, token in enumerate(tokens) if token.text == topic}
    return analyse_intent(tokens, named, SCHEMA)


def test_type_signatures_are_the_forms_of_their_content_words() -> None:
    assert type_signature("HAS_GENRE") == frozenset({"genr"})
    assert {"star", "actor", "act"} <= type_signature("STARRED_ACTORS")


def test_irregular_verbs_meet_their_relation_type() -> None:
    assert intent_of("who wrote X").strengths == {"WRITTEN_BY": 1.0}


def test_each_phrase_counts_once_and_repeats_count_again() -> None:
    intent = intent_of("who acted in the movies directed by the director of X")
    assert intent.counts == {"STARRED_ACTORS": 1, "DIRECTED_BY": 2}


def test_neighbouring_words_are_one_phrase() -> None:
    assert intent_of("what was the release year of X").counts == {"RELEASE_YEAR": 1}


def test_the_wh_word_names_the_answer_type() -> None:
    assert intent_of("who directed X").answer_types == {"Person": 1.0}
    assert intent_of("which films share the same director of X").answer_types == {"Movie": 1.0}


def test_a_word_wordnet_relates_matches_more_weakly_than_the_word_itself() -> None:
    assert intent_of("what sort of film is X").strengths == {"HAS_GENRE": 0.8}


def test_everyday_family_words_meet_the_relation_they_mean_through_wordnet() -> None:
    family = GraphSchema(
        entity_types={"Person": 9, "Religion": 2},
        relation_types={"CHILDREN": 4, "PARENTS": 4, "SPOUSE": 2, "RELIGION": 3},
    )

    def strengths(question: str) -> dict[str, float]:
        tokens = tokenize(question)
        named = {i for i, token in enumerate(tokens) if token.text == "X"}
        return analyse_intent(tokens, named, family).strengths

    assert strengths("X's kid") == {"CHILDREN": 0.8}
    assert strengths("who is X's dad") == {"PARENTS": 0.8}
    assert strengths("what faith does X's son follow") == {"CHILDREN": 0.8, "RELIGION": 0.8}
    assert strengths("who is X's wife") == {"SPOUSE": 0.8}


def test_a_question_about_nothing_in_the_schema_mentions_nothing() -> None:
    assert intent_of("tell me about X").mentions == []


def test_a_question_without_a_wh_word_asks_for_its_last_noun_only_when_it_is_a_type() -> None:
    # "movie" names a type, but the last noun, "premiere", is what is asked.
    assert intent_of("X's movie's premiere").answer_types == {}
    assert intent_of("X's main genre").answer_types == {"Genre": 1.0}
    assert intent_of("X's year of release").answer_types == {"Year": 1.0}


def test_how_asks_for_no_type_its_nouns_name() -> None:
    schema = GraphSchema(
        entity_types={"Spouse": 2, "Disease": 2}, relation_types={"MARRIED_TO": 2, "DIED_OF": 2}
    )
    tokens = tokenize("How did X's wife die")
    named = {i for i, token in enumerate(tokens) if token.text == "X's"}
    assert analyse_intent(tokens, named, schema).answer_types == {}


def test_what_is_left_of_a_question_has_no_word_naming_a_type() -> None:
    tokens = tokenize("which person wrote the movies directed by X")
    x = next(i for i, token in enumerate(tokens) if token.text == "X")
    entity = Entity(name="X", key="x", type="Movie", user_id="u")
    links = [LinkedEntity(entity, (x, x + 1), "x", 1.0)]
    schema = GraphSchema(
        entity_types={"Movie": 2, "Person": 2},
        relation_types={"WRITTEN_BY": 2, "DIRECTED_BY": 2},
    )
    assert unexplained_question(tokens, links, schema) == "which the by X"


def test_only_phrases_whose_vectors_can_matter_are_embedded() -> None:
    schema = GraphSchema(
        entity_types={"Person": 2, "Movie": 1},
        relation_types={"DIRECTED_BY": 1, "SPOUSE": 1},
    )
    tokens = tokenize("who is the other half of the man who directed Heat")
    named = {len(tokens) - 1}
    embedded = phrases_to_embed(tokens, named, schema)
    # "directed" names DIRECTED_BY by its word forms: neither it nor "man directed" is sent
    assert "directed" not in embedded and "man directed" not in embedded
    # "other half" meets SPOUSE only by meaning, so it and its words are
    assert {"other", "half", "other half", "man"} <= set(embedded)


def test_a_wordnet_sibling_is_a_mention_only_with_vectors_that_back_it() -> None:
    # "types" and HAS_GENRE's "genre" are siblings in WordNet; with no vectors (or the
    # hash embedder's, which back nothing) a sibling mentions nothing.
    assert sibling_strength("types", "HAS_GENRE") == SIBLING
    assert sibling_strength("genres", "HAS_GENRE") == 0.0  # the word itself: lexical
    assert intent_of("what types are the movies written by X").strengths == {"WRITTEN_BY": 1.0}
    near, far = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    schema = SchemaVectors(
        {
            "HAS_GENRE": TypeVector(phrase=far, facts=None, end=None, words=(near,)),
            "WRITTEN_BY": TypeVector(phrase=far, facts=None, end=None, words=(far,)),
        }
    )
    found = {"HAS_GENRE": SIBLING, "WRITTEN_BY": SIBLING}
    vectors = {"types": near}
    assert Closeness(vectors, schema, MODEL_CALIBRATION).backed("types", found) == {
        "HAS_GENRE": SIBLING
    }
    assert Closeness({}, schema, MODEL_CALIBRATION).backed("types", found) == {}
    assert Closeness(vectors, schema, HASH_CALIBRATION).backed("types", found) == {}
