"""What a word means for a graph's types: word forms, WordNet, and English compounding.

- `lexical_strength(word, type)`: `EXACT` when their word forms meet ("directed" /
  DIRECTED_BY, "wrote" / WRITTEN_BY), `RELATED` when WordNet says one means or is a kind
  of the other ("kid" / CHILDREN, "faith" / RELIGION), else 0;
- `names_any(word, types)`: whether the word names one of the types that way;
- `repeats(word)`: how many hops of one relation a word stands for ("grandparents": 2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import lemminflect

from graphmem.lexicon.wordnet import first_sense_parents, relatives
from graphmem.retrieval.text import STOPWORDS
from graphmem.retrieval.wordforms import bare, word_forms

EXACT = 1.0
RELATED = 0.8
SIBLING = 0.7
# Words of a type name that say nothing about it: HAS_GENRE is about "genre", not "has".
FILLER = STOPWORDS | frozenset({"has", "have", "is", "in", "by", "of", "to", "at"})
_PASCAL_WORD = re.compile(r"[A-Z][a-z0-9]*|[a-z0-9]+")


@lru_cache(maxsize=4096)
def type_signature(type_name: str) -> frozenset[str]:
    """Word forms of a type name's content words.

    Example:
        >>> sorted(type_signature("STARRED_ACTORS"))
        ['act', 'actor', 'star']
    """
    return frozenset().union(*(word_forms(word) for word in type_content_words(type_name)))


@lru_cache(maxsize=4096)
def _type_meanings(type_name: str) -> frozenset[str]:
    """Word forms of a type name's words' synonyms and direct hypernyms: narrower than a
    question word's meanings, because every question word is compared with every type."""
    words = {
        related
        for word in type_content_words(type_name)
        for lemma in _lemmas(word)
        for related in relatives(lemma, depth=1, derived=False)
        if " " not in related
    }
    return frozenset().union(type_signature(type_name), *(word_forms(w) for w in words))


def type_content_words(type_name: str) -> list[str]:
    if type_name.isupper():  # a relation type: UPPER_SNAKE_CASE
        words = type_name.lower().split("_")
    else:  # an entity type: PascalCase
        words = [word.lower() for word in _PASCAL_WORD.findall(type_name)]
    return [word for word in words if word and word not in FILLER]


@lru_cache(maxsize=65536)
def _meanings(word: str) -> frozenset[str]:
    """Word forms of the word and of what WordNet says its lemmas mean or are kinds of; of
    a compound ("female sibling", "male offspring"), its head, the last word ("of"
    phrases have none: "place of birth")."""
    related = {
        head
        for lemma in _lemmas(word)
        for r in relatives(lemma)
        if (head := r.rsplit(" ", 1)[-1]) and " of " not in f" {r} "
    }
    return frozenset().union(word_forms(word), *(word_forms(r) for r in related))


def _lemmas(word: str) -> set[str]:
    folded = bare(word)
    return {folded} | {
        lemma for found in lemminflect.getAllLemmas(folded).values() for lemma in found
    }


def lexical_strength(word: str, type_name: str) -> float:
    """EXACT when the word forms meet, RELATED when WordNet joins them, else 0.

    Example:
        >>> lexical_strength("wrote", "WRITTEN_BY"), lexical_strength("kid", "CHILDREN")
        (1.0, 0.8)
    """
    forms = word_forms(word)
    if forms & type_signature(type_name):
        return EXACT
    if _meanings(word) & type_signature(type_name) or forms & _type_meanings(type_name):
        return RELATED
    return 0.0


def names_any(word: str, type_names: Iterable[str]) -> bool:
    """Whether the word names one of the types by word forms or WordNet (`lexical_strength`)."""
    return any(lexical_strength(word, type_name) for type_name in type_names)


def sibling_strength(word: str, type_name: str) -> float:
    """`SIBLING` when the commonest noun senses of the word and of a word of the type's
    name are kinds of one thing ("type" / HAS_GENRE: both a kind of kind; "town" / CITY:
    both municipalities), else 0. Weaker than `RELATED`, and only as good as the
    embedding's backing (`Closeness.backed`).

    Example:
        >>> sibling_strength("types", "HAS_GENRE"), sibling_strength("brother", "SISTER_OF")
        (0.7, 0.0)
    """
    parents = frozenset().union(*(first_sense_parents(lemma) for lemma in _lemmas(word)))
    if not parents:
        return 0.0
    forms = word_forms(word)
    for content_word in type_content_words(type_name):
        if not forms & word_forms(content_word) and parents & first_sense_parents(content_word):
            return SIBLING
    return 0.0


def repeats(word: str) -> int:
    """How many hops of one relation a word stands for: a "co-" word walks it out and
    back ("co-star": the film's other actors), a "grand" word walks it twice
    ("grandparents": parents' parents) and each "great-" once more.

    Example:
        >>> repeats("co-wrote"), repeats("grandchildren"), repeats("great-grandson")
        (2, 2, 3)
    """
    folded = word.casefold()
    if folded.startswith("co-"):
        return 2
    greats = 0
    while folded.startswith("great-"):
        folded, greats = folded[len("great-") :], greats + 1
    if folded.startswith("grand") and len(folded) > len("grand") + 2:
        return 2 + greats
    return 1
