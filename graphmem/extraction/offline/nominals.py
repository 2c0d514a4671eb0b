"""Relations stated inside noun phrases, with no verb: roles, possessives and places.

- Appositions: "Fred Demler, an economist with Drexel" (WORKS_AT), "Tim Cook, the CEO of
  Apple" (CEO_OF); "Miami, Fla." (LOCATED_IN).
- A name's own prepositions: "Andrew Hall of Miami" (LIVES_IN), "Ann Lee of Acme Corp"
  (WORKS_AT).
- A role before a name: "Chevron spokesman John Smith" (WORKS_AT), "Google CEO Sundar".
- Possessives: "Bob's wife Jane" (MARRIED_TO), "my sister Ana" (SISTER_OF), "Caroline's
  kids" (KID_OF, the kids named after Caroline).
- Places before names: "the U.S. Congress", "a Chicago-based company" (BASED_IN), "a Boston
  lawyer" (LIVES_IN); sites and homes: "NRC headquarters in Rockville" (BASED_IN), "his
  home in Larchmont" (LIVES_IN).
- Killings named by a noun: "the assassination of Lincoln by Booth" (KILLED).
"""

from __future__ import annotations

from spacy.tokens import Token

from graphmem.extraction.offline.arguments import Arguments, Found
from graphmem.extraction.offline.clauses import apply_phrasing, owned_role, prepositional_objects
from graphmem.extraction.offline.mentions import GROUP, IMPLIED, Mention
from graphmem.extraction.offline.phrasings import (
    EMPLOYMENT,
    HOME_NOUNS,
    KILLING_NOUNS,
    LOCATION,
    ORGANIZATION,
    PERSON,
    PLACE_NOUNS,
    is_person_noun,
    is_relative,
    role_phrasing,
)

_PERSON_PREPOSITIONS = frozenset({"of", "from", "at", "with", "in"})
_SITE_NOUNS = frozenset(
    "headquarters office offices base plant factory branch campus studio studios".split()
)


def nominal_relations(arguments: Arguments) -> list[Found]:
    """Every relation the sentence's noun phrases state."""
    found: list[Found] = []
    _type_people_by_apposition(arguments)
    for token in arguments.mentions.doc:
        if token.dep_ == "appos":
            found += _apposition(token, arguments)
        elif token.dep_ == "poss":
            found += _possessive(token, arguments)
        elif token.dep_ == "compound" and token.pos_ in {"NOUN", "PROPN"}:
            found += _role_before_name(token, arguments)
        if token.dep_ == "prep" and token.lower_ in _PERSON_PREPOSITIONS:
            found += _name_with_preposition(token, arguments)
        if token.dep_ in {"compound", "nmod", "poss", "npadvmod"}:
            found += _place_before_name(token, arguments)
        if token.lemma_.casefold() in KILLING_NOUNS and token.pos_ == "NOUN":
            found += _killing(token, arguments)
        if token.lower_ in _SITE_NOUNS and token.pos_ == "NOUN":
            found += _site(token, arguments)
        if token.lower_ in HOME_NOUNS and token.pos_ == "NOUN":
            found += _home(token, arguments)
    return _extend_residence(found, arguments)


def _type_people_by_apposition(arguments: Arguments) -> None:
    """ "Tal, a senior Defense Ministry official": a name with a person noun in apposition
    names a person, whatever the recogniser guessed."""
    for token in arguments.mentions.doc:
        if token.dep_ == "appos" and token.pos_ == "NOUN" and is_person_noun(token.lower_):
            named = arguments.mentions.at(token.head)
            if named is not None and arguments.mentions.at(token) is None:
                named.assign(PERSON, IMPLIED)


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
    if token.pos_ != "NOUN" and appended is None:
        return []
    found: list[Found] = []
    for role in [token, *token.conjuncts]:  # "vice president and columnist for X"
        found += _role_relations(role, head, arguments)
    return found


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


def _possessive(token: Token, arguments: Arguments) -> list[Found]:
    """ "Bob's wife Jane", "my sister Ana", "Caroline's kids": a person noun owned by a
    named owner relates its bearer to the owner."""
    noun = token.head
    if noun.dep_ in {"attr", "appos"}:
        return []  # "X is Bob's wife", "Michael, my dad": the copula's, the apposition's
    owner = arguments.of(token)
    if owner is None or not owner.named or noun.pos_ != "NOUN":
        return []
    if owner.type == LOCATION and noun.lower_ in PLACE_NOUNS:  # "Bosnia's capital, Sarajevo"
        places = [arguments.mentions.at(c) for c in noun.children if c.dep_ == "appos"]
        return [Found(p, "LOCATED_IN", owner) for p in places if p and p.type == LOCATION]
    if not is_person_noun(noun.lower_):
        return []
    if is_relative(noun.lower_):
        owner.assign(PERSON, IMPLIED)  # only a person has a sister or kids
    appended = next(
        (arguments.mentions.at(c) for c in noun.children if c.dep_ == "appos"),
        None,
    )
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


def _killing(noun: Token, arguments: Arguments) -> list[Found]:
    """ "the assassination of Lincoln by Booth", "Lincoln's murder by Booth"."""
    victims = [m for c in noun.children if c.dep_ == "poss" for m in arguments.each(c)]
    killers: list[Mention] = []
    for preposition, target in prepositional_objects(noun, arguments, None):
        if preposition == "of":
            victims.append(target)
        elif preposition == "by":
            killers.append(target)
    return [
        Found(killer, "KILLED", victim)
        for killer in killers
        for victim in victims
        if killer.named and victim.named and killer is not victim
    ]


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
    index = noun.i - 1
    while index >= 0:
        word = noun.doc[index]
        inside = word.head.i > word.i and word.head.i <= noun.head.i
        if word.dep_ not in {"compound", "nmod", "poss", "case"} or not inside:
            break
        found.append(word)
        index -= 1
    return found


def _name_with_preposition(preposition: Token, arguments: Arguments) -> list[Found]:
    """ "Andrew Hall of Miami" (LIVES_IN), "Ann Lee of Acme Corp" (WORKS_AT), "the Palace
    of Fine Arts, in San Francisco" (LOCATED_IN), "Drexel Inc. in New York" (BASED_IN)."""
    person = arguments.mentions.at(preposition.head)
    if person is None:
        return []
    if person.type in {LOCATION, ORGANIZATION} and preposition.lower_ == "in":
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


def _extend_residence(found: list[Found], arguments: Arguments) -> list[Found]:
    """A residence in "Miami, Fla." is a residence in Fla. too."""
    within: dict[int, list[Mention]] = {}
    for relation in found:
        if relation.relation == "LOCATED_IN":
            within.setdefault(id(relation.source), []).append(relation.target)
    extended = list(found)
    for relation in found:
        if relation.relation == "LIVES_IN":
            for outer in within.get(id(relation.target), []):
                extended.append(Found(relation.source, "LIVES_IN", outer, relation.ends))
    return extended
