"""Word forms: lemmas, derivations and compounds meet the words of relation types."""

from __future__ import annotations

import pytest

from graphmem.retrieval.wordforms import word_forms


@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("wrote", "write"),
        ("written", "write"),
        ("starred", "star"),
        ("co-starred", "star"),
        ("directors", "direct"),
        ("screenwriters", "write"),
        ("acted", "act"),
        ("actors", "act"),
        ("languages", "languag"),
    ],
)
def test_a_word_meets_the_stem_of_its_lemma_or_source_verb(word: str, form: str) -> None:
    assert form in word_forms(word)


def test_a_word_does_not_match_a_word_hidden_inside_it() -> None:
    assert "rector" not in word_forms("director")
    assert "age" not in word_forms("language")
