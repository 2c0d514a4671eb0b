"""Sentence splitting and the tests that decide whether a sentence states a fact."""

from __future__ import annotations

import re

from graphmem.extraction.offline.lexicon import (
    ABBREVIATIONS,
    GREETINGS,
    NAME_FINAL_ABBREVIATIONS,
)

# A candidate boundary: end punctuation, optional closing quotes, then space.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)]*\s+")
_LAST_WORD = re.compile(r"(\S+)$")
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_SHORT_TITLECASE = re.compile(r"^[A-Z][a-z]{1,4}$")
_WORDS = re.compile(r"[A-Za-z']+")
# Wh-words and inverted auxiliaries; "Will Smith works ..." is not a question, so an
# auxiliary counts only when a pronoun or determiner follows it.
_QUESTION_OPENERS = re.compile(
    r"^(?:(?:who|whom|whose|what|which)\b"
    r"|(?:when|where|why|how)\s+(?:is|are|was|were|do|does|did|can|could|will|would|should"
    r"|much|many|long|old|about)\b"
    r"|(?:do|does|did|is|are|am|was|were|can|could|would|will|shall|should|have|has|had)\s+"
    r"(?:you|i|he|she|it|we|they|there|the|this|that|my|your|our|his|her|their)\b)",
    re.IGNORECASE,
)
# Requests to remember are about the sentence after them: "Please remember that ...".
_PREAMBLE = re.compile(
    r"^(?:(?:please|pls|hey|ok|okay|so|btw|by the way|fyi|also|just|oh)[,\s]+)*"
    r"(?:(?:remember|note|keep in mind|don't forget|for the record)(?:\s+that)?[:,\s]+)?",
    re.IGNORECASE,
)


def split_sentences(text: str) -> list[str]:
    """Split `text` into sentences at end punctuation and line breaks, not after abbreviations.

    Example:
        >>> split_sentences("Dr. Smith works at Acme Corp. in Austin. He likes tea.")
        ['Dr. Smith works at Acme Corp. in Austin.', 'He likes tea.']
    """
    sentences: list[str] = []
    for line in text.splitlines():
        start = 0
        for match in _BOUNDARY.finditer(line):
            piece = line[start : match.end()].strip()
            word = _LAST_WORD.search(line[start : match.start() + 1])
            following = line[match.end() :]
            single_period = match.group().startswith(".") and not match.group().startswith("..")
            if (
                word
                and single_period
                and is_abbreviation(word.group(1), following)
                and not _starts_new_clause(word.group(1), following)
            ):
                continue
            if piece:
                sentences.append(piece)
            start = match.end()
        rest = line[start:].strip()
        if rest:
            sentences.append(rest)
    return sentences


def _starts_new_clause(word: str, following: str) -> bool:
    """Whether the text after an abbreviation clearly begins a new sentence.

    After a pronoun-like opener ("He", "I", ...) always; after an abbreviation that ends a
    name ("Acme Corp.", "John Smith Jr.") whenever a capitalised word follows.
    """
    first = following.split(maxsplit=1)[0] if following.strip() else ""
    if first in {"I", "He", "She", "We", "They", "It", "The", "This", "My", "Our"}:
        return True
    return word[:-1].lower() in NAME_FINAL_ABBREVIATIONS and first[:1].isupper()


def is_question(sentence: str) -> bool:
    """A question asks rather than states: it ends with "?" or opens with a question word."""
    stripped = sentence.strip()
    return stripped.endswith("?") or bool(_QUESTION_OPENERS.match(stripped))


def is_small_talk(sentence: str) -> bool:
    """Greetings and acknowledgements ("Hi!", "Thanks a lot") state nothing to remember."""
    words = [word.lower() for word in _WORDS.findall(sentence)]
    if not words:
        return True
    return all(word in GREETINGS or word in {"a", "lot", "so", "much", "very"} for word in words)


def strip_preamble(sentence: str) -> str:
    """Drop a leading "Please remember that" / "Btw," so the fact is the statement itself."""
    stripped = _PREAMBLE.sub("", sentence.strip(), count=1).strip()
    if not stripped:
        return sentence.strip()
    return stripped[:1].upper() + stripped[1:]


def is_fragment(sentence: str) -> bool:
    """A reply fragment ("Three years.", "Not really.") names nothing and states nothing."""
    words = _WORDS.findall(sentence)
    return len(words) <= 2 and not any(word[:1].isupper() for word in words[1:])


def states_something(sentence: str) -> bool:
    """Whether a sentence is worth keeping as a fact: not a question, small talk or fragment."""
    return not (is_question(sentence) or is_small_talk(sentence) or is_fragment(sentence))


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
    if _DOTTED_ACRONYM.fullmatch(bare):
        return True  # "U.S. Ambassador Vernon Walters"
    if bare.lower() in ABBREVIATIONS:
        return True
    rest = following.lstrip()
    return bool(_SHORT_TITLECASE.match(bare)) and rest[:1] in {",", ";"}
