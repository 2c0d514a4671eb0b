"""Finding names: runs of capitalised words, cut at office titles and joined over "of".

A name is a run of capitalised words that are not function words ("The", "In") or dates.
Lowercase connectors join two runs when one side already looks like an organisation or a
place ("Bank of America", "Agency for International Development"); name particles
("de", "van") join always. Typing is in `entity_types.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphmem.extraction.offline.lexicon import (
    ADJECTIVE_SUFFIXES,
    AGENT_SUFFIXES,
    FUNCTION_WORDS,
    HONORIFICS,
    MONTHS_AND_DAYS,
    NAME_CONNECTORS,
    NOT_AGENTS,
    OFFICE_TITLES,
    ORGANIZATION_HEADS,
    PLACE_HEADS,
    ROLE_ACRONYMS,
)
from graphmem.extraction.offline.tokens import Token
from graphmem.models.naming import DEFAULT_ENTITY_TYPE
from graphmem.resolution.keys import LEGAL_SUFFIXES

_PARTICLES = frozenset({"de", "du", "da", "van", "von", "der", "al"})
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_INITIAL = re.compile(r"^[A-Z]\.$")
_IDENTIFIER = re.compile(r"^[A-Z]{1,6}-\d+(?:-\d+)*$")


@dataclass
class NameSpan:
    """A name in a sentence: token range, text, and the best type guess so far.

    `strength` ranks the evidence behind `type` (0 none, 1 weak, 2 context or relation slot,
    3 the name itself, 4 given by the caller); weaker evidence never overrides stronger.
    """

    first: int
    last: int  # exclusive token index
    text: str
    type: str = DEFAULT_ENTITY_TYPE
    strength: int = 0
    sentence_initial: bool = False
    words: list[str] = field(default_factory=list)

    def assign(self, entity_type: str, strength: int) -> None:
        """Take `entity_type` if the evidence is stronger than what decided the current type."""
        if strength > self.strength:
            self.type = entity_type
            self.strength = strength

    @property
    def has_evidence(self) -> bool:
        return self.strength >= 2 or not self.sentence_initial or len(self.words) > 1


def bare(word: str) -> str:
    """A word lowercased without its trailing period: "Corp." -> "corp"."""
    return word.rstrip(".").lower()


def is_name_word(tokens: list[Token], index: int) -> bool:
    """Whether the token at `index` can be part of a name."""
    token = tokens[index]
    if token.text.startswith(("'", "’")) and len(token.text) > 1:
        # "O 'Brien" as written in some corpora: the apostrophe part continues a name.
        return token.text[1:2].isupper() and index > 0 and tokens[index - 1].is_capitalized
    if _INITIAL.match(token.text):
        return True  # "James A. Garfield", where bare "a" would look like an article
    if not token.is_capitalized or (not token.is_word and not _DOTTED_ACRONYM.match(token.text)):
        return False
    if any(char.isdigit() for char in token.text):
        # Identifiers such as "SR-2023-052" name things; bare codes ("PA2904034294") do not.
        return bool(_IDENTIFIER.match(token.text))
    word = bare(token.text)
    return word not in FUNCTION_WORDS and word not in MONTHS_AND_DAYS and word not in ROLE_ACRONYMS


def _joins(tokens: list[Token], left: list[int], connector: int, right_start: int) -> bool:
    """Whether a lowercase connector between two capitalised runs makes them one name."""
    word = tokens[connector].text.lower()
    if word in _PARTICLES:
        return True
    right: list[int] = []
    index = right_start
    while index < len(tokens) and is_name_word(tokens, index):
        right.append(index)
        index += 1
    left_heads = {bare(tokens[i].text) for i in left}
    right_heads = {bare(tokens[i].text) for i in right}
    heads = ORGANIZATION_HEADS | PLACE_HEADS
    if word in {"of", "for", "on"}:
        return bool(left_heads & heads)
    # "National Aeronautics and Space Administration", not "Tokyo and Kyoto".
    return word == "and" and bool(right_heads & ORGANIZATION_HEADS) and not left_heads & heads


def _starts_with_the(tokens: list[Token], index: int) -> bool:
    """A capitalised "The" inside a sentence belongs to the name: "for The Associated Press"."""
    return (
        tokens[index].text == "The"
        and index > 0
        and tokens[index - 1].is_word
        and index + 1 < len(tokens)
        and is_name_word(tokens, index + 1)
    )


def _is_inner_number(tokens: list[Token], index: int) -> bool:
    """A number between two name words: "Region 2 Border Patrol Police"."""
    return (
        tokens[index].text.isdigit()
        and index + 1 < len(tokens)
        and is_name_word(tokens, index + 1)
        and bare(tokens[index + 1].text) not in ORGANIZATION_HEADS | PLACE_HEADS | {"gmt"}
    )


def _is_possessive_in_name(tokens: list[Token], index: int) -> bool:
    """ "St. Mary's Hospital": an "'s" before a lone head noun, which is no name by itself."""
    following = index + 1
    return (
        tokens[index].text in {"'s", "’s"}
        and following < len(tokens)
        and bare(tokens[following].text) in ORGANIZATION_HEADS
        and (following + 1 == len(tokens) or not is_name_word(tokens, following + 1))
    )


def _is_legal_suffix_after_comma(tokens: list[Token], index: int) -> bool:
    """ "Acme, Inc.", "Siemens, AG": a comma and a legal form close the name before them."""
    following = index + 1
    return (
        tokens[index].text == ","
        and following < len(tokens)
        and tokens[following].is_capitalized
        and tokens[following].text.replace(".", "").lower() in LEGAL_SUFFIXES
    )


def _runs(tokens: list[Token]) -> list[list[int]]:
    """Token index runs that form candidate names, joined over connectors."""
    runs: list[list[int]] = []
    index = 0
    while index < len(tokens):
        if not is_name_word(tokens, index) and not _starts_with_the(tokens, index):
            index += 1
            continue
        run = [index]
        index += 1
        while index < len(tokens):
            if (
                is_name_word(tokens, index)
                or _is_inner_number(tokens, index)
                or _is_possessive_in_name(tokens, index)
            ):
                run.append(index)
                index += 1
                continue
            if _is_legal_suffix_after_comma(tokens, index):
                run.extend((index, index + 1))
                index += 2
                continue
            gap = index + 1
            if (
                tokens[index].text.lower() == "of"
                and gap < len(tokens)
                and tokens[gap].text == "the"
            ):
                gap += 1  # "Bank of the West"
            is_connector = tokens[index].text.lower() in NAME_CONNECTORS
            joinable = is_connector and gap < len(tokens) and is_name_word(tokens, gap)
            if joinable and _joins(tokens, run, index, gap):
                run.extend(range(index, gap))
                index = gap
                continue
            break
        runs.append(run)
    return runs


def _split_at_office_titles(tokens: list[Token], run: list[int]) -> list[tuple[list[int], bool]]:
    """Cut a run at office titles, which are dropped: "Illinois Gov. James Thompson".

    A leading dotted acronym is cut off too: "U.S. Congress" names two things.
    Returns (indices, titled) pairs; `titled` marks the part that followed a title.
    """
    parts: list[tuple[list[int], bool]] = []
    if len(run) > 1 and _DOTTED_ACRONYM.match(tokens[run[0]].text):
        parts.append(([run[0]], False))
        run = run[1:]
    current: list[int] = []
    titled = False
    for position, index in enumerate(run):
        is_title = bare(tokens[index].text) in OFFICE_TITLES
        followed = position + 1 < len(run) and run[position + 1] == index + 1
        if is_title and followed:
            if current:
                parts.append((current, titled))
            current, titled = [], True
            continue
        current.append(index)
    if current:
        parts.append((current, titled))
    return parts


def span_text(sentence: str, tokens: list[Token], first: int, last: int) -> str:
    """The name as written, without a sentence period glued to its last word."""
    text = sentence[tokens[first].start : tokens[last - 1].end]
    final = tokens[last - 1].text
    if text.endswith(".") and not _DOTTED_ACRONYM.match(final) and not _INITIAL.match(final):
        text = text[:-1]
    return text


def _is_adjective(tokens: list[Token], indices: list[int]) -> bool:
    """ "Chilean copper", "a Serb": a one-word people or region adjective, not a name."""
    if len(indices) != 1:
        return False
    index = indices[0]
    word = tokens[index].text
    following = tokens[index + 1].text if index + 1 < len(tokens) else ""
    previous = tokens[index - 1].text.lower() if index else ""
    demonym = word.endswith(ADJECTIVE_SUFFIXES) and word[:1].isupper() and word[1:].islower()
    return demonym and (following[:1].islower() or previous in {"a", "an"})


def _trim_sentence_start(tokens: list[Token], indices: list[int]) -> list[int]:
    """Drop a capitalised common word opening the sentence: "Composer Thomas", "Evaluating X"."""
    if indices[0] != 0 or len(indices) < 2:
        return indices
    word = tokens[0].text
    lowered = word.lower()
    if lowered in HONORIFICS:
        return indices
    common = lowered.endswith("ing") or (
        lowered.endswith(AGENT_SUFFIXES) and lowered not in NOT_AGENTS and len(lowered) > 4
    )
    return indices[1:] if common and word[1:].islower() else indices


def find_name_spans(sentence: str, tokens: list[Token]) -> list[NameSpan]:
    """All candidate names of a sentence, in order, typed only by office titles so far."""
    spans: list[NameSpan] = []
    for run in _runs(tokens):
        for part, titled in _split_at_office_titles(tokens, run):
            indices = _trim_sentence_start(tokens, part)
            if _is_adjective(tokens, indices):
                continue
            first, last = indices[0], indices[-1] + 1
            span = NameSpan(
                first=first,
                last=last,
                text=span_text(sentence, tokens, first, last),
                sentence_initial=first == 0 or tokens[first - 1].text in {'"', "“", "`", "("},
                words=[tokens[i].text for i in range(first, last)],
            )
            if titled:
                span.assign("Person", 3)
            spans.append(span)
    return spans
