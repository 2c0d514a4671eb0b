"""An untyped end is judged by the role its last hop gives it, read from the type's name."""

from __future__ import annotations

import pytest

from graphmem.retrieval.roles import RoleAnswers, is_person_role, role_noun


@pytest.mark.parametrize(
    ("relation_type", "person"),
    [
        ("DIRECTED_BY", True),  # a passive: its target is the agent, a director
        ("STARRED_ACTORS", True),
        ("CHILDREN", True),
        ("CEO_OF", True),
        ("HAS_GENRE", False),
        ("RELEASE_YEAR", False),
        ("PLACE_OF_BIRTH", False),
        ("WORKS_AT", False),  # a verb: its target is not named
    ],
)
def test_a_type_name_says_whether_its_target_is_a_person(relation_type: str, person: bool) -> None:
    assert is_person_role(relation_type) is person


def test_the_role_noun_is_the_head_of_the_name() -> None:
    assert role_noun("PLACE_OF_BIRTH") == "place"
    assert role_noun("LANGUAGES_SPOKEN") == "languages"
    assert role_noun("LIVES_IN") is None


def test_who_wants_a_person_role_and_which_films_does_not() -> None:
    who, films, genres = RoleAnswers(["person"]), RoleAnswers(["films"]), RoleAnswers(["genres"])
    assert who.term("DIRECTED_BY", forward=True) == 1.0
    assert who.term("RELEASE_YEAR", forward=True) == -1.0
    assert films.term("DIRECTED_BY", forward=True) == -1.0
    assert films.term("DIRECTED_BY", forward=False) == 0.0  # a source: names do not say
    assert genres.term("HAS_GENRE", forward=True) == 1.0
    assert RoleAnswers([]).term("DIRECTED_BY", forward=True) == 0.0
