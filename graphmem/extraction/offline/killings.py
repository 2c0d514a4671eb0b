"""Killings named by a noun: "the assassination of Lincoln by Booth", "Lincoln's murder".

The victim is the noun's possessor or its "of" object; the killer its "by" object or,
when the noun is the object of a preposition of a verb ("was convicted of Kennedy's
killing", "Ray, suspected of the assassination of King"), that verb's subject, as for a
gerund ("convicted of killing Kennedy", read in `clauses.py`).
"""

from __future__ import annotations

from spacy.tokens import Token

from graphmem.extraction.offline.arguments import Arguments, Found
from graphmem.extraction.offline.clauses import prepositional_objects, subjects
from graphmem.extraction.offline.mentions import Mention
from graphmem.extraction.offline.phrasings import KILLING_NOUNS, PERSON

# Prepositions by which a verb takes the deed its subject did or is held to have done:
# "convicted of", "arrested for", "charged with", "involved in".
_DEED_PREPOSITIONS = frozenset({"of", "for", "with", "in"})


def killing_relations(arguments: Arguments) -> list[Found]:
    """The killings the sentence's nouns name."""
    found: list[Found] = []
    for token in arguments.mentions.doc:
        if token.lemma_.casefold() in KILLING_NOUNS and token.pos_ == "NOUN":
            found += _killing(token, arguments)
    return found


def _killing(noun: Token, arguments: Arguments) -> list[Found]:
    victims = [m for c in noun.children if c.dep_ == "poss" for m in arguments.each(c)]
    killers: list[Mention] = []
    for preposition, target in prepositional_objects(noun, arguments, None):
        if preposition == "of":
            victims.append(target)
        elif preposition == "by":
            killers.append(target)
    if not killers:
        killers = [m for m in _doers(noun, arguments) if m.type == PERSON]
    return [
        Found(killer, "KILLED", victim)
        for killer in killers
        for victim in victims
        if killer.named and victim.named and killer is not victim
    ]


def _doers(deed: Token, arguments: Arguments) -> list[Mention]:
    """Who a verb says did `deed`, a noun it takes by a preposition ("Sirhan was
    convicted of Kennedy's killing"): the verb's subject."""
    preposition = deed.head
    if deed.dep_ != "pobj" or preposition.lower_ not in _DEED_PREPOSITIONS:
        return []
    verb = preposition.head
    if verb.pos_ not in {"VERB", "AUX"}:
        return []
    return subjects(verb, arguments)
