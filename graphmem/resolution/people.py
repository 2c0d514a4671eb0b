"""Personal names: when two names may be one person, and when they are surely two.

Names are read by `person_name_words` ("Raymond J. Barry" -> `("raymond", "j",
"barry")`): the last word is the surname, with the particles before it ("De Masi", "de la
Rocha") and its hyphenated parts ("Ajayi-Adeniran", "Ajayi - Adeniran") kept in it; the
others are given names, and a one-letter given name is an initial. Generational suffixes
("Jr.", "Sr.") are set aside (the identifier signature keeps them apart elsewhere).

- `person_names_compatible` is positive evidence (the matcher's PERSON_NAME): the same
  surname, and given names that agree one for one, in order, an initial agreeing with a
  name it starts ("J. H. Dearle" / "John Henry Dearle"); or one side is a bare surname
  ("Schneider" / "Wilfried Schneider"), which the matcher accepts only when a single
  person fits.
- `given_names_conflict` is a veto on inexact evidence (fuzzy and vector likeness):
  the names say two people, however alike they look.

A name with a middle name or initial that the other lacks ("Morgan J. Freeman" /
"Morgan Freeman", "Raymond J. Barry" / "Raymond Barry") is not evidence of one person:
in a catalogue they are as often two (Michael B. Jordan, Michael Jordan), and the words
cannot tell which. Only a stated alias ("also known as", an alias given with the entity)
joins them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from graphmem.resolution.keys import GENERATIONAL_SUFFIXES, name_tokens

# A given name that is another given name plus letters is another name ("Frank" /
# "Frankie", "Stefan" / "Stefanie", "James" / "Jameson"), not a typo, once the shorter
# one has at least this many letters (a single letter is an initial).
MIN_GIVEN_PREFIX_CHARS = 2
# Lower-case words that begin a surname in many languages ("Francesco De Masi", "Zack de
# la Rocha", "Vincent van Gogh"): they belong to the surname, not to the given names.
SURNAME_PARTICLES = frozenset(
    {"da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos", "du", "la"}
    | {"le", "ten", "ter", "van", "von"}
)
_HYPHEN = re.compile(r"\s*[-\u2010\u2011]\s*")


@lru_cache(maxsize=131072)
def person_name_words(name: str) -> tuple[str, ...]:
    """The words of a personal name: given names, then one surname word.

    Example:
        >>> person_name_words("Raymond J. Barry"), person_name_words("Francesco De Masi")
        (('raymond', 'j', 'barry'), ('francesco', 'de masi'))
        >>> person_name_words("Daniel Ajayi - Adeniran Jr.")
        ('daniel', 'ajayi-adeniran')
    """
    tokens = _HYPHEN.sub("-", name).split()
    words = ["-".join(name_tokens(token)) for token in tokens]
    words = [word for word in words if word]
    while len(words) > 1 and words[-1] in GENERATIONAL_SUFFIXES:
        words.pop()
    start = len(words) - 1
    while start > 0 and words[start - 1] in SURNAME_PARTICLES:
        start -= 1
    return (*words[:start], " ".join(words[start:])) if words else ()


def person_names_compatible(a: Sequence[str], b: Sequence[str], min_surname: int = 3) -> bool:
    """Same surname (particles aside), and given names that agree one for one where
    both have them.

    Args:
        a: Words of one name (as `person_name_words` gives them).
        b: Words of the other.
        min_surname: Shortest surname accepted.

    Example:
        >>> person_names_compatible(("j", "h", "dearle"), ("john", "henry", "dearle"))
        True
        >>> person_names_compatible(("menezes",), ("fradique", "de menezes"))
        True
        >>> person_names_compatible(("raymond", "j", "barry"), ("jason", "barry"))
        False
        >>> person_names_compatible(("morgan", "j", "freeman"), ("morgan", "freeman"))
        False
    """
    if not a or not b or not _surnames_agree(a[-1], b[-1]):
        return False
    if len(_surname_core(a[-1])) < min_surname or a[-1].isdigit():
        return False
    given_a, given_b = a[:-1], b[:-1]
    if not given_a or not given_b:
        return True
    if len(given_a) != len(given_b):
        return False
    return all(_given_names_agree(x, y) for x, y in zip(given_a, given_b, strict=True))


def given_names_conflict(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two personal names are surely two people, whatever their likeness.

    They are when both have given names and: one has more of them (a middle name or
    initial the other lacks), or, in the same place, an initial meets a name or initial
    with another first letter ("Michael G. Wilson" / "Michael J. Wilson"), or a given
    name meets itself plus an ending ("Frank" / "Frankie Thomas"). Given names that
    merely differ ("Jonathan" / "Jonathon") are left to the fuzzy thresholds, which tell
    a typo from another name.

    Example:
        >>> given_names_conflict(("morgan", "j", "freeman"), ("morgan", "freeman"))
        True
        >>> given_names_conflict(("jonathan", "livingston"), ("jonathon", "livingston"))
        False
    """
    given_a, given_b = a[:-1], b[:-1]
    if not given_a or not given_b:
        return False
    if len(given_a) != len(given_b):
        return True
    return any(_given_names_clash(x, y) for x, y in zip(given_a, given_b, strict=True))


def _surname_core(surname: str) -> str:
    """The surname without its particles: "de la rocha" -> "rocha"."""
    return surname.rsplit(" ", 1)[-1]


def _surnames_agree(a: str, b: str) -> bool:
    """Equal, or equal but for particles ("Fradique de Menezes" is "Menezes")."""
    return a == b or _surname_core(a) == _surname_core(b)


def _given_names_agree(a: str, b: str) -> bool:
    if a == b:
        return True
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _given_names_clash(a: str, b: str) -> bool:
    if a == b:
        return False
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) == 1:
        return not longer.startswith(shorter)
    return len(shorter) >= MIN_GIVEN_PREFIX_CHARS and longer.startswith(shorter)
