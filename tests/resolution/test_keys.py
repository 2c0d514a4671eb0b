"""resolution_key and identifier_signature: what counts as the same name, what never does."""

from __future__ import annotations

from graphmem.resolution.keys import identifier_signature, is_acronym, resolution_key


def test_case_whitespace_punctuation_and_legal_suffix_share_one_key() -> None:
    assert resolution_key("Acme, Inc.") == resolution_key("ACME  inc") == resolution_key("Acme")


def test_several_legal_suffixes_are_dropped() -> None:
    keys = {resolution_key(n) for n in ("Siemens AG", "Siemens GmbH", "Siemens S.A.", "Siemens")}
    assert keys == {"siemens"}


def test_ampersand_co_is_dropped_with_its_and() -> None:
    assert resolution_key("Smith & Co.") == "smith"


def test_a_lower_case_the_before_a_proper_name_is_dropped() -> None:
    assert resolution_key("the Beatles") == resolution_key("Beatles") == "beatles"


def test_a_capitalised_the_is_part_of_the_name() -> None:
    assert resolution_key("The Butterfly") == "the butterfly" != resolution_key("Butterfly")


def test_a_name_is_never_reduced_to_nothing() -> None:
    assert resolution_key("The") == "the"
    assert resolution_key("Inc.") == "inc"


def test_dots_and_apostrophes_join_letters() -> None:
    assert resolution_key("U.S.") == resolution_key("US")
    assert resolution_key("Qur'an") == resolution_key("Quran")


def test_accents_are_folded() -> None:
    assert resolution_key("Émile Zola") == resolution_key("Emile Zola")


def test_spaced_and_joined_hyphens_agree() -> None:
    assert resolution_key("Ajayi - Adeniran") == resolution_key("Ajayi-Adeniran")


def test_identifiers_keep_their_inner_punctuation() -> None:
    assert resolution_key("SR-2023-052") == "sr-2023-052"
    assert resolution_key("SR-2023-052") != resolution_key("SR-2023-053")


def test_identifier_signature_lists_identifier_parts() -> None:
    assert identifier_signature("SR-2023-052") == ("sr", "2023", "052")


def test_identifier_signature_of_a_plain_name_is_empty() -> None:
    assert identifier_signature("Acme Corporation") == ()


def test_regnal_numerals_and_generations_are_identifiers() -> None:
    assert identifier_signature("Henry VIII") != identifier_signature("Henry VII")
    assert identifier_signature("Paul Desmarais Sr.") != identifier_signature("Paul Desmarais Jr.")


def test_acronyms_are_all_capitals_with_optional_dots() -> None:
    assert is_acronym("IBM") and is_acronym("U.S.")
    assert not is_acronym("Ibm") and not is_acronym("A")
