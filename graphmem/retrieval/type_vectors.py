"""Vectors that stand for each relation type: its name's phrase and what its facts say.

The fact vector is the mean of the embeddings of up to `FACTS_PER_TYPE` facts stored under
the type, so a graph whose WORKS_AT facts say "joined" and "employed by" teaches intent
those words. Vectors are cached per scope until the scope's type counts change.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from graphmem.models.naming import relation_phrase
from graphmem.models.scope import Scope
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.graph.base import GraphSchema, GraphStore

FACTS_PER_TYPE = 32
CACHED_SCOPES = 256


@dataclass(frozen=True)
class TypeVector:
    """A relation type's phrase embedding and, when it has facts, their centroid."""

    phrase: list[float]
    facts: list[float] | None


TypeVectorMap = dict[str, TypeVector]


class TypeVectors:
    """Per-scope cache of {relation type: TypeVector}."""

    def __init__(self, graph: GraphStore, embedder: Embedder) -> None:
        self._graph = graph
        self._embedder = embedder
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, ...], tuple[dict[str, int], TypeVectorMap]] = (
            OrderedDict()
        )

    def for_scope(self, scope: Scope, schema: GraphSchema) -> TypeVectorMap:
        key = tuple(f"{name}={value}" for name, value in sorted(scope.ids().items()))
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached[0] == schema.relation_types:
                self._cache.move_to_end(key)
                return cached[1]
        vectors = self._compute(scope, schema)
        with self._lock:
            self._cache[key] = (dict(schema.relation_types), vectors)
            while len(self._cache) > CACHED_SCOPES:
                self._cache.popitem(last=False)
        return vectors

    def _compute(self, scope: Scope, schema: GraphSchema) -> TypeVectorMap:
        types = sorted(schema.relation_types)
        if not types:
            return {}
        samples = self._graph.sample_relations(scope, FACTS_PER_TYPE)
        phrases = self._embedder.embed([relation_phrase(t) for t in types])
        vectors: TypeVectorMap = {}
        for relation_type, phrase in zip(types, phrases, strict=True):
            facts = [r.fact for r in samples.get(relation_type, []) if r.fact]
            centroid = _mean(self._embedder.embed(facts)) if facts else None
            vectors[relation_type] = TypeVector(phrase, centroid)
        return vectors


def _mean(vectors: list[list[float]]) -> list[float]:
    size = len(vectors)
    return [sum(column) / size for column in zip(*vectors, strict=True)]
