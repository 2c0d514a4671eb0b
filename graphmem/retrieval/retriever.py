"""The hybrid retriever: graph, vector and BM25 channels fused, with no LLM on the read path."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphmem.config import Channel, RetrievalConfig
from graphmem.models.records import MemoryRecord
from graphmem.models.scope import Scope
from graphmem.retrieval.answering import answer_question
from graphmem.retrieval.fusion import FusedHit, fuse_rankings
from graphmem.retrieval.graph_channel import (
    GraphEvidence,
    best_relations,
    describe_relations,
    gather_evidence,
    rank_memories,
)
from graphmem.retrieval.intent import Intent
from graphmem.retrieval.type_vectors import TypeVectors
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.embedders.memo import MemoEmbedder
from graphmem.stores.graph.base import CURRENT, GraphStore, TimeView
from graphmem.stores.text.bm25 import BM25Index
from graphmem.stores.vector.base import VectorStore, memory_pages

MemoryPredicate = Callable[[Mapping[str, Any]], bool]
CHANNELS: tuple[Channel, ...] = ("graph", "vector", "bm25")
_PATHS_PER_HIT = 3
MEMO_TEXTS = 50_000


@dataclass(frozen=True)
class SearchRequest:
    """A validated search: scope, optional filter predicate, knobs."""

    query: str
    scope: Scope
    limit: int = 10
    predicate: MemoryPredicate | None = None
    threshold: float | None = None
    time: TimeView = CURRENT
    channels: tuple[Channel, ...] = CHANNELS
    explain: bool = False


class HybridRetriever:
    """Answers `search` and `query` from the stores; never calls an LLM."""

    def __init__(
        self,
        *,
        graph: GraphStore,
        vectors: VectorStore,
        bm25: BM25Index,
        embedder: Embedder,
        config: RetrievalConfig,
    ) -> None:
        self._graph = graph
        self._vectors = vectors
        self._bm25 = bm25
        # Question words, type names and facts recur across reads: each is embedded once.
        self._embedder = MemoEmbedder(embedder, max_texts=MEMO_TEXTS)
        self._config = config
        self._type_vectors = TypeVectors(graph, self._embedder)

    @property
    def embedding_calls(self) -> int:
        """Embedding calls the read path has made (texts it had seen cost none)."""
        return self._embedder.calls

    def evidence(
        self,
        question: str,
        scope: Scope,
        time: TimeView,
        wanted: int,
        *,
        embed_question: bool = False,
    ) -> GraphEvidence:
        return gather_evidence(
            question,
            scope,
            graph=self._graph,
            vectors=self._vectors,
            embedder=self._embedder,
            type_vectors=self._type_vectors,
            max_hops=self._config.max_hops,
            wanted=wanted,
            time=time,
            embed_question=embed_question,
        )

    def query(self, question: str, scope: Scope, *, limit: int, time: TimeView) -> dict[str, Any]:
        """Entities that answer a relationship question, with their paths (SPEC §3)."""
        evidence = self.evidence(question, scope, time, limit)
        return answer_question(
            evidence, scope, graph=self._graph, vectors=self._vectors, limit=limit
        )

    def search(self, request: SearchRequest) -> dict[str, Any]:
        """Memories and relations for `request`, in the shape of `Memory.search` (SPEC §3)."""
        allowed = self._allowed_ids(request)
        candidates = max(self._config.candidates_per_channel, request.limit * 3)
        rankings: dict[str, list[tuple[str, float]]] = {}
        evidence = GraphEvidence([], Intent(), [])
        if "graph" in request.channels:
            evidence = self.evidence(
                request.query,
                request.scope,
                request.time,
                candidates,
                embed_question="vector" in request.channels,
            )
            ranked = rank_memories(evidence.paths)
            rankings["graph"] = [p for p in ranked if allowed is None or p[0] in allowed]
            rankings["graph"] = rankings["graph"][:candidates]
        if "vector" in request.channels:
            vector = evidence.question_vector or self._embedder.embed([request.query])[0]
            hits = self._vectors.search_memories(
                vector,
                request.scope,
                limit=candidates,
                memory_ids=sorted(allowed) if allowed is not None else None,
            )
            rankings["vector"] = [(hit.id, hit.score) for hit in hits]
        if "bm25" in request.channels:
            rankings["bm25"] = self._bm25.search(
                request.query, request.scope, limit=candidates, doc_ids=allowed
            )
        fused = fuse_rankings(
            rankings,
            weights=self._config.weights_for(self._embedder.name),
            method=self._config.fusion,
            rrf_k=self._config.rrf_k,
        )
        relations, scores = best_relations(evidence.paths, request.limit)
        return {
            "results": self._memory_hits(fused, request, evidence),
            "relations": describe_relations(relations, self._graph, scores),
        }

    def _allowed_ids(self, request: SearchRequest) -> set[str] | None:
        if request.predicate is None:
            return None
        return {
            record.id
            for page in memory_pages(self._vectors, request.scope, page_size=512)
            for record in page
            if request.predicate(record.to_dict())
        }

    def _memory_hits(
        self, fused: list[FusedHit], request: SearchRequest, evidence: GraphEvidence
    ) -> list[dict[str, Any]]:
        if request.threshold is not None:
            fused = [hit for hit in fused if hit.score >= request.threshold]
        records = self._vectors.get_memories([hit.id for hit in fused[: request.limit * 2]])
        by_id = {
            record.id: record
            for record in records
            if request.scope.matches(record.scope_ids())
            and (request.predicate is None or request.predicate(record.to_dict()))
        }
        results = []
        for hit in fused:
            record = by_id.get(hit.id)
            if record is not None:
                results.append(self._hit_dict(record, hit, request, evidence))
            if len(results) == request.limit:
                break
        return results

    def _hit_dict(
        self,
        record: MemoryRecord,
        hit: FusedHit,
        request: SearchRequest,
        evidence: GraphEvidence,
    ) -> dict[str, Any]:
        result = record.to_dict()
        result["score"] = round(hit.score, 6)
        result["scores"] = {
            name: round(hit.channels[name].score, 6) if name in hit.channels else None
            for name in CHANNELS
        }
        if request.explain:
            paths = [
                path
                for path in evidence.paths
                if any(record.id in hop.relation.memory_ids for hop in path.hops)
            ][:_PATHS_PER_HIT]
            result["explain"] = {
                "channels": {
                    name: {"rank": channel.rank, "score": channel.score}
                    for name, channel in hit.channels.items()
                },
                "paths": [
                    describe_relations([hop.relation for hop in path.hops], self._graph)
                    for path in paths
                ],
            }
        return result
