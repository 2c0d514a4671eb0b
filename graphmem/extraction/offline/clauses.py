"""Relations stated by clauses: a verb with its subject and objects, or "X is ...".

Each verb's subject (or, in the passive, its agent) is the source; its direct object and
its prepositional objects are targets. A canonical phrasing (`phrasings.py`) names the
relation WORKS_AT, LIVES_IN, ...; any other verb names an open one (RESEARCHES, GOES_TO).
A negated or hypothetical clause ("would", "could", "might") states nothing; "no longer"
and verbs of leaving end a relation. "X is Y's wife", "X is the CEO of Y", "X is proud of
Y", "X is a nurse" are read from the copula.

Choices: a verb with a direct object relates its prepositional objects only when they are
names ("showed it to Caroline") or participants (from / to / with: "adopted a cat from a
shelter"), since "gave a talk at a school event" has one relation worth keeping, to the
talk; a verb governed by another ("is planning to continue") names
the pair (PLANS_TO_CONTINUE) unless the governor only begins or ends it ("stopped working
at" ends WORKS_AT).
"""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Token

from graphmem.extraction.offline.arguments import Arguments, Found
from graphmem.extraction.offline.mentions import GUESSED, IMPLIED, Mention
from graphmem.extraction.offline.phrasings import (
    ACTIVE,
    ATTRIBUTES,
    DIRECT,
    HOME_NOUNS,
    PASSIVE,
    PERSON,
    Phrasing,
    is_person_noun,
    open_relation,
    role_phrasing,
)
from graphmem.models.naming import normalize_relation_type

_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_ASPECT_BEGINS = frozenset({"start", "begin", "continue", "keep", "resume"})
_ASPECT_ENDS = frozenset({"stop", "quit", "cease", "use"})  # "used to work at": no longer
_AUXILIARY_VERBS = frozenset({"be", "have", "do", "get"})
_HYPOTHETICAL = frozenset({"would", "'d", "could", "might", "should"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# Prepositions that name a participant rather than a circumstance: "adopted a cat from a
# shelter", "gave a book to a friend", "went camping with the kids".
_PARTICIPANT_PREPOSITIONS = frozenset({"from", "to", "with"})
_CAUSATIVES = frozenset({"keep", "make", "let", "leave", "get", "help", "have"})
_COMPLEMENTS = frozenset({"oprd", "ccomp", "xcomp", "acomp"})


def clause_relations(arguments: Arguments) -> list[Found]:
    """Every relation the clauses of the sentence state."""
    found: list[Found] = []
    for token in arguments.mentions.doc:
        if token.pos_ not in {"VERB", "AUX"} or token.dep_ in {"aux", "auxpass"}:
            continue
        ends = _ends(token)
        if ends is None:
            continue  # negated
        if token.lemma_ == "be":
            found += _copula(token, arguments, ends)
        else:
            found += _verb(token, arguments, ends)
    return found


def _ends(verb: Token) -> bool | None:
    """False for a plain clause, True for "no longer", None for a negated or hypothetical
    clause ("does not work", "you'd be a great counselor")."""
    if any(c.dep_ == "aux" and c.lower_ in _HYPOTHETICAL for c in verb.children):
        return None
    if any(
        c.lower_ == "longer" and any(n.dep_ == "neg" for n in c.children) for c in verb.children
    ):
        return True
    return None if any(c.dep_ == "neg" for c in verb.children) else False


def subjects(verb: Token, arguments: Arguments) -> list[Mention]:
    """Who or what does `verb`: its own subject, or the one it shares with the verb it is
    coordinated with or governed by ("and showed it", "planning to continue"), or the noun
    a participle qualifies ("a company based in Austin")."""
    own = [c for c in verb.children if c.dep_ in _SUBJECTS and not _refers_back(c)]
    if not own and verb.tag_ == "VBZ":
        # "Caroline values family time" parsed as a compound "Caroline values": the name
        # before a verb that has no subject is its subject
        own = [c for c in verb.lefts if c.dep_ in {"compound", "nmod"} and c.pos_ == "PROPN"]
    if own:
        return [m for c in own for m in arguments.each(c)]
    if verb.dep_ == "xcomp" and _is_passive(verb.head):
        return []  # "the grit needed to face challenges": the grit faces nothing
    if verb.dep_ == "xcomp" and verb.head.dep_ == "acomp":
        return subjects(verb.head.head, arguments)  # "Jon is determined to make ..."
    if verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head.i != verb.i:
        return subjects(verb.head, arguments)
    if verb.dep_ == "pcomp" and verb.head.head.pos_ in {"VERB", "AUX"}:
        return subjects(verb.head.head, arguments)  # "acted alone in killing Kennedy"
    if verb.dep_ == "acl" and verb.tag_ not in {"VBN", "VBG"}:
        return []  # "an opportunity to start a business": the opportunity starts nothing
    if verb.dep_ in {"acl", "relcl"} and verb.head.pos_ in {"NOUN", "PROPN"}:
        mention = arguments.of(verb.head)
        return [mention] if mention is not None else []
    return []


def _refers_back(noun: Token) -> bool:
    """ "The museum", "this one": a bare definite noun refers to something named before,
    which a single sentence does not say; as a subject it would merge every museum."""
    if noun.pos_ != "NOUN":
        return False
    definite = any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in noun.children)
    modified = any(c.dep_ in {"compound", "amod", "poss", "nmod"} for c in noun.children)
    return definite and not modified


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
        return True
    return verb.dep_ == "acl" and verb.tag_ == "VBN"


def _verb(verb: Token, arguments: Arguments, ends: bool) -> list[Found]:
    if verb.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in verb.head.children):
        return []  # "encouraged Jon to keep up the work": Jon's, and only encouraged
    lemma = verb.lemma_.casefold()
    sources = subjects(verb, arguments)
    if _kills(lemma):
        sources = _wielders(verb, arguments) or sources
    if not sources:
        return []
    passive = _is_passive(verb)
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), "")
    governor = _governor(verb)
    if governor is not None and governor.lemma in _ASPECT_ENDS:
        ends = True
    day = arguments.day(verb) or (arguments.day(verb.head) if verb.dep_ == "xcomp" else None)
    found: list[Found] = []
    objects = [c for c in verb.children if c.dep_ in {"dobj", "attr"}]
    if lemma in _CAUSATIVES and any(c.dep_ in _COMPLEMENTS for c in verb.children):
        return []  # "kids who keep her motivated", "made Caroline feel accepted"
    for source in sources:
        nouns = [t for obj in objects for t in [obj, *obj.conjuncts]]
        if lemma == "have":  # "has a husband and kids": the husband is Melanie's
            found += _had_relatives(nouns, source, arguments)
            nouns = [t for t in nouns if not _is_person_noun(t)]
        targets = [m for m in (arguments.of(t, source) for t in nouns) if m is not None]
        targets = [t for t in targets if t.name != source.name]  # "expresses herself"
        for target in targets:
            found += _relations(source, target, lemma, DIRECT, particle, passive, governor)
        for preposition, target in prepositional_objects(verb, arguments, source):
            if preposition == "by" and passive:
                found += _relations(target, source, lemma, "", particle, False, governor)
            elif not targets or target.named or preposition in _PARTICIPANT_PREPOSITIONS:
                found += _relations(source, target, lemma, preposition, particle, passive, governor)
    return [Found(f.source, f.relation, f.target, ends or f.ends, day) for f in found]


def _kills(lemma: str) -> bool:
    phrasing = ACTIVE.get((lemma, DIRECT))
    return phrasing is not None and phrasing.relation == "KILLED"


def _wielders(verb: Token, arguments: Arguments) -> list[Mention]:
    """ "Oswald fired the shots that killed Kennedy": what a thing did to someone, the
    person who fired, set or threw it did (the subject of the verb it is the object of)."""
    thing = verb.head
    if verb.dep_ != "relcl" or thing.dep_ != "dobj" or _is_person_noun(thing):
        return []
    if thing.pos_ != "NOUN" or thing.head.pos_ != "VERB":
        return []
    return [m for m in subjects(thing.head, arguments) if m.type == PERSON]


def _is_person_noun(token: Token) -> bool:
    return token.pos_ == "NOUN" and is_person_noun(token.lower_)


def _had_relatives(nouns: list[Token], owner: Mention, arguments: Arguments) -> list[Found]:
    """ "Melanie has a husband and kids": Melanie's husband, Melanie's kids."""
    found: list[Found] = []
    for noun in nouns:
        if _is_person_noun(noun):
            bearer = arguments.mentions.phrase(noun, owner)
            if bearer is not None:
                bearer.assign(PERSON, IMPLIED)
                found += owned_role(noun.lemma_.casefold(), bearer, owner)
    return found


class Governor(NamedTuple):
    """What governs a verb: "planning" in "planning to continue" (lemma "plan", named
    PLANS), "determined" in "is determined to make" (IS_DETERMINED)."""

    lemma: str
    words: str


def _governor(verb: Token) -> Governor | None:
    if verb.dep_ != "xcomp" or verb.head.i == verb.i:
        return None
    head = verb.head
    lemma = head.lemma_.casefold()
    if head.pos_ in {"VERB", "AUX"}:
        words = open_relation(lemma, "", "", passive=False)
        return None if lemma in _AUXILIARY_VERBS else Governor(lemma, words)
    if head.pos_ == "ADJ" and head.dep_ == "acomp":
        return Governor(lemma, f"is {head.lower_}")
    return None


def prepositional_objects(
    head: Token, arguments: Arguments, subject: Mention | None
) -> list[tuple[str, Mention]]:
    """(preposition, object) of each preposition under `head` ("at Google", "by Guiteau")."""
    found: list[tuple[str, Mention]] = []
    for preposition in head.children:
        if preposition.dep_ not in {"prep", "agent", "dative"} or preposition.pos_ != "ADP":
            continue
        for obj in (c for c in preposition.children if c.dep_ == "pobj"):
            found += [(preposition.lower_, m) for m in arguments.each(obj, subject)]
    return found


def _relations(
    source: Mention,
    target: Mention,
    lemma: str,
    preposition: str,
    particle: str,
    passive: bool,
    governor: Governor | None,
) -> list[Found]:
    if source is target or source.name == target.name:
        return []
    canonical = None
    aspect = governor is None or governor.lemma in _ASPECT_BEGINS | _ASPECT_ENDS
    if aspect:
        table = PASSIVE if passive else ACTIVE
        canonical = table.get((f"{lemma} {particle}".strip(), preposition)) or table.get(
            (lemma, preposition)
        )
    if canonical is not None and _fits(canonical, source, target):
        return apply_phrasing(canonical, source, target)
    relation = open_relation(lemma, particle, preposition, passive=passive)
    if governor is not None and not aspect:
        relation = normalize_relation_type(f"{governor.words} to {lemma} {particle} {preposition}")
    return [Found(source, relation, target)]


def _fits(phrasing: Phrasing, source: Mention, target: Mention) -> bool:
    """Whether the ends can be what the phrasing relates: the target of the type it needs
    ("joined Google"), a person where it relates people ("the shots killed Kennedy" is no
    killing by a person)."""
    if phrasing.needs_target and not (
        target.type == phrasing.needs_target and target.strength >= GUESSED
    ):
        return False
    if phrasing.reverse:
        source, target = target, source
    people = phrasing.source_type == PERSON and phrasing.target_type == PERSON
    return not people or all(m.named or is_person_noun(m.head) for m in (source, target))


def apply_phrasing(phrasing: Phrasing, source: Mention, target: Mention) -> list[Found]:
    """The relations `phrasing` says between `source` and `target`, typing their ends."""
    if phrasing.reverse:
        source, target = target, source
        source.assign(phrasing.target_type, IMPLIED)
        target.assign(phrasing.source_type, IMPLIED)
    else:
        source.assign(phrasing.source_type, IMPLIED)
        target.assign(phrasing.target_type, IMPLIED)
    relations = (phrasing.relation, *phrasing.also)
    return [Found(source, relation, target, phrasing.ends) for relation in relations]


def _copula(verb: Token, arguments: Arguments, ends: bool) -> list[Found]:
    """ "X is the CEO of Y", "X is Y's wife", "X is married to Y", "X is from Y"."""
    found: list[Found] = []
    day = arguments.day(verb)
    for source in subjects(verb, arguments):
        for child in verb.children:
            if child.dep_ == "attr":
                found += _attribute_noun(child, source, arguments)
            elif child.dep_ in {"acomp", "advmod"} and child.pos_ in {"ADJ", "VERB"}:
                for adjective in [child, *child.conjuncts]:
                    found += _adjective(adjective, source, arguments)
        for preposition, target in prepositional_objects(verb, arguments, source):
            canonical = ACTIVE.get(("come", preposition)) if preposition == "from" else None
            if canonical is not None:
                found += apply_phrasing(canonical, source, target)
            elif source.name != target.name:
                found.append(Found(source, normalize_relation_type(f"is {preposition}"), target))
    return [Found(f.source, f.relation, f.target, ends or f.ends, day) for f in found]


def _attribute_noun(noun: Token, source: Mention, arguments: Arguments) -> list[Found]:
    """ "X is a city in Spain", "X is Bob's wife", "X is friends with Y", "X is a nurse"."""
    found: list[Found] = []
    lemma = noun.lemma_.casefold()
    owner = arguments.owner(noun)
    if owner is not None and owner.name != source.name:
        found += owned_role(lemma, source, owner)
        if lemma in HOME_NOUNS or any(c.lower_ == "home" for c in noun.children):
            found.append(Found(owner, "LIVES_IN", source))  # "X is Jesse Jackson's home state"
    for preposition, target in prepositional_objects(noun, arguments, source):
        if target.name == source.name:
            continue
        phrasing = role_phrasing(lemma, preposition, target.type)
        if phrasing is not None:
            found += apply_phrasing(phrasing, source, target)
        elif target.named:
            found.append(Found(source, normalize_relation_type(f"{lemma} {preposition}"), target))
    if not found and noun.pos_ == "NOUN" and owner is None:
        kind = arguments.mentions.phrase(noun)
        if kind is not None:
            found.append(Found(source, "IS_A", kind))
    return found


def owned_role(noun: str, person: Mention, owner: Mention) -> list[Found]:
    """What "<person> is <owner>'s <noun>" says: a role (wife: MARRIED_TO), a relative
    (SISTER_OF), another person noun (COLLEAGUE_OF); nothing for other nouns."""
    phrasing = role_phrasing(noun, "", owner.type)
    if phrasing is not None:
        return apply_phrasing(phrasing, person, owner)
    if is_person_noun(noun):
        return [Found(person, normalize_relation_type(f"{noun} of"), owner)]
    return []


def _adjective(adjective: Token, source: Mention, arguments: Arguments) -> list[Found]:
    """ "X is married to Y" (canonical), "X is proud of Y" (IS_PROUD_OF)."""
    found: list[Found] = []
    word = adjective.lower_
    for preposition, target in prepositional_objects(adjective, arguments, source):
        if target.name == source.name:
            continue
        canonical = ATTRIBUTES.get((word, preposition))
        if canonical is not None:
            found += apply_phrasing(canonical, source, target)
        else:
            found.append(Found(source, normalize_relation_type(f"is {word} {preposition}"), target))
    return found
