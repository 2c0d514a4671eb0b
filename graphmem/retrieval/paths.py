"""Graph traversal: paths from the linked entities that explain the question.

A path is a walk of up to `max_hops` relations from a linked entity, never revisiting a
node. Expansion follows only the relation types the question mentions (any type, one hop,
when it mentions none). A path's *pattern* is its sequence of (type, direction); every
path of a pattern gets the same score:

    score = link * (1 + 2 coverage + answer + 0.5 order - 0.3 excess - 0.05 (hops - 1))

- coverage: the share of the question's relation mentions the pattern uses, weighted by
  mention strength ("directed the films written by X" wants DIRECTED_BY and WRITTEN_BY);
- excess: hops beyond what the mentions account for (a "co-star" walks STARRED_ACTORS twice);
- answer: +1 when the end entity has a type the wh-phrase asks for, -1 when the question
  asks for types and the end has none of them, 0 when it asks for none;
- order: +0.5 each when the first hop is the type mentioned nearest the entity and the
  last hop the type mentioned nearest the wh-word (`Intent.hop_order`), weighted 0.5;
- the last term is the hop decay, preferring the shorter of two equal explanations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graphmem.models.records import Entity, Relation
from graphmem.models.scope import Scope
from graphmem.retrieval.intent import Intent
from graphmem.retrieval.linking import LinkedEntity
from graphmem.stores.graph.base import GraphStore

COVERAGE_WEIGHT = 2.0
EXCESS_PENALTY = 0.3
HOP_DECAY = 0.05
ORDER_WEIGHT = 0.5
MAX_FRONTIER = 5000

Pattern = tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class Hop:
    relation: Relation
    forward: bool
    """True when walked source -> target."""

    @property
    def end(self) -> str:
        return self.relation.target_id if self.forward else self.relation.source_id


@dataclass(frozen=True)
class Path:
    start: LinkedEntity
    hops: tuple[Hop, ...]
    score: float = 0.0

    @property
    def end(self) -> str:
        return self.hops[-1].end

    @property
    def pattern(self) -> Pattern:
        return tuple((hop.relation.type, hop.forward) for hop in self.hops)

    def nodes(self) -> list[str]:
        return [self.start.entity.id, *(hop.end for hop in self.hops)]


def find_paths(
    links: list[LinkedEntity],
    intent: Intent,
    graph: GraphStore,
    scope: Scope,
    *,
    max_hops: int,
    as_of: date | None = None,
) -> list[Path]:
    """Every path worth scoring from the linked entities, scored, best first."""
    strengths = intent.strengths
    types = sorted(strengths) or None
    hops_allowed = max_hops if types else 1
    paths: list[Path] = []
    frontier = [Path(link, ()) for link in links]
    for _ in range(hops_allowed):
        frontier = _extend(frontier, graph, scope, types, as_of)
        paths += frontier
        if not frontier:
            break
    ends = {entity.id: entity for entity in graph.get_entities(sorted({p.end for p in paths}))}
    scored = [_scored(path, intent, ends.get(path.end)) for path in paths]
    return sorted(scored, key=lambda p: (-p.score, len(p.hops), p.end))


def _extend(
    partial: list[Path],
    graph: GraphStore,
    scope: Scope,
    types: list[str] | None,
    as_of: date | None,
) -> list[Path]:
    by_node: dict[str, list[Path]] = {}
    for path in partial:
        node = path.end if path.hops else path.start.entity.id
        by_node.setdefault(node, []).append(path)
    relations = graph.relations_of(scope, sorted(by_node), relation_types=types, as_of=as_of)
    extended: list[Path] = []
    for relation in relations:
        for forward, node in ((True, relation.source_id), (False, relation.target_id)):
            for path in by_node.get(node, []):
                hop = Hop(relation, forward)
                if hop.end not in path.nodes():
                    extended.append(Path(path.start, (*path.hops, hop)))
    return _bounded(extended)


def _bounded(paths: list[Path]) -> list[Path]:
    """Keep one path per (start, pattern, end), and at most MAX_FRONTIER of them."""
    unique: dict[tuple[str, Pattern, str], Path] = {}
    for path in paths:
        unique.setdefault((path.start.entity.id, path.pattern, path.end), path)
    return list(unique.values())[:MAX_FRONTIER]


def _scored(path: Path, intent: Intent, end: Entity | None) -> Path:
    strengths, counts = intent.strengths, intent.counts
    used: dict[str, int] = {}
    for relation_type, _ in path.pattern:
        used[relation_type] = used.get(relation_type, 0) + 1
    wanted = sum(counts[t] * strengths[t] for t in counts)
    covered = sum(min(used.get(t, 0), counts[t]) * strengths[t] for t in counts)
    coverage = covered / wanted if wanted else 0.0
    excess = sum(max(0, n - counts.get(t, 0)) for t, n in used.items())
    answer = 0.0
    if intent.answer_types:
        answer = 1.0 if end is not None and end.type in intent.answer_types else -1.0
    first, last = intent.hop_order(path.start.span)
    order = 0.5 * (path.pattern[0][0] in first) + 0.5 * (path.pattern[-1][0] in last)
    score = path.start.score * (
        1
        + COVERAGE_WEIGHT * coverage
        + answer
        + ORDER_WEIGHT * order
        - EXCESS_PENALTY * excess
        - HOP_DECAY * (len(path.hops) - 1)
    )
    return Path(path.start, path.hops, score)
