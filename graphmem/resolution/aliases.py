"""Aliases stated in plain English text: "X, also known as Y", "X (formerly Y)", "Y, now X".

The patterns are general English appositions, not a list tuned to one corpus. A name is a
run of capitalised words (or words with digits), which may be joined by a few lower-case
connectors ("Bank of America", "Rage Against the Machine" is read as "Rage Against");
an alias may also be quoted ('"The Boss"'). Each hit is a `(name, alias)` pair whose first
element is the name the text treats as current: for "Y, now called X" that is X.
"""

from __future__ import annotations

import re

from graphmem.resolution.keys import is_acronym, name_tokens

_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_WORD = rf"(?:[{_UPPER}]|[0-9]+[A-Za-z])[\w&'\u2019.\-]*"
_NEXT_WORD = rf"(?:[{_UPPER}0-9])[\w&'\u2019.\-]*"
_CONNECTOR = r"(?:of|the|and|de|del|della|der|des|di|du|la|le|van|von|y|da|dos|&)"
_NAME = rf"{_WORD}(?:\s+(?:{_CONNECTOR}\s+)*{_NEXT_WORD})*"
_QUOTE = r"[\"\u201c\u201d'\u2018\u2019]"
_QUOTED = rf"{_QUOTE}(?P<quoted>[^\"\u201c\u201d\u2018\u2019]{{1,80}}?){_QUOTE}"
_ALIAS = rf"(?:{_QUOTED}|(?P<alias_name>{_NAME}))"

# "X, also known as Y" / "X (aka Y)" / "X, a.k.a. Y" / "X (formerly Y)" / "X (née Y)" ...
# ("born" is left out: "X, born June 1950" would make a month an alias.)
_SAME_MARKERS = (
    r"also\s+known\s+as",
    r"also\s+called",
    r"better\s+known\s+as",
    r"otherwise\s+known\s+as",
    r"known\s+as",
    r"a\.k\.a\.?",
    r"aka",
    r"nicknamed",
    r"formerly(?:\s+known\s+as|\s+called)?",
    r"previously(?:\s+known\s+as|\s+called)?",
    r"originally(?:\s+known\s+as|\s+called)?",
    r"n[ée]e",
    r"short\s+for",
    r"or\s+simply",
)
_FORWARD = re.compile(
    rf"(?P<name>{_NAME})\s*(?:,|\(|\u2013|\u2014|-)\s*(?:{'|'.join(_SAME_MARKERS)})"
    rf"\s*:?\s+{_ALIAS}"
)
# "Y, now called X" / "Y (now X)" / "Y, renamed X" / "Y, later known as X": X is current.
_RENAMED = re.compile(
    rf"(?P<old>{_NAME})\s*(?:,|\()\s*(?:now\s+(?:called|known\s+as|named)|now|renamed|"
    rf"later\s+(?:called|known\s+as|renamed))\s+{_ALIAS}"
)
# "United States Geological Survey (USGS)": an acronym in brackets after its long form.
_ACRONYM_IN_BRACKETS = re.compile(rf"(?P<name>{_NAME})\s*\((?P<acronym>[{_UPPER}][{_UPPER}.&]+)\)")
_STOP_INITIALS = frozenset({"of", "the", "and", "for", "de", "in", "on", "at", "a", "an", "to"})


def _alias_of(match: re.Match[str]) -> str:
    quoted = match.group("quoted")
    return (quoted if quoted is not None else match.group("alias_name")).strip(" ,.;:")


def initials_match(acronym: str, name: str) -> bool:
    """Whether `acronym` spells the initials of `name`, with or without its small words.

    Example:
        >>> initials_match("USGS", "United States Geological Survey")
        True
        >>> initials_match("CPC", "Communist Party of China")
        True
    """
    letters = "".join(ch for ch in acronym.casefold() if ch.isalpha())
    words = name_tokens(name)
    if len(words) < 2:
        return False
    every = "".join(word[0] for word in words)
    content = "".join(word[0] for word in words if word not in _STOP_INITIALS)
    return letters in (every, content)


def aliases_in_text(text: str) -> list[tuple[str, str]]:
    """The `(name, alias)` pairs a text states, in order of appearance, without repeats.

    Args:
        text: Any English text: a message, a fact, a document.

    Returns:
        Pairs of display strings; the first element is the name the text treats as current
        ("Y, now called X" gives `(X, Y)`); an acronym in brackets gives `(long, acronym)`
        only when its letters are the long form's initials.

    Example:
        >>> aliases_in_text("Robert Zimmerman, also known as Bob Dylan, sang.")
        [('Robert Zimmerman', 'Bob Dylan')]
        >>> aliases_in_text("Meta Platforms (formerly Facebook) said so.")
        [('Meta Platforms', 'Facebook')]
        >>> aliases_in_text("Datsun, now called Nissan, ...")
        [('Nissan', 'Datsun')]
    """
    found: list[tuple[int, str, str]] = []
    for match in _FORWARD.finditer(text):
        found.append((match.start(), match.group("name"), _alias_of(match)))
    for match in _RENAMED.finditer(text):
        found.append((match.start(), _alias_of(match), match.group("old")))
    for match in _ACRONYM_IN_BRACKETS.finditer(text):
        acronym = match.group("acronym")
        name = _long_form(match.group("name"), acronym)
        if name is not None and is_acronym(acronym):
            found.append((match.start(), name, acronym))
    pairs: list[tuple[str, str]] = []
    for _, name, alias in sorted(found, key=lambda hit: hit[0]):
        name, alias = name.strip(" ,.;:"), alias.strip(" ,.;:")
        if name and alias and name != alias and (name, alias) not in pairs:
            pairs.append((name, alias))
    return pairs


def _long_form(words: str, acronym: str) -> str | None:
    """The shortest tail of `words` whose initials spell `acronym` (a sentence may start
    with other capitalised words: "Yesterday United Nations (UN)")."""
    parts = words.split()
    for start in range(len(parts) - 1, -1, -1):
        candidate = " ".join(parts[start:])
        if initials_match(acronym, candidate):
            return candidate
    return None
