"""Entity linking: which stored entities does a query name?

Exact and alias matches of the query's n-grams (up to six words) against entity keys,
longest span first, so "New York Times" wins over "New York". A span that is a lone
stopword ("who", "the") never links.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphmem.models.naming import entity_key
from graphmem.models.records import Entity
from graphmem.models.scope import Scope
from graphmem.retrieval.text import STOPWORDS, ngrams, words
from graphmem.stores.graph.base import GraphStore

MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class LinkedEntity:
    """An entity named in the query, the words that named it, and how sure the link is."""

    entity: Entity
    span: tuple[int, int]
    mention: str
    score: float


def link_entities(query: str, scope: Scope, graph: GraphStore) -> list[LinkedEntity]:
    """Entities of `scope` named in `query`, in query order.

    Example:
        >>> # with "Google" stored for alice:
        >>> # [l.entity.name for l in link_entities("who works at Google?", alice, graph)]
        >>> # ['Google']
    """
    tokens = words(query)
    spans = [
        span
        for span in ngrams(tokens, MAX_NAME_WORDS)
        if not (span[1] - span[0] == 1 and span[2].casefold() in STOPWORDS)
    ]
    found = graph.match_entities(scope, [text for *_, text in spans])
    by_key: dict[str, list[Entity]] = {}
    for entity in found:
        for key in {entity.key, *map(entity_key, entity.aliases)}:
            by_key.setdefault(key, []).append(entity)
    taken: set[int] = set()
    linked: list[LinkedEntity] = []
    for start, end, text in spans:
        if taken & set(range(start, end)):
            continue
        for entity in by_key.get(entity_key(text), []):
            score = 1.0 if entity.key == entity_key(text) else 0.95
            linked.append(LinkedEntity(entity, (start, end), text, score))
        if entity_key(text) in by_key:
            taken |= set(range(start, end))
    return sorted(linked, key=lambda link: link.span)
