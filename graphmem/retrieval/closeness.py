"""How close a question's phrases are to the graph's types, by their vectors.

`Calibration` holds the cosines at which, under one embedder, a phrase means a type;
`Closeness` divides a phrase's cosines to each relation and entity type by them, so 1.0 or
more is close enough to count (`intent` decides what counts as a mention).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from graphmem.retrieval.type_vectors import SchemaVectors, Vector
from graphmem.retrieval.word_meaning import EXACT
from graphmem.stores.embedders.base import is_lexical


@dataclass(frozen=True)
class Calibration:
    """Cosines under one embedder at which a word means a type: to the type's name or its
    end's type (`phrase`), or to the centroid of its facts (`facts`). `support`: the share
    of that closeness a WordNet-only match needs too, under an embedder whose cosines mean
    something (WordNet lists every sense: "type" is also to typewrite, so WRITTEN_BY;
    "primary" is also an election, so IMDB_VOTES); None trusts WordNet alone."""

    phrase: float
    facts: float
    support: float | None = None
    question: float | None = None
    """The cosine of the whole question (its names masked) to a type's name at which the
    question mentions a type no word of it does ("what does X do for a living" and
    PROFESSION); None: never (the hash embedder's cosines are word overlap)."""


# The hash embedder's cosines are lexical overlap; a sentence model's are meaning. Chosen
# on MetaQA dev and our own paraphrase dev sets (bench/metaqa.py, bench/paraphrase.py).
HASH_CALIBRATION = Calibration(phrase=0.6, facts=0.4)
MODEL_CALIBRATION = Calibration(phrase=0.6, facts=0.6, support=0.6, question=0.4)


def calibration_for(embedder_name: str) -> Calibration:
    """The cosines that count as a mention under the embedder of this name."""
    return HASH_CALIBRATION if is_lexical(embedder_name) else MODEL_CALIBRATION


class Closeness:
    """Cosines of question phrases to the schema's types, over the embedder's calibration
    (1.0 or more: close enough to count)."""

    def __init__(
        self, vectors: Mapping[str, Vector], schema: SchemaVectors, calibration: Calibration
    ) -> None:
        self._vectors = vectors
        self._schema = schema
        self._calibration = calibration

    def to_relations(self, text: str, *, by_end: bool = True) -> dict[str, float]:
        vector = self._vectors.get(text)
        if vector is None:
            return {}
        phrase, facts = self._calibration.phrase, self._calibration.facts
        found = {}
        for relation_type, typed in self._schema.relations.items():
            closeness = float(np.dot(vector, typed.phrase)) / phrase
            if typed.end is not None and by_end:
                closeness = max(closeness, float(np.dot(vector, typed.end)) / phrase)
            if typed.facts is not None:
                closeness = max(closeness, float(np.dot(vector, typed.facts)) / facts)
            found[relation_type] = closeness
        return found

    def question_to_relations(self, text: str) -> dict[str, float]:
        """The whole question's cosine to each type's name over `Calibration.question`;
        empty when the calibration has no such cosine."""
        vector = self._vectors.get(text)
        threshold = self._calibration.question
        if vector is None or threshold is None:
            return {}
        return {
            relation_type: float(np.dot(vector, typed.phrase)) / threshold
            for relation_type, typed in self._schema.relations.items()
        }

    def supported(self, found: dict[str, float], close: dict[str, float]) -> dict[str, float]:
        """`found` without the WordNet-only matches the embedding does not back."""
        support = self._calibration.support
        if support is None or not close:
            return found
        return {t: s for t, s in found.items() if s == EXACT or close.get(t, 0.0) >= support}

    def backed(self, text: str, found: dict[str, float]) -> dict[str, float]:
        """The matches of `found` whose type has a name word as close to `text` as
        `Calibration.support` asks ("types" to HAS_GENRE's "genre"); none under an
        embedder whose cosines mean nothing, or with no vector for `text`."""
        support, vector = self._calibration.support, self._vectors.get(text)
        if support is None or vector is None:
            return {}
        relations = self._schema.relations
        return {
            relation_type: strength
            for relation_type, strength in found.items()
            if relation_type in relations
            and any(
                float(np.dot(vector, word)) / self._calibration.phrase >= support
                for word in relations[relation_type].words
            )
        }

    def to_entity_types(self, text: str) -> dict[str, float]:
        vector = self._vectors.get(text)
        if vector is None:
            return {}
        return {
            entity_type: float(np.dot(vector, typed)) / self._calibration.phrase
            for entity_type, typed in self._schema.entity_types.items()
        }
