"""Resolution keys: the form two names must share to be "the same name", and their identifiers.

`resolution_key` is stricter about sameness than `models.naming.entity_key` (which only
folds case and whitespace): it also drops accents, punctuation outside identifiers,
trailing legal suffixes and a lower-case leading "the" before a proper name, so
"Acme, Inc.", "ACME inc" and "the Acme" share one key. A capitalised "The" stays: it is
part of a title or a name ("The Butterfly" is not the film "Butterfly"), while a
lower-case one is running text an extractor copied ("the Google", "the United Nations").
`identifier_signature` extracts what must never be blurred: digits and identifier tokens
("SR-2023-052", "Windows 10") and regnal numerals ("Henry VIII"); the matcher only merges
names on inexact evidence when their signatures are equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Trailing words that name a company's legal form, not the company. Written without dots:
# dots are removed before the comparison, so "S.A." and "Inc." are covered by "sa" and "inc".
LEGAL_SUFFIXES = frozenset(
    {
        "ag",
        "bv",
        "co",
        "company",
        "corp",
        "corporation",
        "gmbh",
        "inc",
        "incorporated",
        "kg",
        "limited",
        "llc",
        "llp",
        "lp",
        "ltd",
        "nv",
        "oy",
        "plc",
        "pty",
        "sa",
        "sarl",
        "sas",
        "spa",
        "srl",
    }
)
# English articles. A lower-case "the" before a capitalised word is dropped from keys
# ("the Google" == "Google"); two names that differ only in a leading article are never
# merged on likeness ("A Little Princess" / "The Little Princess").
ARTICLES = frozenset({"the", "a", "an"})
_NOISE_ARTICLE = "the"
# Apostrophes and dots join the letters around them ("O'Brien" -> "obrien", "U.S." -> "us").
_JOINING = re.compile(r"[.'\u2019\u02bc\u02be\u02bf`\u00b4]")
_AMPERSAND = re.compile(r"\s*&\s*")
_NON_WORD = re.compile(r"[\W_]+")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
_ALNUM_RUN = re.compile(r"[^\W_]+")
# Generational suffixes tell a father from his son ("Paul Desmarais Sr." / "Jr.").
GENERATIONAL_SUFFIXES = frozenset({"jr", "sr", "jnr", "snr"})
_ROMAN_NUMERAL = re.compile(r"^(?=[IVXLC]{2,})C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def _fold(text: str) -> str:
    """NFKC, accents removed (base letters kept, so non-Latin scripts survive), case-folded."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKC", stripped).casefold()


def _is_identifier(token: str) -> bool:
    """A token with a digit in it: its inner punctuation carries meaning ("2023-052")."""
    return any(ch.isdigit() for ch in token)


def _key_tokens(token: str) -> list[str]:
    """Words of one whitespace-separated token; identifiers keep their inner punctuation."""
    if _is_identifier(token):
        trimmed = _EDGE_PUNCTUATION.sub("", token)
        return [trimmed] if trimmed else []
    return [word for word in _NON_WORD.split(_JOINING.sub("", token)) if word]


@lru_cache(maxsize=131072)
def name_tokens(name: str) -> tuple[str, ...]:
    """The words of a name as `resolution_key` sees them, before articles and suffixes go.

    Example:
        >>> name_tokens("J. H. Dearle")
        ('j', 'h', 'dearle')
    """
    folded = _AMPERSAND.sub(" and ", _fold(name))
    return tuple(word for token in folded.split() for word in _key_tokens(token))


@lru_cache(maxsize=131072)
def resolution_key(name: str) -> str:
    """The normalised key under which two names count as the same name.

    Steps: NFKC and accent folding, case folding, whitespace collapsed, "&" read as "and",
    dots and apostrophes removed ("U.S." -> "us"), other punctuation turned into spaces,
    except inside identifiers (tokens with a digit keep their inner "-", "/", "."), then a
    leading "the" written in lower case before a capitalised word or a number dropped
    ("the Google"; a capitalised "The" is part of the name), and trailing legal suffixes
    (Inc, LLC, GmbH, S.A., ... and a dangling "and" of "& Co") dropped, never down to an
    empty key.

    Args:
        name: A display name as written.

    Returns:
        The key; empty only when the name has no letters or digits at all.

    Example:
        >>> resolution_key("Acme, Inc."), resolution_key("the ACME inc"), resolution_key("Acme")
        ('acme', 'acme', 'acme')
        >>> resolution_key("The Butterfly")
        'the butterfly'
        >>> resolution_key("SR-2023-052 (draft)")
        'sr-2023-052 draft'
    """
    words = list(name_tokens(name))
    if len(words) > 1 and starts_with_noise_article(name):
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words = words[:-1]
        if len(words) > 1 and words[-1] == "and":
            words = words[:-1]
    return " ".join(words)


def starts_with_noise_article(name: str) -> bool:
    """Whether a name starts with a lower-case "the" followed by a capitalised word or a
    number: an article from running text, not part of the name."""
    parts = unicodedata.normalize("NFKC", name).split(maxsplit=2)
    if len(parts) < 2 or parts[0] != _NOISE_ARTICLE:
        return False
    first = next((ch for ch in parts[1] if ch.isalnum()), "")
    return first.isupper() or first.isdigit()


def without_leading_the(key: str) -> str:
    """A key without its leading "the" (itself when it has none or is only "the").

    Example:
        >>> without_leading_the("the beatles"), without_leading_the("the")
        ('beatles', 'the')
    """
    words = key.split()
    return " ".join(words[1:]) if len(words) > 1 and words[0] == _NOISE_ARTICLE else key


def differ_by_article(a: str, b: str) -> bool:
    """Whether two keys differ, but only in a leading article: "the little princess" /
    "a little princess" / "little princess" (for titles, two works, not a typo).

    Example:
        >>> differ_by_article("a little princess", "the little princess")
        True
    """
    words_a, words_b = a.split(), b.split()
    return words_a != words_b and _without_article(words_a) == _without_article(words_b)


def _without_article(words: list[str]) -> list[str]:
    return words[1:] if len(words) > 1 and words[0] in ARTICLES else words


@lru_cache(maxsize=131072)
def identifier_signature(name: str) -> tuple[str, ...]:
    """The identifier parts of a name: alphanumeric runs of tokens with digits, regnal
    numerals (upper-case Roman numerals of two or more letters, as in "Henry VIII") and
    generational suffixes ("Jr.", "Sr.").

    Two names whose signatures differ are different things, however close they look:
    "SR-2023-052" and "SR-2023-053", "Windows 10" and "Windows 11", "Henry VII" and
    "Henry VIII", "Paul Desmarais Sr." and "Paul Desmarais Jr.".

    Example:
        >>> identifier_signature("SR-2023-052")
        ('sr', '2023', '052')
        >>> identifier_signature("Windows 10"), identifier_signature("Acme")
        (('10',), ())
    """
    parts: list[str] = []
    for token in unicodedata.normalize("NFKC", name).split():
        bare = _EDGE_PUNCTUATION.sub("", token)
        if _is_identifier(token):
            parts.extend(run.casefold() for run in _ALNUM_RUN.findall(token))
        elif _ROMAN_NUMERAL.match(bare) or bare.casefold() in GENERATIONAL_SUFFIXES:
            parts.append(bare.casefold())
    return tuple(parts)


def is_acronym(name: str, max_letters: int = 6) -> bool:
    """Whether a name is written as an acronym: all capitals, dots allowed, 2..max letters.

    Example:
        >>> is_acronym("USGS"), is_acronym("U.S."), is_acronym("Usgs"), is_acronym("A")
        (True, True, False, False)
    """
    letters = _JOINING.sub("", unicodedata.normalize("NFKC", name).strip())
    return 2 <= len(letters) <= max_letters and letters.isalpha() and letters.isupper()
