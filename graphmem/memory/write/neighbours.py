"""Find, with the stores and no LLM, what a new extraction may repeat or contradict.

Only what the reconcile call could change is a neighbour (SPEC §4), so an add whose facts
are merely worded like stored ones costs no second call. Two kinds:

- stored memories close to a new fact (cosine at least `min_similarity`, among the
  `per_fact` nearest; the fact's own stored copy excluded, since an identical fact is NONE
  by id already) that *state something the new extraction could repeat or contradict
  about an entity both name*. The shared entities are those a draft's key or alias names
  among the stored entities of the partition that are also in the memory's `entity_ids`
  (its relations' ends and the entities its text names). On a shared entity E, the memory
  is a neighbour when
    - either side states no relation touching E (it names E in words only: only the LLM
      can tell what it says about E), or
    - a stored relation and a new one touch E from opposite ends (E the source of one and
      the target of the other: an inverse may go by another type, "owns" and "owned by",
      which only the LLM can pair), or
    - both have E as source, with one type, and the new one may repeat or replace the
      stored one: it names the same target, or the type is single-valued for it, or E
      holds fewer than MANY_VALUED_AT current targets of that type (the same test as for
      a conflict below).
  So no neighbour is a memory that states *another relation* of the same subject
  ("Kismet was directed by William Dieterle" for "Kismet starred Marlene Dietrich"),
  *another value of a set* (a film's third actor beside two stored ones), or only
  shares a *value held by two subjects* (E the target of both: "Kismet came out in 1944"
  and "Laura came out in 1944"; one holder at a time is a single-holder rule, applied by
  the planner), and none is a memory about other entities, however alike the words
  ("Kismet was directed by William Dieterle", "Gaslight was directed by George Cukor").
  The rule trusts the extractor to name one relation by one type: a MOVED_TO Berlin
  would not meet a stored LIVES_IN Paris (the offline extractor says LIVES_IN for a
  move, the LLM's prompt names the canonical types, and `relation_types` can fix them).
  A near-duplicate (cosine at least `duplicate_similarity`) is a neighbour whatever it
  states or shares: that is how facts with no entities ("likes spicy food") and names
  the key lookup misses ("Sarah" for "Sarah Chen") still reach the LLM for NONE or
  UPDATE.
- current relations with a new relation's source and type but another target: the LLM
  keeps or ends them, unless the source already holds MANY_VALUED_AT of that type at once
  (nothing ended the earlier ones: the type is a set for it, and one more adds). Types
  known to be single-valued end their old values by rule in the planner, so they are not
  put to the LLM; the memory that stated the old value shares the source, so when close it
  still goes, for the LLM to DELETE or UPDATE.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graphmem.models.cardinality import SingleValued
from graphmem.models.extraction import Extraction, RelationDraft
from graphmem.models.naming import entity_key
from graphmem.models.reconcile import Conflict, Neighbours
from graphmem.models.records import Entity, MemoryRecord, Relation
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
        known = self._known(extraction, scope)
        return Neighbours(
            memories=self._close_memories(extraction, scope, known),
            conflicts=self._conflicts(known),
        )

    def _known(self, extraction: Extraction, scope: Scope) -> _Known:
        """Stored entities of the partition that a draft's key or alias names, any type
        (a wider net than the planner's, which also matches types: a neighbour too many
        costs a call, one too few a missed contradiction), and the current relations of
        the new types from the named sources: two store reads."""
        keys = {key for draft in extraction.entities for key in draft.all_keys()}
        keys |= {entity_key(name) for d in extraction.relations for name in (d.source, d.target)}
        named = self.graph.find_entities(scope.partition(), keys) if keys else []
        by_key: dict[str, set[str]] = {}
        for entity in named:
            for key in entity.all_keys():
                by_key.setdefault(key, set()).add(entity.id)
        drafts = tuple(extraction.relations)
        sources = sorted({i for d in drafts for i in by_key.get(entity_key(d.source), ())})
        types = sorted({d.relationship for d in drafts})
        stored = (
            self.graph.relations_of(
                scope.without_run(), sources, direction="out", relation_types=types
            )
            if sources
            else []
        )
        values: dict[tuple[str, str], list[Relation]] = {}
        for relation in stored:
            values.setdefault((relation.source_id, relation.type), []).append(relation)
        return _Known(
            drafts,
            frozenset(entity.id for entity in named),
            {key: frozenset(ids) for key, ids in by_key.items()},
            values,
            self.single_valued,
        )

    def _close_memories(
        self, extraction: Extraction, scope: Scope, known: _Known
    ) -> list[MemoryRecord]:
        facts = extraction.facts
        if not facts:
            return []
        own_ids = {MemoryRecord.id_of(fact, scope) for fact in facts}
        close: dict[str, float] = {}
        for vector in self.embedder.embed(list(facts)):
            for hit in self.vectors.search_memories(vector, scope, limit=self.per_fact):
                if hit.score >= self.min_similarity and hit.id not in own_ids:
                    close[hit.id] = max(hit.score, close.get(hit.id, hit.score))
        if not close:
            return []
        records = self.vectors.get_memories(list(close))
        stated = self._relations_stated(records)
        return [
            record
            for record in records
            if close[record.id] >= self.duplicate_similarity
            or known.may_change(record, stated.get(record.id, []))
        ]

    def _relations_stated(self, records: Sequence[MemoryRecord]) -> dict[str, list[Relation]]:
        """Per memory, the relations it states (current or not: its text still says them)."""
        relation_ids = [rid for record in records for rid in record.relation_ids]
        relations = (
            {r.id: r for r in self.graph.get_relations(relation_ids)} if relation_ids else {}
        )
        return {
            record.id: [relations[rid] for rid in record.relation_ids if rid in relations]
            for record in records
        }

    def _conflicts(self, known: _Known) -> list[Conflict]:
        conflicts: dict[tuple[str, str], Conflict] = {}
        for draft in known.drafts:
            if draft.ends or "out" in self.single_valued.ends(draft):
                continue  # an ending names its target; a single-valued type ends by rule
            stored = known.values(draft)
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
class _Known:
    """What the stores hold of a new extraction's entities: the ids of the stored entities
    its names name (all, and by key or alias key) and the current relations of its types
    from them (by source id and type)."""

    drafts: tuple[RelationDraft, ...]
    named: frozenset[str]
    ids_by_key: Mapping[str, frozenset[str]]
    held: Mapping[tuple[str, str], Sequence[Relation]]
    single_valued: SingleValued

    def sources(self, draft: RelationDraft) -> frozenset[str]:
        return self.ids_by_key.get(entity_key(draft.source), frozenset())

    def targets(self, draft: RelationDraft) -> frozenset[str]:
        return self.ids_by_key.get(entity_key(draft.target), frozenset())

    def values(self, draft: RelationDraft) -> list[Relation]:
        """The current relations of the draft's type from the stored entities its source
        names."""
        return [
            r
            for i in sorted(self.sources(draft))
            for r in self.held.get((i, draft.relationship), ())
        ]

    def may_change(self, record: MemoryRecord, stated: Sequence[Relation]) -> bool:
        """Whether, on an entity both name, the new extraction could repeat or contradict
        what `record` states (its relations `stated`): the rule of the module docstring."""
        for entity_id in self.named.intersection(record.entity_ids):
            old = [r for r in stated if entity_id in (r.source_id, r.target_id)]
            new = [d for d in self.drafts if entity_id in self.sources(d) | self.targets(d)]
            if not old or not new:
                return True  # named in words only: only the LLM can say what is said of it
            if any(self._comparable(entity_id, r, d) for r in old for d in new):
                return True
        return False

    def _comparable(self, entity_id: str, relation: Relation, draft: RelationDraft) -> bool:
        """Whether `draft` could repeat or contradict `relation`, both touching the entity."""
        old_from = relation.source_id == entity_id
        new_from = entity_id in self.sources(draft)
        new_to = entity_id in self.targets(draft)
        if (old_from and new_to) or (not old_from and new_from):
            return True  # opposite ends: an inverse may go by another type
        if not (old_from and new_from) or relation.type != draft.relationship:
            return False  # another relation of the subject, or two holders of one value
        return (
            relation.target_id in self.targets(draft)
            or "out" in self.single_valued.ends(draft)
            or len({r.target_id for r in self.values(draft)}) < MANY_VALUED_AT
        )


def _names(entity: Entity, name: str) -> bool:
    """Whether `name` is the entity's name or one of its aliases."""
    return entity_key(name) in entity.all_keys()
