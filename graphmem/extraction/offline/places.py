"""Where things are, as noun phrases say it: places before names, sites and homes, a
place right before "in <place>", and places within places.

- Places before names: "the U.S. Congress", "a Chicago-based company" (BASED_IN), "a Boston
  lawyer" (LIVES_IN), "Microsoft's Satya Nadella" (WORKS_AT).
- Sites and homes: "NRC headquarters in Rockville" (BASED_IN), "his home in Larchmont"
  (LIVES_IN).
- A place or organisation right before "in <place>", wherever the parser attached the
  preposition: "a flight from Kassala in eastern Sudan" (LOCATED_IN).
- Places within places: what is in "Miami, Fla." is in Fla. too (`within_places`).
"""

from __future__ import annotations

from spacy.tokens import Token

from graphmem.extraction.offline.arguments import Arguments, Found
from graphmem.extraction.offline.clauses import prepositional_objects
from graphmem.extraction.offline.mentions import Mention
from graphmem.extraction.offline.phrasings import (
    HOME_NOUNS,
    LOCATION,
    ORGANIZATION,
    PERSON,
    is_person_noun,
)

_SITE_NOUNS = frozenset(
    "headquarters office offices base plant factory branch campus studio studios".split()
)
# Relations to a place that hold of the places it lies within.
_CARRIED_OUTWARDS = frozenset({"LIVES_IN", "BORN_IN", "FROM", "BASED_IN", "LOCATED_IN"})


def place_relations(arguments: Arguments) -> list[Found]:
    """Every relation the sentence's noun phrases state about where things are."""
    found: list[Found] = []
    for token in arguments.mentions.doc:
        if token.dep_ in {"compound", "nmod", "poss", "npadvmod"}:
            found += _place_before_name(token, arguments)
        if token.lower_ in _SITE_NOUNS and token.pos_ == "NOUN":
            found += _site(token, arguments)
        if token.lower_ in HOME_NOUNS and token.pos_ == "NOUN":
            found += _home(token, arguments)
        if token.lower_ == "in" and token.dep_ == "prep":
            found += _place_before_in(token, arguments)
    return found


def _place_before_name(modifier: Token, arguments: Arguments) -> list[Found]:
    """ "the U.S. Congress", "Algeria's Ettahadi party" (BASED_IN), "Beijing's Tiananmen
    Square" (LOCATED_IN); a person's: "Microsoft's Satya Nadella" (WORKS_AT), "China's Li
    Peng" (LIVES_IN), and in apposition "a Boston lawyer" (LIVES_IN), "a NASA scientist"
    (WORKS_AT)."""
    place = arguments.mentions.at(modifier)
    if place is None or place.type not in {LOCATION, ORGANIZATION}:
        return []
    head = modifier.head
    if modifier.dep_ == "npadvmod":  # "a Chicago-based company"
        if head.lemma_ != "base" or head.dep_ != "amod":
            return []
        head = head.head
    named = arguments.mentions.at(head)
    in_apposition = named is None and (
        (head.dep_ == "appos" and head.pos_ == "NOUN")  # "X, a NASA scientist"
        or (head.dep_ == "compound" and is_person_noun(head.lower_))  # "China's Premier X"
    )
    if in_apposition:
        named = arguments.mentions.at(head.head)
    if named is None or named is place:
        return []
    owned = modifier.dep_ == "poss"  # "Microsoft's Satya Nadella", "China's Li Peng"
    if place.type == ORGANIZATION:
        role = in_apposition and is_person_noun(head.lower_)
        person = named.type == PERSON and (role or owned)
        return [Found(named, "WORKS_AT", place)] if person else []
    if named.type == ORGANIZATION:
        return [Found(named, "BASED_IN", place)]
    if named.type == LOCATION and owned:
        return [Found(named, "LOCATED_IN", place)]
    if named.type == PERSON and (in_apposition or owned):
        return [Found(named, "LIVES_IN", place)]
    return []


def _site(noun: Token, arguments: Arguments) -> list[Found]:
    """ "NRC headquarters in Rockville", "Ford's plant in Genk" (BASED_IN)."""
    owners = [arguments.mentions.at(c) for c in noun.children if c.dep_ in {"compound", "poss"}]
    organizations = [m for m in owners if m is not None and m.type == ORGANIZATION]
    places = [
        target
        for preposition, target in prepositional_objects(noun, arguments, None)
        if preposition in {"in", "at", "near"} and target.named and target.type == LOCATION
    ]
    return [Found(o, "BASED_IN", p) for o in organizations for p in places]


def _home(noun: Token, arguments: Arguments) -> list[Found]:
    """ "his home in suburban Larchmont", "Sohn's New Jersey home", "their hometown of
    Grants" (LIVES_IN)."""
    owner = arguments.owner(noun)
    if owner is None or owner.type != PERSON:
        return []
    places = [arguments.mentions.at(c) for c in noun.children if c.dep_ == "compound"]
    objects = prepositional_objects(noun, arguments, owner)
    places += [t for p, t in objects if p in {"in", "at", "of"}]  # "hometown of Grants"
    return [
        Found(owner, "LIVES_IN", place)
        for place in places
        if place is not None and place.named and place.type == LOCATION
    ]


def _place_before_in(preposition: Token, arguments: Arguments) -> list[Found]:
    """ "a flight to Khartoum from Kassala in eastern Sudan", "the Palace of Fine Arts, in
    San Francisco": a place (or an organisation) named right before "in <place>" lies (is
    based) in it, though the parser attached "in" to the verb or another noun."""
    doc = preposition.doc
    before = preposition.i - 1
    if before > 0 and doc[before].text == ",":
        before -= 1
    inner = arguments.mentions.at(doc[before]) if before >= 0 else None
    if inner is None or not inner.named or inner.type not in {LOCATION, ORGANIZATION}:
        return []
    if doc[before].dep_ == "conj":
        return []  # "dumping by Russia and Japan in the Sea of Japan": the dumping is there
    if preposition.head.i in inner.tokens:
        return []  # attached to the name itself: `nominals.py` reads it
    relation = "LOCATED_IN" if inner.type == LOCATION else "BASED_IN"
    return [
        Found(inner, relation, place)
        for obj in preposition.children
        if obj.dep_ == "pobj"
        for place in arguments.each(obj)
        if place.named and place.type == LOCATION and place is not inner
    ]


def within_places(found: list[Found]) -> list[Found]:
    """`found` and what it says of the outer places: a residence in "Miami, Fla." is a
    residence in Fla. too, a plant "in Aiken, S.C." is in S.C."""
    within: dict[int, list[Mention]] = {}
    for relation in found:
        if relation.relation == "LOCATED_IN":
            within.setdefault(id(relation.source), []).append(relation.target)
    extended = list(found)
    for relation in found:
        if relation.relation not in _CARRIED_OUTWARDS:
            continue
        for outer in within.get(id(relation.target), []):
            if outer is not relation.source:
                extended.append(Found(relation.source, relation.relation, outer, relation.ends))
    return extended
