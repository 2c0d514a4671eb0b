"""match_entity: which existing entity a candidate names, and on what evidence."""

from __future__ import annotations

from graphmem.models.extraction import EntityDraft
from graphmem.models.records import Entity
from graphmem.resolution.matching import (
    FUZZY_MIN,
    Evidence,
    ResolutionPolicy,
    match_entity,
)


def draft(name: str, type_: str = "Entity", aliases: list[str] | None = None) -> EntityDraft:
    return EntityDraft(name=name, type=type_, aliases=aliases or [])


def entity(name: str, type_: str = "Entity", aliases: list[str] | None = None) -> Entity:
    return Entity(name=name, key=name.casefold(), type=type_, aliases=aliases or [])


def test_same_key_matches_exactly() -> None:
    match = match_entity(draft("ACME inc", "Organization"), [entity("Acme, Inc.", "Organization")])
    assert match is not None and match.evidence is Evidence.EXACT_KEY and match.score == 1.0


def test_nothing_matches_in_an_empty_scope() -> None:
    assert match_entity(draft("Acme"), []) is None


def test_candidate_alias_matches_an_existing_name() -> None:
    known = [entity("Bob Dylan", "Person")]
    match = match_entity(draft("Robert Zimmerman", "Person", ["Bob Dylan"]), known)
    assert match is not None and match.evidence is Evidence.ALIAS


def test_existing_alias_matches_a_candidate_name() -> None:
    known = [entity("Meta Platforms", "Organization", ["Facebook"])]
    match = match_entity(draft("facebook", "Organization"), known)
    assert match is not None and match.evidence is Evidence.ALIAS


def test_near_identical_identifiers_are_kept_apart() -> None:
    assert match_entity(draft("SR-2023-053"), [entity("SR-2023-052")]) is None


def test_version_numbers_are_kept_apart() -> None:
    assert match_entity(draft("Windows 11", "Product"), [entity("Windows 10", "Product")]) is None


def test_short_names_are_not_fuzzy_merged() -> None:
    assert match_entity(draft("Ali", "Person"), [entity("Al", "Person")]) is None


def test_short_single_words_are_not_fuzzy_merged() -> None:
    assert match_entity(draft("Goghot", "Location"), [entity("Goght", "Location")]) is None


def test_incompatible_types_are_not_merged() -> None:
    assert match_entity(draft("Romance", "Genre"), [entity("Romance", "Movie")]) is None


def test_generic_type_is_compatible_with_any_type() -> None:
    match = match_entity(draft("Google"), [entity("Google", "Organization")])
    assert match is not None and match.evidence is Evidence.EXACT_KEY


def test_same_type_is_preferred_over_generic() -> None:
    known = [entity("Google"), entity("Google", "Organization")]
    match = match_entity(draft("Google", "Organization"), known)
    assert match is not None and match.index == 1


def test_typo_in_a_long_name_is_fuzzy_merged() -> None:
    known = [entity("Jonathan Livingston", "Person")]
    match = match_entity(draft("Jonathon Livingston", "Person"), known)
    assert match is not None and match.evidence is Evidence.FUZZY
    assert match.score * 100 >= FUZZY_MIN


def test_a_different_first_name_is_not_a_typo() -> None:
    assert (
        match_entity(draft("Joan Smithson", "Person"), [entity("John Smithson", "Person")]) is None
    )


def test_a_demonym_is_not_fuzzy_merged_with_its_place() -> None:
    known = [entity("South Korea", "Location")]
    assert match_entity(draft("South Korean", "Location"), known) is None


def test_fuzzy_can_be_switched_off() -> None:
    known = [entity("Jonathan Livingston", "Person")]
    policy = ResolutionPolicy(fuzzy=False)
    assert match_entity(draft("Jonathon Livingston", "Person"), known, policy=policy) is None


def test_acronyms_are_not_fuzzy_merged() -> None:
    assert match_entity(draft("NBL", "Organization"), [entity("NBA", "Organization")]) is None


def test_acronym_matches_the_long_form_it_spells() -> None:
    known = [entity("United States Geological Survey", "Organization")]
    match = match_entity(draft("USGS", "Organization"), known)
    assert match is not None and match.evidence is Evidence.INITIALISM


def test_ambiguous_acronym_is_not_merged() -> None:
    known = [entity("National Basketball Association"), entity("National Bar Association")]
    assert match_entity(draft("NBA"), known) is None


def test_surname_alone_joins_the_one_person_with_that_surname() -> None:
    match = match_entity(draft("Schneider", "Person"), [entity("Wilfried Schneider", "Person")])
    assert match is not None and match.evidence is Evidence.PERSON_NAME


def test_initials_join_the_full_given_names() -> None:
    match = match_entity(draft("J. H. Dearle", "Person"), [entity("John Henry Dearle", "Person")])
    assert match is not None and match.evidence is Evidence.PERSON_NAME


def test_surname_shared_by_two_people_is_ambiguous() -> None:
    known = [entity("John Adams", "Person"), entity("Samuel Adams", "Person")]
    assert match_entity(draft("Adams", "Person"), known) is None


def test_different_given_names_are_different_people() -> None:
    assert match_entity(draft("Jane Smith", "Person"), [entity("John Smith", "Person")]) is None


def test_full_name_does_not_join_a_bare_surname() -> None:
    known = [entity("Desmarais", "Person")]
    assert match_entity(draft("Hélène Desmarais", "Person"), known) is None


def test_father_and_son_are_kept_apart() -> None:
    known = [entity("Paul Desmarais Jr.", "Person")]
    assert match_entity(draft("Paul Desmarais Sr.", "Person"), known) is None


def test_person_rule_needs_both_sides_typed_person() -> None:
    assert match_entity(draft("Schneider"), [entity("Wilfried Schneider", "Person")]) is None


def test_close_name_vectors_merge_long_names() -> None:
    vectors = {"Big Apple City": [1.0, 0.0], "New York City": [0.99, 0.05]}
    known = [entity("New York City", "Location")]
    match = match_entity(draft("Big Apple City", "Location"), known, name_vectors=vectors)
    assert match is not None and match.evidence is Evidence.VECTOR


def test_close_vectors_do_not_merge_short_names() -> None:
    vectors = {"Gotham": [1.0, 0.0], "New York City": [1.0, 0.0]}
    known = [entity("New York City", "Location")]
    assert match_entity(draft("Gotham", "Location"), known, name_vectors=vectors) is None


def test_close_vectors_do_not_merge_different_identifiers() -> None:
    vectors = {"Ticket SR-2023-052": [1.0, 0.0], "Ticket SR-2023-053": [1.0, 0.0]}
    known = [entity("Ticket SR-2023-052")]
    assert match_entity(draft("Ticket SR-2023-053"), known, name_vectors=vectors) is None


# -- people: given names and middle initials (issue 13, defect 8) ---------------------


def test_a_different_given_name_is_not_bridged_by_the_others_middle_initial() -> None:
    known = [entity("Jason Barry", "Person")]
    assert match_entity(draft("Raymond J. Barry", "Person"), known) is None


def test_a_given_name_does_not_answer_to_the_others_middle_initial() -> None:
    assert match_entity(draft("Gig Young", "Person"), [entity("John G. Young", "Person")]) is None


def test_a_middle_initial_the_other_name_lacks_is_not_evidence_of_one_person() -> None:
    known = [entity("Morgan Freeman", "Person")]
    vectors = {"Morgan Freeman": [1.0, 0.0], "Morgan J. Freeman": [1.0, 0.0]}
    assert match_entity(draft("Morgan J. Freeman", "Person"), known, name_vectors=vectors) is None


def test_conflicting_middle_initials_are_two_people_even_with_close_vectors() -> None:
    known = [entity("Michael G. Wilson", "Person")]
    vectors = {"Michael G. Wilson": [1.0, 0.0], "Michael J. Wilson": [1.0, 0.0]}
    assert match_entity(draft("Michael J. Wilson", "Person"), known, name_vectors=vectors) is None


def test_a_given_name_with_an_ending_added_is_another_name_not_a_typo() -> None:
    assert (
        match_entity(draft("Frankie Thomas", "Person"), [entity("Frank Thomas", "Person")]) is None
    )


def test_a_surname_with_particles_or_a_hyphen_is_one_surname() -> None:
    for short, full in (
        ("De Masi", "Francesco De Masi"),
        ("Menezes", "Fradique de Menezes"),
        ("Ajayi - Adeniran", "Daniel Ajayi-Adeniran"),
    ):
        match = match_entity(draft(short, "Person"), [entity(full, "Person")])
        assert match is not None and match.evidence is Evidence.PERSON_NAME, short


def test_an_alias_still_joins_a_name_with_a_middle_initial() -> None:
    known = [entity("Morgan Freeman", "Person")]
    match = match_entity(draft("Morgan J. Freeman", "Person", ["Morgan Freeman"]), known)
    assert match is not None and match.evidence is Evidence.ALIAS


# -- titles and case (issue 13, defect 8) -----------------------------------------------


def test_a_leading_article_is_not_evidence_that_two_titles_are_one() -> None:
    assert match_entity(draft("The Butterfly", "Movie"), [entity("Butterfly", "Movie")]) is None


def test_a_long_title_and_the_same_title_with_an_article_are_not_fuzzy_merged() -> None:
    known = [entity("Lord of the Rings: The Return of the King", "Movie")]
    candidate = draft("The Lord of the Rings: The Return of the King", "Movie")
    assert match_entity(candidate, known) is None


def test_titles_that_differ_in_their_article_are_not_fuzzy_merged() -> None:
    known = [entity("The Little Princess", "Movie")]
    assert match_entity(draft("A Little Princess", "Movie"), known) is None


def test_a_lower_case_article_from_running_text_is_noise() -> None:
    match = match_entity(draft("the Google", "Organization"), [entity("Google", "Organization")])
    assert match is not None and match.evidence is Evidence.EXACT_KEY


def test_case_alone_does_not_make_an_untyped_word_the_capitalised_title() -> None:
    assert match_entity(draft("thief"), [entity("Thief")]) is None


def test_a_case_insensitive_repeat_of_one_person_still_matches() -> None:
    match = match_entity(draft("alice", "Person"), [entity("Alice", "Person")])
    assert match is not None and match.evidence is Evidence.EXACT_KEY


def test_a_leading_article_is_optional_for_organizations_and_places() -> None:
    match = match_entity(draft("Beatles", "Organization"), [entity("The Beatles", "Organization")])
    assert match is not None and match.evidence is Evidence.EXACT_KEY


def test_a_lower_case_article_joins_the_capitalised_one_of_an_untyped_name() -> None:
    match = match_entity(draft("the Killers"), [entity("The Killers")])
    assert match is not None and match.evidence is Evidence.EXACT_KEY
