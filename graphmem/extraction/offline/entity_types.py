"""Typing names as Person, Organization or Location from cue words, never from a gazetteer.

Evidence, strongest first: the words of the name ("Acme Corp", "Dr. Smith", "Hudson River"),
its neighbours ("said X", "spokesman X", "X, 50,", "in X", "X, Calif."), then weak guesses
(a two- or three-word capitalised name is most often a person). Relation slots add more
evidence later ("lives in X": X is a place).
"""

from __future__ import annotations

import re

from graphmem.extraction.offline.lexicon import (
    AGENT_SUFFIXES,
    COMPASS_WORDS,
    COURTESY_TITLES,
    FACILITY_HEADS,
    NOT_AGENTS,
    ORGANIZATION_HEADS,
    PLACE_HEADS,
    PLACE_PREFIXES,
    PLACE_PREPOSITIONS,
    SPEECH_VERBS,
)
from graphmem.extraction.offline.names import NameSpan, bare
from graphmem.extraction.offline.tokens import Token

PERSON, ORGANIZATION, LOCATION = "Person", "Organization", "Location"
_ACRONYM = re.compile(r"^[A-Z]{2,5}$")
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$")
_INITIAL = re.compile(r"^[A-Z]\.$")
_STATE_ABBREVIATION = re.compile(r"^(?:[A-Z][a-z]{1,4}\.|(?:[A-Z]\.){2,})$")
_TITLECASE_WORD = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Za-z]+)*$")


def type_by_words(span: NameSpan) -> None:
    """Type a name from its own words: suffixes, place nouns, titles, initials, acronyms."""
    words = [bare(word) for word in span.words]
    if words[-1] in ORGANIZATION_HEADS or (len(words) > 1 and words[0] in ORGANIZATION_HEADS):
        span.assign(ORGANIZATION, 3)
    elif len(words) > 1 and (any(w in PLACE_HEADS for w in words) or words[0] in PLACE_PREFIXES):
        span.assign(LOCATION, 3)
    elif (len(words) > 1 and words[0] in COURTESY_TITLES) or (
        len(words) > 1
        and (any(_INITIAL.match(word) for word in span.words[1:]) or words[-1] in {"jr", "sr"})
    ):
        span.assign(PERSON, 3)
    elif len(words) > 2 and words[0] in FACILITY_HEADS and words[1] == "of":
        span.assign(LOCATION, 3)
    elif len(words) > 1 and words[-1] in FACILITY_HEADS:
        span.assign(LOCATION, 1)
    elif any(word in ORGANIZATION_HEADS for word in words):
        span.assign(ORGANIZATION, 2)
    elif len(span.words) == 1 and _ACRONYM.match(span.words[0]):
        span.assign(ORGANIZATION, 1)
    elif len(span.words) == 1 and _DOTTED_ACRONYM.match(span.words[0]):
        span.assign(LOCATION, 1)
    elif 2 <= len(span.words) <= 3 and all(_TITLECASE_WORD.match(w) for w in span.words):
        span.assign(PERSON, 1)


def _is_agent_noun(word: str) -> bool:
    """A lowercase role noun such as "spokesman", "director", "economist"."""
    return (
        word.isalpha()
        and word.islower()
        and len(word) > 3
        and word.endswith(AGENT_SUFFIXES)
        and word not in NOT_AGENTS
    )


def _is_place_noun(word: str) -> bool:
    lowered = word.lower()
    return word.islower() and (lowered in PLACE_HEADS or lowered in COMPASS_WORDS)


def _is_language(span: NameSpan) -> bool:
    """ "in Spanish", "in Chinese": a language or people, not a place."""
    return len(span.words) == 1 and span.words[0].endswith(("ish", "ese"))


def type_by_context(tokens: list[Token], span: NameSpan) -> None:
    """Type a name from the words right around it."""
    before = [t.text for t in tokens[max(0, span.first - 2) : span.first]]
    after = [t.text for t in tokens[span.last : span.last + 3]]
    previous = before[-1] if before else ""
    if len(after) >= 2 and after[0] == "," and _STATE_ABBREVIATION.match(after[1]):
        span.assign(LOCATION, 2)  # "Bethany, Conn."
    elif previous == "," and len(before) == 2 and _STATE_ABBREVIATION.match(span.words[0]):
        span.assign(LOCATION, 2)
    elif _is_agent_noun(previous) or previous.lower() in SPEECH_VERBS:
        span.assign(PERSON, 2)
    elif len(after) >= 3 and after[0] == "," and after[1].isdigit() and after[2] == ",":
        span.assign(PERSON, 2)  # an age: "Joseph Cicippio, 58,"
    elif after[:2] == [",", "who"]:
        span.assign(PERSON, 2)
    elif previous.lower() in PLACE_PREPOSITIONS and not _is_language(span):
        # "in Paris" is a strong hint; "to Jane" ("married to") or "from Yale" is not.
        span.assign(LOCATION, 2 if previous.lower() in {"in", "near"} else 1)
    elif previous.lower() in COMPASS_WORDS or previous.lower() in ORGANIZATION_HEADS:
        # "in central Idaho" / "the copper company Codelco"
        span.assign(LOCATION if previous.lower() in COMPASS_WORDS else ORGANIZATION, 2)
    elif previous == "of" and len(before) == 2 and _is_place_noun(before[0]):
        span.assign(LOCATION, 2)  # "the town of Lowman", "northeast of Boise"
    if after[:1] and after[0].islower():
        # "NHK network", "the Sahara desert", "the Louisiana coast"
        if after[0] in ORGANIZATION_HEADS:
            span.assign(ORGANIZATION, 2)
        elif after[0] in PLACE_HEADS or after[0] == "coast":
            span.assign(LOCATION, 2)
    if after[:1] and after[0].lower() in SPEECH_VERBS:
        span.assign(PERSON, 1)


def share_types(spans: list[NameSpan]) -> None:
    """Give a bare surname or a repeated name the type its fuller mention already has."""
    for span in spans:
        for other in spans:
            if other is span or other.strength < 2:
                continue
            same = other.text.lower() == span.text.lower()
            surname = len(span.words) == 1 and other.type == PERSON and other.words[-1] == span.text
            if same or surname:
                span.assign(other.type, 2)


def type_spans(tokens: list[Token], spans: list[NameSpan]) -> None:
    """Type every span of a sentence in place from its words, then from its context."""
    for span in spans:
        type_by_words(span)
        type_by_context(tokens, span)
    share_types(spans)
