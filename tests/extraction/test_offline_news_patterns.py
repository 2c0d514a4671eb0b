"""The offline extractor on the constructions of news prose: titles, appositions, places
within places, and relations stated by nouns rather than verbs."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.tokens import Doc

from graphmem.extraction.offline import OfflineExtractor
from graphmem.extraction.offline.arguments import Arguments
from graphmem.extraction.offline.mentions import GUESSED, Mention, Mentions
from graphmem.extraction.offline.nlp import english
from graphmem.extraction.offline.nominals import nominal_relations
from graphmem.models.extraction import Extraction
from graphmem.models.messages import Message

Triple = tuple[str, str, str]


@pytest.fixture(scope="module")
def extractor() -> OfflineExtractor:
    return OfflineExtractor()


def extract(extractor: OfflineExtractor, text: str) -> Extraction:
    return extractor.extract([Message(content=text)])


def triples(extraction: Extraction) -> set[Triple]:
    return {(r.source, r.relationship, r.target) for r in extraction.relations}


def test_a_courtesy_title_stays_in_the_name_and_the_bare_name_is_an_alias(
    extractor: OfflineExtractor,
) -> None:
    extraction = extract(extractor, "Dr. Martha Jones was murdered by Roy Hale.")
    assert triples(extraction) == {("Roy Hale", "KILLED", "Dr. Martha Jones")}
    aliases = {e.name: e.aliases for e in extraction.entities}
    assert aliases["Dr. Martha Jones"] == ["Martha Jones"]


def test_a_title_that_names_whose_office_it_is_is_dropped(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "Acme Corp President Laura Beck resigned on Monday.")
    assert "Laura Beck" in {e.name for e in extraction.entities}
    assert ("Laura Beck", "WORKS_AT", "Acme Corp") in triples(extraction)


def test_a_lowercase_role_before_a_name_is_no_title(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "The former first lady Nancy Reagan visited Boston.")
    assert "Nancy Reagan" in {e.name for e in extraction.entities}


def test_a_role_before_a_name_takes_the_nearest_name_among_its_modifiers(
    extractor: OfflineExtractor,
) -> None:
    # the parser attaches all four words flat to "Beck", none to "spokesman"
    extraction = extract(extractor, "Acme Corp spokesman Laura Beck resigned.")
    assert ("Laura Beck", "WORKS_AT", "Acme Corp") in triples(extraction)


def test_a_person_noun_in_apposition_makes_the_name_a_person(
    extractor: OfflineExtractor,
) -> None:
    extraction = extract(extractor, "Brandt, a senior Finance Ministry official, declined.")
    assert ("Brandt", "WORKS_AT", "Finance Ministry") in triples(extraction)
    assert {e.name: e.type for e in extraction.entities}["Brandt"] == "Person"


def test_a_place_right_before_in_a_place_lies_in_it_wherever_in_attaches(
    extractor: OfflineExtractor,
) -> None:
    extraction = extract(extractor, "The plane flew to Nairobi from Kisumu in western Kenya.")
    assert ("Kisumu", "LOCATED_IN", "Kenya") in triples(extraction)


def test_a_site_in_a_city_and_state_lies_in_both(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "The reactors at the Hanford Site, in Richland, Wash., closed.")
    assert {
        ("Hanford Site", "LOCATED_IN", "Richland"),
        ("Hanford Site", "LOCATED_IN", "Wash"),
    } <= triples(extraction)


def test_a_place_noun_in_apposition_places_the_name(extractor: OfflineExtractor) -> None:
    extraction = extract(
        extractor, "They sailed to Mauritius, an island nation in the Indian Ocean."
    )
    assert ("Mauritius", "LOCATED_IN", "Indian Ocean") in triples(extraction)


def test_one_of_the_people_of_a_kind_in_a_place_lives_there(extractor: OfflineExtractor) -> None:
    extraction = extract(
        extractor, "Rosa Vidal, one of the leading economists in Chile, disagreed."
    )
    assert ("Rosa Vidal", "LIVES_IN", "Chile") in triples(extraction)


def test_a_person_noun_from_a_place_says_where_the_person_is_from(
    extractor: OfflineExtractor,
) -> None:
    # as "Rui Costa is from Porto" says it; "a lawyer in Porto" would be LIVES_IN
    extraction = extract(extractor, "Rui Costa, a lawyer from Porto, signed the lease.")
    assert ("Rui Costa", "FROM", "Porto") in triples(extraction)
    assert ("Rui Costa", "LIVES_IN", "Porto") not in triples(extraction)


def test_an_organisation_of_a_place_is_based_there(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "Colorado Fidelity Trust Co. of Denver filed the suit.")
    assert ("Colorado Fidelity Trust Co", "BASED_IN", "Denver") in triples(extraction)


def test_a_killing_noun_taken_by_a_verb_was_done_by_its_subject(
    extractor: OfflineExtractor,
) -> None:
    extraction = extract(extractor, "Roy Hale was convicted of Martha Jones's murder.")
    assert triples(extraction) >= {("Roy Hale", "KILLED", "Martha Jones")}


def test_a_participle_suspected_of_a_killing_names_the_killer(
    extractor: OfflineExtractor,
) -> None:
    extraction = extract(
        extractor, "Police arrested Roy Hale, suspected of the murder of Martha Jones."
    )
    assert ("Roy Hale", "KILLED", "Martha Jones") in triples(extraction)


def test_whoever_fired_the_shot_that_killed_someone_killed_them(
    extractor: OfflineExtractor,
) -> None:
    extraction = extract(extractor, "Roy Hale fired the shot that killed Martha Jones.")
    assert ("Roy Hale", "KILLED", "Martha Jones") in triples(extraction)


def test_a_possessed_role_before_a_name_relates_the_name_to_the_owner(
    extractor: OfflineExtractor,
) -> None:
    extraction = extract(extractor, "Martha Jones's killer Roy Hale was sentenced.")
    assert ("Roy Hale", "KILLED", "Martha Jones") in triples(extraction)


def test_a_name_after_a_possessed_role_and_a_comma_is_its_bearer_however_it_is_parsed() -> None:
    # the parser sometimes hangs the name on the verb ("npadvmod"), not on the role
    words = ["Perry", "treated", "Jones", "'s", "killer", ",", "Roy", "Hale", ",", "today"]
    heads = [1, 1, 4, 2, 1, 7, 7, 1, 7, 1]
    deps = ["nsubj", "ROOT", "poss", "case", "dobj", "punct", "compound", "npadvmod"]
    deps += ["punct", "npadvmod"]
    pos = ["PROPN", "VERB", "PROPN", "PART", "NOUN", "PUNCT", "PROPN", "PROPN", "PUNCT", "NOUN"]
    lemmas = [word.lower() if word != "treated" else "treat" for word in words]
    doc = Doc(english().vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    mentions = Mentions(doc)
    for name, tokens in (("Perry", {0}), ("Jones", {2}), ("Roy Hale", {6, 7})):
        mentions.add(Mention(name, "Person", GUESSED, True, frozenset(tokens)))
    found = nominal_relations(Arguments(mentions, lambda _token, _subject: None, date.today()))
    assert [(f.source.name, f.relation, f.target.name) for f in found] == [
        ("Roy Hale", "KILLED", "Jones")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Lisbon, March 3 (LUSA) -- Fishermen went on strike.",
            {("LUSA", "BASED_IN", "Lisbon")},
        ),
        (
            "Porto, Portugal, 3 Mar (LUSA) -- Fishermen went on strike.",
            {
                ("LUSA", "BASED_IN", "Porto"),
                ("LUSA", "BASED_IN", "Portugal"),
                ("Porto", "LOCATED_IN", "Portugal"),
            },
        ),
        ("Lisbon March 3 LUSA -- Fishermen went on strike.", {("LUSA", "BASED_IN", "Lisbon")}),
    ],
)
def test_a_dated_dateline_places_its_agency(
    extractor: OfflineExtractor, text: str, expected: set[Triple]
) -> None:
    assert expected <= triples(extract(extractor, text))


def test_a_name_and_a_nickname_in_parentheses_is_no_dateline(
    extractor: OfflineExtractor,
) -> None:
    extraction = extract(extractor, "Carlos Mendes (Cadu) said the strike would go on.")
    assert not any(r.relationship == "BASED_IN" for r in extraction.relations)


def test_a_name_wordnet_knows_as_a_place_is_a_location_not_a_guessed_organisation(
    extractor: OfflineExtractor,
) -> None:
    extraction = extract(extractor, "Floods hit Gyumri, Armenia's second city, on Monday.")
    assert {e.name: e.type for e in extraction.entities}["Armenia"] == "Location"
    assert ("Gyumri", "LOCATED_IN", "Armenia") in triples(extraction)
    assert {e.name: e.type for e in extract(extractor, "The storm reached Oxford.").entities} == {
        "Oxford": "Location"
    }


def test_a_persons_own_organisation_is_one_they_work_in(extractor: OfflineExtractor) -> None:
    extraction = extract(extractor, "Helmut Kohl's Christian Democratic Union won the vote.")
    assert ("Helmut Kohl", "WORKS_AT", "Christian Democratic Union") in triples(extraction)
