"""Answer relationship questions ("who works at Google?") with ranked entities and paths.

The candidates are the far ends of the relations around the entities the question names.
When some relation types match the question's words, only those answer; an answer scores
as its best supporting path, and its paths are listed as evidence.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graphmem.models.scope import Scope
from graphmem.retrieval.graph_channel import ScoredRelation, describe_relations, score_relations
from graphmem.retrieval.linking import link_entities
from graphmem.stores.graph.base import GraphStore
from graphmem.stores.vector.base import VectorStore


def answer_question(
    question: str,
    scope: Scope,
    *,
    graph: GraphStore,
    vectors: VectorStore,
    limit: int = 10,
    as_of: date | None = None,
) -> dict[str, Any]:
    """`{"answers", "relations", "memories"}` for `question` within `scope` (SPEC §3)."""
    links = link_entities(question, scope, graph)
    scored = score_relations(question, links, scope, graph, as_of=as_of)
    link_scores = {link.entity.id: link.score for link in links}
    if any(item.score > link_scores[item.anchor_id] for item in scored):
        # Some relation types match the question's words: only they answer it.
        scored = [item for item in scored if item.score > link_scores[item.anchor_id]]
    answers = _rank_answers(scored, graph)[:limit]
    kept = {path[0]["id"] for answer in answers for path in answer["paths"]}
    evidence = [item for item in scored if item.relation.id in kept]
    memory_ids = list(dict.fromkeys(m for item in evidence for m in item.relation.memory_ids))
    memories = [
        record.to_dict()
        for record in vectors.get_memories(memory_ids)
        if scope.matches(record.scope_ids())
    ]
    return {
        "answers": answers,
        "relations": describe_relations(evidence, graph),
        "memories": memories[:limit],
    }


def _rank_answers(scored: list[ScoredRelation], graph: GraphStore) -> list[dict[str, Any]]:
    far_ends = [_far_end(item) for item in scored]
    entities = {entity.id: entity for entity in graph.get_entities(sorted(set(far_ends)))}
    answers: dict[str, dict[str, Any]] = {}
    for item, far, relation in zip(
        scored, far_ends, describe_relations(scored, graph), strict=True
    ):
        entity = entities.get(far)
        if entity is None:
            continue
        answer = answers.setdefault(
            far,
            {
                "entity": entity.name,
                "id": entity.id,
                "type": entity.type,
                "score": 0.0,
                "paths": [],
            },
        )
        answer["score"] = max(answer["score"], round(item.score, 6))
        answer["paths"].append([relation])
    return sorted(answers.values(), key=lambda a: (-a["score"], a["entity"].casefold()))


def _far_end(item: ScoredRelation) -> str:
    relation = item.relation
    return relation.target_id if item.anchor_id == relation.source_id else relation.source_id
