"""What a token stands for as the end of a relation: a mention, or nothing.

A name stands for its mention; "who" / "which" / "that" for the noun they qualify; "my
sister Ana" for Ana; he / she / you for the person the conversation points them at (see
`referents.py`); a noun for its noun phrase ("Caroline's family" when a person owns it).
Anything else (an unresolved pronoun, a wh-word, an empty head) stands for nothing, so no
relation is read to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Token

from graphmem.extraction.offline.mentions import GROUP, TIME_LABELS, Mention, Mentions
from graphmem.extraction.offline.times import stated_day

PronounResolver = Callable[[Token, Mention | None], Mention | None]
"""Who a personal pronoun refers to, given the subject of its clause (None: nobody known)."""

_RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "whose"})


@dataclass(frozen=True)
class Found:
    """A relation read from a sentence; `day` is the day it holds from, if the text says."""

    source: Mention
    relation: str
    target: Mention
    ends: bool = False
    day: date | None = None


class Arguments:
    """Resolves tokens of one sentence to mentions, and the days its clauses name."""

    def __init__(self, mentions: Mentions, resolve_pronoun: PronounResolver, said: date) -> None:
        self.mentions = mentions
        self._resolve_pronoun = resolve_pronoun
        self._days = _clause_days(mentions, said)

    def of(self, token: Token, subject: Mention | None = None) -> Mention | None:
        """The mention `token` stands for; `subject` is its clause's, for pronouns."""
        named = self.mentions.at(token)
        if token.dep_ == "appos" and (named is None or named.type == GROUP):
            # "Derwinski, a Republican from Chicago who served": the apposition is its head
            head = self.mentions.at(token.head)
            if head is not None:
                return head
        if named is not None:
            return named
        if token.pos_ == "PRON" or token.tag_ in {"WP", "WDT", "PRP", "PRP$"}:
            return self._pronoun(token, subject)
        if token.ent_type_ in TIME_LABELS:
            return None
        for child in token.children:
            if child.dep_ == "appos" and self.mentions.at(child) is not None:
                return self.mentions.at(child)  # "my sister Ana" is Ana
        return self.mentions.phrase(token, self.owner(token))

    def each(self, token: Token, subject: Mention | None = None) -> list[Mention]:
        """The mentions of `token` and the tokens coordinated with it ("Ann and Bob")."""
        found = (self.of(t, subject) for t in [token, *token.conjuncts])
        return [mention for mention in found if mention is not None]

    def owner(self, noun: Token) -> Mention | None:
        """The person or organisation that owns `noun` ("her" in "her family"), if named."""
        for child in noun.children:
            if child.dep_ == "poss":
                owner = self.of(child)
                if owner is not None and owner.named:
                    return owner
        return None

    def day(self, verb: Token) -> date | None:
        """The day the clause of `verb` says it happened, if it says one."""
        return self._days.get(verb.i)

    def _pronoun(self, token: Token, subject: Mention | None) -> Mention | None:
        if token.lower_ in _RELATIVE_PRONOUNS:
            clause = token.head
            if clause.dep_ in {"relcl", "acl"} and clause.head.i != token.i:
                antecedent = clause.head
                if antecedent.dep_ == "attr" and antecedent.head.lemma_ == "be":
                    # "Jon is a dancer who runs a studio": the dancer is Jon
                    copula = antecedent.head
                    named = [c for c in copula.children if c.dep_ == "nsubj"]
                    antecedent = named[0] if named else antecedent
                return None if antecedent.pos_ == "PRON" else self.of(antecedent)
            return None
        resolved = self._resolve_pronoun(token, subject)
        if resolved is None:
            return None
        tokens = frozenset({token.i})
        mention = Mention(resolved.name, resolved.type, resolved.strength, True, tokens)
        return self.mentions.add(mention)


def _clause_days(mentions: Mentions, said: date) -> dict[int, date]:
    """The day each verb's clause names: a date expression belongs to the nearest verb
    above it in the parse."""
    days: dict[int, date] = {}
    for span in mentions.doc.ents:
        if span.label_ not in TIME_LABELS:
            continue
        day = stated_day(span.text, said)
        verb = next((t for t in span.root.ancestors if t.pos_ in {"VERB", "AUX"}), None)
        if day is not None and verb is not None:
            days.setdefault(verb.i, day)
    return days
