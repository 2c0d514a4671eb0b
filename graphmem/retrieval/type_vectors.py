"""Vectors that stand for a graph's types: what each relation type's name, facts and ends
say, and what each entity type's name says.

- a relation type's *phrase*: the embedding of its readable name ("cause of death"), and
  its *words*: those of its name's content words ("cause", "death");
- its *facts*: the mean embedding of up to `FACTS_PER_TYPE` facts stored under it, so a
  graph whose WORKS_AT facts say "joined" and "employed by" teaches intent those words;
- its *end*: the embedding of the entity type most of its targets have ("Religion" for
  RELIGION, "City" for LIVES_IN), so a question's "faith" can meet what the relation
  leads to, not only what it is called;
- an entity type's *name* ("Movie", "Person"), for the answer type a wh-phrase asks for;
- *inverses*: relation types the graph stores as each other's reverse (a PARENTS b where
  b CHILDREN a), read from the same samples, so a question's "mother" can walk either.

A scope's vectors are computed once per change of its schema (the types and their
counts) and cached; names and facts go through the retriever's memo embedder, so a
recomputation embeds only texts it has not seen.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from graphmem.models.naming import DEFAULT_ENTITY_TYPE, relation_phrase
from graphmem.models.records import Relation
from graphmem.models.scope import Scope
from graphmem.retrieval.word_meaning import type_content_words
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.graph.base import GraphSchema, GraphStore

FACTS_PER_TYPE = 32
# Two types are inverses when at least this many, and this share, of one's sampled
# relations are mirrored by the other's (a PARENTS b with b CHILDREN a).
MIN_MIRRORED = 2
MIN_MIRRORED_SHARE = 0.2
CACHED_SCOPES = 256
Vector = NDArray[np.float64]


@dataclass(frozen=True)
class TypeVector:
    """A relation type's phrase embedding, its facts' centroid, its targets' type and its
    name's content words."""

    phrase: Vector
    facts: Vector | None
    end: Vector | None
    words: tuple[Vector, ...] = ()


@dataclass(frozen=True)
class SchemaVectors:
    """The vectors of one scope's schema."""

    relations: dict[str, TypeVector] = field(default_factory=dict)
    entity_types: dict[str, Vector] = field(default_factory=dict)
    inverses: dict[str, frozenset[str]] = field(default_factory=dict)


class TypeVectors:
    """Per-scope cache of `SchemaVectors`, recomputed when the scope's schema changes."""

    def __init__(self, graph: GraphStore, embedder: Embedder) -> None:
        self._graph = graph
        self._embedder = embedder
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, ...], tuple[GraphSchema, SchemaVectors]] = OrderedDict()

    def for_scope(self, scope: Scope, schema: GraphSchema) -> SchemaVectors:
        key = tuple(f"{name}={value}" for name, value in sorted(scope.ids().items()))
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached[0] == schema:
                self._cache.move_to_end(key)
                return cached[1]
        vectors = self._compute(scope, schema)
        with self._lock:
            self._cache[key] = (schema, vectors)
            while len(self._cache) > CACHED_SCOPES:
                self._cache.popitem(last=False)
        return vectors

    def _compute(self, scope: Scope, schema: GraphSchema) -> SchemaVectors:
        relation_types = sorted(schema.relation_types)
        entity_types = sorted(t for t in schema.entity_types if t != DEFAULT_ENTITY_TYPE)
        samples = self._graph.sample_relations(scope, FACTS_PER_TYPE) if relation_types else {}
        ends = self._end_types(samples)
        facts = {t: [r.fact for r in samples.get(t, []) if r.fact] for t in relation_types}
        names = {t: type_content_words(t) for t in relation_types}
        texts = [relation_phrase(t) for t in relation_types]
        texts += [word for t in relation_types for word in names[t]]
        texts += [type_words(t) for t in entity_types]
        texts += [fact for t in relation_types for fact in facts[t]]
        texts = list(dict.fromkeys(texts))  # one sentence often states several types
        embedded = dict(zip(texts, self._vectors_of(texts), strict=True))
        relations = {
            t: TypeVector(
                phrase=embedded[relation_phrase(t)],
                facts=_mean([embedded[f] for f in facts[t]]) if facts[t] else None,
                end=embedded.get(type_words(ends[t])) if t in ends else None,
                words=tuple(embedded[word] for word in names[t]),
            )
            for t in relation_types
        }
        return SchemaVectors(
            relations,
            {t: embedded[type_words(t)] for t in entity_types},
            self._inverses(scope, samples),
        )

    def _inverses(
        self, scope: Scope, samples: dict[str, list[Relation]]
    ) -> dict[str, frozenset[str]]:
        """Pairs of relation types whose sampled relations mirror each other."""
        sampled = [r for relations in samples.values() for r in relations]
        ends = sorted({r.target_id for r in sampled})
        back = self._graph.relations_of(scope, ends, direction="out") if ends else []
        reverse_types: dict[tuple[str, str], set[str]] = {}
        for relation in back:
            key = (relation.target_id, relation.source_id)
            reverse_types.setdefault(key, set()).add(relation.type)
        mirrored: Counter[tuple[str, str]] = Counter()
        for relation in sampled:
            for other in reverse_types.get((relation.source_id, relation.target_id), ()):
                if other != relation.type:
                    mirrored[(relation.type, other)] += 1
        inverses: dict[str, set[str]] = {}
        for (relation_type, other), count in mirrored.items():
            share = count / len(samples[relation_type])
            if count >= MIN_MIRRORED and share >= MIN_MIRRORED_SHARE:
                inverses.setdefault(relation_type, set()).add(other)
                inverses.setdefault(other, set()).add(relation_type)
        return {t: frozenset(found) for t, found in inverses.items()}

    def _end_types(self, samples: dict[str, list[Relation]]) -> dict[str, str]:
        """Each relation type's most common target entity type among its samples."""
        by_type = {t: [r.target_id for r in rs] for t, rs in samples.items()}
        ids = sorted({i for targets in by_type.values() for i in targets})
        types = {e.id: e.type for e in self._graph.get_entities(ids)}
        ends = {}
        for relation_type, targets in by_type.items():
            counted = Counter(
                types[i]
                for i in targets
                if types.get(i, DEFAULT_ENTITY_TYPE) != DEFAULT_ENTITY_TYPE
            )
            if counted:
                ends[relation_type] = counted.most_common(1)[0][0]
        return ends

    def _vectors_of(self, texts: list[str]) -> list[Vector]:
        if not texts:
            return []
        matrix = np.asarray(self._embedder.embed(texts), dtype=np.float64)
        return list(matrix)


def type_words(entity_type: str) -> str:
    """Readable words of an entity type: `FilmGenre` -> `film genre`."""
    words: list[str] = []
    for char in entity_type:
        if char.isupper() and words and not words[-1].endswith(" "):
            words.append(" ")
        words.append(char.lower())
    return "".join(words).strip()


def _mean(vectors: list[Vector]) -> Vector:
    centroid: Vector = np.mean(vectors, axis=0)
    norm = float(np.linalg.norm(centroid))
    return centroid / norm if norm else centroid
