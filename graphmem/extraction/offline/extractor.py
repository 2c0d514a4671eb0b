"""The offline extractor: facts, entities and relations read with spaCy, with no LLM at all.

Reading an add, turn by turn and sentence by sentence:

1. `sentences.py` splits a turn into sentences and keeps the statements (not questions,
   greetings or fragments); `first_person.py` writes the speaker in for "I / me / my".
2. `nlp.py` parses the sentences (spaCy's English pipeline: tags, dependencies, names).
3. `mentions.py` finds who and what each sentence names; `referents.py` resolves he / she
   / you across the sentence, its turn and the two turns before.
4. `clauses.py` reads the relations its verbs and copulas state, `nominals.py` those its
   noun phrases state (roles, possessives), `places.py` where things are, `killings.py`
   the killings nouns name and `datelines.py` a news dateline; `phrasings.py` says which
   phrasings are the canonical relations (WORKS_AT, LIVES_IN, ...), anything else being
   named by its verb; `times.py` reads the day a clause names, against the day the turn
   was said.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from spacy.tokens import Doc, Token

from graphmem.extraction.base import LLMUsage
from graphmem.extraction.offline.aliases import with_stated_aliases
from graphmem.extraction.offline.arguments import Arguments, Found
from graphmem.extraction.offline.clauses import clause_relations
from graphmem.extraction.offline.datelines import dateline_relations
from graphmem.extraction.offline.first_person import (
    find_self_introduction,
    resolve_first_person,
    split_self_introduction,
)
from graphmem.extraction.offline.killings import killing_relations
from graphmem.extraction.offline.mentions import (
    CERTAIN,
    GUESSED,
    Mention,
    find_mentions,
    force_person,
    untitled,
)
from graphmem.extraction.offline.nlp import parse, require_english
from graphmem.extraction.offline.nominals import nominal_relations
from graphmem.extraction.offline.phrasings import LOCATION, ORGANIZATION, PERSON
from graphmem.extraction.offline.places import place_relations, within_places
from graphmem.extraction.offline.referents import Referents
from graphmem.extraction.offline.sentences import split_sentences, states_something, strip_preamble
from graphmem.models.extraction import EntityDraft, Extraction, RelationDraft
from graphmem.models.messages import Message
from graphmem.models.naming import DEFAULT_ENTITY_TYPE

logger = logging.getLogger(__name__)

# Where a place or an organisation stands: "in Caroline", "works for Siemens".
_PLACE_PREPOSITIONS = frozenset(
    {"in", "at", "to", "from", "into", "near", "across", "around", "for", "with", "by"}
)


@dataclass
class _Sentence:
    """A statement sentence to read: its text (speaker written in) and where the speaker
    stands in it."""

    text: str
    speaker: str | None = None
    speaker_ranges: list[tuple[int, int]] = field(default_factory=list)
    introduces: str | None = None
    states: bool = True
    """A statement; a question or a greeting is read only for the people it names."""


@dataclass
class _Turn:
    role: str
    speaker: str | None
    addressee: str | None
    sentences: list[_Sentence]


@dataclass
class _Reading:
    """What one sentence yielded."""

    fact: str
    entities: list[Mention]
    relations: list[Found]


class OfflineExtractor:
    """The default extractor when no LLM is configured: spaCy's English pipeline and rules
    over its parse, deterministic, with no network.

    It names people, organisations, places, events, products and works; reads the
    relations each clause and noun phrase states, canonical ones (WORKS_AT, LIVES_IN,
    MARRIED_TO, CEO_OF, BORN_IN, BASED_IN ...) in their common phrasings and open ones named
    by their verb (RESEARCHES, PAINTS, ADOPTS_FROM); resolves I / me / my to the speaker,
    you to the person spoken to and he / she to the nearest person before (`referents.py`);
    and dates a relation by the time its clause states ("last May"), read against the day
    the turn was said. `instructions` are ignored: there is no model to follow them.

    Example:
        >>> extraction = OfflineExtractor().extract([Message(content="Bob moved to Berlin.")])
        >>> [(r.source, r.relationship, r.target) for r in extraction.relations]
        [('Bob', 'LIVES_IN', 'Berlin')]
    """

    def __init__(self) -> None:
        self._usage = LLMUsage()
        require_english()  # the pipeline itself loads on the first extract
        logger.info(
            "offline extractor: spaCy's English pipeline (en_core_web_sm 3.8) and rules over "
            "its parse, no LLM and no network; it reads relations within a sentence, he/she/you "
            "across the last %d turns, and misses what needs world knowledge or inference",
            2,
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
        said_at: datetime | None = None,
    ) -> Extraction:
        """Extract facts, entities and relations from user and assistant messages.

        Args:
            messages: the conversation; system and tool messages are skipped.
            speaker: who "I / me / my" refer to in user messages (a message's `name` wins).
            instructions: ignored; accepted to honour the `Extractor` protocol.
            usage: left as it is (no LLM call); accepted to honour the protocol.
            said_at: when the messages were said, for "yesterday" or "last May" (default:
                now).

        Returns:
            The facts (one per statement sentence of a user message; assistant sentences only
            when they state a relation), entities and relations.
        """
        said = (said_at or datetime.now(UTC)).date()
        turns = _turns(messages, speaker)
        speakers = {name.casefold(): name for turn in turns for name in _people(turn)}
        docs = iter(parse([s.text for turn in turns for s in turn.sentences]))
        referents = Referents()
        readings: list[_Reading] = []
        for turn in turns:
            says_i = any(s.speaker_ranges for s in turn.sentences)
            referents.begin_turn(turn.speaker, turn.addressee, turn.speaker if says_i else None)
            for sentence in turn.sentences:
                reading = _read(sentence, next(docs), speakers, referents, said)
                if sentence.states and (turn.role == "user" or reading.relations):
                    readings.append(reading)
        texts = [m.content for m in messages if m.role in {"user", "assistant"}]
        return with_stated_aliases(_to_extraction(readings), texts)


def _turns(messages: Sequence[Message], speaker: str | None) -> list[_Turn]:
    """The user and assistant turns, each with its speaker, its addressee (the speaker of
    the nearest other named turn) and its statement sentences."""
    kept = [m for m in messages if m.role in {"user", "assistant"}]
    speakers: list[str | None] = []
    for message in kept:
        who = message.name or (speaker if message.role == "user" else None)
        if who is None and message.role == "user":
            who = find_self_introduction(message.content)
        speakers.append(who)
    turns = []
    for index, message in enumerate(kept):
        who = speakers[index]
        others = [s for s in speakers[index - 1 :: -1] if s and s != who] if index else []
        others += [s for s in speakers[index + 1 :] if s and s != who]
        sentences = _statements(message.content, who)
        turns.append(_Turn(message.role, who, others[0] if others else None, sentences))
    return turns


def _people(turn: _Turn) -> list[str]:
    named = [turn.speaker, turn.addressee, *(s.introduces for s in turn.sentences)]
    return [name for name in named if name]


def _statements(text: str, speaker: str | None) -> list[_Sentence]:
    sentences: list[_Sentence] = []
    for raw in split_sentences(text):
        if not states_something(raw):
            sentences.append(_Sentence(raw, states=False))
            continue
        name, rest = split_self_introduction(strip_preamble(raw))
        if name:
            sentences.append(_Sentence(f"The user's name is {name}.", introduces=name))
        if not rest:
            continue
        if speaker:
            rewritten, ranges = resolve_first_person(rest, speaker)
            sentences.append(_Sentence(rewritten, speaker, ranges))
        else:
            sentences.append(_Sentence(rest))
    return sentences


def _read(
    sentence: _Sentence,
    doc: Doc,
    speakers: dict[str, str],
    referents: Referents,
    said: date,
) -> _Reading:
    mentions = find_mentions(doc, speakers)
    if sentence.introduces:
        introduced = Mention(sentence.introduces)
        introduced.assign(PERSON, CERTAIN)
        return _Reading(doc.text, [introduced], [])
    for start, end in sentence.speaker_ranges:
        force_person(mentions, start, end, sentence.speaker or "")
    people = sorted(
        (m for m in mentions.all if m.type == PERSON or _may_be_a_person(m, doc)),
        key=lambda m: min(m.tokens, default=0),
    )
    subjects = [m for m in people if any(doc[i].dep_ in {"nsubj", "nsubjpass"} for i in m.tokens)]
    referents.begin_sentence(people, subjects)
    arguments = Arguments(mentions, referents.resolve, said)
    relations = within_places(
        clause_relations(arguments)
        + nominal_relations(arguments)
        + place_relations(arguments)
        + killing_relations(arguments)
        + dateline_relations(mentions)
    )
    people = sorted(
        (m for m in mentions.all if m.type == PERSON), key=lambda m: min(m.tokens, default=0)
    )
    referents.end_sentence(people)  # "My grandmother ... She married": the grandmother
    in_relations = {id(r.source) for r in relations} | {id(r.target) for r in relations}
    entities = [
        m
        for m in mentions.all
        if id(m) in in_relations or (m.named and m.type != DEFAULT_ENTITY_TYPE)
    ]
    return _Reading(doc.text, entities, relations)


def _is_subject(token: Token) -> bool:
    """A subject, or a name in apposition to one ("My brother Bob Smith moved")."""
    subject = {"nsubj", "nsubjpass"}
    return token.dep_ in subject or (token.dep_ == "appos" and token.head.dep_ in subject)


def _may_be_a_person(mention: Mention, doc: Doc) -> bool:
    """A lone given name the recogniser took for a place or a company ("Caroline" as GPE)
    may be a person, unless it stands where places do ("in Caroline")."""
    if mention.strength > GUESSED or len(mention.tokens) != 1 or not mention.named:
        return False
    if mention.type not in {LOCATION, ORGANIZATION}:
        return False
    token = doc[min(mention.tokens)]
    return not (token.dep_ == "pobj" and token.head.lower_ in _PLACE_PREPOSITIONS)


def _to_extraction(readings: list[_Reading]) -> Extraction:
    """Merge sentence readings into one `Extraction`; the strongest typing of a name wins."""
    best: dict[str, Mention] = {}
    for mention in (m for reading in readings for m in reading.entities):
        known = best.get(mention.name.casefold())
        if known is None or mention.strength > known.strength:
            best[mention.name.casefold()] = mention
    entities = [_entity(m) for m in best.values()]
    relations = [_draft(found, reading.fact) for reading in readings for found in reading.relations]
    return Extraction(facts=[r.fact for r in readings], entities=entities, relations=relations)


def _entity(mention: Mention) -> EntityDraft:
    """A mention as an entity; a titled person also answers to the bare name."""
    bare = untitled(mention.name) if mention.type == PERSON else None
    return EntityDraft(name=mention.name, type=mention.type, aliases=[bare] if bare else [])


def _draft(found: Found, fact: str) -> RelationDraft:
    day = {"valid_to" if found.ends else "valid_from": found.day} if found.day else {}
    return RelationDraft(
        source=found.source.name,
        relationship=found.relation,
        target=found.target.name,
        fact=fact,
        ends=found.ends,
        **day,
    )
