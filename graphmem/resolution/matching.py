"""Match a candidate entity to the existing entity it names, with the evidence and its score.

Evidence is tried from strongest to weakest; the first kind that finds an entity wins:

1. `EXACT_KEY`: the candidate's name and an existing name share a `resolution_key`
   ("Acme, Inc." == "ACME inc" == "The Acme").
2. `ALIAS`: any of the candidate's names (name and aliases) shares a key with any of an
   entity's names, one of them an alias.
3. `INITIALISM`: one side is an acronym whose letters spell the other's initials
   ("USGS" / "United States Geological Survey"); only when exactly one entity fits.
4. `PERSON_NAME`: both are `Person`s with the same surname and compatible given names or
   initials ("Schneider" / "Wilfried Schneider", "J. H. Dearle" / "John Henry Dearle");
   only when exactly one entity fits, so "Adams" beside John and Samuel Adams stays alone,
   and a full name never joins a bare surname.
5. `FUZZY`: rapidfuzz `token_sort_ratio` of the keys at least `FUZZY_MIN`, for long names
   only, not when a differing word is short, not between a name and its demonym
   ("Jonathan Livingston" / "Jonathon Livingston" merge; "Joan" / "John Smithson" and
   "South Korea" / "South Korean" do not).
6. `VECTOR`: cosine of given name vectors at least `VECTOR_MIN`, for long names only.

Every kind requires compatible types (equal, or one side the generic `Entity`). Kinds 3-6
are inexact, so they also require equal identifier signatures ("SR-2023-052" never meets
"SR-2023-053", "Windows 10" never "Windows 11"); 4-6 never apply to acronyms; 5-6 never
to short names. The thresholds are module constants, gathered in `ResolutionPolicy`, and
were chosen on the first 250 documents of Re-DocRED dev only (bench/entity_resolution.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

from rapidfuzz import fuzz

from graphmem.models.naming import DEFAULT_ENTITY_TYPE
from graphmem.resolution.aliases import initials_match
from graphmem.resolution.keys import (
    GENERATIONAL_SUFFIXES,
    identifier_signature,
    is_acronym,
    name_tokens,
    resolution_key,
)

# Fuzzy evidence: rapidfuzz token_sort_ratio (0-100) of two resolution keys. 92 lets one
# or two typos through in a two-word name ("Jonathon"/"Jonathan" Livingston: 94.7) but
# not a changed first name ("Joan"/"John" Smith: 90.0).
FUZZY_MIN = 92.0
# Vector evidence: cosine of two name vectors. Set for lexical (hash) vectors, where 0.9
# only joins spellings of one name; semantic embedders may want it lower.
VECTOR_MIN = 0.9
# A name is short, and never merged on fuzzy or vector evidence alone, when its key has
# fewer than MIN_FUZZY_CHARS characters, or is one word of fewer than
# MIN_SINGLE_WORD_CHARS: "Al" / "Ali", "Goght" / "Goghot" differ in one letter and are
# as likely two things as one.
MIN_FUZZY_CHARS = 8
MIN_SINGLE_WORD_CHARS = 10
# When two names have the same number of words, every word that differs must have at
# least this many characters in both: "Joan" / "John" Smithson is a different person,
# "Jonathon" / "Jonathan" a typo.
MIN_FUZZY_WORD_CHARS = 5
# Names written as acronyms of up to this many letters ("IBM", "U.S.") match only by
# key, alias or initialism: one letter changes the thing ("NBA" / "NBL").
MAX_ACRONYM_LETTERS = 5
# Initialism evidence needs at least this many letters ("US" is as ambiguous as useful,
# but the uniqueness rule still applies).
MIN_INITIALISM_LETTERS = 2
# A surname used alone must have at least this many characters to stand for a person.
MIN_SURNAME_CHARS = 3
PERSON_TYPE = "Person"
# Fuzzy evidence never joins a name to the same name plus one of these endings: that is
# a demonym or adjective ("South Korea" / "South Korean", "East Prussia" / "East
# Prussian"), a different thing for the graph, though only one edit away.
DEMONYM_ENDINGS = ("n", "an", "ian", "i", "ese", "ish")


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
class ResolutionPolicy:
    """Which evidence counts, and its thresholds; the defaults are the module constants.

    Example:
        >>> strict = ResolutionPolicy(fuzzy_min=96.0, person_names=False)
    """

    fuzzy_min: float = FUZZY_MIN
    vector_min: float = VECTOR_MIN
    min_fuzzy_chars: int = MIN_FUZZY_CHARS
    min_single_word_chars: int = MIN_SINGLE_WORD_CHARS
    min_fuzzy_word_chars: int = MIN_FUZZY_WORD_CHARS
    min_initialism_letters: int = MIN_INITIALISM_LETTERS
    min_surname_chars: int = MIN_SURNAME_CHARS
    initialisms: bool = True
    person_names: bool = True
    fuzzy: bool = True


DEFAULT_POLICY = ResolutionPolicy()


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
    signature: tuple[str, ...]
    acronym: bool
    words: tuple[str, ...]


@lru_cache(maxsize=131072)
def _analyse(text: str) -> _Name:
    return _Name(
        text=text,
        key=resolution_key(text),
        signature=identifier_signature(text),
        acronym=is_acronym(text, max_letters=MAX_ACRONYM_LETTERS),
        words=name_tokens(text),
    )


def types_compatible(a: str, b: str) -> bool:
    """Equal types, or either the generic `Entity`: a film "Romance" is not the genre."""
    return a == b or DEFAULT_ENTITY_TYPE in (a, b)


def is_short(key: str, policy: ResolutionPolicy = DEFAULT_POLICY) -> bool:
    """Whether a key is too short to merge on fuzzy or vector evidence alone.

    Example:
        >>> is_short("ali"), is_short("jonathan livingston")
        (True, False)
    """
    if len(key) < policy.min_fuzzy_chars:
        return True
    return " " not in key and len(key) < policy.min_single_word_chars


def person_names_compatible(a: Sequence[str], b: Sequence[str], min_surname: int = 3) -> bool:
    """Same surname, and given names that agree where both have them (initials count).

    Args:
        a: Words of one name (as `keys.name_tokens` gives them).
        b: Words of the other.
        min_surname: Shortest surname accepted.

    Example:
        >>> person_names_compatible(("j", "h", "dearle"), ("john", "henry", "dearle"))
        True
        >>> person_names_compatible(("jane", "smith"), ("john", "smith"))
        False
    """
    a, b = _person_words(a), _person_words(b)
    if not a or not b or a[-1] != b[-1] or len(a[-1]) < min_surname or a[-1].isdigit():
        return False
    shorter, longer = sorted((a[:-1], b[:-1]), key=len)
    remaining = iter(longer)
    return all(any(_given_names_agree(s, g) for g in remaining) for s in shorter)


def _person_words(words: Sequence[str]) -> tuple[str, ...]:
    kept = tuple(words)
    while len(kept) > 1 and kept[-1] in GENERATIONAL_SUFFIXES:
        kept = kept[:-1]
    return kept


def _given_names_agree(a: str, b: str) -> bool:
    if a == b:
        return True
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


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


def _exact(cand: list[_Name], names: list[_Name]) -> tuple[Evidence, float, str] | None:
    """Key equality: name to name is EXACT_KEY, anything involving an alias is ALIAS."""
    if cand[0].key and cand[0].key == names[0].key:
        return Evidence.EXACT_KEY, 1.0, names[0].text
    keys = {c.key for c in cand if c.key}
    for name in names:
        if name.key in keys:
            return Evidence.ALIAS, 1.0, name.text
    return None


def _initialism(
    cand: list[_Name], names: list[_Name], policy: ResolutionPolicy
) -> tuple[Evidence, float, str] | None:
    for c in cand:
        for n in names:
            if c.signature != n.signature or c.acronym == n.acronym:
                continue
            short, long = (c, n) if c.acronym else (n, c)
            letters = sum(ch.isalpha() for ch in short.text)
            if letters >= policy.min_initialism_letters and initials_match(short.text, long.text):
                return Evidence.INITIALISM, 1.0, n.text
    return None


def _person(
    cand: list[_Name], names: list[_Name], policy: ResolutionPolicy
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
    if len(_person_words(first.words)) > 1 and all(len(_person_words(n.words)) < 2 for n in people):
        return None
    if all(person_names_compatible(first.words, n.words, policy.min_surname_chars) for n in people):
        return Evidence.PERSON_NAME, 1.0, people[0].text
    return None


def _fuzzy(
    cand: list[_Name], names: list[_Name], policy: ResolutionPolicy
) -> tuple[Evidence, float, str] | None:
    best: tuple[Evidence, float, str] | None = None
    for c in cand:
        if c.acronym or is_short(c.key, policy):
            continue
        for n in names:
            if n.acronym or n.signature != c.signature or is_short(n.key, policy):
                continue
            if _is_derived_form(c.key, n.key) or _short_word_differs(c.key, n.key, policy):
                continue
            score = fuzz.token_sort_ratio(c.key, n.key) / 100.0
            if score * 100.0 >= policy.fuzzy_min and (best is None or score > best[1]):
                best = (Evidence.FUZZY, score, n.text)
    return best


def _vector(
    cand: list[_Name], names: list[_Name], vectors: NameVectors, policy: ResolutionPolicy
) -> tuple[Evidence, float, str] | None:
    best: tuple[Evidence, float, str] | None = None
    for c in cand:
        if c.acronym or is_short(c.key, policy) or c.text not in vectors:
            continue
        for n in names:
            if n.acronym or n.signature != c.signature or is_short(n.key, policy):
                continue
            if n.text not in vectors:
                continue
            score = _cosine(vectors[c.text], vectors[n.text])
            if score >= policy.vector_min and (best is None or score > best[1]):
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
    found = _exact(cand, names)
    if found is None and policy.initialisms:
        found = _initialism(cand, names, policy)
    both_people = candidate.type == PERSON_TYPE == entity.type
    if found is None and policy.person_names and both_people:
        found = _person(cand, names, policy)
    if found is None and policy.fuzzy:
        found = _fuzzy(cand, names, policy)
    if found is None and vectors is not None:
        found = _vector(cand, names, vectors, policy)
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
