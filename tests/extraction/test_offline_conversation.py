"""Conversations as people write them become a graph, with no LLM: first person, pronouns,
possessives, several speakers, dates; and `query` answers from that graph."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from graphmem import Memory
from graphmem.config import GraphMemConfig
from graphmem.extraction.offline import OfflineExtractor
from graphmem.models.extraction import Extraction, RelationDraft
from graphmem.models.messages import Message

SAID = datetime(2024, 7, 10, 15, 0, tzinfo=UTC)
Triple = tuple[str, str, str]


@pytest.fixture(scope="module")
def extractor() -> OfflineExtractor:
    return OfflineExtractor()


def triples(extraction: Extraction) -> set[Triple]:
    return {(r.source, r.relationship, r.target) for r in extraction.relations}


def relation(extraction: Extraction, source: str, kind: str, target: str) -> RelationDraft:
    found = [
        r
        for r in extraction.relations
        if (r.source, r.relationship, r.target) == (source, kind, target)
    ]
    assert found, f"no {source} {kind} {target} in {triples(extraction)}"
    return found[0]


def say(extractor: OfflineExtractor, *turns: tuple[str, str]) -> Extraction:
    messages = [Message(role="user", name=name, content=text) for name, text in turns]
    return extractor.extract(messages, said_at=SAID)


def test_a_given_name_is_part_of_the_name(extractor: OfflineExtractor) -> None:
    extraction = extractor.extract([Message(content="Jan Novak works at Siemens.")])
    assert triples(extraction) == {("Jan Novak", "WORKS_AT", "Siemens")}
    assert {e.name: e.type for e in extraction.entities}["Jan Novak"] == "Person"


def test_my_sister_moved_gives_her_home_her_kinship_and_the_month(
    extractor: OfflineExtractor,
) -> None:
    extraction = say(extractor, ("Maria", "My sister Ana moved to Lisbon last May."))
    moved = relation(extraction, "Ana", "LIVES_IN", "Lisbon")
    assert moved.valid_from == date(2024, 5, 1)
    assert ("Ana", "SISTER_OF", "Maria") in triples(extraction)
    assert extraction.facts == ["Maria's sister Ana moved to Lisbon last May."]


def test_each_speaker_is_the_i_of_their_own_turn(extractor: OfflineExtractor) -> None:
    extraction = say(
        extractor,
        ("Caroline", "I went to an LGBTQ support group yesterday."),
        ("Melanie", "That's great! I painted a lake sunrise last year."),
    )
    went = relation(extraction, "Caroline", "GOES_TO", "LGBTQ support group")
    assert went.valid_from == date(2024, 7, 9)
    painted = relation(extraction, "Melanie", "PAINTS", "lake sunrise")
    assert painted.valid_from == date(2023, 1, 1)
    types = {e.name: e.type for e in extraction.entities}
    assert types["Caroline"] == types["Melanie"] == "Person"


def test_a_subject_pronoun_refers_to_the_last_subject(extractor: OfflineExtractor) -> None:
    extraction = say(extractor, ("Omar", "Tom met Ana in Rome. He works at Fiat now."))
    assert ("Tom", "WORKS_AT", "Fiat") in triples(extraction)
    assert ("Ana", "WORKS_AT", "Fiat") not in triples(extraction)


def test_an_object_pronoun_is_not_its_clauses_subject(extractor: OfflineExtractor) -> None:
    extraction = say(extractor, ("Omar", "Melanie is supportive of Caroline and proud of her."))
    assert ("Melanie", "IS_PROUD_OF", "Caroline") in triples(extraction)


def test_a_pronoun_looks_back_into_the_previous_turns(extractor: OfflineExtractor) -> None:
    extraction = say(
        extractor,
        ("Ana", "Have you met Priya Raman?"),
        ("Ben", "No, who is she?"),
        ("Ana", "She is a nurse and she lives in Toronto."),
    )
    assert ("Priya Raman", "LIVES_IN", "Toronto") in triples(extraction)


def test_you_is_the_other_speaker(extractor: OfflineExtractor) -> None:
    extraction = say(
        extractor,
        ("Bob", "Hi Alice, big news on my side."),
        ("Alice", "Congratulations, I heard you joined Google!"),
    )
    assert ("Bob", "WORKS_AT", "Google") in triples(extraction)


def test_a_possessive_relates_the_owner(extractor: OfflineExtractor) -> None:
    extraction = say(extractor, ("Omar", "Caroline's kids love the beach."))
    assert ("Caroline's kids", "KID_OF", "Caroline") in triples(extraction)
    assert ("Caroline's kids", "LIKES", "beach") in triples(extraction)


def test_having_a_relative_names_the_relative_after_its_owner(
    extractor: OfflineExtractor,
) -> None:
    extraction = say(extractor, ("Omar", "Melanie has a husband and two kids."))
    assert ("Melanie's husband", "MARRIED_TO", "Melanie") in triples(extraction)
    assert ("Melanie's kids", "KID_OF", "Melanie") in triples(extraction)


@pytest.mark.parametrize(
    "text",
    [
        "It was great and they loved it.",
        "We went there with them last week.",
        "Who knows what that means?",
        "This is what he said.",
    ],
)
def test_no_relation_ends_at_a_pronoun_or_a_wh_word(extractor: OfflineExtractor, text: str) -> None:
    extraction = extractor.extract([Message(content=text)])
    words = {"it", "they", "them", "we", "there", "who", "what", "that", "this", "he"}
    ends = {r.source.casefold() for r in extraction.relations}
    ends |= {r.target.casefold() for r in extraction.relations}
    assert not ends & words


def test_open_relations_are_named_by_their_verb(extractor: OfflineExtractor) -> None:
    extraction = say(
        extractor,
        ("Caroline", "I am researching adoption agencies and I adopted a cat from a shelter."),
    )
    assert ("Caroline", "RESEARCHES", "adoption agencies") in triples(extraction)
    assert ("Caroline", "ADOPTS_FROM", "shelter") in triples(extraction)


def test_a_governing_verb_or_adjective_names_the_pair(extractor: OfflineExtractor) -> None:
    extraction = say(extractor, ("Omar", "Ana is eager to learn Spanish. Ben plans to visit Oslo."))
    assert ("Ana", "IS_EAGER_TO_LEARN", "Spanish") in triples(extraction)
    assert ("Ben", "PLANS_TO_VISIT", "Oslo") in triples(extraction)


def test_used_to_ends_the_relation(extractor: OfflineExtractor) -> None:
    extraction = extractor.extract([Message(content="Bob used to work at Oracle.")])
    assert [(r.relationship, r.ends) for r in extraction.relations] == [("WORKS_AT", True)]


def test_every_relation_type_is_a_safe_identifier(extractor: OfflineExtractor) -> None:
    text = "Zoë ran 5k with Ü-Bahn fans; she'd've loved the 🎉 party at Café Noir!"
    for found in extractor.extract([Message(content=text, name="Ann")]).relations:
        assert found.relationship.replace("_", "").isalnum()
        assert found.relationship.isascii() and found.relationship.isupper()


@pytest.fixture
def memory(tmp_path: Path) -> Iterator[Memory]:
    config = GraphMemConfig(data_dir=tmp_path, embedder="hash", extractor="offline")
    with Memory(config) as memory:
        yield memory


def test_query_answers_from_a_conversation(memory: Memory) -> None:
    conversation = [
        {"role": "user", "name": "Maria", "content": "My sister Ana moved to Lisbon last May."},
        {"role": "user", "name": "Tom", "content": "Nice! I work at Siemens."},
        {"role": "user", "name": "Maria", "content": "Ana is married to Pedro Alves."},
    ]
    memory.add(conversation, user_id="u1", timestamp=SAID)
    assert top_answer(memory, "Where does Ana live?") == "Lisbon"
    assert top_answer(memory, "Where does Tom work?") == "Siemens"
    assert top_answer(memory, "Who is Ana married to?") == "Pedro Alves"
    assert top_answer(memory, "Who is Maria's sister?") == "Ana"


def top_answer(memory: Memory, question: str) -> str:
    answers = memory.query(question, user_id="u1")["answers"]
    assert answers, f"no answer to {question!r}"
    name: str = answers[0]["entity"]
    return name


def test_we_stands_for_the_speaker(extractor: OfflineExtractor) -> None:
    extraction = say(extractor, ("Priya", "We spent a week in Kyoto and then flew to Osaka."))
    assert ("Priya", "FLIES_TO", "Osaka") in triples(extraction)


def test_she_may_be_a_relative_named_after_the_speaker(extractor: OfflineExtractor) -> None:
    extraction = say(
        extractor,
        ("Grace", "My grandmother was born in Dublin in 1931."),
        ("Grace", "She married my grandfather, Patrick O'Neill, in 1955."),
    )
    born = relation(extraction, "Grace's grandmother", "BORN_IN", "Dublin")
    assert born.valid_from == date(1931, 1, 1)
    married = relation(extraction, "Grace's grandmother", "MARRIED_TO", "Patrick O'Neill")
    assert married.valid_from == date(1955, 1, 1)
    assert ("Patrick O'Neill", "GRANDFATHER_OF", "Grace") in triples(extraction)


def test_a_hypothetical_clause_states_nothing(extractor: OfflineExtractor) -> None:
    extraction = say(extractor, ("Omar", "Ana would move to Paris if she could."))
    assert triples(extraction) == set()
