"""The common English phrasings of the relations graphmem's rules and retriever rely on.

A verb with its preposition (`work at`, `move to`, `born in`), or a role noun (`CEO of`,
`founder of`, `wife`), says a canonical relation: WORKS_AT, LIVES_IN, MARRIED_TO, CEO_OF,
BORN_IN, BASED_IN ... Any other verb phrase is an open relation named by the verb itself
(`open_relation`): "researches", "paints", "adopts from". The tables hold general English,
not one corpus's wording; role and family nouns are recognised through WordNet (a kind of
person, a kind of relative), not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import lemminflect

from graphmem.lexicon.wordnet import is_kind_of
from graphmem.models.naming import normalize_relation_type

PERSON, ORGANIZATION, LOCATION = "Person", "Organization", "Location"
DIRECT = ""
"""The "preposition" of a verb's direct object: `hire` + DIRECT is "X hired Y"."""


@dataclass(frozen=True)
class Phrasing:
    """What a phrasing says.

    Attributes:
        relation: the canonical relation type.
        source_type / target_type: what the slots imply of their entities (None: nothing).
        needs_target: the phrasing says `relation` only when the target already has this
            type ("joined Google" is employment, "joined a choir" is not).
        reverse: the grammatical object is the relation's source ("Google hired Ann").
        ends: the phrasing says the relation stopped holding ("left", "divorced").
        also: further relations the phrasing implies (a CEO also works at the company).
    """

    relation: str
    source_type: str | None = PERSON
    target_type: str | None = None
    needs_target: str | None = None
    reverse: bool = False
    ends: bool = False
    also: tuple[str, ...] = ()


def _each(words: str, prepositions: str, phrasing: Phrasing) -> dict[tuple[str, str], Phrasing]:
    return {
        (word, "" if preposition == "-" else preposition): phrasing
        for word in words.split()
        for preposition in prepositions.split()
    }


EMPLOYMENT = Phrasing("WORKS_AT", PERSON, ORGANIZATION)
_EMPLOYMENT_BY_OBJECT = Phrasing("WORKS_AT", ORGANIZATION, PERSON, reverse=True)
_EMPLOYMENT_IF_ORGANIZATION = Phrasing("WORKS_AT", PERSON, needs_target=ORGANIZATION)
RESIDENCE = Phrasing("LIVES_IN", PERSON, LOCATION)
ORIGIN = Phrasing("FROM", PERSON, LOCATION)
_KILLING = Phrasing("KILLED", PERSON, PERSON)

# (verb lemma, preposition or "" for the direct object) -> what an active clause says.
ACTIVE: dict[tuple[str, str], Phrasing] = {
    **_each("work teach", "at for", EMPLOYMENT),
    **_each("work", "with in", _EMPLOYMENT_IF_ORGANIZATION),
    **_each("join", "-", _EMPLOYMENT_IF_ORGANIZATION),
    **_each("sign", "with", EMPLOYMENT),
    **_each("hire employ recruit", "-", _EMPLOYMENT_BY_OBJECT),
    **_each("live reside settle", "in", RESIDENCE),
    **_each("move relocate emigrate immigrate", "to", Phrasing("LIVES_IN", PERSON)),
    **_each("move", "from", Phrasing("LIVES_IN", PERSON, ends=True)),
    **_each("leave quit", "-", Phrasing("WORKS_AT", PERSON, needs_target=ORGANIZATION, ends=True)),
    **_each("resign retire", "from", Phrasing("WORKS_AT", PERSON, ORGANIZATION, ends=True)),
    **_each("marry wed", "-", Phrasing("MARRIED_TO", PERSON, PERSON)),
    **_each("divorce", "-", Phrasing("MARRIED_TO", PERSON, PERSON, ends=True)),
    **_each("separate", "from", Phrasing("MARRIED_TO", PERSON, PERSON, ends=True)),
    **_each("come hail", "from", Phrasing("FROM", None, LOCATION)),
    **_each("serve", "in on at with for", _EMPLOYMENT_IF_ORGANIZATION),
    **_each("run operate head lead direct chair", "-", _EMPLOYMENT_IF_ORGANIZATION),
    **_each("know meet", "-", Phrasing("KNOWS", PERSON, needs_target=PERSON)),
    **_each("manage supervise", "-", Phrasing("MANAGES", PERSON)),
    **_each("report", "to", Phrasing("REPORTS_TO", PERSON, PERSON)),
    **_each("study", "at", Phrasing("STUDIED_AT", PERSON, ORGANIZATION)),
    **_each("attend", "-", Phrasing("STUDIED_AT", PERSON, needs_target=ORGANIZATION)),
    **_each("graduate", "from", Phrasing("STUDIED_AT", PERSON, ORGANIZATION)),
    **_each("like love enjoy adore", "-", Phrasing("LIKES", None)),
    **_each("found cofound co-found establish", "-", Phrasing("FOUNDED", PERSON, ORGANIZATION)),
    **_each("kill assassinate murder slay execute stab strangle", "-", _KILLING),
    **_each("shoot", "-", Phrasing("KILLED", PERSON, needs_target=PERSON)),
}

# (verb lemma, preposition) -> what a passive clause says of its subject ("was born in").
# The preposition "by" is the agent: "Garfield was shot by Guiteau".
PASSIVE: dict[tuple[str, str], Phrasing] = {
    **_each("bear", "in", Phrasing("BORN_IN", PERSON, LOCATION)),
    **_each("base headquarter", "in", Phrasing("BASED_IN", ORGANIZATION, LOCATION)),
    **_each("locate situate", "in", Phrasing("LOCATED_IN", None, LOCATION)),
    **_each("employ", "at by", EMPLOYMENT),
    **_each("hire", "by", EMPLOYMENT),
    **_each("fire", "from by", Phrasing("WORKS_AT", PERSON, ORGANIZATION, ends=True)),
    **_each("marry", "to", Phrasing("MARRIED_TO", PERSON, PERSON)),
    **_each(
        "kill assassinate murder slay execute stab strangle shoot",
        "by",
        Phrasing("KILLED", PERSON, PERSON, reverse=True),
    ),
    **_each("found establish", "by", Phrasing("FOUNDED", ORGANIZATION, PERSON, reverse=True)),
}

# Adjectives and participles after "be" (acomp): "is married to", "is based in".
ATTRIBUTES: dict[tuple[str, str], Phrasing] = {
    **_each("married", "to", Phrasing("MARRIED_TO", PERSON, PERSON)),
    **_each("based headquartered", "in", Phrasing("BASED_IN", ORGANIZATION, LOCATION)),
    **_each("located situated", "in", Phrasing("LOCATED_IN", None, LOCATION)),
    **_each("born", "in", Phrasing("BORN_IN", PERSON, LOCATION)),
    **_each("employed", "at by", EMPLOYMENT),
}

# Role nouns that say more than employment: "X is the CEO of Y", "X, founder of Y".
_ROLES: dict[str, Phrasing] = {
    "ceo": Phrasing("CEO_OF", PERSON, ORGANIZATION, also=("WORKS_AT",)),
    "founder": Phrasing("FOUNDED", PERSON, ORGANIZATION),
    "cofounder": Phrasing("FOUNDED", PERSON, ORGANIZATION),
    "co-founder": Phrasing("FOUNDED", PERSON, ORGANIZATION),
    "wife": Phrasing("MARRIED_TO", PERSON, PERSON),
    "husband": Phrasing("MARRIED_TO", PERSON, PERSON),
    "spouse": Phrasing("MARRIED_TO", PERSON, PERSON),
    "friend": Phrasing("KNOWS", PERSON, PERSON),
    "boss": Phrasing("MANAGES", PERSON, PERSON),
    "manager": Phrasing("MANAGES", PERSON),
    "assassin": Phrasing("KILLED", PERSON, PERSON),
    "killer": Phrasing("KILLED", PERSON, PERSON),
    "murderer": Phrasing("KILLED", PERSON, PERSON),
    "resident": Phrasing("LIVES_IN", PERSON, LOCATION),
    "citizen": Phrasing("LIVES_IN", PERSON, LOCATION),
    "native": Phrasing("BORN_IN", PERSON, LOCATION),
    "student": Phrasing("STUDIED_AT", PERSON, ORGANIZATION),
    "fan": Phrasing("LIKES", PERSON),
}
OFFICE_TITLES = frozenset(
    """
    sen sen. rep rep. gov gov. gen gen. col col. capt capt. lt lt. sgt sgt. adm adm. maj maj.
    senator governor mayor judge justice minister ambassador chancellor premier secretary
    chairman chairwoman
    """.split()
)
KILLING_NOUNS = frozenset({"assassination", "murder", "killing", "slaying"})
HOME_NOUNS = frozenset({"home", "hometown", "homeland", "homestate"})
# Nouns for places whose commonest WordNet sense is no kind of location ("nation" is a
# political unit, "island" a land mass); `is_place_noun` asks WordNet for the rest.
PLACE_NOUNS = frozenset(
    "city town village capital state nation country republic kingdom island continent".split()
)
_EMPLOYMENT_PREPOSITIONS = frozenset({"of", "at", "for", "with", "in", ""})


def role_phrasing(noun: str, preposition: str, target_type: str) -> Phrasing | None:
    """What "X, <noun> <preposition> Y" says, Y typed `target_type`; None: no relation.

    A kind of relative says `<NOUN>_OF` ("sister of" -> SISTER_OF); a kind of person
    with an organisation says WORKS_AT, with a place LIVES_IN ("from" a place: FROM, as
    "X is from Y" says); a place noun with a place says LOCATED_IN ("a city in Spain").
    """
    noun = noun.casefold()
    if noun in _ROLES:
        return _ROLES[noun]
    if is_relative(noun):
        return Phrasing(f"{_singular(noun).upper()}_OF", PERSON, PERSON)
    if is_place_noun(noun) and preposition in {"in", "of", ""} and target_type == LOCATION:
        return Phrasing("LOCATED_IN", LOCATION, LOCATION)  # "a city in Spain", "Spain's city"
    if is_person_noun(noun) and preposition == "from" and target_type == LOCATION:
        return ORIGIN  # "a lawyer from Chicago"
    if is_person_noun(noun) and preposition in _EMPLOYMENT_PREPOSITIONS:
        if target_type == ORGANIZATION:
            return EMPLOYMENT  # "a major in the Marine Corps", "a nurse at St Mary's"
        if target_type == LOCATION and preposition in {"of", "in", ""}:
            return RESIDENCE  # "a lawyer in Chicago", "the mayor of Rome"
    return None


@lru_cache(maxsize=8192)
def is_person_noun(noun: str) -> bool:
    """A noun for a kind of person: "economist", "spokesman", "sister" (WordNet), or a
    title of office ("Gov.")."""
    noun = noun.casefold().rsplit("-", 1)[-1]  # "vice-president", "co-chair"
    return noun in OFFICE_TITLES or is_kind_of(_singular(noun), "person")


@lru_cache(maxsize=8192)
def is_place_noun(noun: str) -> bool:
    """A noun for a kind of place: "city", "nation", "suburb", "province" (WordNet)."""
    singular = _singular(noun)
    return singular in PLACE_NOUNS or is_kind_of(singular, "location")


@lru_cache(maxsize=8192)
def is_relative(noun: str) -> bool:
    """A noun for a kind of relative: "sister", "son", "kids", "in-law" (WordNet)."""
    singular = _singular(noun)
    return singular in {"kid", "child"} or is_kind_of(singular, "relative")


def open_relation(verb: str, particle: str, preposition: str, *, passive: bool) -> str:
    """The relation type a verb phrase names: "research" -> RESEARCHES, "adopt" + "from"
    -> ADOPTS_FROM; a passive keeps its participle ("raised" + "in" -> RAISED_IN).

    Example:
        >>> open_relation("go", "", "to", passive=False)
        'GOES_TO'
        >>> open_relation("raise", "", "in", passive=True)
        'RAISED_IN'
    """
    form = "VBN" if passive else "VBZ"
    inflected = lemminflect.getInflection(verb, form)
    words = [inflected[0] if inflected else verb, particle, preposition]
    return normalize_relation_type(" ".join(word for word in words if word))


def _singular(noun: str) -> str:
    lemmas = lemminflect.getLemma(noun, upos="NOUN")
    return lemmas[0].casefold() if lemmas else noun
