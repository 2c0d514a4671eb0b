"""The offline extractor: facts, names and relations from patterns, with no LLM at all."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from graphmem.extraction.base import LLMUsage
from graphmem.extraction.offline.aliases import with_stated_aliases
from graphmem.extraction.offline.datelines import find_dateline
from graphmem.extraction.offline.entity_types import type_spans
from graphmem.extraction.offline.first_person import (
    find_self_introduction,
    resolve_first_person,
    split_self_introduction,
)
from graphmem.extraction.offline.lexicon import HONORIFICS
from graphmem.extraction.offline.names import NameSpan, bare, find_name_spans
from graphmem.extraction.offline.relations import FoundRelation, find_relations
from graphmem.extraction.offline.sentences import split_sentences, states_something, strip_preamble
from graphmem.extraction.offline.tokens import Token, tokenize
from graphmem.models.extraction import EntityDraft, Extraction, RelationDraft
from graphmem.models.messages import Message

logger = logging.getLogger(__name__)

_SPEAKER_STRENGTH = 4


@dataclass
class _Reading:
    """What one sentence yielded."""

    fact: str
    entities: list[NameSpan] = field(default_factory=list)
    relations: list[FoundRelation] = field(default_factory=list)


class OfflineExtractor:
    """A deterministic, pattern-based extractor: the default when no LLM is configured.

    It finds capitalised names, types them from cue words (corporate suffixes, honorifics,
    "in X", relation slots) and reads the common relation phrasings between neighbouring
    names ("X works at Y", "X lives in Y", "X is the CEO of Y", "X moved to Y", "X is married
    to Y", "X, director of Y", ...). Each statement sentence becomes a fact; questions and
    greetings do not. "I / me / my" become the speaker, taken from `speaker`, the message's
    `name`, or a self-introduction ("My name is Alice"). `instructions` are ignored: there
    is no model to follow them. Relations are read within one sentence only; pronouns other
    than "I" are not resolved; lowercase names are missed.

    Example:
        >>> extraction = OfflineExtractor().extract([Message(content="Bob moved to Berlin.")])
        >>> [(r.source, r.relationship, r.target) for r in extraction.relations]
        [('Bob', 'LIVES_IN', 'Berlin')]
    """

    def __init__(self) -> None:
        self._usage = LLMUsage()
        logger.info(
            "offline extractor: deterministic and pattern-based (no LLM, no network); it reads "
            "names and common relation phrasings within single sentences and misses paraphrases, "
            "pronouns other than I/me/my, and lowercase names"
        )

    @property
    def name(self) -> str:
        return "offline"

    @property
    def usage(self) -> LLMUsage:
        """Always zero calls: nothing here talks to an LLM."""
        return self._usage

    def extract(
        self,
        messages: Sequence[Message],
        *,
        speaker: str | None = None,
        instructions: str | None = None,
        usage: LLMUsage | None = None,
    ) -> Extraction:
        """Extract facts, entities and relations from user and assistant messages.

        Args:
            messages: the conversation; system and tool messages are skipped.
            speaker: who "I / me / my" refer to in user messages (a message's `name` wins).
            instructions: ignored; accepted to honour the `Extractor` protocol.
            usage: left as it is (no LLM call); accepted to honour the protocol.

        Returns:
            The facts (one per statement sentence of a user message; assistant sentences only
            when they state a relation), entities and relations.
        """
        readings: list[_Reading] = []
        for message in messages:
            if message.role not in {"user", "assistant"}:
                continue
            who = message.name or (speaker if message.role == "user" else None)
            if who is None and message.role == "user":
                who = find_self_introduction(message.content)
            for reading in self._read_message(message.content, who):
                if message.role == "user" or reading.relations:
                    readings.append(reading)
        texts = [m.content for m in messages if m.role in {"user", "assistant"}]
        return with_stated_aliases(_to_extraction(readings), texts)

    def _read_message(self, text: str, speaker: str | None) -> list[_Reading]:
        readings = []
        for sentence in split_sentences(text):
            if not states_something(sentence):
                continue
            name, sentence = split_self_introduction(strip_preamble(sentence))
            if name:
                readings.append(_introduction(name))
            if sentence:
                readings.append(_read_sentence(sentence, speaker))
        return readings


def _read_sentence(sentence: str, speaker: str | None) -> _Reading:
    """Names, types and relations of one statement sentence."""
    speaker_ranges: list[tuple[int, int]] = []
    if speaker:
        sentence, speaker_ranges = resolve_first_person(sentence, speaker)
    tokens = tokenize(sentence)
    spans = [span for span in find_name_spans(sentence, tokens) if not _is_title_only(span)]
    spans = _with_speaker(tokens, spans, speaker_ranges, speaker)
    type_spans(tokens, spans)
    relations = find_dateline(sentence, tokens, spans) + find_relations(sentence, tokens, spans)
    in_relations = {id(r.source) for r in relations} | {id(r.target) for r in relations}
    entities = [span for span in spans if span.has_evidence or id(span) in in_relations]
    return _Reading(fact=sentence, entities=entities, relations=relations)


def _introduction(name: str) -> _Reading:
    """The fact a self-introduction states, with the speaker as a Person."""
    span = NameSpan(0, 1, name, words=name.split())
    span.assign("Person", _SPEAKER_STRENGTH)
    return _Reading(fact=f"The user's name is {name}.", entities=[span])


def _is_title_only(span: NameSpan) -> bool:
    return all(bare(word) in HONORIFICS for word in span.words)


def _with_speaker(
    tokens: list[Token],
    spans: list[NameSpan],
    ranges: list[tuple[int, int]],
    speaker: str | None,
) -> list[NameSpan]:
    """Replace whatever names overlap an inserted speaker name by the speaker, a Person."""
    if not speaker or not ranges:
        return spans
    forced: list[NameSpan] = []
    for start, end in ranges:
        covered = [i for i, token in enumerate(tokens) if token.start >= start and token.end <= end]
        if covered:
            span = NameSpan(covered[0], covered[-1] + 1, speaker, words=speaker.split())
            span.assign("Person", _SPEAKER_STRENGTH)
            forced.append(span)
    kept = [s for s in spans if not any(s.first < f.last and f.first < s.last for f in forced)]
    return sorted(kept + forced, key=lambda span: span.first)


def _to_extraction(readings: list[_Reading]) -> Extraction:
    """Merge sentence readings into one `Extraction`; the strongest typing of a name wins."""
    best: dict[str, NameSpan] = {}
    for span in (span for reading in readings for span in reading.entities):
        known = best.get(span.text.casefold())
        if known is None or span.strength > known.strength:
            best[span.text.casefold()] = span
    entities = [EntityDraft(name=span.text, type=span.type) for span in best.values()]
    relations = [
        RelationDraft(
            source=found.source.text,
            relationship=found.relation,
            target=found.target.text,
            fact=reading.fact,
            ends=found.ends,
        )
        for reading in readings
        for found in reading.relations
    ]
    return Extraction(facts=[r.fact for r in readings], entities=entities, relations=relations)
