"""When two names that share a key may still name two things: their types and their casing.

An entity key (`naming.entity_key`) folds case, so "Thief" and "thief" share one; the key
finds candidates, these rules decide whether a shared key is a shared thing:

- Types must be compatible: equal, or one of them the generic `Entity` (a film "Romance"
  is not the genre "Romance").
- A name written in lower case only ("thief", a tag or a common noun) and one with a
  capital ("Thief", a title or a proper name) are different words, not two spellings of
  one: a shared key joins them only when both carry the same specific type ("alice" and
  "Alice", both `Person`, are one person typed carelessly). The generic `Entity` never
  bridges that gap, since it says nothing about which kind of word was meant.

`referent` applies the same idea to a relation end, which is a bare name: which of a
record's entities it names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from graphmem.models.naming import DEFAULT_ENTITY_TYPE, entity_key


def types_compatible(a: str, b: str) -> bool:
    """Equal types, or either the generic `Entity`: a film "Romance" is not the genre.

    Example:
        >>> types_compatible("Movie", "Entity"), types_compatible("Movie", "Genre")
        (True, False)
    """
    return a == b or DEFAULT_ENTITY_TYPE in (a, b)


@lru_cache(maxsize=262144)
def _lower_case_only(name: str) -> bool:
    return any(ch.islower() for ch in name) and not any(ch.isupper() for ch in name)


def casing_conflicts(a: str, b: str) -> bool:
    """Whether one name is written in lower case only and the other with a capital.

    Names without cased letters ("1981", "東京") and names that both have capitals
    ("ACME" / "Acme") never conflict.

    Example:
        >>> casing_conflicts("thief", "Thief"), casing_conflicts("ACME", "Acme")
        (True, False)
    """
    lower_a, lower_b = _lower_case_only(a), _lower_case_only(b)
    if lower_a == lower_b:
        return False
    other = b if lower_a else a
    return any(ch.isupper() for ch in other)


def may_be_one_thing(name_a: str, type_a: str, name_b: str, type_b: str) -> bool:
    """Whether two names with one key may name one thing, given their types.

    Args:
        name_a: One name as written.
        type_a: Its PascalCase type (`Entity` when unknown).
        name_b: The other name as written.
        type_b: Its type.

    Returns:
        False for incompatible types, and for a casing conflict unless both sides have
        the same specific type.

    Example:
        >>> may_be_one_thing("alice", "Person", "Alice", "Person")
        True
        >>> may_be_one_thing("thief", "Entity", "Thief", "Entity")
        False
        >>> may_be_one_thing("thief", "Tag", "Thief", "Movie")
        False
    """
    if not types_compatible(type_a, type_b):
        return False
    if not casing_conflicts(name_a, name_b):
        return True
    return type_a == type_b != DEFAULT_ENTITY_TYPE


def referent(
    name: str,
    entities: Sequence[tuple[str, str]],
    avoid: int | None = None,
    listed: int | None = None,
) -> int | None:
    """The index of the `(name, type)` entity that a relation end called `name` names.

    Preference, each tier only when the ones before it found nothing: entities written
    exactly as `name`; entities of its key written in the same case style; entities of
    its key that the record listed itself (a record listing "alice" or "Google" means
    them by "Alice" or "google"; only entities made up from relation ends, which say
    nothing but their name, are told apart by casing). Within a tier the first wins, but
    not `avoid` when another fits: a relation joins two things, so a target that could be
    the source's entity or another one is the other ("Antwone Fisher" the film, written
    by "Antwone Fisher" the person).

    Args:
        name: The relation end, a cleaned name.
        entities: The record's entities as `(name, type)`, in order.
        avoid: The index the relation's other end already took, if any.
        listed: How many leading `entities` the record listed; None: all of them.

    Returns:
        An index into `entities`, or None when no entity of that key fits.

    Example:
        >>> referent("airport", [("Airport", "Movie"), ("airport", "Tag")])
        1
        >>> referent("Alice", [("alice", "Person")])
        0
        >>> print(referent("Thief", [("thief", "Entity")], listed=0))
        None
    """
    exact = [i for i, (other, _) in enumerate(entities) if other == name]
    if exact:  # the first tier: a name written exactly so has its key, no need to fold it
        return _first_but(exact, avoid)
    key = entity_key(name)
    same_key = [i for i, (other, _) in enumerate(entities) if entity_key(other) == key]
    tiers: tuple[Callable[[int], bool], ...] = (
        lambda i: not casing_conflicts(entities[i][0], name),
        lambda i: listed is None or i < listed,
    )
    for fits in tiers:
        tier = [i for i in same_key if fits(i)]
        if tier:
            return _first_but(tier, avoid)
    return None


def _first_but(tier: list[int], avoid: int | None) -> int:
    """The tier's first index other than `avoid`, else `avoid` itself (the only one)."""
    return next((i for i in tier if i != avoid), tier[0])
