"""Who and what a parsed sentence names: its mentions, with types and how sure each type is.

Named mentions come from the named-entity recogniser, from proper-noun runs it missed, and
from the conversation's speakers (always Person). A relation may also take a noun phrase
as an end ("adoption agencies"), made on demand by `Mentions.phrase`. Titles of office are
dropped from a person's name ("Gov. James Thompson" -> "James Thompson"); courtesy titles
stay ("President Lincoln"), since that is how people are referred to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from graphmem.extraction.offline.phrasings import (
    LOCATION,
    OFFICE_TITLES,
    ORGANIZATION,
    PERSON,
    is_person_noun,
)
from graphmem.lexicon.wordnet import named_kinds
from graphmem.models.naming import DEFAULT_ENTITY_TYPE, clean_name

GROUP = "Group"
_ENTITY_LABELS = {
    "PERSON": PERSON,
    "ORG": ORGANIZATION,
    "GPE": LOCATION,
    "LOC": LOCATION,
    "FAC": LOCATION,
    "EVENT": "Event",
    "PRODUCT": "Product",
    "WORK_OF_ART": "Work",
    "LAW": "Work",
    "LANGUAGE": "Language",
    "NORP": GROUP,
}
TIME_LABELS = frozenset({"DATE", "TIME"})
CONCEPT = "Concept"
"""The type of a noun phrase that is no name ("adoption agencies", "a lake sunrise")."""
# Strength of a type's evidence: the recogniser's label is a guess, a relation slot or an
# organisation's suffix is evidence, a speaker is certain.
GUESSED, IMPLIED, CERTAIN = 1, 2, 4
_COURTESY_TITLES = frozenset(
    """
    mr mr. mrs mrs. ms ms. dr dr. prof prof. rev rev. reverend president king queen pope prince
    princess sir dame lord lady emperor empress sultan sheikh archduke duke duchess
    """.split()
)
_ROLE_ACRONYMS = frozenset("ceo cto cfo coo cio cmo cpo vp svp evp".split())
_CORPORATE_SUFFIXES = frozenset("inc inc. corp corp. co co. ltd ltd. llc plc".split())
_ORGANIZATION_ENDINGS = frozenset(
    """
    inc inc. corp corp. co co. ltd ltd. llc plc gmbh ag company corporation group bank
    university college institute school academy association society foundation agency
    council ministry party union league museum hospital church club team
    """.split()
)
# WordNet's nouns for what a proper name may name, and the entity type of each.
_KNOWN_KINDS = {"person": PERSON, "location": LOCATION, "organization": ORGANIZATION}
_EMPTY_HEADS = frozenset(
    """
    thing things something anything everything nothing stuff one ones lot lots bit way ways
    kind sort type part time times deal fact idea others other lot all some each
    """.split()
)


@dataclass(eq=False)
class Mention:
    """One thing a sentence names, with the best type found for it so far.

    Attributes:
        name: its name as the graph keeps it.
        type: its entity type (`Entity` when nothing says more).
        strength: how sure the type is (GUESSED, IMPLIED, CERTAIN).
        named: a name, rather than a noun phrase such as "adoption agencies".
        tokens: the token indexes it covers in its sentence.
    """

    name: str
    type: str = DEFAULT_ENTITY_TYPE
    strength: int = 0
    named: bool = True
    tokens: frozenset[int] = field(default_factory=frozenset)
    head: str = ""
    """A noun phrase's head noun ("agencies"); empty for a name."""

    def assign(self, entity_type: str | None, strength: int) -> None:
        """Take `entity_type` if its evidence is stronger than the current type's."""
        if entity_type and strength > self.strength:
            self.type, self.strength = entity_type, strength


@dataclass
class Mentions:
    """The mentions of one sentence: names found by token, noun phrases by head token."""

    doc: Doc
    by_token: dict[int, Mention] = field(default_factory=dict)
    phrases: dict[int, Mention] = field(default_factory=dict)
    all: list[Mention] = field(default_factory=list)

    def add(self, mention: Mention) -> Mention:
        """Add a named mention (a name, or the person a pronoun refers to)."""
        self.all.append(mention)
        for index in mention.tokens:
            self.by_token[index] = mention
        return mention

    def at(self, token: Token) -> Mention | None:
        """The named mention `token` is part of, if any."""
        return self.by_token.get(token.i)

    def phrase(self, head: Token, owner: Mention | None = None) -> Mention | None:
        """A mention for the noun phrase headed by `head` ("a lake sunrise" -> "lake
        sunrise"; with `owner` "Caroline's family"); None for a pronoun or an empty head."""
        if head.pos_ not in {"NOUN", "PROPN"} or head.lower_ in _EMPTY_HEADS:
            return None
        known = self.at(head) or self.phrases.get(head.i)
        if known is not None:
            return known
        words = [t for t in head.lefts if t.dep_ in {"compound", "amod", "nmod"}]
        words = [t for t in words if t.lower_ not in {"own", "other", "same"}]
        first = min([head.i] + [t.left_edge.i for t in words])
        while first < head.i and self.doc[first].dep_ in {"det", "poss", "case", "punct"}:
            first += 1  # "a seed round" is a "seed round"
        text = self.doc[first : head.i + 1].text
        name = clean_name(f"{owner.name}'s {text}" if owner else text)
        if not name or len(name) > 120:
            return None
        tokens = frozenset(range(first, head.i + 1))
        mention = Mention(name, named=False, tokens=tokens, head=head.lower_)
        mention.assign(CONCEPT, GUESSED)
        self.all.append(mention)
        self.phrases[head.i] = mention
        return mention


def find_mentions(doc: Doc, speakers: dict[str, str]) -> Mentions:
    """The named mentions of `doc`; `speakers` maps a speaker's casefolded name to its
    spelling: those are people whatever the recogniser says."""
    mentions = Mentions(doc)
    for span in doc.ents:
        entity_type = _ENTITY_LABELS.get(span.label_)
        if entity_type is None:
            continue
        if span.label_ == "PERSON":
            span = _titled(span)
        elif span.label_ == "ORG":
            named = _until_corporate_suffix(_without_office_title(span))
            if named.end + 1 < span.end:  # "Pittsburgh-Corning Corp. of Pittsburgh"
                place = Mention(_name(doc[named.end + 1 : span.end]))
                place.tokens = frozenset(range(named.end + 1, span.end))
                place.assign(LOCATION, IMPLIED)
                mentions.add(place)
            span = named
        if not span.text.strip() or all(t.pos_ in {"PRON", "DET", "NUM"} for t in span):
            continue
        if any(t.pos_ in {"VERB", "AUX"} or t.tag_ == "VBZ" for t in span):
            continue  # "Carol manages Dave" as one name: the proper nouns are read below
        if len(span) == 1 and span[0].lower_ in _ROLE_ACRONYMS:
            continue  # "our CTO" names a role, not an organisation
        mention = Mention(_name(span), tokens=frozenset(range(span.start, span.end)))
        mention.assign(entity_type, GUESSED)
        _type_by_ending(mention, span)
        _type_by_wordnet(mention)
        mentions.add(mention)
    for span in _proper_noun_runs(doc, mentions):
        mention = Mention(_name(span), tokens=frozenset(range(span.start, span.end)))
        _type_by_ending(mention, span)
        _type_by_wordnet(mention)
        mentions.add(mention)
    for mention in mentions.all:
        if _has_age(doc, mention):
            mention.assign(PERSON, IMPLIED)
        spelling = speakers.get(mention.name.casefold())
        if spelling is not None:
            mention.name = spelling
            mention.assign(PERSON, CERTAIN)
    return mentions


def _has_age(doc: Doc, mention: Mention) -> bool:
    """ "Andrew Hall, 41, of Miami": a number in apposition to a name is a person's age."""
    return any(
        child.dep_ == "appos" and child.like_num and child.text.isdigit() and int(child.text) < 120
        for index in mention.tokens
        for child in doc[index].children
    )


def _name(span: Span) -> str:
    """The span's text without a possessive or the period of a final abbreviation
    ("Inc." -> "Inc", "Fla." -> "Fla"; "S.C." keeps its periods)."""
    text = span.text
    if text.endswith(("'s", "’s")):
        text = text[:-2]
    text = text.strip(" ,;:\"'()")
    first, _, rest = text.partition(" ")
    if rest and first.casefold() in {"the", "a", "an"}:
        text = rest
    if text.endswith(".") and "." not in text[:-1].rsplit(" ", 1)[-1]:
        text = text[:-1]
    return clean_name(text)


def _titled(span: Span) -> Span:
    """A person's name with its titles settled: a courtesy title stays ("President
    Lincoln", "Dr. Martin Luther King Jr."), since the text names the person so
    (`untitled` gives the bare name, kept as an alias), unless it names an office of
    something ("US President Bill Clinton"); a title of office goes ("Gov. James Thompson"
    -> "James Thompson"), and so does a role word opening a sentence ("Composer
    Thomas")."""
    doc, start, end = span.doc, span.start, span.end
    if start > 0 and doc[start - 1].lower_ in _COURTESY_TITLES and doc[start - 1].is_title:
        start -= 1
    while end - start > 1 and (
        doc[start].lower_ in OFFICE_TITLES
        or (start == 0 and end - start == 2 and _is_role_word(doc[start]))
        or (doc[start].lower_ in _COURTESY_TITLES and _holds_office(doc[start]))
    ):
        start += 1
    return doc[start:end]


def _holds_office(title: Token) -> bool:
    """ "US President Bill Clinton", "the Senate's President X": a title that names whose
    it is is an office held, not a form of address."""
    before = title.doc[title.i - 1] if title.i > 0 else None
    owned = any(c.dep_ in {"compound", "poss", "nmod"} and c.i < title.i for c in title.children)
    joined = before is not None and before.pos_ == "PROPN" and before.head.i == title.head.i
    return owned or joined


def untitled(name: str) -> str | None:
    """The name without its courtesy title, when two words or more are left ("President
    Bill Clinton" -> "Bill Clinton"); None when it has none, or only one word is left
    ("President Lincoln" is how he is referred to).

    Example:
        >>> untitled("Dr. Martin Luther King Jr"), untitled("Dr. Smith")
        ('Martin Luther King Jr', None)
    """
    first, _, rest = name.partition(" ")
    if first.casefold() not in _COURTESY_TITLES or " " not in rest.strip():
        return None
    return rest.strip()


def _without_office_title(span: Span) -> Span:
    """ "Gov. James Thompson": a title of office before a name is no part of it."""
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in OFFICE_TITLES:
        start += 1
    return span.doc[start : span.end] if start != span.start else span


def _until_corporate_suffix(span: Span) -> Span:
    """ "Pittsburgh-Corning Corp. of Pittsburgh": an organisation's name ends at its
    corporate suffix; what follows places it."""
    for token in span[:-1]:
        if token.lower_ in _CORPORATE_SUFFIXES and token.nbor().lower_ in {"of", "in"}:
            return span.doc[span.start : token.i + 1]
    return span


def _is_role_word(token: Token) -> bool:
    return token.lower_ not in _COURTESY_TITLES and is_person_noun(token.lower_)


def _proper_noun_runs(doc: Doc, mentions: Mentions) -> list[Span]:
    """Runs of proper nouns the recogniser did not name ("Acme Corp" when it missed it)."""
    runs: list[Span] = []
    start: int | None = None
    for token in [*doc, None]:
        proper = (
            token is not None
            and token.pos_ == "PROPN"
            and mentions.at(token) is None
            and token.ent_type_ not in TIME_LABELS
            and token.is_alpha
        )
        if proper and start is None:
            start = token.i
        elif not proper and start is not None:
            end = token.i if token is not None else len(doc)
            span = doc[start:end]
            if span[0].lower_ not in OFFICE_TITLES or len(span) > 1:
                runs.append(_without_office_title(span))
            start = None
    return runs


def _type_by_ending(mention: Mention, span: Span) -> None:
    """An organisation's own word for itself ("Corp", "University") is evidence."""
    if span[-1].lower_ in _ORGANIZATION_ENDINGS and len(span) > 1:
        mention.assign(ORGANIZATION, IMPLIED)


def _type_by_wordnet(mention: Mention) -> None:
    """What WordNet knows the name to name types a name nothing typed, and beats the
    recogniser's guess of an organisation when it is a place ("Armenia", "Oxford"). A
    guess of a person or a place stands, as does an organisation named after a person
    ("Siemens"): the sentence shows which one it is ("Jackson, Wyo." is a town)."""
    if mention.strength > GUESSED or mention.type in {PERSON, LOCATION}:
        return
    kinds = named_kinds(mention.name, tuple(_KNOWN_KINDS))
    if len(kinds) != 1:
        return
    kind = _KNOWN_KINDS[next(iter(kinds))]
    if mention.strength == 0 or kind == LOCATION:
        mention.type, mention.strength = kind, GUESSED


def force_person(mentions: Mentions, start: int, end: int, name: str) -> None:
    """Make the characters `start:end` (where a speaker's name was written in for "I")
    one mention of `name`, a Person, replacing whatever overlapped them."""
    span = mentions.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return
    covered = set(range(span.start, span.end))
    for mention in [m for m in mentions.all if m.tokens & covered]:
        mentions.all.remove(mention)
        for index in mention.tokens:
            mentions.by_token.pop(index, None)
    speaker = Mention(name, tokens=frozenset(covered))
    speaker.assign(PERSON, CERTAIN)
    mentions.add(speaker)
