"""Answer types: what kind of entity a question asks for.

The wh-phrase says it: "who" asks for a person, "when" for a time, "where" for a place,
"which films" for whatever "films" names among the graph's entity types (by word forms,
WordNet, or the embedding, as `intent` meets relation types). A question without one asks
for its last noun when that names an entity type; a "how" question for none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from graphmem.retrieval.linking import Token
from graphmem.retrieval.word_meaning import FILLER, lexical_strength, names_any
from graphmem.retrieval.wordforms import bare, is_noun

WH_WORDS = frozenset({"who", "whom", "what", "which", "when", "where"})
ASKING = WH_WORDS | {"how"}  # "how did X die": a question, though none of its nouns is asked
# What a wh-word asks for when no noun follows it: plain English, not one graph's words.
_WH_MEANING = {"who": "person", "whom": "person", "when": "time", "where": "place"}

ToEntityTypes = Callable[[str], dict[str, float]]
"""A word's closeness to each entity type (1.0 or more: close enough to count)."""


def answer_types(
    tokens: Sequence[Token],
    skip: set[int],
    entity_types: list[str],
    closeness: ToEntityTypes,
    relation_types: Sequence[str] = (),
) -> tuple[dict[str, float], list[tuple[int, str]]]:
    """Entity types the wh-phrase asks for ("who" / "which films" / "what genres" / "when"),
    and the wh-phrase's words with their positions. A question with no wh-phrase ("X's main
    hub city?") asks for its last noun, an answer type when it names an entity type ("X's
    husband's birthplace" asks for no Person)."""
    wanted: dict[str, float] = {}
    asks = any(token.text.casefold() in ASKING for token in tokens)
    cues = _cues(tokens, skip) if asks else _type_noun(tokens, skip, entity_types)
    for _, word in cues:
        meant = _types_meant(word, entity_types, closeness, relation_types)
        for entity_type, strength in meant.items():
            wanted[entity_type] = max(wanted.get(entity_type, 0.0), strength)
    return wanted, cues


def _types_meant(
    word: str, entity_types: list[str], closeness: ToEntityTypes, relation_types: Sequence[str]
) -> dict[str, float]:
    """The entity types `word` names: by its word forms or WordNet, else by the embedding,
    unless it names a relation type that way ("what was the destination of X" asks for
    whatever a DESTINATION leads to, not for the type whose name is closest to the word)."""
    lexical = {t: 1.0 for t in entity_types if lexical_strength(word, t)}
    if lexical:
        return lexical
    if names_any(word, relation_types):
        return {}
    close = closeness(word)
    return {t: 1.0 for t, score in close.items() if score >= 1.0}


def _type_noun(
    tokens: Sequence[Token], skip: set[int], entity_types: list[str]
) -> list[tuple[int, str]]:
    """The last noun, when it names one of `entity_types` ("city" for City); a noun after
    "of" only completes the one before it ("country of birth" asks for a country)."""
    for i in range(len(tokens) - 1, -1, -1):
        word = tokens[i].text
        if i in skip or not word[:1].isalnum() or not is_noun(bare(word)):
            continue
        if i > 0 and tokens[i - 1].text.casefold() == "of":
            continue
        names_a_type = names_any(word, entity_types)
        return [(i, word)] if names_a_type else []
    return []


def _noun_phrase_after(tokens: Sequence[Token], wh: int, skip: set[int]) -> list[tuple[int, str]]:
    """The first content word after a wh-word, and the noun right after it if any; none
    once a name comes ("what did X's parents die of": "parents" is not what is asked)."""
    for j in range(wh + 1, min(wh + 4, len(tokens))):
        text = tokens[j].text
        if j in skip:
            return []
        if not text[:1].isalnum() or text.casefold() in FILLER:
            continue
        phrase = [(j, text)]
        if j + 1 < len(tokens) and j + 1 not in skip and is_noun(tokens[j + 1].text):
            phrase.append((j + 1, tokens[j + 1].text))
        return phrase
    return []


def answer_cues(tokens: Sequence[Token], skip: set[int]) -> list[str]:
    """The words naming what the question asks for, as `analyse_intent` embeds them."""
    return [word for _, word in _cues(tokens, skip)]


def _cues(tokens: Sequence[Token], skip: set[int]) -> list[tuple[int, str]]:
    """The wh-phrases' words with their positions: "who" / "when" name the answer
    themselves (by what they mean: "person", "time"); "which films", "what film genre" by
    the noun phrase after them. A wh-word right after a noun ("the people who went")
    starts a relative clause: it asks nothing."""
    cues: list[tuple[int, str]] = []
    for i, token in enumerate(tokens):
        wh = token.text.casefold()
        if i > 0 and i - 1 not in skip and is_noun(bare(tokens[i - 1].text)):
            continue
        if wh in _WH_MEANING:
            cues.append((i, _WH_MEANING[wh]))
        elif wh in WH_WORDS:
            cues += _noun_phrase_after(tokens, i, skip)
    return cues
