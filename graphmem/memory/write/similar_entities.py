"""Candidates for entity resolution: stored entities whose names look like a draft's.

The add planner finds an entity again by its exact key or an alias with one graph lookup.
A draft no key names may still be a thing the graph knows under another spelling ("ACME"
for "Acme, Inc.", "J. H. Dearle" for "John Henry Dearle"): the vector store's entity index
returns the `limit` nearest names in the draft's partition, and
`graphmem.resolution.match_entity` decides, with its guards (identifiers, short names,
ambiguity), whether one of them is the same thing. The names' vectors go along, for its
VECTOR evidence: the drafts' names are embedded by the add's own embedder (they are written
next), the stored look-alikes' names by `stored_names`, a memo that lives as long as the
writer, since the same stored names come back add after add.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graphmem.models.extraction import EntityDraft
from graphmem.models.records import Entity
from graphmem.models.scope import Partition, Scope
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.graph.base import GraphStore
from graphmem.stores.vector.base import VectorStore

SIMILAR_ENTITIES = 5
"""Nearest stored names fetched per unresolved draft; the matcher judges each of them."""


@dataclass
class SimilarEntities:
    """Stored look-alikes per (partition, draft key), and vectors of every name involved."""

    candidates: dict[tuple[Partition, str], list[Entity]] = field(default_factory=dict)
    name_vectors: dict[str, list[float]] = field(default_factory=dict)

    def for_draft(self, partition: Partition, draft: EntityDraft) -> list[Entity]:
        return self.candidates.get((partition, draft.key), [])


@dataclass(frozen=True)
class SimilarEntityFinder:
    """Looks up, in one embedding call and one search per draft, who unresolved drafts
    may be.

    `stored_names` embeds the names of the stored look-alikes (None: `embedder` does).

    Example:
        >>> # finder = SimilarEntityFinder(graph, vectors, embedder)
        >>> # similar = finder.find([(draft, scope)])
    """

    graph: GraphStore
    vectors: VectorStore
    embedder: Embedder
    limit: int = SIMILAR_ENTITIES
    stored_names: Embedder | None = None

    def find(self, drafts: Sequence[tuple[EntityDraft, Scope]]) -> SimilarEntities:
        """Look-alikes of each draft among the stored entities of its scope's partition."""
        found = SimilarEntities()
        if not drafts:
            return found
        names = [draft.name for draft, _ in drafts]
        found.name_vectors.update(zip(names, self.embedder.embed(names), strict=True))
        for draft, scope in drafts:
            partition = scope.partition()
            vector = found.name_vectors[draft.name]
            hits = self.vectors.search_entities(vector, scope, limit=self.limit)
            entities = self.graph.get_entities([hit.id for hit in hits])
            found.candidates[(partition, draft.key)] = [
                entity for entity in entities if entity.partition() == partition
            ]
        known = {
            name
            for entities in found.candidates.values()
            for entity in entities
            for name in (entity.name, *entity.aliases)
        } - found.name_vectors.keys()
        if known:
            ordered = sorted(known)
            embedder = self.stored_names or self.embedder
            found.name_vectors.update(zip(ordered, embedder.embed(ordered), strict=True))
        return found
