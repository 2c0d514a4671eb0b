"""Find, with the stores and no LLM, what a new extraction may repeat or contradict.

Two kinds of neighbours (SPEC §4): stored memories whose vectors are close to a new fact
(cosine at least `min_similarity`, the fact's own stored copy excluded: an identical fact
is NONE by id already), and current relations with a new relation's source and type but
another target. Types known to be single-valued end their old values by rule in the
planner, so they are not put to the LLM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graphmem.models.cardinality import SingleValued
from graphmem.models.extraction import Extraction, RelationDraft
from graphmem.models.naming import entity_key
from graphmem.models.reconcile import Conflict, Neighbours
from graphmem.models.records import Entity, MemoryRecord
from graphmem.models.scope import Scope
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.graph.base import GraphStore
from graphmem.stores.vector.base import VectorStore


@dataclass(frozen=True)
class NeighbourFinder:
    """Looks up the neighbours of one add in one embedding call and a few store reads.

    Args:
        min_similarity: Cosine a stored memory needs to count as close to a new fact.
        per_fact: Nearest memories looked at per fact.
        single_valued: Relation types that end their old values by rule.
    """

    graph: GraphStore
    vectors: VectorStore
    embedder: Embedder
    min_similarity: float
    per_fact: int
    single_valued: SingleValued

    def find(self, extraction: Extraction, scope: Scope) -> Neighbours:
        return Neighbours(
            memories=self._close_memories(extraction.facts, scope),
            conflicts=self._conflicts(extraction.relations, scope),
        )

    def _close_memories(self, facts: Sequence[str], scope: Scope) -> list[MemoryRecord]:
        if not facts:
            return []
        own_ids = {MemoryRecord.create(fact, scope, {}).id for fact in facts}
        close: dict[str, None] = {}
        for vector in self.embedder.embed(list(facts)):
            for hit in self.vectors.search_memories(vector, scope, limit=self.per_fact):
                if hit.score >= self.min_similarity and hit.id not in own_ids:
                    close[hit.id] = None
        return self.vectors.get_memories(list(close)) if close else []

    def _conflicts(self, drafts: Sequence[RelationDraft], scope: Scope) -> list[Conflict]:
        judged = [
            draft
            for draft in drafts
            if not draft.ends and "out" not in self.single_valued.ends(draft)
        ]
        if not judged:
            return []
        partition = scope.partition()
        sources = self.graph.find_entities(partition, {entity_key(d.source) for d in judged})
        by_key: dict[str, list[Entity]] = {}
        for entity in sources:
            for key in entity.all_keys():
                by_key.setdefault(key, []).append(entity)
        conflicts: dict[tuple[str, str], Conflict] = {}
        for draft in judged:
            source_ids = [e.id for e in by_key.get(entity_key(draft.source), [])]
            if not source_ids:
                continue
            stored = self.graph.relations_of(
                scope.without_run(),
                source_ids,
                direction="out",
                relation_types=[draft.relationship],
            )
            targets = {e.id: e for e in self.graph.get_entities([r.target_id for r in stored])}
            for relation in stored:
                target = targets.get(relation.target_id)
                if target is None or _names(target, draft.target):
                    continue
                conflict = Conflict(relation, draft, target.name)
                conflicts.setdefault((relation.id, draft.target), conflict)
        return list(conflicts.values())


def _names(entity: Entity, name: str) -> bool:
    """Whether `name` is the entity's name or one of its aliases."""
    return entity_key(name) in entity.all_keys()
