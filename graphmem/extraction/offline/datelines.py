"""News datelines: "DAYTON, Ohio (AP)" places the agency, and nests the places.

A dateline opens pasted news with one or more places, maybe a date, then the agency in
parentheses ("(Text) Sofia, February 15 (BTA) --") or, before the dash, bare and in
capitals ("Moscow April 25 TASS --"). With a date the places need no other evidence.
Pasted news is common enough in memories for this to be worth its few lines.
"""

from __future__ import annotations

import itertools
import re

from graphmem.extraction.offline.arguments import Found
from graphmem.extraction.offline.mentions import IMPLIED, Mention, Mentions
from graphmem.extraction.offline.phrasings import LOCATION, ORGANIZATION

_PLACE = r"[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*"
_DAY = r"(?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8}\.?)"
_DATELINE = re.compile(
    rf"^\s*(?:\(Text\)\s*)?(?P<places>{_PLACE}(?:,\s*{_PLACE})*?)(?P<day>,?\s*{_DAY})?"
    r"\s*(?:\((?P<agency>[A-Za-z-]+)\)|(?P<wire>[A-Z][A-Z-]+)\s+--)"
)


def dateline_relations(mentions: Mentions) -> list[Found]:
    """The agency BASED_IN each place of a dateline, each place LOCATED_IN the next."""
    match = _DATELINE.match(mentions.doc.text)
    if match is None:
        return []
    names = [name.strip() for name in match.group("places").split(",") if name.strip()]
    dated = match.group("day") is not None
    if not dated and not all(name.isupper() or _is_place(mentions, name) for name in names):
        return []  # "Nihat (Marka)": a name and a nickname, no dateline
    places = [_mention(mentions, name, LOCATION) for name in names]
    agency = _mention(mentions, match.group("agency") or match.group("wire"), ORGANIZATION)
    found = [Found(agency, "BASED_IN", place) for place in places]
    nested = itertools.pairwise(places)
    return found + [Found(inner, "LOCATED_IN", outer) for inner, outer in nested]


def _is_place(mentions: Mentions, name: str) -> bool:
    return any(m.name.casefold() == name.casefold() and m.type == LOCATION for m in mentions.all)


def _mention(mentions: Mentions, name: str, entity_type: str) -> Mention:
    known = next((m for m in mentions.all if m.name.casefold() == name.casefold()), None)
    spelling = name.title() if name.isupper() and len(name) > 3 else name  # DAYTON -> Dayton
    mention = known or mentions.add(Mention(spelling))
    mention.assign(entity_type, IMPLIED + 1)
    return mention
