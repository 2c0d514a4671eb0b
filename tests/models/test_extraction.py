"""Extraction: one record's drafts, and which draft each relation end names."""

from __future__ import annotations

from graphmem.models.extraction import Extraction


def triple(source: str, target: str, types: tuple[str, str] | None = None) -> Extraction:
    entities = (
        [{"name": source, "type": types[0]}, {"name": target, "type": types[1]}] if types else []
    )
    return Extraction.model_validate(
        {
            "entities": entities,
            "relations": [{"source": source, "relationship": "has tags", "target": target}],
        }
    )


def test_a_movie_and_its_tag_of_the_same_word_are_two_drafts_and_no_self_loop() -> None:
    extraction = triple("Airport", "airport", ("Movie", "Tag"))
    assert [(d.name, d.type) for d in extraction.entities] == [
        ("Airport", "Movie"),
        ("airport", "Tag"),
    ]
    assert len(extraction.relations) == 1 and extraction.dropped == {}


def test_untyped_ends_that_differ_from_title_to_lower_case_are_two_drafts() -> None:
    extraction = triple("Airport", "airport")
    assert [d.name for d in extraction.entities] == ["Airport", "airport"]
    assert len(extraction.relations) == 1


def test_each_relation_end_names_its_own_draft() -> None:
    extraction = triple("Airport", "airport", ("Movie", "Tag"))
    assert extraction.entity_for("Airport").type == "Movie"
    assert extraction.entity_for("airport").type == "Tag"


def test_an_end_in_other_case_names_the_one_typed_draft_of_its_key() -> None:
    extraction = Extraction.model_validate(
        {
            "entities": [{"name": "alice", "type": "Person"}, {"name": "Acme", "type": "Org"}],
            "relations": [{"source": "Alice", "relationship": "works at", "target": "Acme"}],
        }
    )
    assert [d.name for d in extraction.entities] == ["alice", "Acme"]
    assert extraction.entity_for("Alice").name == "alice"


def test_a_same_name_loop_is_still_dropped() -> None:
    extraction = triple("Alice", "alice ", ("Person", "Person"))
    assert extraction.relations == [] and extraction.dropped == {"self_loop": 1}


def test_a_film_written_by_a_person_of_the_same_name_is_no_self_loop() -> None:
    extraction = triple("Antwone Fisher", "Antwone Fisher", ("Movie", "Person"))
    assert [d.type for d in extraction.entities] == ["Movie", "Person"]
    assert extraction.end_indexes(extraction.relations[0]) == (0, 1)
