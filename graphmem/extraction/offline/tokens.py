"""Tokens with character offsets, so names and the text between them can be cut exactly."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphmem.extraction.offline.lexicon import ABBREVIATIONS

# Dotted acronyms ("U.S.") first; a possessive "'s" is its own token so "Kennedy's" yields
# the name "Kennedy"; a trailing period stays on a word for now and is judged below.
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"
    r"|\w+(?:(?:[-&]|['’](?![sS]\b))\w+)*\.?"
    r"|['’]\w+"
    r"|[^\w\s]"
)
_SHORT_TITLECASE = re.compile(r"^[A-Z][a-z]{1,4}$")


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark and where it sits in its sentence."""

    text: str
    start: int
    end: int

    @property
    def is_capitalized(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


def is_abbreviation(word: str, following: str) -> bool:
    """Whether `word` (ending in ".") is an abbreviation rather than a word ending a sentence.

    Args:
        word: the token text including its final period.
        following: the text right after the token, used for short capitalised words such as
            "Calif." that are abbreviations only when the sentence goes on after them.
    """
    bare = word[:-1]
    if len(bare) == 1 and bare.isalpha():
        return True  # an initial: "John F. Kennedy"
    if bare.lower() in ABBREVIATIONS:
        return True
    rest = following.lstrip()
    return bool(_SHORT_TITLECASE.match(bare)) and rest[:1] in {",", ";"}


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens, separating sentence-final periods from the words they end."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        dotted_acronym = re.fullmatch(r"(?:[A-Za-z]\.){2,}", word) is not None
        if (
            len(word) > 1
            and word.endswith(".")
            and not dotted_acronym
            and not is_abbreviation(word, text[end:])
        ):
            tokens.append(Token(word[:-1], start, end - 1))
            tokens.append(Token(".", end - 1, end))
        else:
            tokens.append(Token(word, start, end))
    return tokens
