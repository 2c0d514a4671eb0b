"""Word forms: what a word means for matching, as a set of stems.

A word stands for its English lemmas (lemminflect: "wrote" -> write, "starred" -> star),
the verb behind an agent noun or nominalisation ("director" -> direct, "writer" -> write,
"rating" -> rate), the last part of a compound ("screenwriter" -> writer) and of a
hyphenated word ("co-starred" -> star). Everything is Snowball-stemmed so "languages" and
"language" meet. What words *mean* beyond their forms comes from WordNet (`wordnet`).
"""

from __future__ import annotations

from functools import lru_cache

import lemminflect

from graphmem.retrieval.text import stem

_AGENT_SUFFIXES = ("er", "or", "r", "ion", "ment", "ing", "ist")
_MIN_PART = 4


def _lemmas(word: str) -> set[str]:
    found = {word}
    for lemmas in lemminflect.getAllLemmas(word).values():
        found.update(lemmas)
    return found


def _is_known(word: str) -> bool:
    return bool(lemminflect.getAllLemmas(word)) or bool(lemminflect.getAllInflections(word))


def is_noun(word: str) -> bool:
    """Whether English uses `word` as a noun ("genre", "films"), by its lemmas."""
    return "NOUN" in lemminflect.getAllLemmas(word.casefold())


def _is_verb(word: str) -> bool:
    return "VERB" in lemminflect.getAllLemmas(word) or "VERB" in lemminflect.getAllInflections(word)


def _derived(word: str) -> set[str]:
    """The verb an agent noun or nominalisation comes from, when it is a real word."""
    found = set()
    for suffix in _AGENT_SUFFIXES:
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(base) >= 3:
            for candidate in (base, base + "e"):
                if _is_verb(candidate):
                    found.add(candidate)
    return found


def _compound_tail(word: str) -> set[str]:
    """ "screenwriter" -> {"writer"}: a known word that ends it after a known word."""
    for start in range(_MIN_PART, len(word) - _MIN_PART + 1):
        head, tail = word[:start], word[start:]
        if _is_known(head) and _is_known(tail):
            return {tail}
    return set()


def bare(word: str) -> str:
    """The word folded, without a possessive ending ("sister's" -> sister, "parents'" ->
    parents) or stray quotes and dots."""
    folded = word.casefold().strip("'’.")
    for ending in ("'s", "’s"):
        if folded.endswith(ending):
            return folded[: -len(ending)]
    return folded


@lru_cache(maxsize=65536)
def word_forms(word: str) -> frozenset[str]:
    """Stems of everything `word` can stand for (lemmas, derivations, compound parts).

    Example:
        >>> sorted(word_forms("Directors"))
        ['direct', 'director']
    """
    folded = bare(word)
    parts = [part for part in folded.split("-") if part] or [folded]
    surface: set[str] = set()
    for part in parts:
        if part in ("co",):
            continue
        forms = _lemmas(part)
        for _ in range(2):  # "screenwriters" -> screenwriter -> writer -> write
            for form in list(forms):
                forms |= _derived(form) | _compound_tail(form)
            forms |= {lemma for form in list(forms) for lemma in _lemmas(form)}
        surface |= forms
    return frozenset(stem(form) for form in surface)
