"""Answer relationship questions ("who works at Google?") with ranked entities and paths.

The candidates are the ends of the scored paths (`paths.find_paths`); an answer scores as
its best path, ties go to the answer more paths support, and each answer carries up to
`PATHS_PER_ANSWER` paths as evidence. The entities the question names are never answers.
"""

from __future__ import annotations

from typing import Any

from graphmem.models.scope import Scope
from graphmem.retrieval.graph_channel import GraphEvidence, describe_relations
from graphmem.retrieval.paths import Path
from graphmem.stores.graph.base import GraphStore
from graphmem.stores.vector.base import VectorStore

PATHS_PER_ANSWER = 3


def answer_question(
    evidence: GraphEvidence,
    scope: Scope,
    *,
    graph: GraphStore,
    vectors: VectorStore,
    limit: int = 10,
) -> dict[str, Any]:
    """`{"answers", "relations", "memories"}` from the graph evidence (SPEC §3)."""
    named = {link.entity.id for link in evidence.links}
    support: dict[str, list[Path]] = {}
    for path in evidence.paths:
        if path.end not in named:
            support.setdefault(path.end, []).append(path)
    ranked = sorted(support.items(), key=lambda item: (-item[1][0].score, -len(item[1]), item[0]))[
        :limit
    ]
    entities = {e.id: e for e in graph.get_entities([entity_id for entity_id, _ in ranked])}
    answers = []
    evidence_paths: list[Path] = []
    for entity_id, paths in ranked:
        entity = entities[entity_id]
        kept = paths[:PATHS_PER_ANSWER]
        evidence_paths += kept
        answers.append(
            {
                "entity": entity.name,
                "id": entity.id,
                "type": entity.type,
                "score": round(paths[0].score, 6),
                "support": len(paths),
                "paths": [describe_relations([h.relation for h in p.hops], graph) for p in kept],
            }
        )
    relations = list({h.relation.id: h.relation for p in evidence_paths for h in p.hops}.values())
    memory_ids = list(dict.fromkeys(m for relation in relations for m in relation.memory_ids))
    return {
        "answers": answers,
        "relations": describe_relations(relations, graph),
        "memories": _source_memories(memory_ids, scope, vectors, limit),
    }


def _source_memories(
    memory_ids: list[str], scope: Scope, vectors: VectorStore, limit: int
) -> list[dict[str, Any]]:
    """The first `limit` of the memories (of `scope`) that `memory_ids` name, read
    `limit` at a time: a memory's payload may be a disk read away."""
    found: list[dict[str, Any]] = []
    for start in range(0, len(memory_ids), limit):
        chunk = memory_ids[start : start + limit]
        found += [
            record.to_dict()
            for record in vectors.get_memories(chunk)
            if scope.matches(record.scope_ids())
        ]
        if len(found) >= limit:
            break
    return found[:limit]
