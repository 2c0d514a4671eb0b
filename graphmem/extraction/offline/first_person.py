"""Resolving "I / me / my" to the speaker, rewriting the sentence in the third person.

"I work at Google" said by Alice becomes "Alice works at Google": the fact reads well on
its own later, and the relation patterns see an ordinary name. Verbs after "I" are put in
the third person with plain English rules; irregular past forms are left as they are.
"""

from __future__ import annotations

import re

_SELF_INTRODUCTION = re.compile(
    r"\b(?:(?i:my name is|my name's|call me|i am called|i'm called)|I'm|I’m|I am)\s+"
    r"(?P<name>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})"
    # "I'm Alice." introduces; "I'm Alice's sister" or "I am French and tired" need the end.
    r"(?=\s*(?:[.,;!]|and\b|$))"
    r"(?P<rest>\s*(?:,\s*)?(?:and\s+)?)"
)
_FIRST_PERSON = re.compile(
    r"\b(?:(?P<contraction>I'm|I’m|I've|I’ve|I'd|I’d|I'll|I’ll)"
    r"|I(?P<adverb>\s+(?:really|also|just|still|now|never|always|often|usually|currently"
    r"|recently|actually|already|mostly|sometimes|only))?\s+(?P<verb>[a-z]+)\b"
    r"|(?P<possessive>[Mm]y|[Mm]ine)\b|(?P<object>me|myself|I)\b)"
)
_CONTRACTIONS = {"m": "is", "ve": "has", "d": "would", "ll": "will"}
_UNCHANGED = frozenset(
    """
    can could will would shall should must might may did was had used went came saw made got
    met left took gave found knew thought told became began grew ran wrote bought sold spent
    lost won paid sent kept felt heard brought taught studied said quit put set cut read let
    """.split()
)
_IRREGULAR = {"am": "is", "have": "has", "do": "does", "go": "goes", "don't": "doesn't"}


def find_self_introduction(text: str) -> str | None:
    """The name in "My name is Alice" / "Call me Bob", or None."""
    match = _SELF_INTRODUCTION.search(text)
    return match.group("name") if match else None


def split_self_introduction(sentence: str) -> tuple[str | None, str]:
    """Cut "My name is Alice and" off a sentence: ("Alice", "I live in Paris.").

    The rest is empty when the sentence only introduces the speaker.
    """
    match = _SELF_INTRODUCTION.search(sentence)
    if not match:
        return None, sentence
    rest = (sentence[: match.start()] + sentence[match.end() :]).strip(" ,.;!")
    return match.group("name"), rest[:1].upper() + rest[1:] + ("." if rest else "")


def third_person(verb: str) -> str:
    """ "work" -> "works", "live" -> "lives", "study" -> "studies"; past forms unchanged."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb in _UNCHANGED or (verb.endswith(("ed", "s")) and not verb.endswith("ss")):
        return verb
    if verb.endswith(("sh", "ch", "x", "z", "o", "ss")):
        return verb + "es"
    if len(verb) > 2 and verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def resolve_first_person(sentence: str, speaker: str) -> tuple[str, list[tuple[int, int]]]:
    """Rewrite `sentence` with `speaker` for "I / me / my", and where the speaker now stands.

    Returns:
        The rewritten sentence and the (start, end) character ranges of each inserted name.

    Example:
        >>> resolve_first_person("I work at Google and my wife likes me.", "Alice")[0]
        "Alice works at Google and Alice's wife likes Alice."
    """
    pieces: list[str] = []
    ranges: list[tuple[int, int]] = []
    position = length = 0
    for match in _FIRST_PERSON.finditer(sentence):
        pieces.append(sentence[position : match.start()])
        length += match.start() - position
        if match.group("contraction"):
            suffix = match.group("contraction")[2:]
            rest = " " + _CONTRACTIONS[suffix]
        elif match.group("verb"):
            rest = (match.group("adverb") or "") + " " + third_person(match.group("verb"))
        elif match.group("possessive"):
            rest = "'s"
        else:
            rest = ""
        ranges.append((length, length + len(speaker)))
        pieces.append(speaker + rest)
        length += len(speaker) + len(rest)
        position = match.end()
    pieces.append(sentence[position:])
    return "".join(pieces), ranges
