"""The graph channel: link the question's entities, read its intent, walk the graph.

`gather_evidence` is the one entry point `search` and `query` share; it never calls an LLM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from graphmem.models.records import Relation
from graphmem.models.scope import Scope
from graphmem.retrieval.answer_types import answer_cues
from graphmem.retrieval.closeness import calibration_for
from graphmem.retrieval.intent import Intent, analyse_intent, phrases_to_embed
from graphmem.retrieval.linking import (
    LinkedEntity,
    Token,
    link_exactly,
    link_loosely,
    tokenize,
    weigh_links,
)
from graphmem.retrieval.paths import Path, find_paths
from graphmem.retrieval.type_vectors import TypeVectors, Vector
from graphmem.retrieval.word_meaning import names_any, type_signature
from graphmem.retrieval.wordforms import word_forms
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.graph.base import CURRENT, GraphSchema, GraphStore, TimeView
from graphmem.stores.vector.base import VectorStore


@dataclass
class GraphEvidence:
    """What the graph says about a question: links, intent, and scored paths (best first),
    and the question's own vector when it was embedded."""

    links: list[LinkedEntity]
    intent: Intent
    paths: list[Path]
    question_vector: list[float] | None = None


def gather_evidence(
    question: str,
    scope: Scope,
    *,
    graph: GraphStore,
    vectors: VectorStore,
    embedder: Embedder,
    type_vectors: TypeVectors,
    max_hops: int,
    wanted: int = 10,
    time: TimeView = CURRENT,
    embed_question: bool = False,
) -> GraphEvidence:
    """Link, read intent, and walk up to `max_hops` from the linked entities, far enough
    to rank `wanted` answers.

    Embedding calls: one when a name matches exactly (the intent phrases, with the
    question itself if `embed_question` asks: search's vector channel); otherwise the
    question alone to link names written loosely, then, only if one links, its phrases.
    Texts the memo embedder has seen cost nothing, so templated questions often cost none.
    """
    tokens = tokenize(question)
    schema = graph.schema(scope)
    links = link_exactly(question, tokens, scope, graph)
    embedded: dict[str, Vector] = {}
    if not links:
        embedded = _embedded(embedder, [question])
        links = link_loosely(question, tokens, scope, graph, vectors, embedded[question].tolist())
        if not links:  # nothing named: no walk, so no intent to read
            return GraphEvidence([], Intent(), [], embedded[question].tolist())
    links = _without_schema_words(weigh_links(links, question, tokens), schema)
    named = {i for link in links for i in range(*link.span)}
    masked = masked_question(tokens, links)
    rest = unexplained_question(tokens, links, schema)
    texts = phrases_to_embed(tokens, named, schema) + answer_cues(tokens, named)
    texts += [masked, rest] + ([question] if embed_question else [])
    embedded |= _embedded(embedder, [text for text in texts if text not in embedded])
    intent = analyse_intent(
        tokens,
        named,
        schema,
        embedded,
        type_vectors.for_scope(scope, schema),
        calibration_for(embedder.name),
        question=masked,
        rest=rest,
    )
    paths = find_paths(
        links,
        intent,
        graph,
        scope,
        max_hops=max_hops,
        wanted=wanted,
        time=time,
    )
    vector = embedded[question].tolist() if question in embedded else None
    return GraphEvidence(links, intent, paths, vector)


def masked_question(tokens: list[Token], links: list[LinkedEntity]) -> str:
    """The question with each linked name as "X": what it asks, whoever it names.

    Example:
        >>> from graphmem.retrieval.linking import tokenize
        >>> tokens = tokenize("What does Ann Lee do for a living?")
        >>> masked_question(tokens, [])
        'What does Ann Lee do for a living ?'
    """
    starts = {link.span[0]: link.span[1] for link in links}
    words, i = [], 0
    while i < len(tokens):
        if i in starts:
            words.append("X")
            i = max(starts[i], i + 1)
        else:
            words.append(tokens[i].text)
            i += 1
    return " ".join(words)


def unexplained_question(
    tokens: list[Token], links: list[LinkedEntity], schema: GraphSchema
) -> str:
    """The masked question without the words that name a relation or an entity type by
    their forms or by WordNet: what is left for the whole question to mention ("What do
    X's kids do for a living?" -> "What do X 's do for a living ?": PROFESSION, once
    "kids" is CHILDREN; "which person wrote the movies ..." leaves no "person", "movies")."""
    types = sorted(schema.relation_types | schema.entity_types.keys())
    named = {i for link in links for i in range(*link.span)}
    kept = [i for i in range(len(tokens)) if i in named or not names_any(tokens[i].text, types)]
    return masked_question([tokens[i] for i in kept], _shifted(links, kept))


def _shifted(links: list[LinkedEntity], kept: list[int]) -> list[LinkedEntity]:
    where = {old: new for new, old in enumerate(kept)}
    return [
        replace(link, span=(where[link.span[0]], where[link.span[1] - 1] + 1))
        for link in links
        if link.span[0] in where and link.span[1] - 1 in where
    ]


def _embedded(embedder: Embedder, texts: list[str]) -> dict[str, Vector]:
    """`texts` by their vectors, in one embedding call (none for no texts)."""
    if not texts:
        return {}
    return dict(zip(texts, np.asarray(embedder.embed(texts), dtype=np.float64), strict=True))


def _without_schema_words(links: list[LinkedEntity], schema: GraphSchema) -> list[LinkedEntity]:
    """Drop links whose key is one word of the schema ("director", "the film", "language")
    when the question names something else: there they ask, they do not name."""
    vocabulary = frozenset().union(
        *(type_signature(name) for name in (*schema.relation_types, *schema.entity_types))
    )

    def is_schema_word(link: LinkedEntity) -> bool:
        # The key, not the span: "the film" keys to "film" once articles are folded away.
        words = link.mention.split()
        return len(words) == 1 and bool(word_forms(words[0]) & vocabulary)

    named = [link for link in links if not is_schema_word(link)]
    return named if named else links


def rank_memories(paths: Sequence[Path]) -> list[tuple[str, float]]:
    """Memories behind the paths' relations, each as good as its best path."""
    best: dict[str, float] = {}
    for path in paths:
        for hop in path.hops:
            for memory_id in hop.relation.memory_ids:
                if path.score > best.get(memory_id, float("-inf")):
                    best[memory_id] = path.score
    return sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))


def describe_relations(
    relations: Sequence[Relation], graph: GraphStore, scores: Sequence[float] | None = None
) -> list[dict[str, Any]]:
    """Public relation dicts (`source`, `relationship`, `target`, ...), with scores if given."""
    ids = sorted({end for r in relations for end in (r.source_id, r.target_id)})
    names = {entity.id: entity.name for entity in graph.get_entities(ids)}
    described = []
    for i, relation in enumerate(relations):
        data = relation.to_dict(names)
        if scores is not None:
            data["score"] = round(scores[i], 6)
        described.append(data)
    return described


def best_relations(paths: Sequence[Path], limit: int) -> tuple[list[Relation], list[float]]:
    """The relations on the best paths, each once, with its best path's score."""
    best: dict[str, tuple[Relation, float]] = {}
    for path in paths:
        for hop in path.hops:
            if hop.relation.id not in best:
                best[hop.relation.id] = (hop.relation, path.score)
        if len(best) >= limit:
            break
    chosen = list(best.values())[:limit]
    return [relation for relation, _ in chosen], [score for _, score in chosen]
