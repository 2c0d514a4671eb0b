"""Relation intent and answer type: what a question asks about, learned from the graph.

The candidates are the relation and entity types the scope's graph actually uses
(`GraphStore.schema`). A question word (or two neighbouring words: "other half")
*mentions* a relation type, most surely first:

- `EXACT` (1.0): their word forms meet ("directed" / DIRECTED_BY, "wrote" / WRITTEN_BY);
- `RELATED` (0.8): WordNet says one means or is a kind of the other ("kid" / CHILDREN,
  "dad" / PARENTS, "faith" / RELIGION, "sort" / HAS_GENRE);
- `SIBLING` (0.7): failing both, WordNet files the word beside a word of the type (the
  commonest senses of "type" and "genre" are both a kind of kind) and the word's
  embedding backs it (never under the hash embedder);
- `VECTOR_WEIGHT` (0.6): failing all three, the word's embedding is close to what the type
  stands for (`type_vectors`: its name, its facts, the type of what it leads to), by at
  least the embedder's `Calibration`; only the closest type is taken.

`type_mentions` finds them; this module groups them into phrases. The answer type comes
from the wh-phrase (`answer_types`): "who" asks for a person, "which films" for whatever
"films" names among the graph's entity types.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from graphmem.models.naming import DEFAULT_ENTITY_TYPE
from graphmem.retrieval.answer_types import ASKING, WH_WORDS, answer_types
from graphmem.retrieval.closeness import MODEL_CALIBRATION, Calibration, Closeness
from graphmem.retrieval.linking import Token
from graphmem.retrieval.type_mentions import VECTOR_WEIGHT, names_exactly, type_mentions
from graphmem.retrieval.type_vectors import SchemaVectors, Vector
from graphmem.retrieval.word_meaning import FILLER, repeats
from graphmem.stores.graph.base import GraphSchema

WRONG_WAY_SHARE = 0.5


@dataclass(frozen=True)
class Mention:
    """A question word (or two) that names one or more relation types, and how many hops
    it stands for (`repeats`)."""

    position: int
    word: str
    strengths: dict[str, float]
    times: int = 1
    width: int = 1
    inverses: frozenset[str] = frozenset()
    """Types in `strengths` only as the inverse of a type the word names."""


@dataclass(frozen=True)
class Phrase:
    """One thing the question asks of the graph: any one of `alternatives` answers it
    ("die" is PLACE_OF_DEATH or CAUSE_OF_DEATH; "mother" is PARENTS or, walked back,
    CHILDREN), `times` hops of them ("grandparents": two)."""

    alternatives: dict[str, float]
    times: int = 1
    returns: bool = False
    """Its hops walk out and back ("co-star": X's films' other actors), not on ("grand")."""
    backward: frozenset[str] = frozenset()
    """Alternatives that stand for it walked back: the inverses of the types it names
    ("X's mother" is X's PARENTS, or whom X is among the CHILDREN of); the types it names
    that have inverses are then meant forward."""

    def credit(self, relation_type: str, forward: bool) -> float:
        """What a hop of this type and way answers of the phrase (half, the wrong way)."""
        strength = self.alternatives.get(relation_type, 0.0)
        if not self.backward:
            return strength
        meant_forward = relation_type not in self.backward
        return strength if forward == meant_forward else strength * WRONG_WAY_SHARE

    @property
    def weight(self) -> float:
        return max(self.alternatives.values())


@dataclass
class Intent:
    """What the question asks: relation types with how often and how surely, answer types."""

    mentions: list[Mention] = field(default_factory=list)
    phrases: list[Phrase] = field(default_factory=list)
    answer_types: dict[str, float] = field(default_factory=dict)
    cue_positions: set[int] = field(default_factory=set)
    asked: tuple[str, ...] = ()
    """The wh-phrase's words ("person" for who, "films"), for ends with no type (`roles`);
    empty when the graph has none."""
    wh_positions: list[int] = field(default_factory=list)
    inverses: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def way(self, relation_type: str, forward: bool) -> tuple[str, bool]:
        """Which way a hop goes, the same for a type and its inverse walked back
        (PARENTS forward is CHILDREN backward): the alphabetically first of the pair's
        types, and whether the hop walks it forward."""
        canonical = min({relation_type} | self.inverses.get(relation_type, frozenset()))
        return canonical, forward if canonical == relation_type else not forward

    @property
    def strengths(self) -> dict[str, float]:
        """Best strength per mentioned relation type."""
        best: dict[str, float] = {}
        for mention in self.mentions:
            for relation_type, strength in mention.strengths.items():
                best[relation_type] = max(best.get(relation_type, 0.0), strength)
        return best

    def hop_order(self, span: tuple[int, int]) -> tuple[set[str], set[str]]:
        """Types a path from the entity at `span` should start with and end with.

        It starts with what is mentioned nearest the entity ("the films *written by* X":
        a by-phrase just before the name binds to it, so mentions before the name win
        ties) and ends with what is mentioned nearest the wh-word ("... were *directed by
        who*"), or farthest from the entity when there is no wh-word.
        """
        if len({t for m in self.mentions for t in m.strengths}) < 2:
            return set(), set()

        def distance(position: int) -> float:
            return span[0] - position - 0.5 if position < span[0] else position - span[1] + 1

        def types_at(best: float, measure: Callable[[Mention], float]) -> set[str]:
            return {t for m in self.mentions if measure(m) == best for t in m.strengths}

        near = min(distance(m.position) for m in self.mentions)
        first = types_at(near, lambda m: distance(m.position))
        if self.wh_positions:

            def to_wh(m: Mention) -> float:
                return min(abs(m.position - wh) for wh in self.wh_positions)

            last = types_at(min(to_wh(m) for m in self.mentions), to_wh)
        else:
            far = max(distance(m.position) for m in self.mentions)
            last = types_at(far, lambda m: distance(m.position))
        return first, last

    @property
    def counts(self) -> dict[str, int]:
        """How many hops of each relation type the phrases ask for, at most.

        "the director of X is also the director of" -> 2; but neighbouring or coordinated
        words ("release date", "mum and dad") are one phrase, and the wh-phrase's word
        ("which screenwriter wrote") only names the answer's role, so it counts when no
        other word mentions a type. "co-star" and "grandparents" count twice.
        """
        counts: dict[str, int] = {}
        for phrase in self.phrases:
            for relation_type in phrase.alternatives:
                counts[relation_type] = counts.get(relation_type, 0) + phrase.times
        return counts


def intent_phrases(tokens: Sequence[Token], skip: set[int]) -> list[tuple[int, str]]:
    """The question's content words outside `skip`, and each pair of neighbouring ones
    ("other half"), with the position each starts at: what relation intent embeds."""
    words = [
        (i, token.text)
        for i, token in enumerate(tokens)
        if i not in skip and token.text[:1].isalnum() and token.text.casefold() not in FILLER
    ]
    pairs = [(i, f"{a} {b}") for (i, a), (j, b) in itertools.pairwise(words) if j == i + 1]
    return words + pairs


def phrases_to_embed(tokens: Sequence[Token], skip: set[int], schema: GraphSchema) -> list[str]:
    """The `intent_phrases` whose vectors can change the intent: not a word that names a
    relation type by its word forms ("directed", "actors"), nor a pair holding one (such a
    word is a mention whatever its vector says, and a pair with it is never read)."""
    phrases = intent_phrases(tokens, skip)
    relation_types, entity_types = sorted(schema.relation_types), sorted(schema.entity_types)
    named = {
        position
        for position, text in phrases
        if " " not in text and names_exactly(text, relation_types, entity_types)
    }
    return [
        text
        for position, text in phrases
        if not {position, position + 1 if " " in text else position} & named
    ]


def analyse_intent(
    tokens: Sequence[Token],
    skip: set[int],
    schema: GraphSchema,
    vectors: Mapping[str, Vector] | None = None,
    schema_vectors: SchemaVectors | None = None,
    calibration: Calibration = MODEL_CALIBRATION,
    question: str | None = None,
    rest: str | None = None,
) -> Intent:
    """Mentions of the schema's relation types and the wanted answer types.

    Args:
        tokens: The question's tokens.
        skip: Token positions that name entities (they mention no relation).
        schema: The scope's entity and relation types.
        vectors: Embeddings of the question's `intent_phrases` (and wh-meanings), by text;
            None: lexical only.
        schema_vectors: The schema's type vectors (`TypeVectors.for_scope`).
        calibration: The cosines that count as a mention under the embedder used.
        question: The question with its names masked, when `vectors` has it: it may
            mention a type as a whole (`Calibration.question`).
        rest: The masked question without its words that name a type (when `vectors`
            has it): what the whole question mentions when `question` is closest to a
            type a word already names.
    """
    phrases = intent_phrases(tokens, skip)
    relation_types = sorted(schema.relation_types)
    schema_vectors = schema_vectors or SchemaVectors()
    closeness = Closeness(vectors or {}, schema_vectors, calibration)
    intent = Intent(inverses=schema_vectors.inverses)
    typed = sorted(t for t in schema.entity_types if t != DEFAULT_ENTITY_TYPE)
    intent.answer_types, cues = answer_types(
        tokens, skip, typed, closeness.to_entity_types, relation_types
    )
    intent.cue_positions = {position for position, _ in cues}
    if DEFAULT_ENTITY_TYPE in schema.entity_types:  # untyped ends answer by their roles
        intent.asked = tuple(word for _, word in cues)
    for position, word, strengths in type_mentions(
        phrases, relation_types, closeness, intent.cue_positions, sorted(schema.entity_types)
    ):
        widened = _with_inverses(strengths, schema_vectors.inverses)
        intent.mentions.append(
            Mention(
                position,
                word,
                widened,
                repeats(word),
                width=len(word.split()),
                inverses=frozenset(widened) - frozenset(strengths),
            )
        )
    whole = _question_mention(question, len(tokens), intent.mentions, closeness)
    if whole is None and rest != question and _says_something(rest):
        whole = _question_mention(rest, len(tokens), intent.mentions, closeness)
    if whole is not None:
        widened = _with_inverses(whole.strengths, schema_vectors.inverses)
        inverses = frozenset(widened) - frozenset(whole.strengths)
        intent.mentions.append(replace(whole, strengths=widened, inverses=inverses))
    intent.mentions.sort(key=lambda mention: mention.position)
    intent.phrases = _phrases(intent.mentions, tokens, intent.cue_positions)
    intent.wh_positions = [i for i, t in enumerate(tokens) if t.text.casefold() in WH_WORDS]
    return intent


QUESTION_TIES = 0.05


def _question_mention(
    question: str | None, end: int, mentions: list[Mention], closeness: Closeness
) -> Mention | None:
    """The types the whole question is close to by `Calibration.question` (the closest,
    and those within `QUESTION_TIES` of it), when no word mentions them: one weak mention
    after the last word."""
    close = closeness.question_to_relations(question) if question else {}
    if not close:
        return None
    mentioned = {t for mention in mentions for t in mention.strengths}
    best = max(close.values())
    chosen = {t: VECTOR_WEIGHT for t, c in close.items() if c >= best - QUESTION_TIES}
    if best < 1.0 or set(chosen) & mentioned:
        return None
    return Mention(end, question or "", chosen)


def _says_something(text: str | None) -> bool:
    """Whether `text` has a content word besides wh-words and masked names: "Where was X"
    is what is left of "Where was X born", and asks nothing a type could answer by itself."""
    words = (word.casefold() for word in (text or "").split())
    return any(w[:1].isalnum() and w not in FILLER | ASKING | {"x"} for w in words)


def _with_inverses(
    strengths: dict[str, float], inverses: Mapping[str, frozenset[str]]
) -> dict[str, float]:
    """A mention of PARENTS is also one of CHILDREN walked the other way, when the graph
    stores each as the other's reverse (`SchemaVectors.inverses`)."""
    widened = dict(strengths)
    for relation_type, strength in strengths.items():
        for inverse in inverses.get(relation_type, frozenset()):
            widened[inverse] = max(widened.get(inverse, 0.0), strength)
    return widened


def _named(mentions: list[Mention]) -> frozenset[str]:
    """The types the mentions name themselves (not only as an inverse)."""
    return frozenset(
        t for mention in mentions for t in mention.strengths if t not in mention.inverses
    )


_COORDINATORS = frozenset({"and", "or", ",", "&", "/"})


def _phrases(mentions: list[Mention], tokens: Sequence[Token], cues: set[int]) -> list[Phrase]:
    """The mentions as phrases: neighbouring or coordinated mentions of a shared type are
    one ("release date", "mum and dad"). A phrase of wh-words ("which country") mostly
    names the answer's role, which the answer type weighs: it counts only when no other
    phrase names its types."""
    groups: list[list[Mention]] = []
    for mention in mentions:
        last = groups[-1][-1] if groups else None
        if last is not None and set(last.strengths) & set(mention.strengths):
            between = [
                t.text.casefold() for t in tokens[last.position + last.width : mention.position]
            ]
            if all(word in _COORDINATORS for word in between):
                groups[-1].append(mention)
                continue
        groups.append([mention])
    phrases = []
    for group in groups:
        alternatives: dict[str, float] = {}
        for mention in group:
            for relation_type, strength in mention.strengths.items():
                alternatives[relation_type] = max(alternatives.get(relation_type, 0.0), strength)
        times = max(mention.times for mention in group)
        returns = any(mention.word.casefold().startswith("co-") for mention in group)
        backward = frozenset().union(*(mention.inverses for mention in group))
        phrase = Phrase(alternatives, times, returns, backward=backward - _named(group))
        phrases.append((all(m.position in cues for m in group), phrase))
    if all(is_cue for is_cue, _ in phrases):
        return [phrase for _, phrase in phrases]
    named_elsewhere = {t for is_cue, phrase in phrases if not is_cue for t in phrase.alternatives}
    return [
        phrase
        for is_cue, phrase in phrases
        if not is_cue or not set(phrase.alternatives) & named_elsewhere
    ]
