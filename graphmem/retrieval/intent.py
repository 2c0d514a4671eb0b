"""Relation intent: how well a relation type matches the words of a question.

Lexical for now: the share of a type's content stems (`WORKS_AT` -> {work}) found among the
query's content stems ("who works at Google" -> {work, googl}). Vector similarity to type
names and facts joins in the full retriever.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphmem.models.naming import relation_phrase
from graphmem.retrieval.text import content_stems


def relation_intent(query_stems: set[str], relation_types: Iterable[str]) -> dict[str, float]:
    """Score in [0, 1] per relation type: the fraction of its stems the query uses.

    Example:
        >>> relation_intent(content_stems("who works at Google"), ["WORKS_AT", "LIVES_IN"])
        {'WORKS_AT': 1.0, 'LIVES_IN': 0.0}
    """
    scores: dict[str, float] = {}
    for relation_type in relation_types:
        stems = content_stems(relation_phrase(relation_type))
        scores[relation_type] = len(stems & query_stems) / len(stems) if stems else 0.0
    return scores
