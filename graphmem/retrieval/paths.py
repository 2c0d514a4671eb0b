"""Graph traversal: paths from the linked entities that explain the question.

A path walks up to `max_hops` relations from a linked entity, never through a node twice
(it may *end* on a node it passed, never on its start: the writer of X may have directed a
film he wrote), along the relation types the question mentions, with at most one *bridge*:
a hop of a type it does not mention ("the currency used in Dublin" walks Dublin's country
first); any type, one hop, when it mentions none. A path's *pattern* is its sequence of (type,
direction); paths of one pattern score alike:

    score = link * (1 + 2 coverage + answer + 0.5 order - 0.3 excess - 0.05 (hops - 1))

- coverage: the share of the question's phrases (`Intent.phrases`) the pattern's hops
  answer, weighted by mention strength ("directed the films written by X" wants
  DIRECTED_BY and WRITTEN_BY; "grandparents" wants two hops of PARENTS);
- answer: +1 when the end entity has a type the wh-phrase asks for, -1 when the question
  asks for types and the end has none of them, 0 when it asks for none; an end with no
  type is judged by the role its last hop gives it (`roles`: "who" and DIRECTED_BY);
- order: +0.5 each when the first hop is the type mentioned nearest the entity and the
  last hop the type mentioned nearest the wh-word (`Intent.hop_order`);
- excess: hops no phrase accounts for (a bridge, a third STARRED_ACTORS for a "co-star");
- the last term is the hop decay, preferring the shorter of two equal explanations.

Search is best-first over patterns: each pattern's upper bound (its score if every end had
a wanted type) orders the walks, and walking stops once no remaining pattern can come
within `STOP_MARGIN` of the best answer found or enter the `wanted` best. So "what genre
is X" never wanders through every drama.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from graphmem.models.naming import DEFAULT_ENTITY_TYPE
from graphmem.models.records import Entity, Relation
from graphmem.models.scope import Scope
from graphmem.retrieval.intent import Intent
from graphmem.retrieval.linking import LinkedEntity
from graphmem.retrieval.roles import RoleAnswers
from graphmem.stores.graph.base import CURRENT, Direction, GraphStore, TimeView

COVERAGE_WEIGHT = 2.0
ORDER_WEIGHT = 0.5
EXCESS_PENALTY = 0.3
HOP_DECAY = 0.05
MAX_FRONTIER = 20_000
PATHS_PER_NODE = 3
STOP_MARGIN = 0.3
BRIDGED_READS = 2_000

Pattern = tuple[tuple[str, bool], ...]
BRIDGE = ""
"""The relation type of a bridge step: a hop of any type the question does not mention
(one walk for all of them, however many types the graph has)."""


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


def find_paths(
    links: list[LinkedEntity],
    intent: Intent,
    graph: GraphStore,
    scope: Scope,
    *,
    max_hops: int,
    wanted: int = 10,
    time: TimeView = CURRENT,
) -> list[Path]:
    """Scored paths from the linked entities, best first, enough for `wanted` answers.

    A bridge (a hop of any type the question does not mention) is tried only when the
    mentioned types alone explain the question less than fully (no path covers every
    phrase and ends at a wanted type); two only when nothing was found or no path ends at
    the type the question asks for; each time until the walks have read `BRIDGED_READS`
    nodes and relations. Then one hop along anything; and when no word names a relation
    but the question asks for a type no path reached, two hops along anything (within the
    same budget).
    """
    types = sorted(intent.strengths)
    walker = _Walker(graph, scope, time, mentioned=frozenset(types))
    search = _Search(walker, graph, intent, wanted)
    search.run(_patterns(links, types, max_hops))
    if not search.complete:
        search.run(_bridged(links, types, max_hops, count=1), budget=BRIDGED_READS)
    if not search.found or search.misses_the_answer_type:
        search.run(_bridged(links, types, max_hops, count=2), budget=BRIDGED_READS)
    if not search.found and types:
        search.run((link, ()) for link in links)  # at least what the entity touches
    if not types and search.misses_the_answer_type:
        search.run(_bridges_only(links, min(max_hops, 2)), budget=BRIDGED_READS)
    return sorted(search.found, key=lambda p: (-p.score, len(p.hops), p.end))


class _Search:
    """Best-first walks over patterns, keeping every scored path found."""

    def __init__(self, walker: _Walker, graph: GraphStore, intent: Intent, wanted: int) -> None:
        self._walker = walker
        self._graph = graph
        self._intent = intent
        self._scorer = _Scorer(intent)
        self._roles = RoleAnswers(intent.asked)
        self._wanted = wanted
        self.found: list[Path] = []
        self.complete = False
        self.reached_answer_type = False
        self._best_by_end: dict[str, float] = {}

    def run(
        self, patterns: Iterator[tuple[LinkedEntity, Pattern]], budget: int | None = None
    ) -> None:
        """Walk `patterns` best bound first, until none can matter or the walks have read
        `budget` nodes and relations."""
        scorer = self._scorer
        candidates = sorted(
            (
                (scorer.bound(link, pattern), index, link, pattern)
                for index, (link, pattern) in enumerate(patterns)
            ),
            key=lambda item: (-item[0], item[1]),
        )
        best = sorted(self._best_by_end.values(), reverse=True)
        self._walker.limit = None if budget is None else self._walker.reads + budget
        for bound, _, link, pattern in candidates:
            if self._walker.spent:
                break
            if best and _beaten(bound, best, self._wanted):
                break
            walked = self._walker.walk(link, pattern)
            if not walked:
                continue
            ends = {e.id: e for e in self._graph.get_entities(sorted({p.end for p in walked}))}
            base = scorer.score(link, pattern)
            covers_all = scorer.coverage(pattern)[0] == 1.0
            for path in walked:
                answer = self._answer(path, ends.get(path.end))
                score = base + link.score * answer
                self.found.append(Path(link, path.hops, score))
                self._best_by_end[path.end] = max(self._best_by_end.get(path.end, score), score)
                self.complete = self.complete or (covers_all and answer >= 0)
                self.reached_answer_type = self.reached_answer_type or answer > 0
            best = sorted(self._best_by_end.values(), reverse=True)

    @property
    def misses_the_answer_type(self) -> bool:
        """Whether the question asks for a type and no path found so far ends at one."""
        return bool(self._intent.answer_types) and not self.reached_answer_type

    def _answer(self, path: Path, end: Entity | None) -> float:
        """+1 when the end is what the wh-phrase asks for, -1 when it is not, 0 when the
        question does not say; an end with no type is judged by its role (`roles`)."""
        if end is not None and end.type == DEFAULT_ENTITY_TYPE:
            last = path.hops[-1]
            return self._roles.term(last.relation.type, last.forward)
        if not self._intent.answer_types:
            return 0.0
        return 1.0 if end is not None and end.type in self._intent.answer_types else -1.0


def _beaten(bound: float, scores: list[float], wanted: int) -> bool:
    """Whether a pattern bounded by `bound` can no longer matter: it cannot come within
    `STOP_MARGIN` of the best answer, or cannot enter the `wanted` best."""
    return bound < scores[0] - STOP_MARGIN or (len(scores) >= wanted and bound < scores[wanted - 1])


def _patterns(
    links: list[LinkedEntity], types: list[str], max_hops: int
) -> Iterator[tuple[LinkedEntity, Pattern]]:
    steps = _steps(types)
    for link in links:
        if not types:
            yield link, ()  # no intent: one hop along anything
            continue
        for hops in range(1, max_hops + 1):
            for pattern in itertools.product(steps, repeat=hops):
                yield link, pattern


def _bridged(
    links: list[LinkedEntity], types: list[str], max_hops: int, count: int
) -> Iterator[tuple[LinkedEntity, Pattern]]:
    """Patterns of mentioned types with `count` bridge steps in any places."""
    steps, bridge_steps = _steps(types), _steps([BRIDGE])
    for link in links if types else []:
        for hops in range(count + 1, max_hops + 1):
            for places in itertools.combinations(range(hops), count):
                for mentioned in itertools.product(steps, repeat=hops - count):
                    for bridged in itertools.product(bridge_steps, repeat=count):
                        yield link, _placed(mentioned, bridged, places)


def _bridges_only(links: list[LinkedEntity], hops: int) -> Iterator[tuple[LinkedEntity, Pattern]]:
    """Patterns of 2 to `hops` bridge steps: what "what hotels did X book" reaches when no
    word names a relation, but one names the type asked for."""
    bridge_steps = _steps([BRIDGE])
    for link in links:
        for count in range(2, hops + 1):
            for pattern in itertools.product(bridge_steps, repeat=count):
                yield link, pattern


def _steps(types: list[str]) -> list[tuple[str, bool]]:
    """Each type walked forward and backward."""
    return [(t, forward) for t in types for forward in (True, False)]


def _placed(mentioned: Pattern, bridged: Pattern, places: tuple[int, ...]) -> Pattern:
    """`mentioned` with the `bridged` steps put at `places`."""
    rest, extra = iter(mentioned), iter(bridged)
    return tuple(
        next(extra) if i in places else next(rest) for i in range(len(mentioned) + len(bridged))
    )


Frontier = dict[str, list[tuple[tuple[Hop, ...], frozenset[str] | None]]]
"""End node -> up to PATHS_PER_NODE (hops, visited nodes) that reach it; visited is None
for a path that ended on a node it had passed, which goes no further."""


class _Walker:
    """Walks patterns from linked entities, remembering every prefix's frontier, so
    patterns sharing a prefix share its reads, and a dead prefix ends its extensions
    without another read."""

    def __init__(
        self, graph: GraphStore, scope: Scope, time: TimeView, mentioned: frozenset[str]
    ) -> None:
        self._graph = graph
        self._scope = scope
        self._time = time
        self._mentioned = mentioned
        """The types a bridge step does not take: the question's own."""
        self._frontiers: dict[tuple[str, Pattern], Frontier] = {}
        self.reads = 0
        """Nodes the walks have read the relations of, and relations read."""
        self.limit: int | None = None
        """Reads not to pass: a step whose nodes' relations (their degrees say how many)
        would read past it is not taken (a dead end)."""

    @property
    def spent(self) -> bool:
        return self.limit is not None and self.reads >= self.limit

    def walk(self, link: LinkedEntity, pattern: Pattern) -> list[Path]:
        """Every simple path from `link` along `pattern` (any one hop for `()`)."""
        frontier = self._frontier(link.entity.id, pattern)
        return [Path(link, hops) for paths in frontier.values() for hops, _ in paths]

    def _frontier(self, start: str, pattern: Pattern) -> Frontier:
        key = (start, pattern)
        if key not in self._frontiers:
            origin: Frontier = {start: [((), frozenset({start}))]}
            if not pattern:
                self._frontiers[key] = self._step(origin, None, None)
            else:
                before = self._frontier(start, pattern[:-1]) if len(pattern) > 1 else origin
                self._frontiers[key] = self._step(before, *pattern[-1]) if before else {}
        return self._frontiers[key]

    def _step(
        self, frontier: Frontier, relation_type: str | None, forward: bool | None
    ) -> Frontier:
        direction: Direction = "both" if forward is None else "out" if forward else "in"
        if self.limit is not None:
            ahead = len(frontier) + sum(self._graph.degrees(sorted(frontier)).values())
            if self.reads + ahead > self.limit:
                self.reads = self.limit
                return {}
        relations = self._graph.relations_of(
            self._scope,
            sorted(frontier),
            direction=direction,
            relation_types=[relation_type] if relation_type else None,
            as_of=self._time.as_of,
            include_history=self._time.include_history,
        )
        self.reads += len(frontier) + len(relations)
        if relation_type == BRIDGE and forward is not None:
            relations = [r for r in relations if r.type not in self._mentioned]
        advanced: Frontier = {}
        for relation in relations:
            for hop in _hops(relation, forward, frontier):
                start = relation.source_id if hop.forward else relation.target_id
                for hops, visited in frontier[start]:
                    kept = advanced.setdefault(hop.end, [])
                    if visited is None or len(kept) == PATHS_PER_NODE:
                        continue
                    if hop.end not in visited:
                        kept.append(((*hops, hop), visited | {hop.end}))
                    elif _may_end_on(hops, hop):
                        kept.append(((*hops, hop), None))
        return {
            node: paths for node, paths in itertools.islice(advanced.items(), MAX_FRONTIER) if paths
        }


def _may_end_on(hops: tuple[Hop, ...], hop: Hop) -> bool:
    """Whether `hop` may end its path on a node the path passed: not on the path's start,
    and not by a relation the path took already (straight back the way it came)."""
    if not hops:
        return False
    first = hops[0]
    start = first.relation.source_id if first.forward else first.relation.target_id
    return hop.end != start and all(h.relation.id != hop.relation.id for h in hops)


def _hops(relation: Relation, forward: bool | None, frontier: Mapping[str, object]) -> list[Hop]:
    directions = (True, False) if forward is None else (forward,)
    return [
        Hop(relation, way)
        for way in directions
        if (relation.source_id if way else relation.target_id) in frontier
    ]


class _Scorer:
    """Pattern scores for one intent (the module's formula, without the answer term),
    each pattern's coverage and each link's hop order worked out once."""

    def __init__(self, intent: Intent) -> None:
        self._intent = intent
        self._phrased = frozenset(t for phrase in intent.phrases for t in phrase.alternatives)
        self._coverage: dict[Pattern, tuple[float, int]] = {}
        self._orders: dict[tuple[int, int], tuple[set[str], set[str]]] = {}

    def coverage(self, pattern: Pattern) -> tuple[float, int]:
        """`_coverage`, worked out once for the hops phrases can answer: every other hop
        (a bridge) only adds to the excess."""
        answerable = tuple(step for step in pattern if step[0] in self._phrased)
        if answerable not in self._coverage:
            self._coverage[answerable] = _coverage(answerable, self._intent)
        coverage, excess = self._coverage[answerable]
        return coverage, excess + len(pattern) - len(answerable)

    def score(self, link: LinkedEntity, pattern: Pattern) -> float:
        """The score of a path of `pattern` from `link`, but for its end's answer term."""
        coverage, excess = self.coverage(pattern)
        order = 0.0
        if pattern:
            if link.span not in self._orders:
                self._orders[link.span] = self._intent.hop_order(link.span)
            first, last = self._orders[link.span]
            order = 0.5 * (pattern[0][0] in first) + 0.5 * (pattern[-1][0] in last)
        hops = max(len(pattern), 1)
        return link.score * (
            1
            + COVERAGE_WEIGHT * coverage
            + ORDER_WEIGHT * order
            - EXCESS_PENALTY * excess
            - HOP_DECAY * (hops - 1)
        )

    def bound(self, link: LinkedEntity, pattern: Pattern) -> float:
        """The best score a path of `pattern` could get: as if its end had a wanted type."""
        asks = bool(self._intent.answer_types or self._intent.asked)
        return self.score(link, pattern) + link.score * (1.0 if asks else 0.0)


def _coverage(pattern: Pattern, intent: Intent) -> tuple[float, int]:
    """The share of the phrases' weight the pattern's hops answer (each hop answers one
    phrase, the strongest phrases served first), and how many hops answer none. The hops
    of a repeated phrase must go on the same way ("grandparents": up twice, not up and
    down again), or out and back for a "co-" word."""
    left = list(pattern)
    wanted = covered = 0.0
    for phrase in sorted(intent.phrases, key=lambda phrase: -phrase.weight):
        wanted += phrase.weight * phrase.times
        taken: list[tuple[str, bool]] = []
        for step in sorted(left, key=lambda step: -phrase.credit(*step)):
            if len(taken) == phrase.times or not phrase.credit(*step):
                break
            if taken and not _goes_on(intent, taken[-1], step, phrase.returns):
                continue
            taken.append(step)
        for step in taken:
            left.remove(step)
            covered += phrase.credit(*step)
    return (covered / wanted if wanted else 0.0), len(left)


def _goes_on(
    intent: Intent, before: tuple[str, bool], step: tuple[str, bool], returns: bool
) -> bool:
    """Whether `step` continues `before` as a repeated phrase means: the same way on, or
    (`returns`) back."""
    (old_type, old_way), (new_type, new_way) = intent.way(*before), intent.way(*step)
    return old_type == new_type and (old_way != new_way if returns else old_way == new_way)
