"""Entity linking: which stored entities does a question name, and how surely?

1. Exact and alias matches of every word span (up to `MAX_NAME_WORDS` words; punctuation
   inside a span is kept and not counted: "Alexander and the Terrible, Horrible, No Good,
   Very Bad Day" is 12 words), longest span first, so "New York Times" wins over "New York";
   a span ending in a possessive also names its owner ("Kestrel Aerospace's").
2. When nothing matches exactly, the nearest entity names by vector (Qdrant's entity
   collection), kept only when rapidfuzz finds the name in the question with
   `partial_ratio >= FUZZY_MIN_RATIO`, or else when a capitalised question word is a part
   of exactly one candidate person's name ("Sarah" -> "Sarah Chen", `NAME_PART_SCORE`).
A span that is a lone stopword ("who", "the") never links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from graphmem.models.naming import entity_key
from graphmem.models.records import Entity
from graphmem.models.scope import Scope
from graphmem.retrieval.text import STOPWORDS
from graphmem.stores.graph.base import GraphStore
from graphmem.stores.vector.base import VectorStore

MAX_NAME_WORDS = 12
FUZZY_MIN_RATIO = 88.0
ALIAS_SCORE = 0.95
NAME_PART_SCORE = 0.8
MIN_NAME_PART = 3
CASE_MISMATCH = 0.85
_TOKEN = re.compile(r"\w+(?:[-'’.&]\w+)*\.?|[^\w\s]")
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class LinkedEntity:
    """An entity named in the question, the tokens that named it, and how sure the link is."""

    entity: Entity
    span: tuple[int, int]
    mention: str
    score: float


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def link_exactly(
    question: str, tokens: list[Token], scope: Scope, graph: GraphStore
) -> list[LinkedEntity]:
    """Entities whose name or alias is a span of the question, longest spans first."""
    spans = _spans(question, tokens)
    return _exact_links(spans, graph.match_entities(scope, list(spans)))


def link_loosely(
    question: str,
    tokens: list[Token],
    scope: Scope,
    graph: GraphStore,
    vectors: VectorStore,
    question_vector: Sequence[float],
) -> list[LinkedEntity]:
    """Links for names written loosely: the nearest entity names to the question's vector,
    kept when the name appears almost verbatim, or when a capitalised word is one part of
    a person's name ("Sarah" for "Sarah Chen") and no other candidate shares it."""
    hits = vectors.search_entities(list(question_vector), scope, limit=5)
    candidates = graph.get_entities([hit.id for hit in hits])
    linked = [link for entity in candidates if (link := _near_verbatim(entity, question, tokens))]
    return _outermost(linked) or _name_parts(candidates, tokens)


def _outermost(links: list[LinkedEntity]) -> list[LinkedEntity]:
    """Links not inside a longer link's words: in "Kestrel Aerospace's industry" the
    company is named, not the industry "Aerospace" inside its name."""
    return [
        link
        for link in links
        if not any(
            other.span[0] <= link.span[0]
            and link.span[1] <= other.span[1]
            and other.span[1] - other.span[0] > link.span[1] - link.span[0]
            for other in links
        )
    ]


def weigh_links(
    links: list[LinkedEntity], question: str, tokens: list[Token]
) -> list[LinkedEntity]:
    """The links in question order, tempered where they are likelier ordinary words."""
    return sorted(_weighed(links, question, tokens), key=lambda link: link.span)


def _weighed(links: list[LinkedEntity], question: str, tokens: list[Token]) -> list[LinkedEntity]:
    """Temper links that are likelier to be ordinary words than names.

    A link scores `(0.5 + 0.5 * words / longest link's words)`, times `CASE_MISMATCH`
    when the question writes the name in another case ("fall" for the film "Fall").
    """
    if not links:
        return links
    longest = max(end - start for link in links for start, end in [link.span])
    weighed = []
    for link in links:
        start, end = link.span
        written = _POSSESSIVE.sub("", question[tokens[start].start : tokens[end - 1].end])
        factor = 0.5 + 0.5 * (end - start) / longest
        if written != link.entity.name and written not in link.entity.aliases:
            factor *= CASE_MISMATCH
        weighed.append(LinkedEntity(link.entity, link.span, link.mention, link.score * factor))
    return weighed


def _spans(question: str, tokens: list[Token]) -> dict[str, tuple[int, int]]:
    """Every span's key -> (first token, end token), longest spans first.

    A span runs from one word to another over at most `MAX_NAME_WORDS` words; the
    punctuation between them rides along uncounted, as names write it."""
    words = [i for i, token in enumerate(tokens) if token.text[0].isalnum()]
    found: list[tuple[int, int, int]] = []
    for first, start in enumerate(words):
        for count, last in enumerate(words[first : first + MAX_NAME_WORDS], 1):
            found.append((count, start, last + 1))
            if last + 1 < len(tokens) and last + 1 not in words:  # "Zotz!", "a Name?"
                found.append((count, start, last + 2))
    spans: dict[str, tuple[int, int]] = {}
    for size, start, end in sorted(found, key=lambda span: (-span[0], span[1] - span[2], span[1])):
        text = question[tokens[start].start : tokens[end - 1].end]
        if size == 1 and text.casefold() in STOPWORDS:
            continue
        spans.setdefault(entity_key(text), (start, end))
        owner = _POSSESSIVE.sub("", text)
        if owner != text:  # "Kestrel Aerospace's" names the company
            spans.setdefault(entity_key(owner), (start, end))
    return spans


def _exact_links(spans: dict[str, tuple[int, int]], found: list[Entity]) -> list[LinkedEntity]:
    by_key: dict[str, list[tuple[Entity, float]]] = {}
    for entity in found:
        by_key.setdefault(entity.key, []).append((entity, 1.0))
        for alias in entity.aliases:
            by_key.setdefault(entity_key(alias), []).append((entity, ALIAS_SCORE))
    taken: set[int] = set()
    linked: list[LinkedEntity] = []
    for key, (start, end) in sorted(spans.items(), key=lambda kv: kv[1][0] - kv[1][1]):
        if key not in by_key or taken & set(range(start, end)):
            continue
        taken |= set(range(start, end))
        linked += [LinkedEntity(entity, (start, end), key, score) for entity, score in by_key[key]]
    return linked


def _near_verbatim(entity: Entity, question: str, tokens: list[Token]) -> LinkedEntity | None:
    alignment = fuzz.partial_ratio_alignment(entity.name.casefold(), question.casefold())
    if alignment is None or alignment.score < FUZZY_MIN_RATIO or len(entity.name) < 4:
        return None
    covered = [
        i
        for i, token in enumerate(tokens)
        if token.start < alignment.dest_end and token.end > alignment.dest_start
    ]
    if not covered:
        return None
    mention = question[alignment.dest_start : alignment.dest_end]
    return LinkedEntity(entity, (covered[0], covered[-1] + 1), mention, 0.9 * alignment.score / 100)


def _name_parts(candidates: list[Entity], tokens: list[Token]) -> list[LinkedEntity]:
    by_part: dict[str, list[Entity]] = {}
    for entity in candidates:
        if entity.type == "Person":
            for part in {entity_key(word) for word in entity.name.split()}:
                by_part.setdefault(part, []).append(entity)
    linked = []
    for i, token in enumerate(tokens):
        found = by_part.get(entity_key(token.text), [])
        if len(found) == 1 and token.text[:1].isupper() and len(token.text) >= MIN_NAME_PART:
            linked.append(LinkedEntity(found[0], (i, i + 1), token.text, NAME_PART_SCORE))
    return linked
