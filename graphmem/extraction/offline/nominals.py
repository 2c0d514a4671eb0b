"""Relations stated inside noun phrases, with no verb: roles and possessives.

- Appositions: "Fred Demler, an economist with Drexel" (WORKS_AT), "Tim Cook, the CEO of
  Apple" (CEO_OF); "Miami, Fla." (LOCATED_IN).
- A name's own prepositions: "Andrew Hall of Miami" (LIVES_IN), "Ann Lee of Acme Corp"
  (WORKS_AT).
- A role before a name: "Chevron spokesman John Smith" (WORKS_AT), "Google CEO Sundar".
- Possessives: "Bob's wife Jane" (MARRIED_TO), "my sister Ana" (SISTER_OF), "Caroline's
  kids" (KID_OF, the kids named after Caroline).
Killings named by a noun ("the assassination of Lincoln by Booth") are read in
`killings.py`; places named before or around names ("the U.S. Congress", "NRC headquarters in
Rockville") are read in `places.py`.
"""

from __future__ import annotations

from spacy.tokens import Token

from graphmem.extraction.offline.arguments import Arguments, Found
from graphmem.extraction.offline.clauses import apply_phrasing, owned_role, prepositional_objects
from graphmem.extraction.offline.mentions import GROUP, IMPLIED, Mention
from graphmem.extraction.offline.phrasings import (
    EMPLOYMENT,
    LOCATION,
    ORGANIZATION,
    PERSON,
    is_person_noun,
    is_place_noun,
    is_relative,
    role_phrasing,
)

_PERSON_PREPOSITIONS = frozenset({"of", "from", "at", "with", "in"})


def nominal_relations(arguments: Arguments) -> list[Found]:
    """Every relation the sentence's noun phrases state."""
    found: list[Found] = []
    _type_people_by_apposition(arguments)
    for token in arguments.mentions.doc:
        if token.dep_ == "appos":
            found += _apposition(token, arguments)
        elif token.dep_ == "poss":
            found += _possessive(token, arguments) + _owned_organization(token, arguments)
        elif token.dep_ == "compound" and token.pos_ in {"NOUN", "PROPN"}:
            found += _role_before_name(token, arguments)
        if token.dep_ == "prep" and token.lower_ in _PERSON_PREPOSITIONS:
            found += _name_with_preposition(token, arguments)
    return found


def _type_people_by_apposition(arguments: Arguments) -> None:
    """ "Tal, a senior Defense Ministry official": a name with a person noun in apposition
    names a person, whatever the recogniser guessed."""
    for token in arguments.mentions.doc:
        if token.dep_ == "appos" and token.pos_ == "NOUN" and is_person_noun(token.lower_):
            named = arguments.mentions.at(token.head)
            if named is not None and arguments.mentions.at(token) is None:
                named.assign(PERSON, IMPLIED)


def _apposition(token: Token, arguments: Arguments) -> list[Found]:
    head = arguments.mentions.at(token.head)
    if head is None:
        named = arguments.mentions.at(token)
        if named is not None and _is_role(token.head):
            # "the deputy secretary of the Foreign Ministry, Datuk Abdul Halim Ali"
            return _role_relations(token.head, named, arguments)
        return []
    appended = arguments.mentions.at(token)
    if appended is not None and appended.type != GROUP:
        if head.type == LOCATION and appended.type == LOCATION and head is not appended:
            return [Found(head, "LOCATED_IN", appended)]
        return []
    found: list[Found] = []
    for role in [token, *token.conjuncts]:  # "vice president and columnist for X"
        role = _one_of(role)
        if role.pos_ == "NOUN" or appended is not None:
            found += _role_relations(role, head, arguments)
    return found


def _one_of(token: Token) -> Token:
    """ "one of the top strategists in Israel": the role is the strategists'."""
    if token.lower_ != "one":
        return token
    for preposition in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
        for obj in preposition.children:
            if obj.dep_ == "pobj" and obj.pos_ == "NOUN":
                return obj
    return token


def _is_role(token: Token) -> bool:
    return token.pos_ in {"NOUN", "PROPN"} and is_person_noun(token.lower_)


def _role_relations(role: Token, person: Mention, arguments: Arguments) -> list[Found]:
    """What a role noun says of the person who has it: "economist with Drexel", "CEO of
    Apple", "vice president of daytime programs for ABC", "Bob's wife"."""
    found: list[Found] = []
    objects = [
        (preposition, target)
        for preposition, target in prepositional_objects(role, arguments, person)
        if target.named
    ]
    if not objects:  # "president of daytime programs for ABC": one preposition further
        objects = [
            (preposition, target)
            for preposition_token in role.children
            if preposition_token.dep_ == "prep"
            for obj in preposition_token.children
            if obj.dep_ == "pobj"
            for preposition, target in prepositional_objects(obj, arguments, person)
            if target.named and target.type == ORGANIZATION
        ]
    for preposition, target in objects:
        phrasing = role_phrasing(role.lemma_, preposition, target.type)
        if phrasing is not None and target is not person:
            found += apply_phrasing(phrasing, person, target)
    owner = arguments.owner(role)
    if owner is not None and owner.name != person.name:
        found += owned_role(role.lemma_.casefold(), person, owner)
    return found


def _owned_organization(token: Token, arguments: Arguments) -> list[Found]:
    """ "Mulroney's Progressive Conservative Party": a person's own organisation is one the
    person works in (leads, belongs to)."""
    owner = arguments.mentions.at(token)
    organization = arguments.mentions.at(token.head)
    if owner is None or organization is None or owner is organization:
        return []
    if owner.type != PERSON or organization.type != ORGANIZATION:
        return []
    return [Found(owner, "WORKS_AT", organization)]


def _possessive(token: Token, arguments: Arguments) -> list[Found]:
    """ "Bob's wife Jane", "my sister Ana", "Caroline's kids": a person noun owned by a
    named owner relates its bearer to the owner."""
    noun = token.head
    if noun.dep_ in {"attr", "appos"}:
        return []  # "X is Bob's wife", "Michael, my dad": the copula's, the apposition's
    owner = arguments.of(token)
    if owner is None or not owner.named or noun.pos_ != "NOUN":
        return []
    if owner.type == LOCATION and is_place_noun(noun.lower_):  # "Bosnia's capital, Sarajevo"
        places = [arguments.mentions.at(c) for c in noun.children if c.dep_ == "appos"]
        return [Found(p, "LOCATED_IN", owner) for p in places if p and p.type == LOCATION]
    if not is_person_noun(noun.lower_):
        return []
    if is_relative(noun.lower_):
        owner.assign(PERSON, IMPLIED)  # only a person has a sister or kids
    appended = _apposed_name(noun, arguments)
    if appended is None and owner.type != PERSON:
        return []  # "International Paper's chairman" alone names nobody
    bearer = appended or arguments.mentions.phrase(noun, owner)
    if bearer is None or bearer.name == owner.name:
        return []
    if not bearer.named:
        bearer.assign(PERSON, 2)
    relation = owned_role(noun.lemma_.casefold(), bearer, owner)
    if relation or not is_relative(noun.lower_):
        return relation
    return []


def _apposed_name(noun: Token, arguments: Arguments) -> Mention | None:
    """The name in apposition to `noun`: "Bob's wife, Jane"; also when the parser hung the
    name after the comma elsewhere ("operated on Kennedy's assassin, Lee Harvey Oswald,")."""
    for child in noun.children:
        if child.dep_ == "appos" and arguments.mentions.at(child) is not None:
            return arguments.mentions.at(child)
    doc = noun.doc
    if noun.i + 2 >= len(doc) or doc[noun.i + 1].text != ",":
        return None
    named = arguments.mentions.at(doc[noun.i + 2])
    if named is None or min(named.tokens) != noun.i + 2:
        return None
    root = doc[max(named.tokens)]
    return named if root.dep_ in {"appos", "npadvmod", "dep"} else None


def _role_before_name(token: Token, arguments: Arguments) -> list[Found]:
    """ "Chevron spokesman John Smith", "CNEN Radioprotection Director Laercio Vinhas": a
    role noun before a name, with the nearest name among the words before it."""
    person = arguments.mentions.at(token.head)
    if person is None or person.tokens & {token.i} or not is_person_noun(token.lower_):
        return []
    for modifier in _premodifiers(token):
        other = arguments.mentions.at(modifier)
        if other is None or other is person or other.type not in {ORGANIZATION, LOCATION, PERSON}:
            continue
        phrasing = role_phrasing(token.lemma_, "", other.type)
        if phrasing is not None:
            return apply_phrasing(phrasing, person, other)  # "King assassin James Earl Ray"
        return []
    return []


def _premodifiers(noun: Token) -> list[Token]:
    """The words before `noun` in its noun phrase, nearest first: its compounds and, as the
    parser often attaches a run of proper nouns flat to the last one ("Acme Corp President
    Laura Beck"), the compounds before it that share its head."""
    found: list[Token] = []
    for word in reversed(noun.doc[: noun.i]):
        inside = noun.head.i >= word.head.i > word.i
        if word.dep_ != "case" and not (word.dep_ in {"compound", "nmod", "poss"} and inside):
            break
        found.append(word)  # the "'s" of "McKinley's assassin Leon Czolgosz" too
    return found


def _name_with_preposition(preposition: Token, arguments: Arguments) -> list[Found]:
    """ "Andrew Hall of Miami" (LIVES_IN), "Ann Lee of Acme Corp" (WORKS_AT), "the Palace
    of Fine Arts, in San Francisco" (LOCATED_IN), "Drexel Inc. in New York", "Hanover
    Trust Co. of New York" (BASED_IN)."""
    person = arguments.mentions.at(preposition.head)
    if person is None:
        return []
    placed = preposition.lower_ == "in" or (
        preposition.lower_ == "of" and person.type == ORGANIZATION
    )
    if person.type in {LOCATION, ORGANIZATION} and placed:  # "Hanover Trust Co. of New York"
        relation = "LOCATED_IN" if person.type == LOCATION else "BASED_IN"
        return [
            Found(person, relation, place)
            for obj in preposition.children
            if obj.dep_ == "pobj"
            for place in arguments.each(obj)
            if place.named and place.type == LOCATION and place is not person
        ]
    if person.type != PERSON or preposition.lower_ == "in":
        return []
    found: list[Found] = []
    for obj in (c for c in preposition.children if c.dep_ == "pobj"):
        for target in arguments.each(obj, person):
            if not target.named:
                # "Stephanie Powell, of the DEM's division": of a unit of the DEM
                target = arguments.owner(obj) or target
            if not target.named:
                continue
            if target.type == ORGANIZATION:
                found += apply_phrasing(EMPLOYMENT, person, target)
            elif target.type == LOCATION and preposition.lower_ in {"of", "from"}:
                relation = "LIVES_IN" if preposition.lower_ == "of" else "FROM"
                found.append(Found(person, relation, target))
    return found
