"""Pure normalisers for names that come from users or LLMs.

Relation types become UPPER_SNAKE_CASE (`works at`, `works_at`, `WorksAt` -> `WORKS_AT`),
entity types PascalCase (`organization` -> `Organization`), entity keys a case-folded,
whitespace-collapsed form used to find "the same name". Results always match the strict
patterns below, so they are safe as Neo4j labels and relationship types.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

RELATION_TYPE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
ENTITY_TYPE_PATTERN = re.compile(r"^[A-Z][A-Za-z0-9]{0,63}$")
DEFAULT_ENTITY_TYPE = "Entity"

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^A-Za-z0-9]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def _ascii_words(text: str) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return tuple(word for word in _NON_WORD.split(_CAMEL_BOUNDARY.sub(" ", folded)) if word)


@lru_cache(maxsize=65536)
def normalize_relation_type(text: str) -> str:
    """`works at` / `works_at` / `WorksAt` -> `WORKS_AT`; raises ValueError if nothing is left.

    Example:
        >>> normalize_relation_type("is the CEO of")
        'IS_THE_CEO_OF'
    """
    words = _ascii_words(text)
    name = "_".join(word.upper() for word in words)
    if name and not name[0].isalpha():
        name = "R_" + name
    name = name[:64].rstrip("_")
    if not RELATION_TYPE_PATTERN.fullmatch(name):
        raise ValueError(f"relationship {text!r} has no usable letters")
    return name


@lru_cache(maxsize=65536)
def normalize_entity_type(text: str | None) -> str:
    """`organization` / `ORGANIZATION` / `legal entity` -> `Organization` / `LegalEntity`.

    Empty or unusable types become `Entity`.
    """
    words = _ascii_words(text or "")
    name = "".join(word[:1].upper() + word[1:].lower() for word in words)[:64]
    if not ENTITY_TYPE_PATTERN.fullmatch(name):
        return DEFAULT_ENTITY_TYPE
    return name


@lru_cache(maxsize=262144)
def clean_name(text: str) -> str:
    """The display form of an entity name: trimmed, inner whitespace collapsed."""
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=262144)
def entity_key(name: str) -> str:
    """Normalised key of an entity name: NFKC, case-folded, whitespace collapsed.

    Example:
        >>> entity_key("  Sarah   CHEN ")
        'sarah chen'
    """
    return clean_name(unicodedata.normalize("NFKC", name)).casefold()


def relation_phrase(relation_type: str) -> str:
    """Readable words of a relation type: `WORKS_AT` -> `works at`."""
    return relation_type.replace("_", " ").lower()


def name_keys(key: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """Every key a named thing answers to: its own, then its aliases' (`entity_key`)."""
    return (key, *map(entity_key, aliases))


def has_phrase(text: str, phrase: str) -> bool:
    """Whether `phrase` occurs in `text` as a whole word or phrase (both casefolded).

    Example:
        >>> has_phrase("bob met anna in annapolis", "anna"), has_phrase("annapolis", "anna")
        (True, False)
    """
    start = text.find(phrase)
    while phrase and start >= 0:
        end = start + len(phrase)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        start = text.find(phrase, start + 1)
    return False
