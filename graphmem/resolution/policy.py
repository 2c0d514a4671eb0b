"""The thresholds and switches of entity matching, with why each has its value.

`ResolutionPolicy` gathers them for `matching.match_entity`; its defaults are the module
constants below, chosen on the first 250 documents of Re-DocRED dev only
(bench/entity_resolution.py).
"""

from __future__ import annotations

from dataclasses import dataclass

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
# Types whose names take "the" as grammar, not as part of the name: "The Beatles" is
# "Beatles", "The Hague" "Hague". For every other type, works and titles above all, and
# for the untyped, a capitalised "The" is part of the name ("The Butterfly" is another
# film than "Butterfly"); a lower-case "the" before a proper name is optional everywhere
# (running text an extractor copied: "the Colts" is "The Colts" and "Colts").
ARTICLE_OPTIONAL_TYPES = frozenset({"Organization", "Location"})
# Fuzzy evidence never joins a name to the same name plus one of these endings: that is
# a demonym or adjective ("South Korea" / "South Korean", "East Prussia" / "East
# Prussian"), a different thing for the graph, though only one edit away.
DEMONYM_ENDINGS = ("n", "an", "ian", "i", "ese", "ish")


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


def is_short(key: str, policy: ResolutionPolicy = DEFAULT_POLICY) -> bool:
    """Whether a key is too short to merge on fuzzy or vector evidence alone.

    Example:
        >>> is_short("ali"), is_short("jonathan livingston")
        (True, False)
    """
    if len(key) < policy.min_fuzzy_chars:
        return True
    return " " not in key and len(key) < policy.min_single_word_chars
