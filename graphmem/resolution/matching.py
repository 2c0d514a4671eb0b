"""Match a candidate entity to the existing entity it names, with the evidence and its score.

Evidence is tried from strongest to weakest; the first kind that finds an entity wins:

1. `EXACT_KEY`: the candidate's name and an existing name share a `resolution_key`
   ("Acme, Inc." == "ACME inc" == "the Acme"; not "The Butterfly" / "Butterfly").
2. `ALIAS`: any of the candidate's names (name and aliases) shares a key with any of an
   entity's names, one of them an alias.
3. `INITIALISM`: one side is an acronym whose letters spell the other's initials
   ("USGS" / "United States Geological Survey"); only when exactly one entity fits.
4. `PERSON_NAME`: both are `Person`s with the same surname and given names that agree
   one for one, initials included ("J. H. Dearle" / "John Henry Dearle"), or one of them
   a bare surname ("Schneider" / "Wilfried Schneider"); only when exactly one entity
   fits, so "Adams" beside John and Samuel Adams stays alone, and a full name never joins
   a bare surname. A middle name or initial only one side has is not evidence
   ("Raymond J. Barry" is neither "Jason Barry" nor "Raymond Barry"; see `people`).
5. `FUZZY`: rapidfuzz `token_sort_ratio` of the keys at least `FUZZY_MIN`, for long names
   only, not when a differing word is short, not between a name and its demonym
   ("Jonathan Livingston" / "Jonathon Livingston" merge; "Joan" / "John Smithson" and
   "South Korea" / "South Korean" do not).
6. `VECTOR`: cosine of given name vectors at least `VECTOR_MIN`, for long names only.

Every kind requires compatible types (equal, or one side the generic `Entity`), and names
compared for kinds 1, 2, 5 and 6 must not have a casing conflict that their types do not
bridge (`models.identity`: the untyped "thief" is not "Thief"; two Persons "alice" and
"Alice" are one). Kinds 3-6 are inexact, so they also require equal identifier
signatures ("SR-2023-052" never meets "SR-2023-053", "Windows 10" never "Windows 11");
4-6 never apply to acronyms; 5-6 never to short names, nor to names that differ only in
a leading article ("A Little Princess" / "The Little Princess"), nor, when either side
is a Person, to given names that say two people (`people.given_names_conflict`:
"Michael G." / "Michael J. Wilson", "Frank" / "Frankie Thomas", "Morgan J." / "Morgan
Freeman"). The thresholds are the constants of `policy`, gathered in `ResolutionPolicy`, and
were chosen on the first 250 documents of Re-DocRED dev only
(bench/entity_resolution.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

from rapidfuzz import fuzz

from graphmem.models.identity import casing_conflicts, types_compatible
from graphmem.models.naming import DEFAULT_ENTITY_TYPE
from graphmem.resolution.aliases import initials_match
from graphmem.resolution.keys import (
    differ_by_article,
    identifier_signature,
    is_acronym,
    resolution_key,
    starts_with_noise_article,
    without_leading_the,
)
from graphmem.resolution.people import (
    given_names_conflict,
    person_name_words,
    person_names_compatible,
)
from graphmem.resolution.policy import (
    ARTICLE_OPTIONAL_TYPES,
    DEFAULT_POLICY,
    DEMONYM_ENDINGS,
    FUZZY_MIN,
    MAX_ACRONYM_LETTERS,
    PERSON_TYPE,
    VECTOR_MIN,
    ResolutionPolicy,
    is_short,
)

__all__ = [
    "DEFAULT_POLICY",
    "FUZZY_MIN",
    "VECTOR_MIN",
    "Evidence",
    "Match",
    "NameVectors",
    "NamedEntity",
    "ResolutionPolicy",
    "is_short",
    "match_entity",
    "types_compatible",
]


class NamedEntity(Protocol):
    """What matching reads from an entity: `models.Entity` and `EntityDraft` both fit."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def aliases(self) -> Sequence[str]: ...


E = TypeVar("E", bound=NamedEntity)
NameVectors = Mapping[str, Sequence[float]]


class Evidence(StrEnum):
    """Why a candidate was matched, strongest first."""

    EXACT_KEY = "exact_key"
    ALIAS = "alias"
    INITIALISM = "initialism"
    PERSON_NAME = "person_name"
    FUZZY = "fuzzy"
    VECTOR = "vector"


_RANK = {evidence: rank for rank, evidence in enumerate(Evidence)}
_UNIQUE_ONLY = frozenset({Evidence.INITIALISM, Evidence.PERSON_NAME})


@dataclass(frozen=True)
class Match(Generic[E]):
    """The existing entity a candidate names, by which evidence, with which score (0-1).

    `matched_name` is the existing entity's name or alias that the evidence came from.
    """

    entity: E
    index: int
    evidence: Evidence
    score: float
    matched_name: str


@dataclass(frozen=True)
class _Name:
    """One name, analysed once."""

    text: str
    key: str
    bare_key: str
    """The key without a leading "the" (the key itself when it has none)."""
    noise_article: bool
    """The name starts with a lower-case "the" before a proper name ("the Colts")."""
    signature: tuple[str, ...]
    acronym: bool
    person: tuple[str, ...]
    """Its words read as a personal name (`people.person_name_words`)."""


@lru_cache(maxsize=131072)
def _analyse(text: str) -> _Name:
    key = resolution_key(text)
    return _Name(
        text=text,
        key=key,
        bare_key=without_leading_the(key),
        noise_article=starts_with_noise_article(text),
        signature=identifier_signature(text),
        acronym=is_acronym(text, max_letters=MAX_ACRONYM_LETTERS),
        person=person_name_words(text),
    )


def _is_derived_form(a: str, b: str) -> bool:
    """Whether one key is the other plus a demonym ending ("south korea" + "n")."""
    shorter, longer = sorted((a, b), key=len)
    return longer.startswith(shorter) and longer[len(shorter) :] in DEMONYM_ENDINGS


def _short_word_differs(a: str, b: str, policy: ResolutionPolicy) -> bool:
    """Whether two keys of as many words differ in a word too short to hold a typo."""
    words_a, words_b = sorted(a.split()), sorted(b.split())
    if len(words_a) != len(words_b):
        return False
    return any(
        min(len(x), len(y)) < policy.min_fuzzy_word_chars
        for x, y in zip(words_a, words_b, strict=True)
        if x != y
    )


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _names(entity: NamedEntity) -> list[_Name]:
    return [_analyse(text) for text in (entity.name, *entity.aliases) if text.strip()]


@dataclass(frozen=True)
class _Pairing:
    """How one candidate is compared with one entity: the policy, and what their types
    allow. `bridged`: both have one specific type, which bridges a casing conflict
    ("alice" / "Alice", two Persons); `people`: either is a Person, so given names that
    say two people veto inexact evidence; `articles_optional`: their specific type is in
    `ARTICLE_OPTIONAL_TYPES`, so a leading "the" does not count."""

    policy: ResolutionPolicy
    bridged: bool
    people: bool
    articles_optional: bool

    def same_key(self, a: _Name, b: _Name) -> bool:
        """Whether two names share a key, a leading article aside where it is optional."""
        if a.key == b.key:
            return True
        if self.articles_optional:
            return a.bare_key == b.bare_key
        return (a.noise_article and a.key == b.bare_key) or (
            b.noise_article and b.key == a.bare_key
        )

    def alike(self, a: _Name, b: _Name) -> bool:
        """Whether two names may be compared at all: no unbridged casing conflict."""
        return self.bridged or not casing_conflicts(a.text, b.text)

    def inexact(self, a: _Name, b: _Name) -> bool:
        """Whether two names may be merged on likeness (fuzzy or vector evidence)."""
        policy = self.policy
        if a.acronym or b.acronym or a.signature != b.signature or not self.alike(a, b):
            return False
        if is_short(a.key, policy) or is_short(b.key, policy) or differ_by_article(a.key, b.key):
            return False
        return not (self.people and given_names_conflict(a.person, b.person))


def _exact(
    cand: list[_Name], names: list[_Name], pairing: _Pairing
) -> tuple[Evidence, float, str] | None:
    """Key equality: name to name is EXACT_KEY, anything involving an alias is ALIAS."""
    first, own = cand[0], names[0]
    if first.key and pairing.same_key(first, own) and pairing.alike(first, own):
        return Evidence.EXACT_KEY, 1.0, own.text
    for name in names:
        if any(c.key and pairing.same_key(c, name) and pairing.alike(c, name) for c in cand):
            return Evidence.ALIAS, 1.0, name.text
    return None


def _initialism(
    cand: list[_Name], names: list[_Name], pairing: _Pairing
) -> tuple[Evidence, float, str] | None:
    for c in cand:
        for n in names:
            if c.signature != n.signature or c.acronym == n.acronym:
                continue
            short, long = (c, n) if c.acronym else (n, c)
            letters = sum(ch.isalpha() for ch in short.text)
            if letters >= pairing.policy.min_initialism_letters and initials_match(
                short.text, long.text
            ):
                return Evidence.INITIALISM, 1.0, n.text
    return None


def _person(
    cand: list[_Name], names: list[_Name], pairing: _Pairing
) -> tuple[Evidence, float, str] | None:
    """Compatible with every person-like name the entity has, not just one of them, so a
    cluster {"Adams", "John Adams"} does not take in "Samuel Adams"; and a full name never
    joins an entity known only by a bare surname ("Hélène Desmarais" is not "Desmarais",
    who may be any Desmarais), while a bare surname may join one full name."""
    first = cand[0]
    if first.acronym:
        return None
    people = [n for n in names if not n.acronym]
    if not people or any(n.signature != first.signature for n in people):
        return None
    if len(first.person) > 1 and all(len(n.person) < 2 for n in people):
        return None
    min_surname = pairing.policy.min_surname_chars
    if all(person_names_compatible(first.person, n.person, min_surname) for n in people):
        return Evidence.PERSON_NAME, 1.0, people[0].text
    return None


def _fuzzy(
    cand: list[_Name], names: list[_Name], pairing: _Pairing
) -> tuple[Evidence, float, str] | None:
    policy = pairing.policy
    best: tuple[Evidence, float, str] | None = None
    for c in cand:
        for n in names:
            if not pairing.inexact(c, n):
                continue
            if _is_derived_form(c.key, n.key) or _short_word_differs(c.key, n.key, policy):
                continue
            score = fuzz.token_sort_ratio(c.key, n.key) / 100.0
            if score * 100.0 >= policy.fuzzy_min and (best is None or score > best[1]):
                best = (Evidence.FUZZY, score, n.text)
    return best


def _vector(
    cand: list[_Name], names: list[_Name], vectors: NameVectors, pairing: _Pairing
) -> tuple[Evidence, float, str] | None:
    best: tuple[Evidence, float, str] | None = None
    for c in cand:
        for n in names:
            if c.text not in vectors or n.text not in vectors or not pairing.inexact(c, n):
                continue
            score = _cosine(vectors[c.text], vectors[n.text])
            if score >= pairing.policy.vector_min and (best is None or score > best[1]):
                best = (Evidence.VECTOR, score, n.text)
    return best


def _evidence(
    candidate: NamedEntity,
    cand: list[_Name],
    entity: NamedEntity,
    vectors: NameVectors | None,
    policy: ResolutionPolicy,
) -> tuple[Evidence, float, str] | None:
    """The strongest evidence that `candidate` names `entity`, if any."""
    names = _names(entity)
    if not names or not types_compatible(candidate.type, entity.type):
        return None
    specific = {candidate.type, entity.type} - {DEFAULT_ENTITY_TYPE}
    pairing = _Pairing(
        policy,
        bridged=candidate.type == entity.type != DEFAULT_ENTITY_TYPE,
        people=PERSON_TYPE in specific,
        articles_optional=bool(specific) and specific <= ARTICLE_OPTIONAL_TYPES,
    )
    found = _exact(cand, names, pairing)
    if found is None and policy.initialisms:
        found = _initialism(cand, names, pairing)
    both_people = candidate.type == PERSON_TYPE == entity.type
    if found is None and policy.person_names and both_people:
        found = _person(cand, names, pairing)
    if found is None and policy.fuzzy:
        found = _fuzzy(cand, names, pairing)
    if found is None and vectors is not None:
        found = _vector(cand, names, vectors, pairing)
    return found


def match_entity(
    candidate: NamedEntity,
    existing: Sequence[E],
    *,
    name_vectors: NameVectors | None = None,
    policy: ResolutionPolicy = DEFAULT_POLICY,
) -> Match[E] | None:
    """The existing entity that `candidate` names, or None when it is a new thing.

    The strongest kind of evidence wins (see the module docstring); within one kind, the
    higher score, then an entity of the same type over a generic one, then the earlier
    entity. INITIALISM and PERSON_NAME count only when exactly one entity fits them: when
    two fit, the candidate is ambiguous and only weaker evidence may still place it.

    Args:
        candidate: The entity being added: an `EntityDraft` or anything with `name`,
            `type` and `aliases`.
        existing: The entities of the same scope it may name, e.g. `models.Entity`s.
        name_vectors: Optional vectors by display name (candidate's and existing names);
            without them there is no VECTOR evidence.
        policy: Thresholds and switches; the module constants by default.

    Returns:
        The chosen entity with its index in `existing`, evidence, score and matched name.

    Example:
        >>> from graphmem.models.extraction import EntityDraft
        >>> known = [EntityDraft(name="Acme Inc.", type="Organization")]
        >>> match = match_entity(EntityDraft(name="ACME", type="Organization"), known)
        >>> match.evidence, match.index
        (<Evidence.EXACT_KEY: 'exact_key'>, 0)
    """
    cand = _names(candidate)
    if not cand:
        return None
    hits: list[Match[E]] = []
    for index, entity in enumerate(existing):
        found = _evidence(candidate, cand, entity, name_vectors, policy)
        if found is not None:
            hits.append(Match(entity, index, *found))
    for evidence in Evidence:
        tier = [hit for hit in hits if hit.evidence is evidence]
        if not tier or (evidence in _UNIQUE_ONLY and len(tier) > 1):
            continue
        return min(
            tier,
            key=lambda hit: (-hit.score, hit.entity.type != candidate.type, hit.index),
        )
    return None
