"""The graph channel: relations around the entities a query names, scored by intent.

A relation touching a linked entity scores `link score * (1 + intent)`, so relations whose
type the question asks about come first; a memory scores as its best supporting relation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from graphmem.models.records import Relation
from graphmem.models.scope import Scope
from graphmem.retrieval.intent import relation_intent
from graphmem.retrieval.linking import LinkedEntity
from graphmem.retrieval.text import content_stems
from graphmem.stores.graph.base import GraphStore


@dataclass(frozen=True)
class ScoredRelation:
    relation: Relation
    score: float
    anchor_id: str
    """The linked entity the relation was reached from."""


def score_relations(
    query: str,
    links: list[LinkedEntity],
    scope: Scope,
    graph: GraphStore,
    *,
    as_of: date | None = None,
) -> list[ScoredRelation]:
    """Relations one hop from the linked entities, best first."""
    if not links:
        return []
    mentioned = {stem for link in links for stem in content_stems(link.mention)}
    query_stems = content_stems(query) - mentioned
    link_scores = {link.entity.id: link.score for link in links}
    relations = graph.relations_of(scope, list(link_scores), as_of=as_of)
    intent = relation_intent(query_stems, {relation.type for relation in relations})
    scored: dict[str, ScoredRelation] = {}
    for relation in relations:
        for anchor in (relation.source_id, relation.target_id):
            if anchor not in link_scores:
                continue
            score = link_scores[anchor] * (1.0 + intent[relation.type])
            if relation.id not in scored or scored[relation.id].score < score:
                scored[relation.id] = ScoredRelation(relation, score, anchor)
    return sorted(scored.values(), key=lambda item: (-item.score, item.relation.id))


def rank_memories(scored: list[ScoredRelation]) -> list[tuple[str, float]]:
    """Memories behind the scored relations, each as good as its best relation."""
    best: dict[str, float] = {}
    for item in scored:
        for memory_id in item.relation.memory_ids:
            best[memory_id] = max(best.get(memory_id, 0.0), item.score)
    return sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))


def describe_relations(scored: list[ScoredRelation], graph: GraphStore) -> list[dict[str, Any]]:
    """Public relation dicts (`source`, `relationship`, `target`, ...) with their scores."""
    ids = sorted({end for s in scored for end in (s.relation.source_id, s.relation.target_id)})
    names = {entity.id: entity.name for entity in graph.get_entities(ids)}
    described = []
    for item in scored:
        data = item.relation.to_dict(names)
        data["score"] = round(item.score, 6)
        described.append(data)
    return described
