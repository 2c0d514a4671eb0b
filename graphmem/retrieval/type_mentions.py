"""Which relation types a question's phrases mention, and how surely (`intent` explains the
strengths): lexically first, by word forms or WordNet, then by WordNet siblings the
embedding backs, then by the embedding alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphmem.retrieval.closeness import Closeness
from graphmem.retrieval.word_meaning import (
    EXACT,
    RELATED,
    lexical_strength,
    names_any,
    sibling_strength,
    type_content_words,
)
from graphmem.retrieval.wordforms import word_forms

VECTOR_WEIGHT = 0.6
ALTERNATIVE_SHARE = 0.9


def type_mentions(
    phrases: list[tuple[int, str]],
    relation_types: list[str],
    closeness: Closeness,
    cues: set[int],
    entity_types: Sequence[str] = (),
) -> list[tuple[int, str, dict[str, float]]]:
    """Each phrase's mentioned types: lexical ones first (a word, or two that WordNet
    knows as one: "pass away"); only a word that matches no type lexically may match by
    vector, and then only its closest type. A pair of words counts only where it is closer
    than either word alone, and then stands for both. A wh-phrase's word ("which city")
    names the answer, so it meets a relation by what the relation is called or says, not
    by the type of what it leads to (the answer type does that). A word that names an
    entity type names no relation it is only part of ("the company X runs" is not
    PARENT_COMPANY), nor any by vector alone ("the people X's children married")."""
    found: dict[int, tuple[str, dict[str, float]]] = {}
    lexical: set[int] = set()
    nearest: dict[int, tuple[str, float]] = {}  # a word's closest type by vector
    texts = {position: text for position, text in phrases if " " not in text}
    for position, text in texts.items():
        close = closeness.to_relations(text, by_end=position not in cues)
        surest = _lexical(text, relation_types, entity_types, closeness, close)
        if surest:
            found[position] = (text, surest)
            lexical.add(position)
        elif close and not names_any(text, entity_types):
            nearest[position] = _closest(close)
    for position, text in phrases:
        both = (position, position + 1)
        if " " not in text or any(p in lexical for p in both):
            continue
        close = closeness.to_relations(text, by_end=not set(both) & cues)
        surest = _lexical(text, relation_types, entity_types, closeness, close)
        if surest:
            for p in both:
                nearest.pop(p, None)
            found[position] = (text, surest)
            lexical.update(both)
            continue
        if not close:
            continue
        best, score = _closest(close)
        if score >= 1.0 and all(nearest.get(p, ("", 0.0))[1] < score for p in both):
            for p in both:
                nearest.pop(p, None)
            found[position] = (text, {best: VECTOR_WEIGHT})
    for position, (best, score) in nearest.items():
        if score >= 1.0 and position not in found:
            found[position] = (texts[position], {best: VECTOR_WEIGHT})
    return [(p, text, types) for p, (text, types) in sorted(found.items())]


def _lexical(
    text: str,
    relation_types: list[str],
    entity_types: Sequence[str],
    closeness: Closeness,
    close: dict[str, float],
) -> dict[str, float]:
    """The relation types `text` mentions lexically, surest first (`_surest`); failing
    any, its WordNet siblings the embedding backs ("types" / HAS_GENRE)."""
    matches = {
        t: s
        for t in relation_types
        if (s := lexical_strength(text, t)) and not _only_part(text, t, entity_types)
    }
    found = closeness.supported(matches, close)
    if not found and " " not in text and not names_any(text, entity_types):
        siblings = {t: s for t in relation_types if (s := sibling_strength(text, t))}
        found = closeness.backed(text, siblings)
    return _surest(found, close)


def names_exactly(word: str, relation_types: list[str], entity_types: Sequence[str]) -> bool:
    """Whether `_lexical` finds `word` an EXACT mention of some type, vectors or not."""
    return any(
        lexical_strength(word, t) == EXACT and not _only_part(word, t, entity_types)
        for t in relation_types
    )


def _only_part(word: str, relation_type: str, entity_types: Sequence[str]) -> bool:
    """Whether `word` names one of `entity_types` and only part of `relation_type`'s name."""
    if not any(lexical_strength(word, t) == EXACT for t in entity_types):
        return False
    forms = word_forms(word)
    return any(not word_forms(w) & forms for w in type_content_words(relation_type))


def _closest(close: dict[str, float]) -> tuple[str, float]:
    best = max(close, key=lambda relation_type: close[relation_type])
    return best, close[best]


def _surest(found: dict[str, float], close: dict[str, float]) -> dict[str, float]:
    """The strongest lexical matches. Of several WordNet-only ones, the closest by vector
    keeps its strength and the others stay as weaker alternatives (WordNet proposes every
    sense of a word: "die" is a place of death or a cause of it; the word's embedding says
    which is likely, the answer type may say otherwise)."""
    if not found:
        return found
    best = max(found.values())
    found = {t: s for t, s in found.items() if s == best}
    if best == RELATED and len(found) > 1 and close:
        nearest = max(found, key=lambda relation_type: close.get(relation_type, 0.0))
        return {t: s if t == nearest else s * ALTERNATIVE_SHARE for t, s in found.items()}
    return found
