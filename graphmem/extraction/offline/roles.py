"""Roles between names: "X, director of Y", "X is the CEO of Y", "Chevron spokesman X".

A role is recognised by its head noun, not by a job list: an agent noun ("director",
"spokesman", "economist"), an office title, or one of a few role words agent endings miss.

Choice: every employment role yields WORKS_AT, so "who works where" has one relation type
to query; a CEO also yields CEO_OF, and a founder yields only FOUNDED (founding is not
employment). A role before a name ("Illinois Gov. X", "Atlanta businessman X") places
the person: WORKS_AT an organisation, LIVES_IN a place.
"""

from __future__ import annotations

import re

from graphmem.extraction.offline.lexicon import (
    AGENT_SUFFIXES,
    FAMILY_WORDS,
    NOT_AGENTS,
    OFFICE_TITLES,
)

ROLE_WORDS = frozenset(
    """
    ceo cto cfo coo cio vp head chief chair staff employee intern analyst founder cofounder
    co-founder partner owner boss executive engineer scientist consultant nurse chef clerk pilot
    surgeon cook coach fellow architect mechanic barista associate lead principal dean
    """.split()
)
_NOT_ROLES = FAMILY_WORDS | frozenset(
    "native resident citizen capital part city town one home friend fan student".split()
)
_MODIFIERS = frozenset(
    "a an the its his her their former then now longtime senior junior vice deputy assistant "
    "acting new current".split()
)
_APPOSITION = re.compile(
    r"(?:(?:,|is|was|who|now|as|became|has been|had been)\s*)*"
    r"(?P<role>(?:[a-z0-9][a-z0-9.-]*\s+){1,5}?)(?:at|of|for|with)(?:\s+the)?"
)
_PREFIXED = re.compile(r"(?:'s\s+)?(?P<role>[a-z][a-z.-]*(?:\s+[a-z][a-z.-]*)?)\s*,?")


def is_role_word(word: str) -> bool:
    """Whether `word` names a job or office ("director", "spokesman", "gov.", "ceo")."""
    word = word.rstrip(".")
    if word in _NOT_ROLES:
        return False
    if word in ROLE_WORDS or word in OFFICE_TITLES:
        return True
    return len(word) > 3 and word.endswith(AGENT_SUFFIXES) and word not in NOT_AGENTS


def role_relations(role_words: list[str]) -> list[str]:
    """The relation types a role implies: founder -> FOUNDED, CEO -> CEO_OF and WORKS_AT."""
    if {"founder", "cofounder", "co-founder"} & set(role_words):
        return ["FOUNDED"]
    if "ceo" in role_words or {"chief", "executive"} <= set(role_words):
        return ["CEO_OF", "WORKS_AT"]
    return ["WORKS_AT"]


def match_role_apposition(between: str) -> list[str]:
    """Relations for "X, <role> of/at/for/with Y" and "X is the <role> of Y"; [] if none.

    Example:
        >>> match_role_apposition(", director of the")
        ['WORKS_AT']
    """
    match = _APPOSITION.fullmatch(between)
    if not match:
        return []
    words = [word for word in match.group("role").split() if word not in _MODIFIERS]
    if not words or len(words) > 3 or any(word.rstrip(".") in _NOT_ROLES for word in words):
        return []
    # The role is the head of its noun phrase, so it comes last: "metals economist with".
    if not is_role_word(words[-1]):
        return []
    return role_relations(words)


def is_office(between: str) -> bool:
    """Whether a matched role is a public office ("mayor of", "governor of")."""
    match = _APPOSITION.fullmatch(between)
    words = match.group("role").split() if match else []
    return bool(words) and words[-1].rstrip(".") in OFFICE_TITLES


def match_prefixed_role(between: str) -> str | None:
    """The role word in "Y <role> X" ("Chevron spokesman", "Illinois Gov."), or None."""
    match = _PREFIXED.fullmatch(between)
    if not match:
        return None
    words = [word for word in match.group("role").split() if word not in _MODIFIERS]
    if not words or not is_role_word(words[-1]):
        return None
    return words[-1].rstrip(".")
