"""Reading relations between neighbouring names of one sentence.

Only names that follow each other (no other name between them) are paired: what stands
between them must be a known phrasing (`patterns.py`), a role (`roles.py`) or a place
apposition ("Bethany, Conn."). A residence, base or location then extends along the
apposition: "of Bethany, Conn." places the person in both.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from graphmem.extraction.offline.lexicon import OFFICE_TITLES, ORGANIZATION_HEADS
from graphmem.extraction.offline.names import NameSpan
from graphmem.extraction.offline.patterns import (
    LOCATION,
    ORGANIZATION,
    PERSON,
    RelationPattern,
    match_patterns,
    normalize_between,
)
from graphmem.extraction.offline.roles import (
    is_office,
    is_role_word,
    match_prefixed_role,
    match_role_apposition,
)
from graphmem.extraction.offline.tokens import Token

_PLACE_CHAINED = frozenset({"LIVES_IN", "BASED_IN", "BORN_IN", "LOCATED_IN", "FROM"})


@dataclass(frozen=True)
class FoundRelation:
    """A relation between two names of a sentence."""

    source: NameSpan
    relation: str
    target: NameSpan
    ends: bool = False


def _fits(span: NameSpan, slot: str | None, weakest: int = 2) -> bool:
    """A slot fits a name unless the name has evidence (`weakest` or more) of another type."""
    return slot is None or span.strength < weakest or span.type == slot


def _from_pattern(
    pattern: RelationPattern, left: NameSpan, right: NameSpan
) -> FoundRelation | None:
    source, target = (right, left) if pattern.reverse else (left, right)
    if pattern.typed_source and not (source.type == pattern.source_type and source.strength):
        return None
    relation, target_slot = pattern.relation, pattern.target_type
    if pattern.for_organization and target.type == ORGANIZATION and target.strength:
        relation, target_slot = pattern.for_organization, ORGANIZATION
    if not (_fits(source, pattern.source_type) and _fits(target, target_slot)):
        return None
    if pattern.source_type:
        source.assign(pattern.source_type, 2)
    if target_slot:
        target.assign(target_slot, 2)
    return FoundRelation(source, relation, target, ends=pattern.ends)


def _from_role(left: NameSpan, right: NameSpan, between: str) -> list[FoundRelation]:
    """ "X, director of Y" (X works at Y) and "Y spokesman X" (X works at or lives in Y)."""
    found: list[FoundRelation] = []
    relations = match_role_apposition(between)
    # "Mayor of X" with nothing known about X could be a city or a body: no guess.
    unknown_office = right.strength == 0 and is_office(between)
    if relations and _fits(left, PERSON) and _fits(right, ORGANIZATION, 1) and not unknown_office:
        left.assign(PERSON, 2)
        right.assign(ORGANIZATION, 2)
        found.extend(FoundRelation(left, relation, right) for relation in relations)
    role = match_prefixed_role(between)
    if role and _fits(right, PERSON) and left.type != PERSON:
        is_place = left.type == LOCATION or (left.strength < 2 and role in OFFICE_TITLES)
        right.assign(PERSON, 2)
        if is_place:
            left.assign(LOCATION, 2)
            found.append(FoundRelation(right, "LIVES_IN", left))
        elif left.type == ORGANIZATION:
            found.append(FoundRelation(right, "WORKS_AT", left))
    return found


def _is_place_apposition(spans: list[NameSpan], index: int, between: str, after: str) -> bool:
    """ "Bethany, Conn." or "Tokyo, Japan": two places side by side, not a list of names."""
    left, right = spans[index], spans[index + 1]
    if between != "," or not (_fits(left, LOCATION) and _fits(right, LOCATION)):
        return False
    if not left.has_evidence or not right.has_evidence:
        return False
    # The outer place ends the phrase; "Morgan City, Chevron spokesman X" goes on.
    if after and not after.startswith((",", ".", ";", ":", ")", "(", "-", '"')):
        return False
    in_list = after.startswith(",") and index + 2 < len(spans)
    return left.type == LOCATION or (right.type == LOCATION and not in_list)


def _from_places(left: NameSpan, right: NameSpan, between: str) -> FoundRelation | None:
    """ "Palace of Fine Arts, in San Francisco" and "Beijing's Tiananmen Square"."""
    if between in {"in", ", in"} and right.type == LOCATION and right.strength >= 2:
        if left.type == ORGANIZATION and left.strength >= 2:
            return FoundRelation(left, "BASED_IN", right)
        if _fits(left, LOCATION) and left.has_evidence:
            left.assign(LOCATION, 2)
            return FoundRelation(left, "LOCATED_IN", right)
    if between in {"'s", ""} and left.type == LOCATION and left.strength >= 2:
        # "Algeria's Ettahadi party", "the U.S. Congress", "Beijing's Tiananmen Square"
        if right.type == ORGANIZATION and right.strength >= 2:
            return FoundRelation(right, "BASED_IN", left)
        if right.type == LOCATION and right.strength >= 3:
            return FoundRelation(right, "LOCATED_IN", left)
    return None


def _from_description(
    left: NameSpan, right: NameSpan, between: str, after: str
) -> FoundRelation | None:
    """ "Sun Hung Kai Properties, a Hong Kong construction firm" and "X, a Netherlands
    businessman": the place in a description locates the organisation or the person."""
    if between not in {", a", ", an", ", the"} or not _fits(right, LOCATION):
        return None
    words = after.split()[:3]
    nouns = [w.strip(",.;") for w in words if w.strip(",.;").isalpha() and w.islower()]
    if not nouns or len(nouns) < len(words[: len(nouns)]):
        return None
    head = next((n for n in nouns if n in ORGANIZATION_HEADS or is_role_word(n)), None)
    if head is None:
        return None
    if head in ORGANIZATION_HEADS and _fits(left, ORGANIZATION):
        left.assign(ORGANIZATION, 2)
        right.assign(LOCATION, 2)
        return FoundRelation(left, "BASED_IN", right)
    if head not in ORGANIZATION_HEADS and _fits(left, PERSON):
        left.assign(PERSON, 2)
        right.assign(LOCATION, 2)
        return FoundRelation(left, "LIVES_IN", right)
    return None


def find_relations(
    sentence: str, tokens: list[Token], spans: list[NameSpan]
) -> list[FoundRelation]:
    """All relations between neighbouring names of `sentence`, typing their ends on the way."""
    found: list[FoundRelation] = []
    appositions: list[tuple[NameSpan, NameSpan]] = []
    for index, (left, right) in enumerate(itertools.pairwise(spans)):
        between = normalize_between(sentence[tokens[left.last - 1].end : tokens[right.first].start])
        after = normalize_between(sentence[tokens[right.last - 1].end :])
        for pattern in match_patterns(between):
            relation = _from_pattern(pattern, left, right)
            if relation:
                found.append(relation)
        found.extend(_from_role(left, right, between))
        for extra in (
            _from_places(left, right, between),
            _from_description(left, right, between, after),
        ):
            if extra:
                found.append(extra)
        if _is_place_apposition(spans, index, between, after):
            left.assign(LOCATION, 2)
            right.assign(LOCATION, 2)
            found.append(FoundRelation(left, "LOCATED_IN", right))
            appositions.append((left, right))
    return found + _extend_along_appositions(found, appositions)


def _extend_along_appositions(
    found: list[FoundRelation], appositions: list[tuple[NameSpan, NameSpan]]
) -> list[FoundRelation]:
    """ "Andrew Hall of Miami, Fla.": Hall lives in Miami, hence also in Fla."""
    extra: list[FoundRelation] = []
    for relation in found:
        for inner, outer in appositions:
            if relation.target is inner and relation.relation in _PLACE_CHAINED:
                extra.append(FoundRelation(relation.source, relation.relation, outer))
    return extra
