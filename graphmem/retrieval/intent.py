"""Relation intent and answer type: what a question asks about, learned from the graph.

The candidates are the relation and entity types the scope's graph actually uses
(`GraphStore.schema`). A question word *mentions* a relation type when their word forms
meet (`wordforms`): exactly (strength 1.0: "directed" / DIRECTED_BY, "wrote" / WRITTEN_BY),
through a synonym (0.8: "sort" / HAS_GENRE), or, failing both, by vector similarity under
the configured embedder (0.6) to the type's phrase (cosine >= `VECTOR_MIN`) or to the
centroid of the facts stored under it (>= `FACTS_MIN`: "joined" / WORKS_AT when the
graph's WORKS_AT facts say "joined").
The answer type comes from the wh-phrase: "who" -> a type meaning person, "which films"
-> a type meaning movie, "when" -> a type meaning time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from graphmem.retrieval.linking import Token
from graphmem.retrieval.text import STOPWORDS
from graphmem.retrieval.type_vectors import TypeVectorMap
from graphmem.retrieval.wordforms import concept_forms, is_noun, word_forms
from graphmem.stores.embedders.base import Embedder
from graphmem.stores.graph.base import GraphSchema

EXACT = 1.0
SYNONYM = 0.8
VECTOR_WEIGHT = 0.6
VECTOR_MIN = 0.6
FACTS_MIN = 0.4
_PASCAL_WORD = re.compile(r"[A-Z][a-z0-9]*|[a-z0-9]+")
_WH_WORDS = frozenset({"who", "whom", "what", "which", "when", "where"})
_SELF_ANSWERING_WH = frozenset({"who", "whom", "when", "where"})
# Words of a type name that say nothing about it: HAS_GENRE is about "genre", not "has".
_FILLER = STOPWORDS | frozenset({"has", "have", "is", "in", "by", "of", "to", "at"})


@dataclass(frozen=True)
class Mention:
    """A question word that names one or more relation types."""

    position: int
    word: str
    strengths: dict[str, float]


@dataclass
class Intent:
    """What the question asks: relation types with how often and how surely, answer types."""

    mentions: list[Mention] = field(default_factory=list)
    answer_types: dict[str, float] = field(default_factory=dict)

    @property
    def strengths(self) -> dict[str, float]:
        """Best strength per mentioned relation type."""
        best: dict[str, float] = {}
        for mention in self.mentions:
            for relation_type, strength in mention.strengths.items():
                best[relation_type] = max(best.get(relation_type, 0.0), strength)
        return best

    cue_positions: set[int] = field(default_factory=set)
    wh_positions: list[int] = field(default_factory=list)
    joint_positions: set[int] = field(default_factory=set)
    """Words with the prefix "co-" ("co-wrote", "co-directors"): doing it *with* someone
    walks the relation out and back, so they count twice."""

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
        """How many separate phrases mention each relation type.

        "the director of X is also the director of" -> 2; but neighbouring words ("release
        date") are one phrase, and the wh-phrase's word ("which screenwriter wrote") only
        names the answer's role, so it counts when no other word mentions its type. A
        "co-" word counts twice.
        """
        positions: dict[str, list[int]] = {}
        for mention in self.mentions:
            for relation_type in mention.strengths:
                positions.setdefault(relation_type, []).append(mention.position)
        counts = {}
        for relation_type, found in positions.items():
            phrases = [p for i, p in enumerate(found) if i == 0 or p != found[i - 1] + 1]
            outside_cue = [p for p in phrases if p not in self.cue_positions]
            joint = sum(1 for p in outside_cue if p in self.joint_positions)
            counts[relation_type] = max(1, len(outside_cue) + joint)
        return counts


@lru_cache(maxsize=4096)
def type_signature(type_name: str) -> frozenset[str]:
    """Word forms of a type name's content words.

    Example:
        >>> sorted(type_signature("STARRED_ACTORS"))
        ['act', 'actor', 'star']
    """
    if type_name.isupper():  # a relation type: UPPER_SNAKE_CASE
        words = type_name.lower().split("_")
    else:  # an entity type: PascalCase
        words = [word.lower() for word in _PASCAL_WORD.findall(type_name)]
    return frozenset().union(*(word_forms(w) for w in words if w and w not in _FILLER))


def analyse_intent(
    tokens: Sequence[Token],
    skip: set[int],
    schema: GraphSchema,
    embedder: Embedder | None = None,
    type_vectors: TypeVectorMap | None = None,
) -> Intent:
    """Mentions of the schema's relation types and the wanted answer types.

    Args:
        tokens: The question's tokens.
        skip: Token positions that name entities (they mention no relation).
        schema: The scope's entity and relation types.
        embedder: Embeds the question's words for vector similarity; None: lexical only.
        type_vectors: Each relation type's vectors (its phrase, its facts' centroid).
    """
    words = [
        (i, token.text)
        for i, token in enumerate(tokens)
        if i not in skip and token.text[:1].isalnum() and token.text.casefold() not in _FILLER
    ]
    relation_types = sorted(schema.relation_types)
    similarity = _similarities(words, embedder, type_vectors or {})
    intent = Intent()
    for (position, word), similar in zip(words, similarity, strict=True):
        strengths = _strengths(word, relation_types, similar)
        if strengths:
            intent.mentions.append(Mention(position, word, strengths))
    intent.answer_types, intent.cue_positions = _answer_types(
        tokens, skip, sorted(schema.entity_types)
    )
    intent.wh_positions = [i for i, t in enumerate(tokens) if t.text.casefold() in _WH_WORDS]
    intent.joint_positions = {
        m.position for m in intent.mentions if m.word.casefold().startswith("co-")
    }
    return intent


def _strengths(word: str, relation_types: list[str], similar: dict[str, float]) -> dict[str, float]:
    """Lexical matches first; only a word that matches no type lexically may match by vector,
    and then only its single most similar type."""
    exact, close = word_forms(word), concept_forms(word)
    strengths = {}
    for relation_type in relation_types:
        signature = type_signature(relation_type)
        if exact & signature:
            strengths[relation_type] = EXACT
        elif close & signature:
            strengths[relation_type] = SYNONYM
    if not strengths and similar:
        best = max(similar, key=lambda relation_type: similar[relation_type])
        if similar[best] >= 1.0:
            strengths[best] = VECTOR_WEIGHT
    return strengths


def _similarities(
    words: list[tuple[int, str]], embedder: Embedder | None, type_vectors: TypeVectorMap
) -> list[dict[str, float]]:
    """Per word and type, the evidence of vector similarity: cosine to the type's phrase
    over `VECTOR_MIN`, or to its facts' centroid over `FACTS_MIN`, whichever is larger
    (1.0 or more is a match)."""
    if embedder is None or not words or not type_vectors:
        return [{} for _ in words]
    word_vectors = embedder.embed([word for _, word in words])
    return [
        {
            t: max(
                _cosine(w, v.phrase) / VECTOR_MIN,
                _cosine(w, v.facts) / FACTS_MIN if v.facts is not None else 0.0,
            )
            for t, v in type_vectors.items()
        }
        for w in word_vectors
    ]


def _answer_types(
    tokens: Sequence[Token], skip: set[int], entity_types: list[str]
) -> tuple[dict[str, float], set[int]]:
    """Entity types the wh-phrase asks for ("who" / "which films" / "what genres" / "when"),
    and the positions of the wh-phrase's words."""
    wanted: dict[str, float] = {}
    cue_positions: set[int] = set()
    for i, token in enumerate(tokens):
        wh = token.text.casefold()
        if wh not in _WH_WORDS:
            continue
        # "who" / "when" name the answer themselves; "which films", "what film genre" by
        # the noun phrase after them.
        self_naming = wh in _SELF_ANSWERING_WH
        cues = [(i, wh)] if self_naming else _noun_phrase_after(tokens, i, skip)
        for position, word in cues:
            cue_positions.add(position)
            forms = concept_forms(word)
            for entity_type in entity_types:
                if forms & type_signature(entity_type):
                    wanted[entity_type] = 1.0
    return wanted, cue_positions


def _noun_phrase_after(tokens: Sequence[Token], wh: int, skip: set[int]) -> list[tuple[int, str]]:
    """The first content word after a wh-word, and the noun right after it if any."""
    for j in range(wh + 1, min(wh + 4, len(tokens))):
        text = tokens[j].text
        if j in skip or not text[:1].isalnum() or text.casefold() in _FILLER:
            continue
        phrase = [(j, text)]
        if j + 1 < len(tokens) and j + 1 not in skip and is_noun(tokens[j + 1].text):
            phrase.append((j + 1, tokens[j + 1].text))
        return phrase
    return []


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
