"""aliases_in_text: aliases stated in plain English."""

from __future__ import annotations

import pytest

from graphmem.resolution.aliases import aliases_in_text, initials_match


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Robert Zimmerman, also known as Bob Dylan, sang.", ("Robert Zimmerman", "Bob Dylan")),
        ("X Corp (aka Twitter) changed.", ("X Corp", "Twitter")),
        ("Acme Corp, a.k.a. Acme, grew.", ("Acme Corp", "Acme")),
        ("Meta Platforms (formerly Facebook) said so.", ("Meta Platforms", "Facebook")),
        (
            "Stefani Germanotta, better known as Lady Gaga, sang.",
            ("Stefani Germanotta", "Lady Gaga"),
        ),
        ('Bruce Springsteen, nicknamed "The Boss", played.', ("Bruce Springsteen", "The Boss")),
    ],
)
def test_also_known_as_phrasings_give_name_then_alias(text: str, pair: tuple[str, str]) -> None:
    assert aliases_in_text(text) == [pair]


def test_now_called_puts_the_current_name_first() -> None:
    assert aliases_in_text("Datsun, now called Nissan, sold cars.") == [("Nissan", "Datsun")]


def test_acronym_in_brackets_after_its_long_form_is_an_alias() -> None:
    text = "Yesterday the United States Geological Survey (USGS) said so."
    assert aliases_in_text(text) == [("United States Geological Survey", "USGS")]


def test_brackets_that_do_not_spell_the_initials_are_not_aliases() -> None:
    assert aliases_in_text("Sarah Chen (CEO) spoke.") == []


def test_a_birth_date_is_not_an_alias() -> None:
    assert aliases_in_text("John Smith, born 1950, said so.") == []


def test_text_without_alias_phrases_gives_nothing() -> None:
    assert aliases_in_text("Sarah works at Google.") == []


def test_initials_may_skip_small_words() -> None:
    assert initials_match("CPC", "Communist Party of China")
    assert not initials_match("CPC", "Chinese Communist Party")
