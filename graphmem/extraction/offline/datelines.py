"""News datelines: "DAYTON, Ohio (AP)" places the agency and nests the places.

A dateline opens a sentence with one or more places, maybe a date, then the agency in
parentheses. Pasted news is common enough in memories for this to be worth its few lines.
"""

from __future__ import annotations

import itertools
import re

from graphmem.extraction.offline.lexicon import MONTHS_AND_DAYS
from graphmem.extraction.offline.names import NameSpan
from graphmem.extraction.offline.patterns import LOCATION, ORGANIZATION
from graphmem.extraction.offline.relations import FoundRelation
from graphmem.extraction.offline.tokens import Token

_LEFTOVER = re.compile(r"[\W\d_]*")


def _only_separators(text: str) -> bool:
    """Whether `text` holds nothing but punctuation, numbers, month names and "(Text)"."""
    words = [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in MONTHS_AND_DAYS]
    return (
        not [w for w in words if w.lower() != "text"]
        and _LEFTOVER.fullmatch(re.sub(r"[A-Za-z]+", "", text)) is not None
    )


def find_dateline(sentence: str, tokens: list[Token], spans: list[NameSpan]) -> list[FoundRelation]:
    """Relations of a dateline at the start of `sentence`, or [] when there is none."""
    for index, agency in enumerate(spans[:4]):
        before = sentence[: tokens[agency.first].start].rstrip()
        after = sentence[tokens[agency.last - 1].end :].lstrip()
        if index == 0 or not before.endswith("(") or not after.startswith(")"):
            continue
        places = spans[:index]
        text = before
        for place in reversed(places):
            text = text[: tokens[place.first].start] + text[tokens[place.last - 1].end :]
        if not _only_separators(text[:-1]) or any(
            p.strength >= 2 and p.type != LOCATION for p in places
        ):
            return []
        agency.assign(ORGANIZATION, 3)
        for place in places:
            place.assign(LOCATION, 3)
        found = [FoundRelation(agency, "BASED_IN", place) for place in places]
        found += [
            FoundRelation(inner, "LOCATED_IN", outer) for inner, outer in itertools.pairwise(places)
        ]
        return found
    return []
