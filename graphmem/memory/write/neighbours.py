"""Find, with the stores and no LLM, what a new extraction may repeat or contradict.

Only what the reconcile call could change is a neighbour (SPEC §4), so an add whose facts
are merely worded like stored ones costs no second call. Two kinds:

- stored memories close to a new fact (cosine at least `min_similarity`, among the
  `per_fact` nearest; the fact's own stored copy excluded, since an identical fact is NONE
  by id already) that also *mention an entity of the new extraction*: a draft's key or
  alias names a stored entity of the partition, and that entity is among the memory's
  `entity_ids` (its relations' ends and the entities its text names), other than as an
  object of both (`_SharedEntities`). A memory about another thing cannot be updated,
  deleted or repeated by this one, however alike the words ("Kismet was directed by
  William Dieterle" and "Gaslight was directed by George Cukor"; "Kismet came out in 1944"
  and "Laura came out in 1944"). A near-duplicate (cosine at least `duplicate_similarity`)
  is a neighbour even without a shared entity: that is how facts with no entities ("likes
  spicy food") and names the key lookup misses ("Sarah" for "Sarah Chen") still reach the
  LLM for NONE or UPDATE; a merely similar memory without one does not.
- current relations with a new relation's source and type but another target: the LLM
  keeps or ends them, unless the source already holds MANY_VALUED_AT of that type at once
  (nothing ended the earlier ones: the type is a set for it, and one more adds). Types
  known to be single-valued end their old values by rule in the planner, so they are not
  put to the LLM; the memory that stated the old value shares the source, so when close it
  still goes, for the LLM to DELETE or UPDATE.
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

MANY_VALUED_AT = 2
"""A source holding this many current targets of one type at once holds that type as a
set (a film's actors, a person's languages): a new target adds to it, and is no conflict."""


@dataclass(frozen=True)
class NeighbourFinder:
    """Looks up the neighbours of one add in one embedding call and a few store reads.

    Args:
        min_similarity: Cosine a stored memory needs to count as close to a new fact.
        duplicate_similarity: Cosine at which a close memory counts as a near-duplicate,
            a neighbour even when it shares no entity with the new extraction.
        per_fact: Nearest memories looked at per fact.
        single_valued: Relation types that end their old values by rule.

    Example:
        >>> # finder = NeighbourFinder(graph, vectors, embedder, min_similarity=0.5,
        >>> #     duplicate_similarity=0.9, per_fact=3, single_valued=config.single_valued())
        >>> # if not finder.find(extraction, scope).is_empty(): ...  # ask the LLM
    """

    graph: GraphStore
    vectors: VectorStore
    embedder: Embedder
    min_similarity: float
    duplicate_similarity: float
    per_fact: int
    single_valued: SingleValued

    def find(self, extraction: Extraction, scope: Scope) -> Neighbours:
        named = self._named_entities(extraction, scope)
        return Neighbours(
            memories=self._close_memories(extraction, scope, named),
            conflicts=self._conflicts(extraction.relations, scope, named),
        )

    def _named_entities(self, extraction: Extraction, scope: Scope) -> list[Entity]:
        """Stored entities of the partition that a draft's key or alias names, any type
        (a wider net than the planner's, which also matches types: a neighbour too many
        costs a call, one too few a missed contradiction)."""
        keys = {key for draft in extraction.entities for key in draft.all_keys()}
        keys |= {entity_key(name) for d in extraction.relations for name in (d.source, d.target)}
        return self.graph.find_entities(scope.partition(), keys) if keys else []

    def _close_memories(
        self, extraction: Extraction, scope: Scope, named: Sequence[Entity]
    ) -> list[MemoryRecord]:
        facts = extraction.facts
        if not facts:
            return []
        own_ids = {MemoryRecord.create(fact, scope, {}).id for fact in facts}
        close: dict[str, float] = {}
        for vector in self.embedder.embed(list(facts)):
            for hit in self.vectors.search_memories(vector, scope, limit=self.per_fact):
                if hit.score >= self.min_similarity and hit.id not in own_ids:
                    close[hit.id] = max(hit.score, close.get(hit.id, hit.score))
        if not close:
            return []
        records = self.vectors.get_memories(list(close))
        shared = _SharedEntities.of(extraction, named)
        stored_objects = self._objects_of(records)
        return [
            record
            for record in records
            if close[record.id] >= self.duplicate_similarity
            or shared.about_the_same_thing(record, stored_objects.get(record.id, set()))
        ]

    def _objects_of(self, records: Sequence[MemoryRecord]) -> dict[str, set[str]]:
        """Per memory, the entities its relations name only as targets."""
        relation_ids = [rid for record in records for rid in record.relation_ids]
        relations = (
            {r.id: r for r in self.graph.get_relations(relation_ids)} if relation_ids else {}
        )
        objects: dict[str, set[str]] = {}
        for record in records:
            own = [relations[rid] for rid in record.relation_ids if rid in relations]
            objects[record.id] = {r.target_id for r in own} - {r.source_id for r in own}
        return objects

    def _conflicts(
        self, drafts: Sequence[RelationDraft], scope: Scope, named: Sequence[Entity]
    ) -> list[Conflict]:
        judged = [
            draft
            for draft in drafts
            if not draft.ends and "out" not in self.single_valued.ends(draft)
        ]
        if not judged:
            return []
        by_key: dict[str, list[Entity]] = {}
        for entity in named:
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
            if len({r.target_id for r in stored}) >= MANY_VALUED_AT:
                continue  # the source already holds several at once: another one adds
            targets = {e.id: e for e in self.graph.get_entities([r.target_id for r in stored])}
            for relation in stored:
                target = targets.get(relation.target_id)
                if target is None or _names(target, draft.target):
                    continue
                conflict = Conflict(relation, draft, target.name)
                conflicts.setdefault((relation.id, draft.target), conflict)
        return list(conflicts.values())


@dataclass(frozen=True)
class _SharedEntities:
    """The stored entities a new extraction names, and those it names only as the target
    of its relations (its objects)."""

    ids: frozenset[str]
    objects: frozenset[str]

    @classmethod
    def of(cls, extraction: Extraction, named: Sequence[Entity]) -> _SharedEntities:
        by_key: dict[str, set[str]] = {}
        for entity in named:
            for key in entity.all_keys():
                by_key.setdefault(key, set()).add(entity.id)
        sources = {i for d in extraction.relations for i in by_key.get(entity_key(d.source), ())}
        targets = {i for d in extraction.relations for i in by_key.get(entity_key(d.target), ())}
        return cls(frozenset(e.id for e in named), frozenset(targets - sources))

    def about_the_same_thing(self, record: MemoryRecord, stored_objects: set[str]) -> bool:
        """Whether `record` shares an entity with the new extraction that is not merely an
        object of both: two facts about different subjects that end at the same value
        ("Kismet came out in 1944", "Laura came out in 1944") cannot contradict or repeat
        each other (one holder at a time is a single-holder rule, applied by the planner);
        sharing a subject, or what one side states things about, can."""
        common = self.ids.intersection(record.entity_ids)
        return any(not (e in self.objects and e in stored_objects) for e in common)


def _names(entity: Entity, name: str) -> bool:
    """Whether `name` is the entity's name or one of its aliases."""
    return entity_key(name) in entity.all_keys()
