"""What an untyped entity is, read from the relations that lead to it.

An entity with no type (`DEFAULT_ENTITY_TYPE`: an import without types, an extraction that
gave none) cannot meet a wh-phrase's answer type by name. Its *roles* can: the relation
types it is the target of say what it is. A type's target is a person when the type's name
says so in English (WordNet's hierarchy, no list of ours):

- a noun of the name is a kind of person ("children", "spouse", "starred actors");
- or the name is a passive ("directed by", "written by"), whose target is the agent, and a
  noun derived from its verb is a kind of person ("director", "writer").

A path's last hop, walked forward, makes its end that type's target. Such an end answers
"who" (or "which actors") when the role is a person's, and not when it is something else's
("release year"); it answers "which films" or "what genre" when a noun of the role is the
word asked ("genre" / HAS_GENRE), and not when the role is a person's. An end reached
backwards is a source, which names do not describe: it says nothing either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import lemminflect

from graphmem.lexicon.wordnet import is_kind_of, verb_derivations
from graphmem.retrieval.wordforms import bare, is_noun, word_forms

PERSON = "person"
_PASSIVE = "by"
_PREPOSITIONS = frozenset({"at", "by", "for", "from", "in", "of", "on", "to", "with"})


@lru_cache(maxsize=4096)
def role_noun(relation_type: str) -> str | None:
    """The noun a relation type's name calls its target, its head: "starred actors" ->
    actors, "place of birth" -> place, "CEO of" -> ceo; none for a verb ("works at",
    "directed by", "founded")."""
    words = [w for w in relation_type.lower().split("_") if w]
    verb_phrase = bool(words) and words[-1] in _PREPOSITIONS
    core = words[:-1] if verb_phrase else words
    if "of" in core:
        core = core[: core.index("of")]
    while core and _is_verb_form(core[-1]) and not is_noun(core[-1]):
        core = core[:-1]  # "languages spoken" -> languages
    if not core or (verb_phrase and _is_verb_form(core[-1])):
        return None  # a verb and its preposition: "works at", "lives in"
    return core[-1]


@lru_cache(maxsize=4096)
def is_person_role(relation_type: str) -> bool:
    """Whether the target of `relation_type` is a person, by what its name says."""
    noun = role_noun(relation_type)
    if noun is not None:
        return _is_person(noun)
    words = [w for w in relation_type.lower().split("_") if w]
    if len(words) >= 2 and words[-1] == _PASSIVE:
        return any(_is_person(noun) for noun in verb_derivations(words[-2]))
    return False


def asks_for_person(word: str) -> bool:
    """Whether a wh-phrase's word asks for a person ("person" for who, "actors")."""
    return _is_person(word)


@lru_cache(maxsize=65536)
def _is_person(word: str) -> bool:
    return any(is_kind_of(lemma, PERSON) for lemma in _noun_lemmas(word))


def _noun_lemmas(word: str) -> set[str]:
    folded = bare(word)
    return {folded} | set(lemminflect.getAllLemmas(folded).get("NOUN", ()))


def _is_verb_form(word: str) -> bool:
    return "VERB" in lemminflect.getAllLemmas(word)


class RoleAnswers:
    """The answer term (+1, -1, 0) of an untyped end for one question's asked words, from
    the role the path's last hop gives it: walked forward, the end is that type's target."""

    def __init__(self, asked: Sequence[str]) -> None:
        self._person = any(asks_for_person(word) for word in asked)
        self._asked = frozenset().union(*(word_forms(word) for word in asked))

    @property
    def asks(self) -> bool:
        return self._person or bool(self._asked)

    def term(self, relation_type: str, forward: bool) -> float:
        if not forward or not self.asks:
            return 0.0  # the end is the source: what sources are, names do not say
        person = is_person_role(relation_type)
        if self._person:
            return 1.0 if person else -1.0
        noun = role_noun(relation_type)
        named = noun is not None and bool(word_forms(noun) & self._asked)
        return 1.0 if named else -1.0 if person else 0.0
